/**
 * A find-and-replace batch planned from one document's translation state: the revisions to write
 * for the chosen occurrences, or to undo a batch, and the paragraphs left alone with the reason.
 * Pure: the state in, the events out; the server writes them with one audit entry.
 */

import { ValidationError } from "./errors.ts";
import type { Finder } from "./replace.ts";
import { replaceOccurrences } from "./replace.ts";
import {
  cleanText,
  currentText,
  latestRevision,
  type ReviewEvent,
  type RevisionEvent,
  revertRevision,
  sourceVersionOf,
  statusOf,
  type TranslationState,
} from "./translation.ts";

/** One paragraph's revision written by a batch. */
export interface BatchRevision {
  documentId: string;
  lang: string;
  pid: string;
  /** The revision the batch wrote. */
  revision: number;
  /** The revision it was written on (the one the preview showed, or for an undo the batch's). */
  baseRevision: number;
}

/**
 * A paragraph left alone: saved since the preview (`changed`), an id that names nothing (`missing`;
 * `pid` empty when the document itself is unknown or out of scope), a revision another batch wrote
 * (`not_in_batch`), or a text the replacement would leave empty or too long (`invalid`).
 */
export interface Skipped {
  documentId: string;
  pid: string;
  /** The revision the request named. */
  revision: number;
  /** The paragraph's latest revision now. */
  latest: number;
  reason: "changed" | "missing" | "not_in_batch" | "invalid";
}

/** What a batch does to one document's translation. */
export interface BatchPlan {
  events: RevisionEvent[];
  /** Reviews an undo puts back on the revisions it writes (after them, in the same write). */
  reviews: ReviewEvent[];
  revisions: BatchRevision[];
  skipped: Skipped[];
}

/** The occurrences chosen in one paragraph: the revision they were found in and where they start. */
export interface ChosenInParagraph {
  revision: number;
  starts: Set<number>;
}

/** What every revision of a batch shares. */
export interface BatchContext {
  documentId: string;
  lang: string;
  batch: string;
  author: string;
  now: string;
}

/**
 * One revision per paragraph with chosen occurrences, on the revision they were found in, the
 * draft status kept. A paragraph saved since is `changed`; one whose occurrences are no longer
 * there (or not in the document) `missing`; one the replacement would empty or lengthen past
 * `maxTextLength`, `invalid`. In a Markdown document an occurrence outside its prose (a link's
 * destination, a code span, an HTML tag) is never found, so an id naming one is `missing`.
 */
export function planReplace(
  state: TranslationState,
  context: BatchContext & {
    paragraphs: ReadonlySet<string>;
    finder: Finder;
    maxTextLength: number;
    /** The document is Markdown: only occurrences in its prose are found again (as the preview offered). */
    markdown?: boolean;
  },
  chosen: ReadonlyMap<string, ChosenInParagraph>,
): BatchPlan {
  const { documentId, lang } = context;
  const plan: BatchPlan = { events: [], reviews: [], revisions: [], skipped: [] };
  for (const [pid, { revision, starts }] of chosen) {
    const p = state.get(pid);
    const latest = latestRevision(p)?.revision ?? 0;
    const text = currentText(p);
    const skip = (reason: Skipped["reason"]) =>
      plan.skipped.push({ documentId, pid, revision, latest, reason });
    if (!context.paragraphs.has(pid)) {
      skip("missing");
      continue;
    }
    if (latest !== revision || !text) {
      skip("changed");
      continue;
    }
    const found = context.finder
      .find({ documentId, pid, revision, text, markdown: context.markdown === true })
      .filter((o) => starts.has(o.start));
    if (found.length !== starts.size) {
      skip("missing");
      continue;
    }
    let replaced: string;
    try {
      replaced = cleanText(replaceOccurrences(text, found), context.maxTextLength);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      skip("invalid");
      continue;
    }
    plan.events.push({
      type: "revision",
      pid,
      revision: latest + 1,
      text: replaced,
      status: statusOf(p) === "draft" ? "draft" : "translated",
      author: context.author,
      createdAt: context.now,
      batch: context.batch,
      // A word replaced is not a translation confirmed against a newer source: it stays as current as it was.
      ...sourceVersionOf(latestRevision(p)),
    });
    plan.revisions.push({ documentId, lang, pid, revision: latest + 1, baseRevision: latest });
  }
  return plan;
}

