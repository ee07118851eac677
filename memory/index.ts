/**
 * One language pair's translation memory, indexed so that a lookup never scans it.
 *
 * Each unit's source is filed under its word keys (memory/words.ts) in an inverted index. A lookup
 * for matches of score ≥ T uses prefix filtering (Chaudhuri et al., "A primitive operator for
 * similarity joins", 2006): a unit scoring ≥ T against a query of m words shares at least
 * t = ⌈m·T/100⌉ of its keys (memory/score.ts: every step between different keys costs ≥ 1, so
 * cost ≥ max(m, n) − shared, and score ≥ T needs cost ≤ max(m, n)·(1 − T/100)). Any t shared keys
 * include one of the query's m − t + 1 rarest keys, so the candidates are the units under those
 * keys only; each is then checked by its exact key overlap and length, and scored exactly. The
 * result is the same set a full scan gives (tests/memory/index.test.ts holds it to a brute force).
 */

import { foldPhrase, foldWord, tokenize } from "../glossary/normalize.ts";
import { type Coded, Coder } from "./coder.ts";
import { MAX_WORDS, type NumberChange, scoreWords, substituteNumbers } from "./score.ts";
import { pairSentences, splitSentences } from "./sentences.ts";

/** A source/target pair the memory holds. */
export interface MemoryUnit {
  /** Stable identity: `<documentId>/<paragraphId>` for a document's paragraph, `tmx/<id>` for an import. */
  key: string;
  source: string;
  target: string;
  approved: boolean;
  document?: { id: string; title: string };
  paragraphId?: string;
  /** ISO date of the translation or the import. */
  updatedAt: string;
  /** The tool an imported unit came from (TMX `creationtool`). */
  tool?: string;
}

/** A unit that matches a source, its translation with changed numbers put in. */
export interface MemoryMatch {
  unit: MemoryUnit;
  score: number;
  /** The unit's target, numbers substituted. */
  text: string;
  /** Numbers substituted into `text`. */
  numbers: NumberChange[];
}

/** A paragraph put together from sentences found separately. */
export interface Assembly {
  score: number;
  text: string;
  /** Each sentence of the paragraph with its translation, or null where none was found (its source stands). */
  sentences: { source: string; text: string | null }[];
}

export interface ConcordanceHit {
  unit: MemoryUnit;
  /** UTF-16 ranges of the hits in the source and in the target. */
  sourceHits: [number, number][];
  targetHits: [number, number][];
}

interface Entry {
  unit: MemoryUnit;
  /** The source as compared for identity. */
  exact: string;
  coded: Coded;
  /** The keys sorted (repeats kept), for the overlap count. */
  sorted: Int32Array;
  /** Sentence keys this unit taught. */
  sentences: string[];
}

const exactForm = (text: string) => text.normalize("NFC").trim();
/** Candidates whose text a concordance search reads, at most, per side. */
const CONCORDANCE_READS = 2_000;

export class MemoryIndex {
  readonly #source: Coder;
  /** Slots never reused: a removed unit leaves undefined, skipped and swept from postings as met. */
  readonly #entries: (Entry | undefined)[] = [];
  readonly #byKey = new Map<string, number>();
  /** Key id → slots of units whose source holds it (once per unit). */
  readonly #postings: number[][] = [];
  readonly #exact = new Map<string, Set<number>>();
  /** Folded sentence → slot → its translation. */
  readonly #sentences = new Map<string, Map<number, string>>();
  /** Folded word → slots, for concordance: `s` + word for sources, `t` + word for targets. */
  readonly #words = new Map<string, number[]>();
  #live = 0;

  constructor(
    readonly sourceLang: string,
    readonly targetLang: string,
  ) {
    this.#source = new Coder(sourceLang);
  }

  get size(): number {
    return this.#live;
  }

  get(key: string): MemoryUnit | undefined {
    const slot = this.#byKey.get(key);
    return slot === undefined ? undefined : this.#entries[slot]?.unit;
  }

