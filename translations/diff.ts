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

/** A diff; shared between callers, so never to be changed. */
export interface Diff {
  readonly changes: readonly Change[];
  /** True when the bound was hit: `changes` is then the whole of `from` deleted and `to` inserted. */
  tooDifferent: boolean;
}

/** Edit-script bound: beyond it the texts are shown side by side rather than diffed. */
export const MAX_EDIT_LENGTH = 2_000;
export const DIFF_TIMEOUT_MS = 100;

const SPACELESS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// Review pages diff the same pairs of revisions again and again: results are remembered (bounded).
const remembered = new Map<string, Diff>();
const REMEMBER = 5_000;

export function diffTexts(from: string, to: string): Diff {
  const key = `${from}\u0000${to}`;
  const known = remembered.get(key);
  if (known) return known;
  const diff = computeDiff(from, to);
  if (remembered.size >= REMEMBER) remembered.clear();
  remembered.set(key, diff);
  return diff;
}

function computeDiff(from: string, to: string): Diff {
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
  const parts: Change[] = raw.map((part) => ({
    op: part.added ? "insert" : part.removed ? "delete" : "equal",
    text: part.value,
  }));
  return { changes: readable(parts), tooDifferent: false };
}

const BLANK = /^\s+$/u;

/**
 * Makes a minimal diff readable: a run of changes interrupted only by spaces becomes one deletion
 * and one insertion ("sierra mecánica" → "motosierra", not "sierra"→"motosierra", " ", "mecánica"),
 * with the spaces on both sides, so that both texts still rebuild exactly.
 */
function readable(parts: Change[]): Change[] {
  const out: Change[] = [];
  let i = 0;
  while (i < parts.length) {
    const part = parts[i] as Change;
    if (part.op === "equal") {
      if (part.text) out.push({ ...part });
      i++;
      continue;
    }
    let deleted = "";
    let inserted = "";
    let j = i;
    for (; j < parts.length; j++) {
      const p = parts[j] as Change;
      if (p.op === "delete") deleted += p.text;
      else if (p.op === "insert") inserted += p.text;
      else if (BLANK.test(p.text) && parts[j + 1] && parts[j + 1]?.op !== "equal") {
        deleted += p.text;
        inserted += p.text;
      } else break;
    }
    if (deleted) out.push({ op: "delete", text: deleted });
    if (inserted) out.push({ op: "insert", text: inserted });
    i = j;
  }
  // Neighbouring equal parts (from empty runs) are merged.
  return out.reduce<Change[]>((acc, c) => {
    const last = acc.at(-1);
    if (last && last.op === c.op) last.text += c.text;
    else acc.push(c);
    return acc;
  }, []);
}

/** The text a diff was computed from (equal + delete) or to (equal + insert). */
export function side(changes: readonly Change[], which: "from" | "to"): string {
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
