/**
 * A paragraph's translation into one language: an append-only list of revisions and the reviews
 * of them. State is rebuilt from the events in order; commands check their invariants and return
 * the event to append, never touching history.
 */

import { hasForbiddenCharacters } from "../glossary/text.ts";
import { ConflictError, NotFoundError, ValidationError } from "./errors.ts";
import { suggestionEdit } from "./origin-edit.ts";

/**
 * `outdated`: the latest translation was made against an older source of a paragraph that changed
 * since; never stored, worked out from the revision's `sourceVersion` and the paragraph's `changedIn`.
 */
export type ParagraphStatus = "untranslated" | "draft" | "translated" | "approved" | "rejected" | "outdated";
/** What the translator asks for when saving. */
export type SaveStatus = "draft" | "translated";
/** Where a saved text came from: typed, taken from the translation memory, or from a machine engine. */
export type RevisionOrigin = "human" | "memory" | "mt";

export interface RevisionEvent {
  type: "revision";
  pid: string;
  revision: number;
  text: string;
  /** `untranslated` for an explicit clear. */
  status: SaveStatus | "untranslated";
  author: string;
  createdAt: string;
  /** Set on a revert: the revision whose text this one restores. */
  revertOf?: number;
  /** Where the text came from; absent means typed by a person (`human`). */
  origin?: RevisionOrigin;
  /** The find-and-replace batch (or its undo) that made this revision, so that undo finds exactly it. */
  batch?: string;
  /** The document's source version the text was made against; absent: 1. */
  sourceVersion?: number;
  /** Words edited from a machine or memory suggestion to this text (see OriginEdit). */
  originEdit?: OriginEdit;
}

/**
 * How far a saved text is from the machine or memory text it started as: the suggestion saved with
 * it, or the pre-translated draft it replaced. Absent for texts typed from scratch.
 */
export interface OriginEdit {
  /** Where the starting text came from. */
  from: "mt" | "memory";
  /** Word edit distance from the starting text to the saved one. */
  words: number;
}

export interface ReviewEvent {
  type: "review";
  pid: string;
  revision: number;
  action: "approve" | "reject";
  comment?: string;
  author: string;
  createdAt: string;
  /** The source version the reviewer saw; an approval confirms the text against it. Absent: 1. */
  sourceVersion?: number;
  /**
   * Set when an undo of a find-and-replace batch put back this review of the text the batch had
   * replaced: who undid it (`author` stays the reviewer whose judgement it is).
   */
  restoredBy?: string;
}

export interface WaiverEvent {
  type: "waiver";
  pid: string;
  revision: number;
  /** The waived glossary finding's term; empty for a waiver of another check's finding. */
  termId: string;
  /** What a non-glossary finding is about ("spelling:teh"); absent in waivers of glossary findings. */
  key?: string;
  code: string;
  reason: string;
  author: string;
  createdAt: string;
  /** Set when the event takes the waiver back (an undo): the finding is open again. */
  lifted?: true;
}

export type TranslationEvent = RevisionEvent | ReviewEvent | WaiverEvent;

/** A revision as the API shows it: its status reflects the latest review of it. */
export interface Revision {
  revision: number;
  text: string;
  author: string;
  createdAt: string;
  status: ParagraphStatus;
  comment?: string;
  /** Who approved or rejected it, when someone did. */
  reviewer?: string;
  /** The source version its approval confirmed it against. */
  approvedAgainst?: number;
  revertOf?: number;
  /** Absent: `human`. */
  origin?: RevisionOrigin;
  /** The find-and-replace batch that made it, if one did. */
  batch?: string;
  /** The source version the text was made against; absent: 1. */
  sourceVersion?: number;
  originEdit?: OriginEdit;
}

export interface Waiver {
  termId: string;
  /** See WaiverEvent.key. */
  key?: string;
  code: string;
  reason: string;
  author: string;
  createdAt: string;
  revision: number;
}

export interface ParagraphTranslation {
  revisions: Revision[];
  /** Number of the last approved revision, if any. */
  lastApproved?: number;
  /** The latest review, when the latest revision was rejected. */
  rejection?: { comment: string; author: string; createdAt: string };
  waivers: Waiver[];
  /** The source version the latest revision is confirmed against (made, or approved, against it); absent: 1. */
  sourceVersion?: number;
  /** The source version the last approval confirmed; absent: 1. */
  approvedSourceVersion?: number;
}

/** What of a paragraph decides whether a translation is outdated (see `Paragraph.changedIn`). */
export interface SourceStamp {
  /** The source version in which the paragraph's text last changed in a way that outdates translations; absent: 1. */
  changedIn?: number;
}

