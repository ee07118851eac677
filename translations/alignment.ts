/**
 * Aligns the paragraphs of a document's new source with the old ones by content, not position, so
 * that translations follow their paragraph when it moves, is corrected, split or merged.
 *
 * 1. Exact matches through a hash map (a moved paragraph keeps its id), then matches equal but for
 *    punctuation, quotes and whitespace (`trivial`: shown, not outdating).
 * 2. The matches in order in both lists (a longest increasing subsequence, O(n log n)) are anchors;
 *    the unmatched paragraphs between two anchors are compared with each other only, by word-set
 *    similarity (Dice), so a document with a few edits costs about as much as a plain list diff.
 * 3. Leftovers next to an edited paragraph are tried as the other half of a split (one old, two
 *    new) or a merge (two old, one new).
 */

/** A paragraph of the old source. */
export interface OldParagraph {
  id: string;
  source: string;
}

/**
 * What became of the old source in one new paragraph: `unchanged` (same text, maybe moved),
 * `trivial` (only punctuation, quotes or whitespace differ), `edited` (similar text), `split` (a
 * part of one old paragraph), `merged` (several old paragraphs in one), `added` (new text).
 */
export type Fate = "unchanged" | "trivial" | "edited" | "split" | "merged" | "added";

export interface AlignedParagraph {
  /** Position in the new source. */
  index: number;
  fate: Fate;
  /** Ids of the old paragraphs this one comes from, in their order; empty when added. */
  from: string[];
  /** True for an unchanged or trivially changed paragraph that changed place among the others. */
  moved?: boolean;
}

export interface Alignment {
  /** One entry per new paragraph, in the new order. */
  paragraphs: AlignedParagraph[];
  /** Old paragraphs that no new paragraph comes from. */
  removed: string[];
}

/**
 * Least word-set similarity (Dice) for an edited paragraph to be matched with its old self. Every
 * two different paragraphs of the seed article score under 0.35 and a paragraph with a third of its
 * words rewritten still scores over 0.6 (tests/translations/alignment.test.ts).
 */
export const SIMILARITY_THRESHOLD = 0.5;

/** Above this many old × new pairs in one gap, each new paragraph is compared with its neighbours only. */
const MAX_GAP_PAIRS = 4_096;
/**
 * How many paragraphs on either side of its expected place one meets in a large gap (besides, for an
 * edit, those sharing its less common words): a split's or merge's halves sit side by side where they were.
 */
const PART_WINDOW = 4;

export function alignParagraphs(old: readonly OldParagraph[], next: readonly string[]): Alignment {
  const oldMatch = new Array<number>(old.length).fill(-1);
  const newMatch = new Array<number>(next.length).fill(-1);
  const fates = new Array<Fate>(next.length).fill("added");
  const from: number[][] = next.map(() => []);
  const link = (o: number, n: number, fate: Fate) => {
    oldMatch[o] = n;
    newMatch[n] = o;
    fates[n] = fate;
    from[n] = [o];
  };

  matchByKey(
    old,
    next,
    (s) => s,
    oldMatch,
    newMatch,
    (o, n) => link(o, n, "unchanged"),
  );
  matchByKey(old, next, trivialKey, oldMatch, newMatch, (o, n) => link(o, n, "trivial"));

  const anchors = inOrder(newMatch);
  const moved = new Set<number>();
  const anchored = new Set(anchors.map(([n]) => n));
  for (let n = 0; n < next.length; n++) if (newMatch[n] !== -1 && !anchored.has(n)) moved.add(n);

  const words = new WordSets(old, next);
  const bounds: [number, number][] = [[-1, -1], ...anchors, [next.length, old.length]];
  for (let g = 0; g + 1 < bounds.length; g++) {
    const [n0, o0] = bounds[g] as [number, number];
    const [n1, o1] = bounds[g + 1] as [number, number];
    const olds = range(o0 + 1, o1).filter((o) => oldMatch[o] === -1);
    const news = range(n0 + 1, n1).filter((n) => newMatch[n] === -1);
    if (olds.length === 0 || news.length === 0) continue;
    matchSimilar(olds, news, words, (o, n) => link(o, n, "edited"));
    findSplits(olds, news, words, oldMatch, newMatch, fates, from);
    findMerges(olds, news, words, oldMatch, newMatch, fates, from);
  }

  return {
    paragraphs: next.map((_, n) => ({
      index: n,
      fate: fates[n] as Fate,
      from: (from[n] as number[]).map((o) => (old[o] as OldParagraph).id),
      ...(moved.has(n) ? { moved: true } : {}),
    })),
    removed: old.filter((_, o) => oldMatch[o] === -1).map((p) => p.id),
  };
}

