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

// The alignment and its steps for alignNumbers, reused by every call.
let alignCost = new Float64Array(0);
let alignStep = new Uint8Array(0);

/**
 * Word positions (query, candidate) of the numbers that the best alignment pairs while their values
 * differ: what the suggestion substitutes. Run only for the few matches shown. With the pair's
 * `score`, only the band of cells that a path of that score can cross is computed (as scoreWords
 * does): every best path lies in it, so the same one is traced back.
 */
export function alignNumbers(query: Sequence, candidate: Sequence, score = 0): [number, number][] {
  const m = query.keys.length;
  const n = candidate.keys.length;
  const hasNumber = (w: Sequence) => Array.prototype.some.call(w.keys, (k: number) => k === NUMBER_ID);
  if (m === 0 || n === 0 || m > MAX_WORDS || n > MAX_WORDS || !hasNumber(query) || !hasNumber(candidate))
    return [];
  const width = n + 1;
  if (alignCost.length < (m + 1) * width) {
    alignCost = new Float64Array(2 * (m + 1) * width);
    alignStep = new Uint8Array(2 * (m + 1) * width);
  }
  const cost = alignCost;
  const step = alignStep;
  const skew = n - m;
  const maxCost = Math.max(m, n) * (1 - score / 100) + 1e-6;
  const slack = score > 0 ? Math.floor((maxCost - Math.abs(skew)) / 2) : m + n;
  // Row i holds the cells j with lo ≤ j − i ≤ hi; the cells just outside are read as unreachable.
  const lo = Math.min(0, skew) - Math.max(0, slack);
  const hi = Math.max(0, skew) + Math.max(0, slack);
  cost[0] = 0;
  const end = Math.min(n, hi);
  for (let j = 1; j <= end; j++) {
    cost[j] = (cost[j - 1] as number) + indel(candidate, j - 1);
    step[j] = LEFT;
  }
  if (end < n) cost[end + 1] = Number.POSITIVE_INFINITY;
  for (let i = 1; i <= m; i++) {
    const row = i * width;
    const up = indel(query, i - 1);
    const first = Math.max(0, i + lo);
    const last = Math.min(n, i + hi);
    if (first === 0) {
      cost[row] = (cost[row - width] as number) + up;
      step[row] = UP;
    } else cost[row + first - 1] = Number.POSITIVE_INFINITY;
    for (let j = Math.max(1, first); j <= last; j++) {
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
    if (last < n) cost[row + last + 1] = Number.POSITIVE_INFINITY;
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
 * Whether the digits at [start, end) of a text are part of a larger number: a decimal or a group
 * separator joins them to digits before or after ("7.5", "1,500", "15.000").
 */
export function inLargerNumber(text: string, start: number, end: number): boolean {
  const joined = (separator: string | undefined, digit: string | undefined) =>
    separator !== undefined && digit !== undefined && /^[.,'’]$/u.test(separator) && /^\p{N}$/u.test(digit);
  return joined(text[start - 1], text[start - 2]) || joined(text[end], text[end + 1]);
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
      // Not the digits after a decimal or group separator ("1,15"); "15.000 millones" for "15 billion" is
      // the value written the target's way, and stays a place to substitute.
      const pattern = new RegExp(`(?<!\\p{N}[.,'’]?)${change.from}(?!\\p{N})`, "gu");
      const found = edited.match(pattern);
      if (found?.length !== 1 || numbers.filter((c) => c.from === change.from).length > 1) continue;
      edited = edited.replace(pattern, change.to);
      replaced.push(change);
    }
    return edited;
  });
  return { text: out, replaced };
}

/**
 * A text's words grouped, as one array of pairs: the key, then the form times two plus 1 for a heavy
 * word, sorted by key and then form, so that equal keys and equal forms are runs. One flat array per
 * unit: a lookup reads thousands of them, and each extra object on the way is a cache miss. Keys go
 * from the highest id down: ids are given as words are first met, so a unit's rarer words (names,
 * words the query lacks) come first and a bound that cannot reach its floor stops sooner.
 */
export type Bag = Int32Array;

/** The words of a sequence as a bag (memory/index.ts keeps one per unit for `ScoreBound`). */
export function bagOf(words: Sequence): Bag {
  const n = words.keys.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      (words.keys[b] as number) - (words.keys[a] as number) ||
      (words.forms[a] as number) - (words.forms[b] as number),
  );
  const bag = new Int32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    bag[2 * k] = words.keys[i] as number;
    bag[2 * k + 1] = 2 * (words.forms[i] as number) + (words.heavy[i] as number);
  }
  return bag;
}

/** A bag's keys in order, each as many times as the text holds it. */
export function* bagKeys(bag: Bag): IterableIterator<number> {
  for (let k = 0; k < bag.length; k += 2) yield bag[k] as number;
}