/**
 * Reverts each named revision to the text before it, where the batch `undoes` wrote it and it is
 * still the paragraph's latest; the rest are `not_in_batch` or `changed`.
 */
export function planUndo(
  state: TranslationState,
  context: BatchContext & { undoes: string },
  named: readonly { pid: string; revision: number }[],
): BatchPlan {
  const { documentId, lang } = context;
  const plan: BatchPlan = { events: [], reviews: [], revisions: [], skipped: [] };
  for (const { pid, revision } of named) {
    const p = state.get(pid);
    const latest = latestRevision(p)?.revision ?? 0;
    const skip = (reason: Skipped["reason"]) =>
      plan.skipped.push({ documentId, pid, revision, latest, reason });
    if (p?.revisions[revision - 1]?.batch !== context.undoes) {
      skip("not_in_batch");
      continue;
    }
    if (latest !== revision) {
      skip("changed");
      continue;
    }
    const event = revertRevision(p, {
      pid,
      revision: revision - 1,
      author: context.author,
      now: context.now,
    });
    // A draft comes back a draft (revertRevision offers the text for review, as a revert by hand does).
    const before = p.revisions[revision - 2];
    plan.events.push({
      ...event,
      ...(before?.status === "draft" ? { status: "draft" as const } : {}),
      batch: context.batch,
    });
    // The text the batch replaced comes back as it was reviewed: approved (by its reviewer, against
    // the source that approval saw) or rejected with the reviewer's comment, so an undo loses no review.
    if (before?.reviewer && (before.status === "approved" || before.status === "rejected"))
      plan.reviews.push({
        type: "review",
        pid,
        revision: event.revision,
        action: before.status === "approved" ? "approve" : "reject",
        ...(before.comment ? { comment: before.comment } : {}),
        author: before.reviewer,
        createdAt: context.now,
        ...(before.approvedAgainst !== undefined ? { sourceVersion: before.approvedAgainst } : {}),
        restoredBy: context.author,
      });
    plan.revisions.push({ documentId, lang, pid, revision: event.revision, baseRevision: revision });
  }
  return plan;
}

/** Chosen occurrence ids (`documentId/pid/revision/start`) by document, then paragraph. */
export function groupChosen(ids: readonly string[]): Map<string, Map<string, ChosenInParagraph>> {
  const grouped = new Map<string, Map<string, ChosenInParagraph>>();
  for (const id of ids) {
    const parts = id.split("/");
    const [documentId, pid, revision, start] = parts;
    if (
      parts.length !== 4 ||
      !documentId ||
      !pid ||
      !/^\d{1,9}$/.test(revision ?? "") ||
      !/^\d{1,9}$/.test(start ?? "")
    )
      throw new ValidationError(
        `"${id.slice(0, 80)}" is not an occurrence id.`,
        { occurrences: "invalid id" },
        "invalid_occurrence",
      );
    const paragraphs = grouped.get(documentId) ?? new Map<string, ChosenInParagraph>();
    grouped.set(documentId, paragraphs);
    const entry = paragraphs.get(pid) ?? { revision: Number(revision), starts: new Set<number>() };
    if (entry.revision !== Number(revision))
      throw new ValidationError(
        "Occurrences of one paragraph come from one preview: they name the same revision.",
        { occurrences: "mixed revisions" },
        "invalid_occurrence",
      );
    entry.starts.add(Number(start));
    paragraphs.set(pid, entry);
  }
  return grouped;
}
