/**
 * The fuzzy match score between two sources, on words rather than characters: a weighted edit
 * distance over the words of each, where an inflection ("Kirchnerists" / "Kirchnerist") or a number
 * of another value costs a tenth of a word, and adding or dropping a negation or a number costs three
 * words. 100 only for the same text; anything else at most 99.
 *
 * What the index relies on (memory/index.ts): every step between words of different keys costs at
 * least 1, so a pair sharing `k` keys (as multisets) has a cost of at least max(m, n) - k.
 */

/**
 * A text's words as numbers (memory/coder.ts): `keys[i]` the index key (NUMBER_ID for any number),
 * `forms[i]` the folded, unstemmed word, `heavy[i]` 1 for a negation or a number. Equal numbers, equal words.
 */
export interface Sequence {
  readonly keys: ArrayLike<number>;
  readonly forms: ArrayLike<number>;
  readonly heavy: ArrayLike<number>;
}

/** The key of every number. */
export const NUMBER_ID = 0;

/** Paragraphs longer than this (in words) are matched only when identical: the alignment is quadratic. */
export const MAX_WORDS = 500;
/** Cost of the same word inflected otherwise, or a number of another value. */
export const INFLECTION = 0.1;
/** Cost of adding or dropping a negation or a number. */
export const HEAVY = 3;

/** A number of the memory's source that stands where this source has another value. */
export interface NumberChange {
  from: string;
  to: string;
}

import { outsidePlaceholders } from "./placeholders.ts";

const indel = (w: Sequence, i: number) => (w.heavy[i] ? HEAVY : 1);

function substitution(a: Sequence, i: number, b: Sequence, j: number): number {
  if (a.keys[i] === b.keys[j]) return a.forms[i] === b.forms[j] ? 0 : INFLECTION;
  return Math.max(indel(a, i), indel(b, j));
}

const DIAGONAL = 0;
const UP = 1;
const LEFT = 2;

// Two rows of the alignment and the candidate's word costs, reused by every call (one lookup scores many).
let previous = new Float64Array(64);
let current = new Float64Array(64);
let costs = new Float64Array(64);

/**
 * Scores `candidate` (a memory unit's source) against `query` (the paragraph's source), 0–100.
 * `identical` says whether the two texts are the same (the caller compares them once). With `min`,
 * an alignment that cannot reach it is abandoned as soon as that is certain and scores under `min`.
 *
 * Only a band around the diagonal is computed (Ukkonen): every step off the diagonal costs at least
 * 1, so a path through a cell i query words and j candidate words in costs at least |i − j| to reach
 * it and |(m − i) − (n − j)| to finish, and cells where that alone exceeds the cost `min` allows
 * cannot be on a path that reaches `min`.
 */