/** True when the latest translation was made against a source older than the paragraph's last change. */
export function isOutdated(p: ParagraphTranslation | undefined, paragraph: SourceStamp | undefined): boolean {
  const latest = latestRevision(p);
  if (!latest || latest.status === "untranslated") return false;
  return (p?.sourceVersion ?? 1) < (paragraph?.changedIn ?? 1);
}

/** One document's translation into one language, by paragraph id. */
export type TranslationState = Map<string, ParagraphTranslation>;

export function emptyState(): TranslationState {
  return new Map();
}

function paragraphOf(state: TranslationState, pid: string): ParagraphTranslation {
  let p = state.get(pid);
  if (!p) {
    p = { revisions: [], waivers: [] };
    state.set(pid, p);
  }
  return p;
}

/** Applies one event in place; O(1) whatever the length of the history. */
export function applyEvent(state: TranslationState, event: TranslationEvent): void {
  const p = paragraphOf(state, event.pid);
  switch (event.type) {
    case "revision":
      p.revisions.push({
        revision: event.revision,
        text: event.text,
        author: event.author,
        createdAt: event.createdAt,
        status: event.status,
        ...(event.revertOf !== undefined ? { revertOf: event.revertOf } : {}),
        ...(event.origin && event.origin !== "human" ? { origin: event.origin } : {}),
        ...(event.batch ? { batch: event.batch } : {}),
        ...(event.sourceVersion !== undefined ? { sourceVersion: event.sourceVersion } : {}),
        ...(event.originEdit ? { originEdit: event.originEdit } : {}),
      });
      p.rejection = undefined;
      p.sourceVersion = event.sourceVersion ?? 1;
      break;
    case "review": {
      const revision = p.revisions[event.revision - 1];
      if (!revision) return;
      revision.status = event.action === "approve" ? "approved" : "rejected";
      revision.reviewer = event.author;
      if (event.comment) revision.comment = event.comment;
      if (event.action === "approve") {
        p.lastApproved = event.revision;
        p.rejection = undefined;
        const against = Math.max(event.sourceVersion ?? 1, revision.sourceVersion ?? 1);
        p.approvedSourceVersion = against;
        revision.approvedAgainst = against;
        if (event.revision === p.revisions.length) p.sourceVersion = Math.max(p.sourceVersion ?? 1, against);
      } else {
        p.rejection = { comment: event.comment ?? "", author: event.author, createdAt: event.createdAt };
      }
      break;
    }
    case "waiver":
      p.waivers = p.waivers.filter(
        (w) => !(w.termId === event.termId && w.key === event.key && w.code === event.code),
      );
      if (event.lifted) break;
      p.waivers.push({
        termId: event.termId,
        ...(event.key ? { key: event.key } : {}),
        code: event.code,
        reason: event.reason,
        author: event.author,
        createdAt: event.createdAt,
        revision: event.revision,
      });
      break;
  }
}

export function buildState(events: Iterable<TranslationEvent>): TranslationState {
  const state = emptyState();
  for (const event of events) applyEvent(state, event);
  return state;
}

export function latestRevision(p: ParagraphTranslation | undefined): Revision | undefined {
  return p?.revisions.at(-1);
}

/** The paragraph's status; given the paragraph, `outdated` when its source changed since the translation. */
export function statusOf(p: ParagraphTranslation | undefined, paragraph?: SourceStamp): ParagraphStatus {
  if (paragraph && isOutdated(p, paragraph)) return "outdated";
  return latestRevision(p)?.status ?? "untranslated";
}

/** The text to show and export: null when never translated or cleared. */
export function currentText(p: ParagraphTranslation | undefined): string | null {
  const latest = latestRevision(p);
  return latest && latest.status !== "untranslated" ? latest.text : null;
}

/**
 * The latest approved revision's text, for exports of approved work; given the paragraph, null when
 * its source changed since that approval.
 */
export function approvedText(p: ParagraphTranslation | undefined, paragraph?: SourceStamp): string | null {
  if (!p?.lastApproved) return null;
  if (paragraph && (p.approvedSourceVersion ?? 1) < (paragraph.changedIn ?? 1)) return null;
  return p.revisions[p.lastApproved - 1]?.text ?? null;
}

/** Longest translation accepted, in characters (configurable by the server). */
export const DEFAULT_MAX_TEXT_LENGTH = 20_000;

/**
 * Checks and normalises a translation text: NFC, `\r\n` to `\n`, none of the characters no stored
 * text may hold (controls other than tab and newline, lone surrogates, U+FFFE/U+FFFF).
 */
