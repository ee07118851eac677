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

export interface Match {
  score: number;
  /** Word positions (query, candidate) of aligned numbers whose values differ. */
  numbers: [number, number][];
}

const indel = (w: Sequence, i: number) => (w.heavy[i] ? HEAVY : 1);

function substitution(a: Sequence, i: number, b: Sequence, j: number): number {
  if (a.keys[i] === b.keys[j]) return a.forms[i] === b.forms[j] ? 0 : INFLECTION;
  return Math.max(indel(a, i), indel(b, j));
}

const DIAGONAL = 0;
const UP = 1;
const LEFT = 2;

/**
 * Scores `candidate` (a memory unit's source) against `query` (the paragraph's source). `identical`
 * says whether the two texts are the same (the caller compares them once, as it pleases).
 */
export function scoreWords(query: Sequence, candidate: Sequence, identical: boolean): Match {
  if (identical) return { score: 100, numbers: [] };
  const m = query.keys.length;
  const n = candidate.keys.length;
  if (m === 0 || n === 0 || m > MAX_WORDS || n > MAX_WORDS) return { score: 0, numbers: [] };
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
  const total = cost[m * width + n] as number;
  const score = Math.max(0, Math.min(99, Math.floor(100 * (1 - total / Math.max(m, n)) + 1e-9)));
  return { score, numbers: alignedNumbers(query, candidate, step, width) };
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
  let out = text;
  const replaced: NumberChange[] = [];
  for (const change of numbers) {
    const pattern = new RegExp(`(?<!\\p{N})${change.from}(?!\\p{N})`, "gu");
    const found = out.match(pattern);
    if (found?.length !== 1 || numbers.filter((c) => c.from === change.from).length > 1) continue;
    out = out.replace(pattern, change.to);
    replaced.push(change);
  }
  return { text: out, replaced };
}
