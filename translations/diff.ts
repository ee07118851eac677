/**
 * Word-level diffs between two texts (jsdiff's diffWordsWithSpace), bounded so that very long or
 * completely different texts answer at once with a "too different" result instead of blocking.
 * Scripts written without spaces (Chinese, Japanese, Thai...) are diffed by character.
 */

import { diffChars, diffWordsWithSpace } from "diff";

export type DiffOp = "equal" | "insert" | "delete";

export interface Change {
  op: DiffOp;
  text: string;
}

export interface Diff {
  changes: Change[];
  /** True when the bound was hit: `changes` is then the whole of `from` deleted and `to` inserted. */
  tooDifferent: boolean;
}

/** Edit-script bound: beyond it the texts are shown side by side rather than diffed. */
export const MAX_EDIT_LENGTH = 2_000;
export const DIFF_TIMEOUT_MS = 200;

const SPACELESS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

export function diffTexts(from: string, to: string): Diff {
  if (from === to) return { changes: from ? [{ op: "equal", text: from }] : [], tooDifferent: false };
  const options = { maxEditLength: MAX_EDIT_LENGTH, timeout: DIFF_TIMEOUT_MS };
  const raw =
    SPACELESS.test(from) || SPACELESS.test(to)
      ? diffChars(from, to, options)
      : diffWordsWithSpace(from, to, options);
  if (!raw) {
    const changes: Change[] = [];
    if (from) changes.push({ op: "delete", text: from });
    if (to) changes.push({ op: "insert", text: to });
    return { changes, tooDifferent: true };
  }
  const changes: Change[] = [];
  for (const part of raw) {
    const op: DiffOp = part.added ? "insert" : part.removed ? "delete" : "equal";
    const last = changes.at(-1);
    if (last && last.op === op) last.text += part.value;
    else if (part.value) changes.push({ op, text: part.value });
  }
  return { changes, tooDifferent: false };
}

/** The text a diff was computed from (equal + delete) or to (equal + insert). */
export function side(changes: Change[], which: "from" | "to"): string {
  const skip: DiffOp = which === "from" ? "insert" : "delete";
  return changes
    .filter((c) => c.op !== skip)
    .map((c) => c.text)
    .join("");
}

const WHITESPACE_OR_PUNCTUATION = /^[\s\p{P}]*$/u;

/** Whether a diff changes only whitespace and punctuation (for the "ignore" toggle). */
export function isTrivialChange(change: Change): boolean {
  return change.op !== "equal" && WHITESPACE_OR_PUNCTUATION.test(change.text);
}