export function scoreWords(query: Sequence, candidate: Sequence, identical: boolean, min = 0): number {
  if (identical) return 100;
  const m = query.keys.length;
  const n = candidate.keys.length;
  if (m === 0 || n === 0 || m > MAX_WORDS || n > MAX_WORDS) return 0;
  const longer = Math.max(m, n);
  // Every path crosses every row: once a whole row costs more than this, the score is under `min`.
  const maxCost = longer * (1 - min / 100) + 1e-6;
  const skew = n - m;
  // Without a floor every cell counts (heavy words can cost more than `longer`).
  const slack = min > 0 ? Math.floor((maxCost - Math.abs(skew)) / 2) : m + n;
  if (slack < 0) return 0;
  // Row i holds the cells j with lo ≤ j − i ≤ hi.
  const lo = Math.min(0, skew) - slack;
  const hi = Math.max(0, skew) + slack;
  if (previous.length <= n + 1) {
    previous = new Float64Array(2 * (n + 2));
    current = new Float64Array(2 * (n + 2));
    costs = new Float64Array(2 * (n + 2));
  }
  const qKeys = query.keys;
  const qForms = query.forms;
  const cKeys = candidate.keys;
  const cForms = candidate.forms;
  const cCost = costs;
  let prev = previous;
  let cur = current;
  prev[0] = 0;
  for (let j = 0; j < n; j++) {
    const c = candidate.heavy[j] ? HEAVY : 1;
    cCost[j] = c;
    prev[j + 1] = (prev[j] as number) + c;
  }
  if (hi + 1 <= n) prev[hi + 1] = Number.POSITIVE_INFINITY;
  for (let i = 1; i <= m; i++) {
    const up = query.heavy[i - 1] ? HEAVY : 1;
    const key = qKeys[i - 1];
    const form = qForms[i - 1];
    const first = Math.max(0, i + lo);
    const last = Math.min(n, i + hi);
    let left = Number.POSITIVE_INFINITY;
    let start = first;
    if (first === 0) {
      left = (prev[0] as number) + up;
      cur[0] = left;
      start = 1;
    }
    let rowMin = left;
    for (let j = start; j <= last; j++) {
      const c = cCost[j - 1] as number;
      const sub = cKeys[j - 1] === key ? (cForms[j - 1] === form ? 0 : INFLECTION) : Math.max(up, c);
      let best = (prev[j - 1] as number) + sub;
      const fromUp = (prev[j] as number) + up;
      if (fromUp < best) best = fromUp;
      const fromLeft = left + c;
      if (fromLeft < best) best = fromLeft;
      cur[j] = best;
      left = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > maxCost) return -1;
    // The next row reads the cell after this row's band from above: outside the band, unreachable.
    if (last + 1 <= n) cur[last + 1] = Number.POSITIVE_INFINITY;
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  const total = prev[n] as number;
  return Math.max(0, Math.min(99, Math.floor(100 * (1 - total / longer) + 1e-9)));
}

/**
 * Word positions (query, candidate) of the numbers that the best alignment pairs while their values
 * differ: what the suggestion substitutes. Run only for the few matches shown.
 */
export function alignNumbers(query: Sequence, candidate: Sequence): [number, number][] {
  const m = query.keys.length;
  const n = candidate.keys.length;
  const hasNumber = (w: Sequence) => Array.prototype.some.call(w.keys, (k: number) => k === NUMBER_ID);
  if (m === 0 || n === 0 || m > MAX_WORDS || n > MAX_WORDS || !hasNumber(query) || !hasNumber(candidate))
    return [];
  const width = n + 1;
  const cost = new Float64Array((m + 1) * width);
  const step = new Uint8Array((m + 1) * width);
  for (let j = 1; j <= n; j++) {
    cost[j] = (cost[j - 1] as number) + indel(candidate, j - 1);
    step[j] = LEFT;
  }
  for (let i = 1; i <= m; i++) {
    const row = i * width;
    cost[row] = (cost[row - width] as number) + indel(query, i - 1);
    step[row] = UP;
    const up = indel(query, i - 1);
    for (let j = 1; j <= n; j++) {
      let best = (cost[row - width + j - 1] as number) + substitution(query, i - 1, candidate, j - 1);
      let how = DIAGONAL;
      const fromUp = (cost[row - width + j] as number) + up;
      if (fromUp < best) {
        best = fromUp;
        how = UP;
      }
      const fromLeft = (cost[row + j - 1] as number) + indel(candidate, j - 1);
      if (fromLeft < best) {
        best = fromLeft;
        how = LEFT;
      }
      cost[row + j] = best;
      step[row + j] = how;
    }
  }
  return alignedNumbers(query, candidate, step, width);
}

function alignedNumbers(
  query: Sequence,
  candidate: Sequence,
  step: Uint8Array,
  width: number,
): [number, number][] {
  const numbers: [number, number][] = [];
  let i = query.keys.length;
  let j = candidate.keys.length;
  while (i > 0 || j > 0) {
    const how = step[i * width + j];
    if (how === DIAGONAL && i > 0 && j > 0) {
      if (
        query.keys[i - 1] === NUMBER_ID &&
        candidate.keys[j - 1] === NUMBER_ID &&
        query.forms[i - 1] !== candidate.forms[j - 1]
      )
        numbers.unshift([i - 1, j - 1]);
      i--;
      j--;
    } else if (how === UP) i--;
    else j--;
  }
  return numbers;
}

/**
 * The memory's translation with each changed number put in: a number is replaced only where its old
 * value stands exactly once in the translation, so nothing is guessed. Returns the numbers replaced.
 */
export function substituteNumbers(
  text: string,
  numbers: readonly NumberChange[],
): { text: string; replaced: NumberChange[] } {
  const replaced: NumberChange[] = [];
  // The digits of an inline code's placeholder ({1}) are no number of the text.
  const out = outsidePlaceholders(text, (masked) => {
    let edited = masked;
    for (const change of numbers) {
      const pattern = new RegExp(`(?<!\\p{N})${change.from}(?!\\p{N})`, "gu");
      const found = edited.match(pattern);
      if (found?.length !== 1 || numbers.filter((c) => c.from === change.from).length > 1) continue;
      edited = edited.replace(pattern, change.to);
      replaced.push(change);
    }
    return edited;
  });
  return { text: out, replaced };
}