/** Pairs old and new paragraphs with the same key, first come first served (duplicates in order). */
function matchByKey(
  old: readonly OldParagraph[],
  next: readonly string[],
  key: (source: string) => string,
  oldMatch: number[],
  newMatch: number[],
  pair: (o: number, n: number) => void,
): void {
  const waiting = new Map<string, number[]>();
  for (let o = old.length - 1; o >= 0; o--) {
    if (oldMatch[o] !== -1) continue;
    const k = key((old[o] as OldParagraph).source);
    const list = waiting.get(k);
    if (list) list.push(o);
    else waiting.set(k, [o]);
  }
  for (let n = 0; n < next.length; n++) {
    if (newMatch[n] !== -1) continue;
    const o = waiting.get(key(next[n] as string))?.pop();
    if (o !== undefined) pair(o, n);
  }
}

const NOT_TRIVIAL = /[\s\p{P}\p{Zs}`´^~]+/gu;

/** The text without punctuation, quotes and whitespace: two texts with one key differ trivially. */
export function trivialKey(source: string): string {
  return source.normalize("NFC").replace(NOT_TRIVIAL, "");
}

/**
 * The matched pairs that keep their order in both lists ([new, old], by new position): a longest
 * increasing subsequence of old positions, in O(n log n).
 */
function inOrder(newMatch: readonly number[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let n = 0; n < newMatch.length; n++)
    if ((newMatch[n] as number) !== -1) pairs.push([n, newMatch[n] as number]);
  const tails: number[] = [];
  const previous = new Array<number>(pairs.length).fill(-1);
  for (let i = 0; i < pairs.length; i++) {
    const o = (pairs[i] as [number, number])[1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pairs[tails[mid] as number] as [number, number])[1] < o) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const out: [number, number][] = [];
  for (let i = tails.at(-1) ?? -1; i !== -1; i = previous[i] as number)
    out.push(pairs[i] as [number, number]);
  return out.reverse();
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/** Folded word sets of the paragraphs, computed once each, on demand. */
class WordSets {
  readonly #old: (Set<string> | undefined)[];
  readonly #next: (Set<string> | undefined)[];
  constructor(
    private readonly oldParagraphs: readonly OldParagraph[],
    private readonly nextTexts: readonly string[],
  ) {
    this.#old = new Array(oldParagraphs.length);
    this.#next = new Array(nextTexts.length);
  }
  old(o: number): Set<string> {
    this.#old[o] ??= wordSet((this.oldParagraphs[o] as OldParagraph).source);
    return this.#old[o];
  }
  next(n: number): Set<string> {
    this.#next[n] ??= wordSet(this.nextTexts[n] as string);
    return this.#next[n];
  }
}

const WORD = /[\p{L}\p{N}]+/gu;
const NON_ASCII = /[^ -~\t\n\r]/;

/** Lower-cased words without accents. */
export function wordSet(text: string): Set<string> {
  // Plain ASCII, the common case in English sources, has no accents to take off.
  const folded = NON_ASCII.test(text)
    ? text
        .normalize("NFKD")
        .replace(/\p{M}+/gu, "")
        .toLowerCase()
    : text.toLowerCase();
  return new Set(folded.match(WORD) ?? []);
}

/** Dice's coefficient of two word sets: 1 for the same words, 0 for none in common. */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const w of small) if (large.has(w)) common++;
  return (2 * common) / (a.size + b.size);
}

function union(...sets: ReadonlySet<string>[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const w of s) out.add(w);
  return out;
}

/** One-to-one matches of a gap's leftovers, most similar pairs first. */
function matchSimilar(
  olds: number[],
  news: number[],
  words: WordSets,
  pair: (o: number, n: number) => void,
): void {
  const candidates: [number, number, number][] = [];
  const wide = olds.length * news.length > MAX_GAP_PAIRS;
  const sharing = wide ? new SharedWords(olds, words) : undefined;
  for (const [k, n] of news.entries()) {
    // In a large gap, a new paragraph meets the old ones around its expected place, and those
    // anywhere in the gap that share one of its less common words: a few dozen, not thousands.
    const meet = sharing
      ? new Set([...around(olds, k, news.length, true, PART_WINDOW), ...sharing.with(words.next(n))])
      : olds;
    for (const o of meet) {
      const score = similarity(words.old(o), words.next(n));
      if (score >= SIMILARITY_THRESHOLD) candidates.push([score, o, n]);
    }
  }
  candidates.sort((a, b) => b[0] - a[0] || a[2] - b[2]);
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  for (const [, o, n] of candidates) {
    if (usedOld.has(o) || usedNew.has(n)) continue;
    usedOld.add(o);
    usedNew.add(n);
    pair(o, n);
  }
}

/** Words that more old paragraphs of a gap than this share say little about which one is meant. */
const COMMON_WORD = 16;
/** Most old paragraphs one new paragraph is compared with through shared words. */
const MOST_SHARING = 64;

/** An index of a gap's old paragraphs by word, for finding those that share words with a new one. */
class SharedWords {
  readonly #byWord = new Map<string, number[]>();
  constructor(olds: number[], words: WordSets) {
    for (const o of olds)
      for (const w of words.old(o)) {
        const list = this.#byWord.get(w);
        if (!list) this.#byWord.set(w, [o]);
        else if (list.length <= COMMON_WORD) list.push(o);
      }
  }
  /** The old paragraphs sharing the most of `set`'s less common words, at most MOST_SHARING. */
  with(set: ReadonlySet<string>): number[] {
    const counts = new Map<number, number>();
    for (const w of set) {
      const list = this.#byWord.get(w);
      if (!list || list.length > COMMON_WORD) continue;
      for (const o of list) counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    if (counts.size <= MOST_SHARING) return [...counts.keys()];
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MOST_SHARING)
      .map(([o]) => o);
  }
}

/** The part of `list` around where item `k` of `count` is expected, in a large gap; all of it otherwise. */
function around<T>(list: T[], k: number, count: number, wide: boolean, window: number): T[] {
  if (!wide) return list;
  const centre = Math.round((k * list.length) / Math.max(1, count));
  return list.slice(Math.max(0, centre - window), centre + window + 1);
}

/**
 * One old paragraph become two consecutive new ones: a leftover new paragraph beside an edited one
 * (or two leftovers side by side) whose words together are closer to the old paragraph's.
 */
function findSplits(
  olds: number[],
  news: number[],
  words: WordSets,
  oldMatch: number[],
  newMatch: number[],
  fates: Fate[],
  from: number[][],
): void {
  const wide = olds.length * news.length > MAX_GAP_PAIRS;
  for (const [k, n] of news.entries()) {
    if (newMatch[n] !== -1) continue;
    for (const m of [n - 1, n + 1]) {
      if (m < 0 || m >= newMatch.length) continue;
      const o = newMatch[m] as number;
      let candidates: number[];
      if (o !== -1 && fates[m] === "edited") candidates = [o];
      else if (o === -1)
        candidates = around(olds, k, news.length, wide, PART_WINDOW).filter((x) => oldMatch[x] === -1);
      else continue;
      const both = union(words.next(n), words.next(m));
      const found = candidates.find((x) => {
        const alone = o === x ? similarity(words.old(x), words.next(m)) : 0;
        const together = similarity(words.old(x), both);
        return together >= SIMILARITY_THRESHOLD && together > alone;
      });
      if (found === undefined) continue;
      const [first, second] = (m < n ? [m, n] : [n, m]) as [number, number];
      oldMatch[found] = first;
      newMatch[first] = found;
      newMatch[second] = found;
      fates[first] = "split";
      fates[second] = "split";
      from[first] = [found];
      from[second] = [found];
      break;
    }
  }
}

/**
 * Two consecutive old paragraphs become one new one: a leftover old paragraph beside one matched
 * with an edited paragraph (or two leftovers side by side and a leftover new paragraph) whose words
 * are closer to both together.
 */
function findMerges(
  olds: number[],
  news: number[],
  words: WordSets,
  oldMatch: number[],
  newMatch: number[],
  fates: Fate[],
  from: number[][],
): void {
  const wide = olds.length * news.length > MAX_GAP_PAIRS;
  for (const [k, o] of olds.entries()) {
    if (oldMatch[o] !== -1) continue;
    for (const p of [o - 1, o + 1]) {
      if (p < 0 || p >= oldMatch.length) continue;
      const matched = oldMatch[p] as number;
      let candidates: number[];
      if (matched !== -1 && fates[matched] === "edited") candidates = [matched];
      else if (matched === -1)
        candidates = around(news, k, olds.length, wide, PART_WINDOW).filter((x) => newMatch[x] === -1);
      else continue;
      const both = union(words.old(o), words.old(p));
      const found = candidates.find((n) => {
        const alone = matched === n ? similarity(words.old(p), words.next(n)) : 0;
        const together = similarity(both, words.next(n));
        return together >= SIMILARITY_THRESHOLD && together > alone;
      });
      if (found === undefined) continue;
      const pair = p < o ? [p, o] : [o, p];
      oldMatch[o] = found;
      oldMatch[p] = found;
      newMatch[found] = pair[0] as number;
      fates[found] = "merged";
      from[found] = pair;
      break;
    }
  }
}