/**
 * An upper bound of `scoreWords(query, candidate)` read from the words alone, not their order, for
 * one query against many candidates. Each word of the query costs at least its own share of the
 * alignment: 0 when paired with the same form, INFLECTION with another form of its key, and its
 * indel cost otherwise (a substitution costs the more expensive of the two words); the same holds
 * for the candidate's words, so the cost is at least the larger of the two sides' sums, each taken
 * with as many words paired as the two bags allow. Heavy words left unpaired and inflections count,
 * where a bare count of shared keys lets hundreds of near-duplicates through to be scored.
 *
 * Counts are kept in arrays by key and form id, loaded for one query and cleared after it.
 */
export class ScoreBound {
  #keys = new Uint16Array(0);
  #light = new Uint16Array(0);
  #forms = new Uint16Array(0);
  #query: Sequence | undefined;
  /** The query's words and their summed indel cost. */
  #m = 0;
  #weight = 0;

  /** Counts the query's words; ids at or past `keyCount`/`formCount` are not held by any unit. */
  load(query: Sequence, keyCount: number, formCount: number): void {
    if (this.#keys.length <= keyCount) {
      this.#keys = new Uint16Array(2 * (keyCount + 1));
      this.#light = new Uint16Array(2 * (keyCount + 1));
    }
    if (this.#forms.length <= formCount) this.#forms = new Uint16Array(2 * (formCount + 1));
    this.#query = query;
    this.#m = query.keys.length;
    this.#weight = 0;
    for (let i = 0; i < this.#m; i++) {
      const heavy = query.heavy[i] === 1;
      this.#weight += heavy ? HEAVY : 1;
      const key = query.keys[i] as number;
      if (key < 0) continue;
      this.#keys[key] = (this.#keys[key] as number) + 1;
      if (!heavy) this.#light[key] = (this.#light[key] as number) + 1;
      const form = query.forms[i] as number;
      if (form >= 0) this.#forms[form] = (this.#forms[form] as number) + 1;
    }
  }

  clear(): void {
    const query = this.#query;
    if (!query) return;
    for (let i = 0; i < this.#m; i++) {
      const key = query.keys[i] as number;
      if (key < 0) continue;
      this.#keys[key] = 0;
      this.#light[key] = 0;
      const form = query.forms[i] as number;
      if (form >= 0) this.#forms[form] = 0;
    }
    this.#query = undefined;
  }

  /**
   * The highest score `candidate` may reach against the loaded query, or -1 when even that is under
   * `min` (as `scoreWords` with `min` would answer under it).
   */
  bound(candidate: Bag, min: number): number {
    const m = this.#m;
    const end = candidate.length;
    const n = end >> 1;
    if (m === 0 || n === 0 || m > MAX_WORDS || n > MAX_WORDS) return -1;
    const longer = Math.max(m, n);
    // Scores stop at 0: without a floor nothing is ruled out.
    const maxCost = min > 0 ? longer * (1 - min / 100) + 1e-6 : Number.POSITIVE_INFINITY;
    if (Math.abs(m - n) > maxCost) return -1;
    const keys = this.#keys;
    const forms = this.#forms;
    // What the candidate's words cost at least, and what the query's words paired here save at most.
    let candidateCost = 0;
    let saved = 0;
    let pairs = 0;
    for (let j = 0; j < end; ) {
      const key = candidate[j] as number;
      const start = j;
      let light = 0;
      let sameForm = 0;
      while (j < end && candidate[j] === key) {
        const form = candidate[j + 1] as number;
        let run = 0;
        while (j < end && candidate[j] === key && candidate[j + 1] === form) {
          run++;
          j += 2;
        }
        if ((form & 1) === 0) light += run;
        const held = forms[form >> 1] as number;
        sameForm += Math.min(run, held);
      }
      const count = (j - start) >> 1;
      const held = keys[key] as number;
      const paired = Math.min(count, held);
      const inflections = INFLECTION * (paired - Math.min(sameForm, paired));
      candidateCost += inflections + lightest(count - paired, light);
      if (paired > 0) {
        const queryLight = this.#light[key] as number;
        const queryWeight = queryLight + HEAVY * (held - queryLight);
        saved += queryWeight - inflections - lightest(held - paired, queryLight);
      }
      pairs += paired;
      // The candidate's words so far cost too much, or even if all the rest were paired, too few.
      if (candidateCost > maxCost || m - pairs - ((end - j) >> 1) > maxCost) return -1;
    }
    const cost = Math.max(candidateCost, this.#weight - saved);
    if (cost > maxCost) return -1;
    return Math.max(0, Math.min(99, Math.floor(100 * (1 - (cost - 1e-6) / longer) + 1e-9)));
  }
}

/** What the cheapest `count` of a key's words cost when `light` of them cost 1 and the rest HEAVY. */
const lightest = (count: number, light: number) => (count <= light ? count : light + HEAVY * (count - light));