export function cleanText(text: string, maxLength = DEFAULT_MAX_TEXT_LENGTH): string {
  const normalized = text.replace(/\r\n?/g, "\n").normalize("NFC");
  if (!normalized.trim())
    throw new ValidationError(
      "The translation is empty. To clear a translation, use Clear.",
      { text: "empty" },
      "empty_text",
    );
  if (normalized.length > maxLength)
    throw new ValidationError(
      `The translation is longer than ${maxLength} characters.`,
      { text: "too long" },
      "text_too_long",
    );
  if (hasForbiddenCharacters(normalized))
    throw new ValidationError(
      "The translation contains control characters.",
      { text: "control characters" },
      "control_characters",
    );
  return normalized;
}

export interface SaveInput {
  pid: string;
  text: string;
  baseRevision: number;
  status: SaveStatus;
  author: string;
  now: string;
  /** Absent or `human`: typed. */
  origin?: RevisionOrigin;
  /** The document's current source version; absent: 1. */
  sourceVersion?: number;
  /** The paragraph's last outdating change: a save of an outdated translation always makes a revision. */
  paragraph?: SourceStamp & { source?: string };
  /** The machine or memory suggestion the text was made from (with origin `mt` or `memory`). */
  suggestion?: string;
  /** The source version the writer saw; absent: not checked (an older client). */
  seenSourceVersion?: number;
}

/**
 * A writer who saw the paragraph's source before its last outdating change is told so, not silently
 * taken to confirm a translation against a source they never read (a page opened before an update).
 */
export function checkSourceSeen(
  seen: number | undefined,
  paragraph: (SourceStamp & { source?: string }) | undefined,
  current: number,
): void {
  const changedIn = paragraph?.changedIn ?? 1;
  if (seen === undefined || seen >= changedIn) return;
  throw new ConflictError(
    "The source of this paragraph changed after you opened it.",
    { sourceVersion: "stale" },
    "source_changed",
  ).withCurrent({
    sourceVersion: current,
    changedIn,
    ...(paragraph?.source !== undefined ? { source: paragraph.source } : {}),
  });
}

/**
 * The edit from the suggestion saved with the text, or else from the machine or memory text it replaced.
 * None when not one word of it was kept: that text was typed afresh, and is the translator's own.
 */
function originEditOf(latest: Revision | undefined, input: SaveInput): OriginEdit | undefined {
  let from: { origin: "mt" | "memory"; text: string } | undefined;
  if (input.suggestion !== undefined && (input.origin === "mt" || input.origin === "memory"))
    from = { origin: input.origin, text: input.suggestion };
  else if ((!input.origin || input.origin === "human") && latest?.status !== "untranslated") {
    if (latest?.origin === "mt" || latest?.origin === "memory")
      from = { origin: latest.origin, text: latest.text };
  }
  if (!from) return undefined;
  const edit = suggestionEdit(from.text, input.text);
  return edit.kept === 0 ? undefined : { from: from.origin, words: edit.words };
}

/** The latest revision, as a 409 reports it. */
export function conflictWith(p: ParagraphTranslation | undefined): ConflictError {
  const latest = latestRevision(p);
  return new ConflictError(
    "Someone saved this paragraph after you started editing it.",
    undefined,
    "revision_conflict",
  ).withCurrent(
    latest
      ? {
          revision: latest.revision,
          text: latest.text,
          author: latest.author,
          createdAt: latest.createdAt,
          status: latest.status,
        }
      : { revision: 0, text: "", author: "", createdAt: "", status: "untranslated" },
  );
}

/**
 * Saves a translation on top of `baseRevision`. A stale base is a conflict and saves nothing.
 * Saving the latest text again creates no revision, unless it turns a draft into a translation.
 */
export function saveRevision(p: ParagraphTranslation | undefined, input: SaveInput): RevisionEvent | null {
  const latest = latestRevision(p);
  const latestNumber = latest?.revision ?? 0;
  if (input.baseRevision !== latestNumber) throw conflictWith(p);
  checkSourceSeen(input.seenSourceVersion, input.paragraph, input.sourceVersion ?? 1);
  if (latest && latest.status !== "untranslated" && latest.text === input.text) {
    const promotesDraft = latest.status === "draft" && input.status === "translated";
    // Saving an outdated translation as it is confirms it against the new source.
    if (!promotesDraft && !isOutdated(p, input.paragraph)) return null;
  }
  const edit = originEditOf(latest, input);
  // A suggestion replaced word for word before the save leaves a text the translator typed.
  const typedOver = input.suggestion !== undefined && edit === undefined;
  return {
    type: "revision",
    pid: input.pid,
    revision: latestNumber + 1,
    text: input.text,
    status: input.status,
    author: input.author,
    createdAt: input.now,
    ...(input.origin && input.origin !== "human" && !typedOver ? { origin: input.origin } : {}),
    ...(input.sourceVersion !== undefined && input.sourceVersion !== 1
      ? { sourceVersion: input.sourceVersion }
      : {}),
    ...withOriginEdit(edit),
  };
}

