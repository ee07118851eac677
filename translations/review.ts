/** What a reviewer looks at: which paragraphs changed since their last approval, and against what. */

import { hasForbiddenCharacters } from "../glossary/text.ts";
import { type AnyFinding, waives } from "../quality/run.ts";
import { ConflictError, NotFoundError, ValidationError } from "./errors.ts";
import type { ParagraphTranslation, Revision, SourceStamp, WaiverEvent } from "./translation.ts";
import { currentText, isOutdated, latestRevision, unstorableError } from "./translation.ts";

/**
 * True when the latest revision was marked translated after the last approval (or none), or, given
 * the paragraph, when its source changed since the translation (outdated). A draft (a translator's
 * work in progress, a pre-translation or a filled memory match) waits for its translator, not for a
 * reviewer: it is not in the review queue nor counted there, though an editor may still approve one.
 */
export function needsReview(p: ParagraphTranslation | undefined, paragraph?: SourceStamp): boolean {
  const latest = latestRevision(p);
  // A draft is the translator's still; a rejected text waits for the translator's next revision,
  // even when the source changed since (the reviewer judged it already).
  if (!latest || latest.status === "draft" || latest.status === "rejected") return false;
  if (paragraph && isOutdated(p, paragraph)) return true;
  if (latest.status !== "translated") return false;
  return latest.revision !== p?.lastApproved;
}

/** The last approved revision: what the reviewer compares the latest one with. */
export function lastApprovedRevision(p: ParagraphTranslation | undefined): Revision | undefined {
  return p?.lastApproved ? p.revisions[p.lastApproved - 1] : undefined;
}

/** Names the finding a waiver is about, in the paragraph: its term, or another check's key. */
interface WaiverInput {
  pid: string;
  termId: string;
  key?: string;
  code: string;
  author: string;
  now: string;
}

function waiverEvent(p: ParagraphTranslation | undefined, input: WaiverInput, reason: string): WaiverEvent {
  return {
    type: "waiver",
    pid: input.pid,
    revision: latestRevision(p)?.revision ?? 0,
    termId: input.termId,
    ...(input.key ? { key: input.key } : {}),
    code: input.code,
    reason,
    author: input.author,
    createdAt: input.now,
  };
}

/**
 * Waives one finding of the paragraph's current text, with the translator's reason. `check` gives the
 * findings of a text: a waiver names one of them, never a finding the text does not have (an
 * untranslated paragraph has none), so no waiver waits to hide a violation that comes later.
 */
export function waiveFinding(
  p: ParagraphTranslation | undefined,
  input: WaiverInput & { reason: string },
  check: (text: string) => readonly AnyFinding[],
): WaiverEvent {
  const reason = input.reason.normalize("NFC").trim();
  if (!reason)
    throw new ValidationError("Give a reason for the waiver.", { reason: "empty" }, "empty_reason");
  if (reason.length > 1000)
    throw new ValidationError(
      "A reason is at most 1000 characters.",
      { reason: "too long" },
      "reason_too_long",
    );
  // As every stored text (PostgreSQL refuses some of these outright): the field is named.
  if (hasForbiddenCharacters(reason)) throw unstorableError("reason");
  const text = currentText(p);
  const named = { termId: input.termId, code: input.code, ...(input.key ? { key: input.key } : {}) };
  if (!text || !check(text).some((finding) => waives(named, finding)))
    throw new ConflictError(
      "The saved translation has no such finding: save the text first, or read it again if it was fixed since.",
      { finding: "not found" },
      "finding_not_found",
    );
  return waiverEvent(p, input, reason);
}

/** Takes back a waiver of the paragraph (an undo): the finding is open again; history keeps both. */
export function liftWaiver(p: ParagraphTranslation | undefined, input: WaiverInput): WaiverEvent {
  const waiver = p?.waivers.find(
    (w) => w.termId === input.termId && w.key === input.key && w.code === input.code,
  );
  if (!waiver) throw new NotFoundError("Waiver", "waiver_not_found");
  return { ...waiverEvent(p, input, ""), lifted: true };
}