  *units(): IterableIterator<MemoryUnit> {
    for (const entry of this.#entries) if (entry) yield entry.unit;
  }

  /** Adds a unit, replacing the one with the same key. */
  put(unit: MemoryUnit): void {
    this.remove(unit.key);
    const slot = this.#entries.length;
    const { coded } = this.#source.code(unit.source, true);
    const sorted = Int32Array.from(coded.keys).sort();
    const entry: Entry = { unit, exact: exactForm(unit.source), coded, sorted, sentences: [] };
    this.#entries.push(entry);
    this.#byKey.set(unit.key, slot);
    this.#live++;
    for (const key of new Set(sorted)) {
      const list = this.#postings[key];
      if (list) list.push(slot);
      else this.#postings[key] = [slot];
    }
    ensure(this.#exact, entry.exact, () => new Set<number>()).add(slot);
    for (const pair of this.#sentencePairs(unit)) {
      const key = foldPhrase(pair.source);
      ensure(this.#sentences, key, () => new Map<number, string>()).set(slot, pair.target);
      entry.sentences.push(key);
    }
    for (const word of new Set(tokenize(unit.source).map((t) => `s${foldWord(t.surface)}`)))
      this.#post(word, slot);
    for (const word of new Set(tokenize(unit.target).map((t) => `t${foldWord(t.surface)}`)))
      this.#post(word, slot);
  }

  #post(word: string, slot: number): void {
    ensure(this.#words, word, () => [] as number[]).push(slot);
  }

  #sentencePairs(unit: MemoryUnit): { source: string; target: string }[] {
    const pairs = pairSentences(unit.source, unit.target, this.sourceLang, this.targetLang);
    if (pairs.length > 0) return pairs;
    const source = unit.source.trim();
    return splitSentences(source, this.sourceLang).length === 1 &&
      splitSentences(unit.target, this.targetLang).length === 1
      ? [{ source, target: unit.target.trim() }]
      : [];
  }

  remove(key: string): void {
    const slot = this.#byKey.get(key);
    if (slot === undefined) return;
    const entry = this.#entries[slot] as Entry;
    this.#entries[slot] = undefined;
    this.#byKey.delete(key);
    this.#live--;
    const same = this.#exact.get(entry.exact);
    same?.delete(slot);
    if (same?.size === 0) this.#exact.delete(entry.exact);
    for (const sentence of entry.sentences) {
      const targets = this.#sentences.get(sentence);
      targets?.delete(slot);
      if (targets?.size === 0) this.#sentences.delete(sentence);
    }
    // Postings keep the slot until a lookup meets it (#livePosting): no scan of them here.
  }

  /** The slots under a key, with removed units swept out first. */
  #livePosting(key: number): number[] {
    const list = this.#postings[key];
    if (!list) return [];
    let kept = 0;
    for (const slot of list) if (this.#entries[slot]) list[kept++] = slot;
    list.length = kept;
    return list;
  }

  /** Every unit scoring at least `min` (1–100) against `source`, unordered: the index's answer. */
  matches(source: string, min: number): MemoryMatch[] {
    const exact = exactForm(source);
    const { words, coded } = this.#source.code(source, false);
    const found = new Map<number, MemoryMatch>();
    for (const slot of this.#exact.get(exact) ?? [])
      found.set(slot, this.#match(this.#entries[slot] as Entry, words.folded, coded, exact));
    const m = coded.keys.length;
    if (m === 0 || m > MAX_WORDS || min > 99) return [...found.values()];
    const t = Math.max(1, Math.ceil((m * min) / 100 - 1e-6));
    // The query's keys, rarest first: any unit sharing t of them shares one of the first m - t + 1.
    const order = Array.from(coded.keys).sort(
      (a, b) => (this.#postings[a]?.length ?? 0) - (this.#postings[b]?.length ?? 0),
    );
    const prefix = new Set(order.slice(0, m - t + 1).filter((k) => k >= 0));
    const query = Int32Array.from(coded.keys).sort();
    const seen = new Set<number>();
    for (const key of prefix)
      for (const slot of this.#livePosting(key)) {
        if (seen.has(slot) || found.has(slot)) continue;
        seen.add(slot);
        const entry = this.#entries[slot] as Entry;
        const n = entry.coded.keys.length;
        if (n > MAX_WORDS) continue;
        const need = Math.ceil((Math.max(m, n) * min) / 100 - 1e-6);
        if (need > Math.min(m, n) || overlap(query, entry.sorted) < need) continue;
        const match = this.#match(entry, words.folded, coded, exact);
        if (match.score >= min) found.set(slot, match);
      }
    return [...found.values()];
  }

  /** The same answer by scoring every unit: what `matches` must equal (tests, benchmark). */
  scan(source: string, min: number): MemoryMatch[] {
    const exact = exactForm(source);
    const { words, coded } = this.#source.code(source, false);
    const out: MemoryMatch[] = [];
    for (const entry of this.#entries) {
      if (!entry) continue;
      const match = this.#match(entry, words.folded, coded, exact);
      if (match.score >= min) out.push(match);
    }
    return out;
  }

  #match(entry: Entry, folded: readonly string[], coded: Coded, exact: string): MemoryMatch {
    const { score, numbers } = scoreWords(coded, entry.coded, entry.exact === exact);
    if (numbers.length === 0) return { unit: entry.unit, score, text: entry.unit.target, numbers: [] };
    // The unit's own words, read again only for the few matches that have numbers to change.
    const old = this.#source.code(entry.unit.source, false).words.folded;
    const changes = numbers.map(([i, j]) => ({ from: old[j] as string, to: folded[i] as string }));
    const { text, replaced } = substituteNumbers(entry.unit.target, changes);
    return { unit: entry.unit, score, text, numbers: replaced };
  }

  /**
   * The best matches, best first (score, then approved, then newest), one per distinct translation
   * of a distinct source, leaving out the unit `exclude` names.
   */
  search(source: string, min: number, limit: number, exclude?: string): MemoryMatch[] {
    const ranked = this.matches(source, min)
      .filter((m) => m.unit.key !== exclude)
      .sort(
        (a, b) =>
          b.score - a.score ||
          Number(b.unit.approved) - Number(a.unit.approved) ||
          (a.unit.updatedAt < b.unit.updatedAt ? 1 : a.unit.updatedAt > b.unit.updatedAt ? -1 : 0),
      );
    const seen = new Set<string>();
    const out: MemoryMatch[] = [];
    for (const match of ranked) {
      const pair = `${match.unit.source}\u0000${match.text}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      out.push(match);
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * The paragraph put together from translations of its sentences found in the memory, when it has
   * several and at least one is found; its score is the share of words found (at most 99).
   */
  assemble(source: string, exclude?: string): Assembly | undefined {
    const sentences = splitSentences(source, this.sourceLang);
    if (sentences.length < 2) return undefined;
    const excluded = exclude === undefined ? undefined : this.#byKey.get(exclude);
    let words = 0;
    let foundWords = 0;
    const parts = sentences.map((sentence) => {
      const count = tokenize(sentence).length;
      words += count;
      const targets = this.#sentences.get(foldPhrase(sentence));
      let text: string | null = null;
      for (const [slot, target] of targets ?? []) if (slot !== excluded) text = target;
      if (text !== null) foundWords += count;
      return { source: sentence, text };
    });
    if (foundWords === 0 || words === 0) return undefined;
    return {
      score: Math.min(99, Math.floor((100 * foundWords) / words)),
      text: parts.map((p) => p.text ?? p.source).join(" "),
      sentences: parts,
    };
  }

  /**
   * Units whose source or target holds the phrase `q` as whole words (case and accents folded),
   * newest first, at most `limit`.
   */
  concordance(q: string, limit: number): ConcordanceHit[] {
    const phrase = tokenize(q).map((t) => foldWord(t.surface));
    if (phrase.length === 0) return [];
    const hits = new Map<number, ConcordanceHit>();
    for (const side of ["s", "t"] as const) {
      // The rarest word of the phrase names the fewest units to read.
      const lists = phrase.map((w) => this.#words.get(side + w) ?? []);
      const shortest = lists.reduce((a, b) => (b.length < a.length ? b : a));
      let reads = 0;
      for (let k = shortest.length - 1; k >= 0 && reads < CONCORDANCE_READS; k--) {
        const slot = shortest[k] as number;
        const entry = this.#entries[slot];
        if (!entry) continue;
        reads++;
        const ranges = phraseRanges(side === "s" ? entry.unit.source : entry.unit.target, phrase);
        if (ranges.length === 0) continue;
        const hit = ensure(hits, slot, () => ({ unit: entry.unit, sourceHits: [], targetHits: [] }));
        if (side === "s") hit.sourceHits = ranges;
        else hit.targetHits = ranges;
      }
    }
    return [...hits.entries()]
      .sort((a, b) => b[0] - a[0])
      .slice(0, limit)
      .map(([, hit]) => hit);
  }
}

/** The value under `key`, made and added first when there is none. */
function ensure<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** How many values two sorted arrays share, as multisets. */
function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/** Where the folded words `phrase` stand in `text`, as UTF-16 ranges. */
function phraseRanges(text: string, phrase: readonly string[]): [number, number][] {
  const tokens = tokenize(text);
  const out: [number, number][] = [];
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    let k = 0;
    while (k < phrase.length && foldWord((tokens[i + k] as { surface: string }).surface) === phrase[k]) k++;
    if (k === phrase.length)
      out.push([(tokens[i] as { start: number }).start, (tokens[i + k - 1] as { end: number }).end]);
  }
  return out;
}