const withOriginEdit = (edit: OriginEdit | undefined) => (edit ? { originEdit: edit } : {});

/**
 * The source version a revision was made against, to stamp on a revision derived from it (a revert,
 * a find-and-replace edit): the new text is no more and no less up to date than the one it came from.
 */
export function sourceVersionOf(revision: Pick<Revision, "sourceVersion"> | undefined): {
  sourceVersion?: number;
} {
  const version = revision?.sourceVersion;
  return version !== undefined && version !== 1 ? { sourceVersion: version } : {};
}

/** Clears a translation, explicitly, as a revision of its own. */
export function clearRevision(
  p: ParagraphTranslation | undefined,
  input: { pid: string; baseRevision: number; author: string; now: string },
): RevisionEvent | null {
  const latest = latestRevision(p);
  if (input.baseRevision !== (latest?.revision ?? 0)) throw conflictWith(p);
  if (!latest || latest.status === "untranslated") return null;
  return {
    type: "revision",
    pid: input.pid,
    revision: latest.revision + 1,
    text: "",
    status: "untranslated",
    author: input.author,
    createdAt: input.now,
  };
}

/**
 * Approves or rejects exactly the revision the reviewer looked at, which must be the latest; null when
 * that revision has this decision already (for an approval, against the same source version).
 */
export function reviewRevision(
  p: ParagraphTranslation | undefined,
  input: {
    pid: string;
    revision: number;
    action: "approve" | "reject";
    comment?: string;
    author: string;
    now: string;
    /** The document's current source version; absent: 1. */
    sourceVersion?: number;
    /** The paragraph's last outdating change, and the source version the reviewer saw (absent: unchecked). */
    paragraph?: SourceStamp & { source?: string };
    seenSourceVersion?: number;
  },
): ReviewEvent | null {
  const latest = latestRevision(p);
  if (!latest)
    throw new ValidationError(
      "There is no translation to review.",
      { revision: "none" },
      "nothing_to_review",
    );
  if (input.revision > latest.revision || input.revision < 1)
    throw new NotFoundError("Revision", "revision_not_found");
  if (input.revision !== latest.revision) throw conflictWith(p);
  checkSourceSeen(input.seenSourceVersion, input.paragraph, input.sourceVersion ?? 1);
  if (latest.status === "untranslated")
    throw new ValidationError(
      "A cleared translation cannot be reviewed.",
      { revision: "cleared" },
      "nothing_to_review",
    );
  // The revision has this decision already (a double-click on Approve): nothing changes, nothing is written.
  if (
    latest.status === (input.action === "approve" ? "approved" : "rejected") &&
    (input.action === "reject" ||
      Math.max(input.sourceVersion ?? 1, latest.sourceVersion ?? 1) <= (latest.approvedAgainst ?? 1))
  )
    return null;
  return {
    type: "review",
    pid: input.pid,
    revision: input.revision,
    action: input.action,
    ...(input.comment ? { comment: input.comment } : {}),
    author: input.author,
    createdAt: input.now,
    ...(input.sourceVersion !== undefined && input.sourceVersion !== 1
      ? { sourceVersion: input.sourceVersion }
      : {}),
  };
}

/** What of a review decides whether the next one repeats it. */
export type ReviewMark = Pick<ReviewEvent, "revision" | "action" | "sourceVersion">;

/**
 * True when `next` decides again what `last`, the paragraph's latest review, decided: the same
 * revision and action, and for an approval no later source version. The store refuses to append such
 * a review (two approvals racing) and statistics do not count one that was written before it did.
 */
export function repeatsReview(last: ReviewMark | undefined, next: ReviewMark): boolean {
  return (
    last !== undefined &&
    last.revision === next.revision &&
    last.action === next.action &&
    (next.action === "reject" || (next.sourceVersion ?? 1) <= (last.sourceVersion ?? 1))
  );
}

/** Restores an old revision's text as a new revision; history is never rewritten. */
export function revertRevision(
  p: ParagraphTranslation | undefined,
  input: { pid: string; revision: number; author: string; now: string },
): RevisionEvent {
  const target = p?.revisions[input.revision - 1];
  const latest = latestRevision(p);
  if (!target || !latest) throw new NotFoundError("Revision", "revision_not_found");
  return {
    type: "revision",
    pid: input.pid,
    revision: latest.revision + 1,
    text: target.text,
    status: target.text ? "translated" : "untranslated",
    author: input.author,
    createdAt: input.now,
    revertOf: target.revision,
    // The restored text was made against the source its revision was: a revert does not confirm it.
    ...sourceVersionOf(target),
  };
}
