/** What a reviewer looks at: which paragraphs changed since their last approval, and against what. */

import { ValidationError } from "./errors.ts";
import type { ParagraphTranslation, Revision, SourceStamp, WaiverEvent } from "./translation.ts";
import { isOutdated, latestRevision } from "./translation.ts";

/**
 * True when the latest revision has text and was saved after the last approval (or none), or,
 * given the paragraph, when its source changed since the translation (outdated).
 */
export function needsReview(p: ParagraphTranslation | undefined, paragraph?: SourceStamp): boolean {
  const latest = latestRevision(p);
  if (!latest) return false;
  if (paragraph && isOutdated(p, paragraph)) return true;
  if (latest.status !== "translated" && latest.status !== "draft") return false;
  return latest.revision !== p?.lastApproved;
}

/** The last approved revision: what the reviewer compares the latest one with. */
export function lastApprovedRevision(p: ParagraphTranslation | undefined): Revision | undefined {
  return p?.lastApproved ? p.revisions[p.lastApproved - 1] : undefined;
}

/** Waives one finding for one paragraph, with the translator's reason. */
export function waiveFinding(
  p: ParagraphTranslation | undefined,
  input: { pid: string; termId: string; code: string; reason: string; author: string; now: string },
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
  return {
    type: "waiver",
    pid: input.pid,
    revision: latestRevision(p)?.revision ?? 0,
    termId: input.termId,
    code: input.code,
    reason,
    author: input.author,
    createdAt: input.now,
  };
}
