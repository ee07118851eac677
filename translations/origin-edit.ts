/**
 * How much a machine or memory suggestion was edited before it was saved: the word edit distance
 * (words inserted, deleted or replaced) from the suggestion to the saved text, from the word diff.
 */

import { diffTexts } from "./diff.ts";

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function wordEditDistance(from: string, to: string): number {
  return suggestionEdit(from, to).words;
}

/** The word edit distance from a suggestion to the saved text, and how many of its words were kept. */
export function suggestionEdit(from: string, to: string): { words: number; kept: number } {
  const diff = diffTexts(from, to);
  if (diff.tooDifferent) return { words: Math.max(words(from), words(to)), kept: 0 };
  let kept = 0;
  let distance = 0;
  let deleted = 0;
  let inserted = 0;
  // A run of deletions beside a run of insertions is that many replacements, not both.
  const settle = () => {
    distance += Math.max(deleted, inserted);
    deleted = 0;
    inserted = 0;
  };
  for (const change of diff.changes) {
    if (change.op === "equal") {
      const n = words(change.text);
      kept += n;
      if (n > 0) settle();
    } else if (change.op === "delete") deleted += words(change.text);
    else inserted += words(change.text);
  }
  settle();
  return { words: distance, kept };
}
