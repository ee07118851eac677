/**
 * What became of find-and-replace batches, read from one translation's histories: who wrote each
 * and when, how many paragraphs it changed, which of them an undo would still revert (the batch's
 * revision is still the latest), which were saved since, and whether it was undone or is itself
 * an undo. Pure: revisions carry their batch id, and an undo's revisions revert a batch's.
 */

import type { TranslationState } from "./translation.ts";

/** A paragraph a batch wrote, at the revision it wrote. */
export interface BatchParagraph {
  documentId: string;
  pid: string;
  revision: number;
}

export interface BatchSummary {
  batch: string;
  author: string;
  /** When it was written (its first revision's time). */
  at: string;
  /** Documents it wrote in, in the order first met. */
  documents: string[];
  /** Every paragraph it wrote. */
  paragraphs: BatchParagraph[];
  /** Paragraphs still as it left them: what an undo reverts. */
  undoable: BatchParagraph[];
  /** Paragraphs saved since by anything but its undo: an undo leaves them. */
  changed: BatchParagraph[];
  /** The batches that undid some of its paragraphs. */
  undoneBy: string[];
  /** The batch this one undoes, when it is an undo. */
  undoes?: string;
}

/** Adds the batches written in one document's translation to `into` (by batch id). */
export function summarizeBatches(
  documentId: string,
  state: TranslationState,
  into: Map<string, BatchSummary> = new Map(),
): Map<string, BatchSummary> {
  for (const [pid, p] of state) {
    const latest = p.revisions.at(-1)?.revision ?? 0;
    for (const r of p.revisions) {
      if (!r.batch) continue;
      const summary = summaryOf(into, r.batch, r.author, r.createdAt);
      if (!summary.documents.includes(documentId)) summary.documents.push(documentId);
      const written = { documentId, pid, revision: r.revision };
      summary.paragraphs.push(written);
      // An undo restores the text before the batch's revision, right after it.
      const next = p.revisions[r.revision];
      const undo = next?.batch && next.revertOf === r.revision - 1 ? next.batch : undefined;
      if (undo) {
        if (!summary.undoneBy.includes(undo)) summary.undoneBy.push(undo);
        summaryOf(into, undo, next?.author ?? "", next?.createdAt ?? r.createdAt).undoes = r.batch;
      } else if (r.revision === latest) summary.undoable.push(written);
      else summary.changed.push(written);
    }
  }
  return into;
}

/** The batches newest first. */
export function newestBatches(summaries: Map<string, BatchSummary>): BatchSummary[] {
  return [...summaries.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

function summaryOf(into: Map<string, BatchSummary>, batch: string, author: string, at: string): BatchSummary {
  let summary = into.get(batch);
  if (!summary) {
    summary = { batch, author, at, documents: [], paragraphs: [], undoable: [], changed: [], undoneBy: [] };
    into.set(batch, summary);
  } else if (at < summary.at) summary.at = at;
  return summary;
}
