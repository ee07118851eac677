/**
 * One language pair's translation memory, indexed so that a lookup never scans it.
 *
 * Each distinct source text (a group: the units holding it, however many) is filed once under its
 * word keys (memory/words.ts) in an inverted index. A lookup for matches of score ≥ T uses prefix
 * filtering (Chaudhuri et al., "A primitive operator for similarity joins", 2006): a text scoring
 * ≥ T against a query of m words shares at least t = ⌈m·T/100⌉ of its keys (memory/score.ts: every
 * step between different keys costs ≥ 1, so cost ≥ max(m, n) − shared, and score ≥ T needs
 * cost ≤ max(m, n)·(1 − T/100)). Any t shared keys include one of the query's m − t + 1 rarest keys,
 * so the candidates are the texts under those keys only; each is then bounded by the words it
 * shares with the query (ScoreBound in memory/score.ts: forms, heavy words, length) and scored
 * exactly only when the bound allows, and its units are then ranked (approved, newest). The result
 * is the same set a full scan gives (tests/memory/index.test.ts holds it to a brute force).
 */

import { foldPhrase, foldWord, tokenize } from "../glossary/normalize.ts";
import { type Coded, Coder } from "./coder.ts";
import {
  alignNumbers,
  type Bag,
  bagKeys,
  bagOf,
  HEAVY,
  inLargerNumber,
  MAX_WORDS,
  NUMBER_ID,
  type NumberChange,
  ScoreBound,
  scoreWords,
  substituteNumbers,
} from "./score.ts";
import { pairSentences, splitSentences } from "./sentences.ts";
import type { InlineCode, UnitOrigin } from "./tmx.ts";
import { type Words, wordsOutsidePlaceholders } from "./words.ts";

/** A source/target pair the memory holds. */
export interface MemoryUnit extends UnitOrigin {
  /** Stable identity: `<documentId>/<paragraphId>` for a document's paragraph, `tmx/<id>` for an import. */
  key: string;
  source: string;
  target: string;
  approved: boolean;
  document?: { id: string; title: string };
  paragraphId?: string;
  /** ISO date of the translation or the import. */
  updatedAt: string;
  /** An imported unit's inline codes, behind the placeholders of its texts (memory/tmx.ts). */
  sourceCodes?: InlineCode[];
  targetCodes?: InlineCode[];
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
  /** The unit each found sentence's translation came from, in the same order (null where none was). */
  units: (MemoryUnit | null)[];
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
  /** The units of one source text share a group (#groups): a lookup bounds and scores a text once. */
  group: number;
  /** Sentence keys this unit taught. */
  sentences: string[];
}

const exactForm = (text: string) => text.normalize("NFC").trim();
/** A date as `Date.prototype.toISOString` writes it. */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** Lookups whose lists are kept, and how many units added since one may read before it walks afresh. */
const RECENT = 512;
const RECENT_READS = 2_000;
/** Candidates whose text a concordance search reads, at most, per side. */
const CONCORDANCE_READS = 2_000;

export class MemoryIndex {
  readonly #source: Coder;
  /** Slots never reused: a removed unit leaves undefined, skipped and swept from postings as met. */
  readonly #entries: (Entry | undefined)[] = [];
  /**
   * Each group's words as the bound of its score reads them (memory/score.ts). The postings file
   * groups, not units: a text held by hundreds of units (a newsletter's line, a unit saved again
   * unchanged) is read, counted and bounded once per lookup.
   */
  readonly #groupBags: (Bag | undefined)[] = [];
  /** Each group's live units' slots; undefined once its last unit is gone (its postings are then swept as met). */
  readonly #members: (number[] | undefined)[] = [];
  /** A group's units ranked as a list ranks them (approved, then newest), and how many targets they hold: made when a lookup first needs it. */
  readonly #ranked: ({ slots: number[]; targets: number } | undefined)[] = [];
  readonly #byKey = new Map<string, number>();
  /**
   * (Key id, length band) → groups whose source holds the key (once per group) and whose word count
   * falls in the band (#band): a lookup reads only the bands a match's length allows.
   */
  readonly #postings = new Map<number, number[]>();
  /** Key id → groups filed under it in every band, the rarity order of a query's keys. */
  readonly #counts: number[] = [];
  readonly #exact = new Map<string, Set<number>>();
  /** Source text → its group (Entry.group). Group ids are never reused. */
  readonly #groups = new Map<string, number>();
  #nextGroup = 0;
  /** What the current lookup knows of each group's score. */
  readonly #known = new KnownScores();
  /** Folded sentence → slot → its translation. */
  readonly #sentences = new Map<string, Map<number, string>>();
  /** Folded word → slots of the units whose source (target) holds it, for concordance. */
  readonly #sourceWords = new Map<string, number[]>();
  readonly #targetWords = new Map<string, number[]>();
  #live = 0;
  /**
   * Per group, what the latest lookup knows of it: its mark (a number no earlier lookup used) times
   * HELD plus how many of the query's words read so far the group's text holds. A value under the
   * lookup's mark is a group it has not met: nothing is cleared between lookups, and one array is
   * read per posting.
   */
  #state = new Uint32Array(0);
  /** Each group's word count, apart from its bag: a first lookup's count filter reads it for thousands. */
  #lengths = new Uint16Array(0);
  /** Each group's numbers (heavy words, memory/score.ts), at most 255. */
  #numbers = new Uint8Array(0);
  /** Each group's approved units: a first lookup's walk visits groups with one first among equals. */
  #groupApproved = new Uint32Array(0);
  /** 1 for a slot whose unit is approved. */
  #approved = new Uint8Array(0);
  /** Each slot's group (Entry.group), read without its entry. */
  #groupOf = new Uint32Array(0);
  /**
   * Each slot's `updatedAt` in milliseconds when it is written as `toISOString` writes it (the
   * strings' order is then the numbers'), else NaN: a tie with a full list's last is decided
   * without reading the unit (#walk).
   */
  #times = new Float64Array(0);
  readonly #bound = new ScoreBound();
  /**
   * The latest lookups' lists by query (source, floor, limit, excluded unit), least recent first,
   * with the slot count they were made at: a paragraph asked again (the editor asks on each focus)
   * reads only the units added since. The matches made from a list are kept with it: asked again
   * with the same list, the numbers are not aligned again.
   */
  readonly #recent = new Map<
    string,
    { upTo: number; top: { score: number; entry: Entry }[]; matches: MemoryMatch[] }
  >();
  /**
   * The posting lists holding a removed unit's slot, swept when a lookup next reads them. A list
   * no removal touched is read as it is: a first read used to sweep every list once (a pass over
   * it, each slot's entry looked up), which doubled the postings a first lookup read.
   */
  readonly #dirty = new Set<number>();
  #marks = 0;
  /** The groups a first lookup's walk meets under the prefix's keys, kept from one walk to the next. */
  #met = new Uint32Array(0);

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

  /** Whether a unit holds this source (as lookups compare it: NFC, trimmed) with this target. */
  holds(source: string, target: string): boolean {
    for (const slot of this.#exact.get(exactForm(source)) ?? [])
      if (this.#entries[slot]?.unit.target === target) return true;
    return false;
  }

  *units(): IterableIterator<MemoryUnit> {
    for (const entry of this.#entries) if (entry) yield entry.unit;
  }

  /** Adds a unit, replacing the one with the same key. */
  put(unit: MemoryUnit): void {
    this.remove(unit.key);
    const slot = this.#entries.length;
    const { words, coded } = this.#source.code(unit.source, true);
    const group = this.#groups.get(unit.source) ?? this.#addGroup(unit.source, coded);
    const entry: Entry = { unit, exact: exactForm(unit.source), coded, group, sentences: [] };
    this.#entries.push(entry);
    if (this.#approved.length <= slot) {
      const size = Math.max(1024, 2 * (slot + 1));
      this.#approved = grown(this.#approved, new Uint8Array(size));
      this.#groupOf = grown(this.#groupOf, new Uint32Array(size));
      this.#times = grown(this.#times, new Float64Array(size));
    }
    this.#times[slot] = ISO_INSTANT.test(unit.updatedAt) ? Date.parse(unit.updatedAt) : Number.NaN;
    this.#approved[slot] = unit.approved ? 1 : 0;
    this.#groupOf[slot] = group;
    (this.#members[group] as number[]).push(slot);
    if (unit.approved) this.#groupApproved[group] = (this.#groupApproved[group] as number) + 1;
    this.#ranked[group] = undefined;
    this.#byKey.set(unit.key, slot);
    this.#live++;
    ensure(this.#exact, entry.exact, () => new Set<number>()).add(slot);
    for (const pair of this.#sentencePairs(unit, words.folded)) {
      ensure(this.#sentences, pair.key, () => new Map<number, string>()).set(slot, pair.target);
      entry.sentences.push(pair.key);
    }
    post(this.#sourceWords, words.folded, slot);
    post(this.#targetWords, foldedWords(unit.target), slot);
  }

  /** A group for a source text no unit holds, filed under its keys. */
  #addGroup(source: string, coded: Coded): number {
    const group = this.#nextGroup++;
    const bag = bagOf(coded);
    const sorted = [...bagKeys(bag)];
    this.#groups.set(source, group);
    this.#groupBags[group] = bag;
    this.#members[group] = [];
    if (this.#lengths.length <= group) {
      const size = Math.max(1024, 2 * (group + 1));
      this.#lengths = grown(this.#lengths, new Uint16Array(size));
      this.#numbers = grown(this.#numbers, new Uint8Array(size));
      this.#groupApproved = grown(this.#groupApproved, new Uint32Array(size));
    }
    this.#lengths[group] = Math.min(sorted.length, 0xffff);
    this.#numbers[group] = Math.min(numbersOf(coded), 0xff);
    this.#groupApproved[group] = 0;
    const band = bandOf(sorted.length);
    for (let k = 0; k < sorted.length; ) {
      const key = sorted[k] as number;
      let times = 0;
      while (k < sorted.length && sorted[k] === key) {
        k++;
        times++;
      }
      this.#counts[key] = (this.#counts[key] ?? 0) + 1;
      const posting = (group << TIMES_BITS) | Math.min(times, TIMES - 1);
      const list = this.#postings.get(key * BANDS + band);
      if (list) list.push(posting);
      else this.#postings.set(key * BANDS + band, [posting]);
    }
    return group;
  }

  /** The sentence pairs a unit teaches, each under its folded source sentence. */
  #sentencePairs(unit: MemoryUnit, folded: readonly string[]): { key: string; target: string }[] {
    // Most units are one sentence on each side: told by a glance, without the segmenter's cost.
    if (!mayHaveSentences(unit.source) && !mayHaveSentences(unit.target))
      return folded.length ? [{ key: folded.join(" "), target: unit.target.trim() }] : [];
    const pairs = pairSentences(unit.source, unit.target, this.sourceLang, this.targetLang);
    if (pairs.length > 0) return pairs.map((p) => ({ key: foldPhrase(p.source), target: p.target }));
    const source = unit.source.trim();
    return splitSentences(source, this.sourceLang).length === 1 &&
      splitSentences(unit.target, this.targetLang).length === 1
      ? [{ key: folded.join(" "), target: unit.target.trim() }]
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
    const group = entry.group;
    const members = this.#members[group] as number[];
    members.splice(members.indexOf(slot), 1);
    if (entry.unit.approved) this.#groupApproved[group] = (this.#groupApproved[group] as number) - 1;
    this.#ranked[group] = undefined;
    for (const sentence of entry.sentences) {
      const targets = this.#sentences.get(sentence);
      targets?.delete(slot);
      if (targets?.size === 0) this.#sentences.delete(sentence);
    }
    if (members.length > 0) return;
    // The text's last unit: its group goes. Postings keep it until a lookup meets it
    // (#livePosting): no scan of them here.
    this.#groups.delete(entry.unit.source);
    this.#members[group] = undefined;
    const keys = [...bagKeys(this.#groupBags[group] as Bag)];
    const band = bandOf(keys.length);
    this.#groupBags[group] = undefined;
    for (let k = 0; k < keys.length; k++)
      if (k === 0 || keys[k - 1] !== keys[k]) {
        const key = keys[k] as number;
        this.#counts[key] = (this.#counts[key] ?? 1) - 1;
        this.#dirty.add(key * BANDS + band);
      }
  }

  /** The groups under a key in one length band, with those left without units swept out first. */
  #livePosting(key: number, band: number): number[] {
    const id = key * BANDS + band;
    const list = this.#postings.get(id);
    if (!list) return [];
    // Swept only when a unit under it was removed since its last sweep.
    if (!this.#dirty.delete(id)) return list;
    let kept = 0;
    for (const posting of list) if (this.#members[posting >>> TIMES_BITS]) list[kept++] = posting;
    list.length = kept;
    return list;
  }

  /**
   * The groups that may score at least `min` against a query: those of units whose source is the
   * query's, and those under the query's rarest keys (prefix filtering) whose key overlap and length
   * allow it.
   */
  #candidates(exact: string, coded: Coded, min: number): number[] {
    const out: number[] = [];
    const mark = this.#startMarks();
    const state = this.#state;
    for (const slot of this.#exact.get(exact) ?? []) {
      const group = this.#groupOf[slot] as number;
      if ((state[group] as number) >= mark) continue;
      state[group] = mark;
      out.push(group);
    }
    const m = coded.keys.length;
    if (m === 0 || m > MAX_WORDS || min > 99) return out;
    const t = Math.max(1, Math.ceil((m * min) / 100 - 1e-6));
    // The query's keys, rarest first: any unit sharing t of them shares one of the first m - t + 1.
    const prefix = new Set(
      this.#rarestFirst(coded)
        .slice(0, m - t + 1)
        .filter((k) => k >= 0),
    );
    const [low, high] = lengthBands(m, min);
    this.#bound.load(coded, this.#source.keyCount, this.#source.formCount);
    try {
      for (const key of prefix)
        for (let band = low; band <= high; band++)
          for (const posting of this.#livePosting(key, band)) {
            const group = posting >>> TIMES_BITS;
            if ((state[group] as number) >= mark) continue;
            state[group] = mark;
            if (this.#bound.bound(this.#groupBags[group] as Bag, min) >= 0) out.push(group);
          }
    } finally {
      this.#bound.clear();
    }
    return out;
  }

  /**
   * The walk of a first lookup: every group (a source text) that may score at least the floor
   * (`min`, then the last score of a full list) is met and given to `consider` with its bound, the
   * likeliest first.
   *
   * The query's keys are taken by their groups in the length bands a match's length allows, fewest
   * first. A text of n words scoring at least f shares at least ⌈max(m, n)·f/100⌉ of the query's m
   * words (memory/score.ts), so it misses at most m − ⌈max(m, n)·f/100⌉ of them: it holds one of the
   * first m − ⌈m·f/100⌉ + 1 (prefix filtering), and of any r words read, at least
   * r − (m − ⌈max(m, n)·f/100⌉) (a count filter). The groups under the prefix's keys are met and
   * counted with how many of the words read they hold (a key as many times as both texts hold it).
   * The likeliest of them are bounded and scored first, which puts the floor near where it ends;
   * further keys are then read, for the count only, while one costs fewer postings than a few bounds
   * of the groups that can still reach the floor; and the rest are bounded in the order of the score
   * their count and length allow, until those left cannot reach the floor. Among groups of one such
   * score the ones holding an approved unit are taken first, so that once the list is full a group
   * whose best unit could only tie its last and ranks no better is passed over unbounded. Of the
   * thousands met, a hundred or two are bounded and a few scored, where a memory of near-duplicates
   * tied at the last score had each of them bounded and scored.
   */
  #walk(
    coded: Coded,
    min: number,
    mark: number,
    floor: () => number,
    needOf: (entry: Entry) => number,
    last: () => MemoryUnit | undefined,
    best: (group: number) => number,
    consider: (group: number, bound: number) => void,
  ): void {
    const m = coded.keys.length;
    const state = this.#state;
    const approved = this.#approved;
    const groupApproved = this.#groupApproved;
    const times = this.#times;
    const known = this.#known;
    const lengths = this.#lengths;
    const numbers = this.#numbers;
    const queryNumbers = numbersOf(coded);
    const [low, high] = lengthBands(m, min);
    const keys = this.#keysInBands(coded, low, high);
    let read = 0;
    let k = 0;
    /** The groups met while reading the prefix, then (#bound) those left to bound. */
    if (this.#met.length < this.#nextGroup) this.#met = new Uint32Array(2 * this.#nextGroup);
    const admitted = this.#met;
    let admittedCount = 0;
    let met: Uint32Array = admitted.subarray(0, 0);
    /** Counts the groups under the next key; a group first met there joins the walk when `admit`. */
    const readKey = (admit: boolean) => {
      const { key, weight } = keys[k] as KeyInBands;
      k++;
      // The groups met before may be of any length the floor allows; a group first met here holds
      // none of the words read before, so it shares at most m − read, which bounds its length.
      const [low, high] = lengthBands(m, floor());
      const [first, last] = admit ? lengthBands(m, floor(), m - read) : [high + 1, high];
      read += weight;
      if (key < 0) return;
      for (let band = low; band <= high; band++)
        admittedCount = countPostings(
          this.#livePosting(key, band),
          weight,
          state,
          mark,
          band >= first && band <= last,
          admitted,
          admittedCount,
        );
      if (admit) met = admitted.subarray(0, admittedCount);
    };
    /** The fewest of the words read that a text of n words must hold to reach the floor. */
    const needed = (n: number) => read - m + shares(Math.max(m, n), floor());
    /**
     * Whether a text's numbers put it under `need`: a number pairs with a number only (every other
     * pair costs HEAVY), so the numbers of one text beyond the other's are left unpaired and cost
     * HEAVY each, as its other words beyond those shared (at most those held plus the words not
     * read) cost 1.
     */
    const tooHeavy = (group: number, held: number, need: number) => {
      const count = numbers[group] as number;
      // A count at its cap is a lower bound only.
      if (count === 0xff) return false;
      const extra = count - queryNumbers;
      if (extra === 0) return false;
      const n = lengths[group] as number;
      const unpaired = (extra > 0 ? n : m) - (held + m - read) + (HEAVY - 1) * Math.abs(extra);
      return unpaired > Math.max(m, n) * (1 - need / 100) + 1e-6;
    };
    /** The most a text may score by the words it holds of those read and its length (memory/score.ts). */
    const cheap = (group: number) => {
      const n = lengths[group] as number;
      const shared = Math.min(n, m, (state[group] as number) - mark + m - read);
      return Math.min(99, Math.floor((100 * shared) / Math.max(m, n) + 1e-9));
    };
    /**
     * Bounds up to `batches` batches of the groups met, the highest cheap bound first and, among
     * equal ones, those holding an approved unit, and gives them to `consider`; the groups left stay
     * in `met`. A batch is taken in the order of its bounds and then as the list ranks: the floor
     * rises fastest. A group whose best unit could only tie the last of a full list and ranks no
     * better than it must score one more (`need`): once the list holds the best ranked of a tie,
     * the hundreds of near-duplicates tied with them are passed over unbounded.
     */
    const bound = (batches: number) => {
      const order = byCheap(met, cheap, floor(), groupApproved);
      let i = 0;
      for (let b = 0; b < batches && i < order.length; b++) {
        const batch: { group: number; bound: number; unit: MemoryUnit }[] = [];
        // Read once a batch: a group given to `consider` meanwhile only raises them, and what is
        // passed over by the values read was passed over by the raised ones too.
        const lowest = floor();
        const lastUnit = last();
        const lastApproved = lastUnit?.approved;
        const lastRank = lastUnit ? (lastUnit.approved ? 1 : 0) : 0;
        const lastTime = lastUnit ? times[this.#byKey.get(lastUnit.key) ?? -1] : Number.NaN;
        /**
         * What a group that could just tie the last must score: `lowest` when its best unit ranks
         * before the last (approved, then newer), one more when it does not; the unit's entry is
         * read only when the typed arrays cannot tell (the same instant, or a date written otherwise).
         */
        const tieNeed = (group: number) => {
          const slot = best(group);
          if (slot < 0) return Number.POSITIVE_INFINITY;
          const rank = approved[slot] as number;
          if (rank !== lastRank) return rank > lastRank ? lowest : lowest + 1;
          const time = times[slot] as number;
          if (time > (lastTime as number)) return lowest;
          if (time < (lastTime as number)) return lowest + 1;
          return needOf(this.#entries[slot] as Entry);
        };
        for (let taken = 0; i < order.length && taken < BATCH; i++) {
          const group = order[i] as number;
          const most = cheap(group);
          // In order of the cheap bound: the groups left may score no more, or (no unit approved,
          // the cheap bound the last score) only tie an approved last, which ranks before them.
          if (most < lowest || (most === lowest && groupApproved[group] === 0 && lastApproved)) {
            i = order.length;
            break;
          }
          const upTo = Math.min(most, known.most(group));
          if (upTo < lowest) continue;
          // Its best unit is looked up (its rank, its date) only when it could just tie the last.
          const need = lastApproved !== undefined && upTo === lowest ? tieNeed(group) : lowest;
          if (upTo < need) continue;
          // Its score is known (a unit of it was given to `consider` before the walk): given to
          // `consider` now, with nothing to sort (the list is the same in any order it is given its units).
          if (known.exact(group)) {
            consider(group, upTo);
            continue;
          }
          if (tooHeavy(group, (state[group] as number) - mark, need)) continue;
          taken++;
          const bound = this.#bound.bound(this.#groupBags[group] as Bag, need);
          known.atMost(group, bound < need ? need - 1 : bound);
          const slot = bound >= need ? best(group) : -1;
          if (slot >= 0) batch.push({ group, bound, unit: (this.#entries[slot] as Entry).unit });
        }
        batch.sort((a, b) => ranks(a.bound, a.unit, b.bound, b.unit));
        for (const { group, bound } of batch) consider(group, bound);
      }
      met = order.subarray(i);
    };
    while (k < keys.length && read < m - shares(m, floor()) + 1) readKey(true);
    // The likeliest groups first: the floor then stands near where it ends, and the keys read for
    // the count are weighed against the groups that can still reach it.
    bound(1);
    while (k < keys.length && met.length > 0) {
      // A group under the count needed now stays under it: each key read adds its words to what is
      // needed and at most as many to what it holds. It leaves the list here, not at every pass.
      const need = mark + needed(m);
      const left = met;
      let alive = 0;
      for (let j = 0; j < left.length; j++) {
        const group = left[j] as number;
        if ((state[group] as number) >= need) left[alive++] = group;
      }
      met = left.subarray(0, alive);
      if (alive === 0) return;
      if ((keys[k] as KeyInBands).units > READS_PER_BOUND * alive) break;
      readKey(false);
    }
    bound(Number.POSITIVE_INFINITY);
  }

  /** A query's distinct keys, with the words holding each, those with the fewest units in bands `low`–`high` first. */
  #keysInBands(coded: Coded, low: number, high: number): KeyInBands[] {
    const byKey = new Map<number, KeyInBands>();
    for (const key of coded.keys) {
      const known = byKey.get(key);
      if (known) {
        known.weight++;
        continue;
      }
      let units = 0;
      if (key >= 0)
        for (let band = low; band <= high; band++)
          units += this.#postings.get(key * BANDS + band)?.length ?? 0;
      byKey.set(key, { key, weight: 1, units });
    }
    return [...byKey.values()].sort((a, b) => a.units - b.units);
  }

  /** A query's keys, the rarest first (fewest units under them). */
  #rarestFirst(coded: Coded): number[] {
    return Array.from(coded.keys).sort((a, b) => (this.#counts[a] ?? 0) - (this.#counts[b] ?? 0));
  }

  /** Every unit scoring at least `min` (1–100) against `source`, unordered: the index's whole answer. */
  matches(source: string, min: number): { unit: MemoryUnit; score: number }[] {
    const exact = exactForm(source);
    const { coded } = this.#source.code(source, false);
    const out: { unit: MemoryUnit; score: number }[] = [];
    for (const group of this.#candidates(exact, coded, min)) {
      const members = this.#members[group] as number[];
      const entry = this.#entries[members[0] as number] as Entry;
      const score = scoreWords(coded, entry.coded, entry.exact === exact, min);
      if (score >= min)
        for (const slot of members) out.push({ unit: (this.#entries[slot] as Entry).unit, score });
    }
    return out;
  }

  /** The same answer by scoring every unit: what `matches` must equal (tests, benchmark). */
  scan(source: string, min: number): { unit: MemoryUnit; score: number }[] {
    const exact = exactForm(source);
    const { coded } = this.#source.code(source, false);
    const out: { unit: MemoryUnit; score: number }[] = [];
    for (const entry of this.#entries) {
      if (!entry) continue;
      const score = scoreWords(coded, entry.coded, entry.exact === exact, min);
      if (score >= min) out.push({ unit: entry.unit, score });
    }
    return out;
  }

  /**
   * The best matches, best first (score, then approved, then newest), one per distinct translation
   * of a distinct source, leaving out the unit `exclude` names: the same list as scoring every
   * unit (tests/memory/index.test.ts), reading far fewer.
   */
  search(source: string, min: number, limit: number, exclude?: string): MemoryMatch[] {
    const recentKey = `${min}\u0000${limit}\u0000${exclude ?? ""}\u0000${source}`;
    const recent = this.#recent.get(recentKey);
    const unchanged = recent?.top.every(({ entry }) => this.get(entry.unit.key) === entry.unit) ?? false;
    if (recent && unchanged && recent.upTo === this.#entries.length) {
      // Nothing added and none of its units gone since: the same answer, the query not even read.
      this.#recent.delete(recentKey);
      this.#recent.set(recentKey, recent);
      return [...recent.matches];
    }
    const exact = exactForm(source);
    const { words, coded } = this.#source.code(source, false);
    this.#known.start(this.#nextGroup);
    /** The best `limit` distinct (source, target) pairs so far, best first. */
    const top: { score: number; entry: Entry }[] = [];
    // What a unit must score to enter the list: `min`, then the last one's score once it is full.
    const floor = () => (top.length === limit ? (top[limit - 1] as { score: number }).score : min);
    /**
     * What a unit must score to enter the list: `min`, then once it is full the last one's score
     * when the unit would rank before it on a tie (approved, newer), one more when it would not.
     */
    const needOf = (entry: Entry) => {
      if (entry.unit.key === exclude) return Number.POSITIVE_INFINITY;
      const last = top.length === limit ? top[limit - 1] : undefined;
      if (!last) return min;
      return last.score + (ranks(last.score, entry.unit, last.score, last.entry.unit) < 0 ? 0 : 1);
    };
    /**
     * A unit's score when it reaches `need`, else a number under it. Scored against what it needs:
     * the alignment gives up sooner on a unit that could only tie. A text scored once is not again.
     */
    const scoreOf = (entry: Entry, need: number) => {
      const known = this.#known;
      if (known.exact(entry.group)) return known.most(entry.group);
      if (known.most(entry.group) < need) return -1;
      const score = scoreWords(coded, entry.coded, entry.exact === exact, need);
      if (score >= need) known.is(entry.group, score);
      else known.atMost(entry.group, need - 1);
      return score;
    };
    const last = () => (top.length === limit ? (top[limit - 1] as { entry: Entry }).entry.unit : undefined);
    /** Puts a unit into the list when it belongs there; false when it scores under what it needs. */
    const consider = (entry: Entry, bound: number) => {
      const need = needOf(entry);
      if (bound < need) return false;
      const score = scoreOf(entry, need);
      if (score < need) return false;
      const { source, target } = entry.unit;
      // Units of one source share a group: its texts are compared only for those.
      const same = top.findIndex(
        (t) =>
          t.entry.group === entry.group && t.entry.unit.target === target && t.entry.unit.source === source,
      );
      if (same >= 0) {
        const known = top[same] as { score: number; entry: Entry };
        if (ranks(score, entry.unit, known.score, known.entry.unit) >= 0) return true;
        top.splice(same, 1);
      }
      // Into its place: the list is short and stays sorted.
      let at = top.length;
      while (
        at > 0 &&
        ranks(
          score,
          entry.unit,
          (top[at - 1] as { score: number }).score,
          (top[at - 1] as { entry: Entry }).entry.unit,
        ) < 0
      )
        at--;
      top.splice(at, 0, { score, entry });
      if (top.length > limit) top.pop();
      return true;
    };
    const excluded = exclude === undefined ? -1 : (this.#byKey.get(exclude) ?? -1);
    /** A group's best ranked unit but the excluded one, or -1. */
    const best = (group: number) => {
      const { slots } = this.#rankedOf(group);
      const first = slots[0] === excluded ? slots[1] : slots[0];
      return first ?? -1;
    };
    /**
     * Puts a group's units into the list: its best ranked unit of each distinct target (the list
     * holds one unit per pair), best first, until one scores under what it needs (those after it
     * rank no better).
     */
    const considerGroup = (group: number, bound: number) => {
      const { slots, targets } = this.#rankedOf(group);
      if (targets === 1) {
        const slot = best(group);
        if (slot >= 0) consider(this.#entries[slot] as Entry, bound);
        return;
      }
      const seen = new Set<string>();
      for (const slot of slots) {
        if (slot === excluded) continue;
        const entry = this.#entries[slot] as Entry;
        if (seen.has(entry.unit.target)) continue;
        seen.add(entry.unit.target);
        if (!consider(entry, bound)) return;
      }
    };
    if (recent && unchanged && this.#entries.length - recent.upTo <= RECENT_READS) {
      // None of the list's units is gone since it was made: the units added since are all that can
      // change it (slots only grow), and the walk's answer is theirs merged into it.
      top.push(...recent.top);
      this.#bound.load(coded, this.#source.keyCount, this.#source.formCount);
      try {
        for (let slot = recent.upTo; slot < this.#entries.length; slot++) {
          const entry = this.#entries[slot];
          if (!entry) continue;
          const bag = this.#groupBags[entry.group] as Bag;
          const bound = entry.exact === exact ? 100 : this.#bound.bound(bag, floor());
          if (bound >= floor()) consider(entry, bound);
        }
      } finally {
        this.#bound.clear();
      }
    } else {
      const mark = this.#startMarks();
      for (const slot of this.#exact.get(exact) ?? []) {
        const group = this.#groupOf[slot] as number;
        if ((this.#state[group] as number) >= mark) continue;
        this.#state[group] = mark;
        considerGroup(group, 100);
      }
      const m = coded.keys.length;
      if (m > 0 && m <= MAX_WORDS && min <= 99) {
        this.#bound.load(coded, this.#source.keyCount, this.#source.formCount);
        try {
          this.#walk(coded, min, mark, floor, needOf, last, best, considerGroup);
        } finally {
          this.#bound.clear();
        }
      }
    }
    const same =
      recent !== undefined &&
      recent.top.length === top.length &&
      top.every((t, i) => t.entry === recent.top[i]?.entry && t.score === recent.top[i]?.score);
    const matches = same
      ? recent.matches
      : top.map(({ score, entry }) => this.#withNumbers(entry.unit, score, entry, source, words, coded));
    this.#recent.delete(recentKey);
    this.#recent.set(recentKey, { upTo: this.#entries.length, top: [...top], matches });
    if (this.#recent.size > RECENT) this.#recent.delete(this.#recent.keys().next().value as string);
    return [...matches];
  }

  /** A group's units as a list ranks them (approved, then newest; the latest added first among equals). */
  #rankedOf(group: number): { slots: number[]; targets: number } {
    let ranked = this.#ranked[group];
    if (!ranked) {
      const entries = this.#entries;
      const unitOf = (slot: number) => (entries[slot] as Entry).unit;
      const slots = [...(this.#members[group] as number[])].sort(
        (a, b) => ranks(0, unitOf(a), 0, unitOf(b)) || b - a,
      );
      ranked = { slots, targets: new Set(slots.map((slot) => unitOf(slot).target)).size };
      this.#ranked[group] = ranked;
    }
    return ranked;
  }

  /**
   * The mark of a lookup's groups (#state): a multiple of HELD above every earlier lookup's, so that
   * nothing is cleared between lookups, except when the marks run out (every 8 million lookups).
   */
  #startMarks(): number {
    if (this.#state.length < this.#nextGroup)
      this.#state = grown(this.#state, new Uint32Array(Math.max(1024, this.#nextGroup * 2)));
    if (++this.#marks >= MARKS) {
      this.#state.fill(0);
      this.#marks = 1;
    }
    return this.#marks * HELD;
  }

  /** The match with the numbers that changed put into its translation. */
  #withNumbers(
    unit: MemoryUnit,
    score: number,
    entry: Entry,
    source: string,
    words: Words,
    coded: Coded,
  ): MemoryMatch {
    const numbers = score === 100 ? [] : alignNumbers(coded, entry.coded, score);
    if (numbers.length === 0) return { unit, score, text: unit.target, numbers: [] };
    const old = this.#source.code(unit.source, false).words;
    // A digit run that is part of a larger number ("7.5", "1,500") is no number to substitute on its
    // own: pairing 15 with the 5 of 7.5 wrote "5.000 millones" for "$7.5 billion".
    const changes = numbers
      .filter(
        ([i, j]) =>
          !inLargerNumber(source, words.starts[i] as number, words.ends[i] as number) &&
          !inLargerNumber(unit.source, old.starts[j] as number, old.ends[j] as number),
      )
      .map(([i, j]) => ({ from: old.folded[j] as string, to: words.folded[i] as string }));
    const { text, replaced } = substituteNumbers(unit.target, changes);
    return { unit, score, text, numbers: replaced };
  }

  /**
   * The paragraph put together from translations of its sentences found in the memory, when it has
   * several and at least one is found; its score is the share of words found (at most 99).
   */
  assemble(source: string, exclude?: string): Assembly | undefined {
    // One sentence too: the sentence of a longer paragraph the memory holds (a whole unit of it
    // alone is a whole match, which outranks this).
    const sentences = splitSentences(source, this.sourceLang);
    if (sentences.length === 0) return undefined;
    const excluded = exclude === undefined ? undefined : this.#byKey.get(exclude);
    let words = 0;
    let foundWords = 0;
    const units: (MemoryUnit | null)[] = [];
    const parts = sentences.map((sentence) => {
      const count = tokenize(sentence).length;
      words += count;
      const targets = this.#sentences.get(foldPhrase(sentence));
      let text: string | null = null;
      let from: number | undefined;
      for (const [slot, target] of targets ?? [])
        if (slot !== excluded) {
          text = target;
          from = slot;
        }
      units.push(from === undefined ? null : (this.#entries[from]?.unit ?? null));
      if (text !== null) {
        foundWords += count;
        text = withEnding(sentence, text);
      }
      return { source: sentence, text };
    });
    if (foundWords === 0 || words === 0) return undefined;
    return {
      score: Math.min(99, Math.floor((100 * foundWords) / words)),
      text: parts.map((p) => p.text ?? p.source).join(" "),
      sentences: parts,
      units,
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
      const postings = side === "s" ? this.#sourceWords : this.#targetWords;
      const lists = phrase.map((w) => postings.get(w) ?? []);
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

/**
 * What one lookup knows of each group's score (MemoryIndex #groups): at most a value, or exactly it.
 * Nothing is cleared between lookups: a value of an earlier lookup's mark is not read.
 */
class KnownScores {
  #marks = new Uint32Array(0);
  /** Twice the most the group may score, plus 1 when that is its score. */
  #values = new Int16Array(0);
  #lookup = 0;

  /** Starts a lookup of a memory whose group ids are under `groups`. */
  start(groups: number): void {
    if (this.#marks.length < groups) {
      const marks = new Uint32Array(Math.max(1024, 2 * groups));
      marks.set(this.#marks);
      this.#marks = marks;
      const values = new Int16Array(marks.length);
      values.set(this.#values);
      this.#values = values;
    }
    if (++this.#lookup === 0xffffffff) {
      this.#marks.fill(0);
      this.#lookup = 1;
    }
  }

  /** The most a group may score as far as this lookup knows: above 100 when it knows nothing. */
  most(group: number): number {
    return this.#marks[group] === this.#lookup ? (this.#values[group] as number) >> 1 : 101;
  }

  /** Whether `most` is the group's score. */
  exact(group: number): boolean {
    return this.#marks[group] === this.#lookup && ((this.#values[group] as number) & 1) === 1;
  }

  /** The group scores at most `most`. */
  atMost(group: number, most: number): void {
    if (most < this.most(group)) {
      this.#marks[group] = this.#lookup;
      this.#values[group] = 2 * Math.max(-1, most);
    }
  }

  /** The group scores `score`. */
  is(group: number, score: number): void {
    this.#marks[group] = this.#lookup;
    this.#values[group] = 2 * score + 1;
  }
}

/** A sentence's closing punctuation, quotes or brackets after it allowed, read from its last characters. */
const CLOSING = /[.!?…。！？]+["'»”’)\]]*\s*$/u;

/**
 * A sentence's translation ending as the sentence does: sentences are found with their punctuation
 * folded away, so a remembered one may lack the full stop ("…republicano Suscríbete…" once joined).
 */
function withEnding(sentence: string, text: string): string {
  // Only the last characters are read: a regular expression anchored at the end still tries every start.
  const end = CLOSING.exec(sentence.slice(-16));
  if (!end || /[.!?…。！？:;]["'»”’)\]]*\s*$/u.test(text.slice(-16))) return text;
  // The stop only: a closing quote would have no opening one in the remembered text.
  return text.trimEnd() + (/[.!?…。！？]+/u.exec(end[0])?.[0] ?? "");
}

/** Length bands of the postings: units of 4·b to 4·b + 3 words in band b, the longest ones in the last. */
const BANDS = 128;
/** A posting is group · TIMES + how many times (up to TIMES − 1) the text holds the key. */
const TIMES_BITS = 4;
const TIMES = 1 << TIMES_BITS;
/** Units bounded before the best of them are scored, in a first lookup's walk. */
const BATCH = 32;
/** A group's state (#state) is its lookup's mark plus a count of words below HELD (a query holds at most MAX_WORDS). */
const HELD = 512;
const MARKS = Math.floor(2 ** 32 / HELD) - 1;
const bandOf = (words: number) => Math.min(BANDS - 1, words >> 2);

/**
 * The bands holding every unit whose word count n allows `min` against a query of m words when it
 * shares at most `shared` of its keys: boundOf needs ⌈max(m, n)·min/100⌉ ≤ min(m, n, shared), so
 * n ≥ ⌈m·min/100⌉ and n ≤ shared·100/min.
 */
function lengthBands(m: number, min: number, shared = m): [number, number] {
  const shortest = Math.max(1, Math.ceil((m * min) / 100 - 1e-6));
  const longest = min <= 0 ? MAX_WORDS : Math.floor((shared * 100) / min + 1e-6);
  return [bandOf(shortest), bandOf(Math.min(MAX_WORDS, longest))];
}

/** A key of a query: how many of its words hold it, and how many units it has in the bands read. */
interface KeyInBands {
  key: number;
  weight: number;
  units: number;
}

/** How many postings reading a key may cost per unit it may spare a bound (a bound reads a whole unit). */
const READS_PER_BOUND = 4;

/**
 * Adds to each group's count (#state) the words of a key it holds, `weight` at most; a group first
 * met here (its state under `mark`) is counted and joins `met` (its first `count` taken, the new
 * count returned) only when `admit`. A function of its own, on locals and typed arrays: the loop
 * runs over thousands of postings per lookup.
 */
function countPostings(
  postings: readonly number[],
  weight: number,
  state: Uint32Array,
  mark: number,
  admit: boolean,
  met: Uint32Array,
  count: number,
): number {
  let at = count;
  for (let p = 0; p < postings.length; p++) {
    const posting = postings[p] as number;
    const group = posting >>> TIMES_BITS;
    // The words of this key both texts hold: the fewer of the two counts.
    const both = Math.min(posting & (TIMES - 1), weight);
    const known = state[group] as number;
    if (known >= mark) state[group] = known + both;
    else if (admit) {
      state[group] = mark + both;
      met[at++] = group;
    }
  }
  return at;
}

/**
 * The groups whose cheap bound reaches `floor`, in the order a walk visits them: by their cheap
 * bound, then those holding an approved unit first, then the latest met first (groups are met in
 * the order their texts were added, and the latest added are most often the newest), a counting
 * sort. The order only speeds the walk up: whatever it is, the list is the same.
 */
function byCheap(
  slots: Uint32Array,
  cheap: (group: number) => number,
  floor: number,
  approved: Uint32Array,
): Uint32Array {
  const keys = new Uint8Array(slots.length);
  const starts = new Uint32Array(CHEAP_KEYS);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    const most = cheap(slot);
    const key = most >= floor ? 2 * most + (approved[slot] === 0 ? 0 : 1) : CHEAP_KEYS;
    keys[i] = key;
    if (key < CHEAP_KEYS) starts[key] = (starts[key] as number) + 1;
  }
  let kept = 0;
  for (let key = CHEAP_KEYS - 1; key >= 0; key--) {
    const count = starts[key] as number;
    starts[key] = kept;
    kept += count;
  }
  const sorted = new Uint32Array(kept);
  for (let i = slots.length - 1; i >= 0; i--) {
    const key = keys[i] as number;
    if (key === CHEAP_KEYS) continue;
    const to = starts[key] as number;
    starts[key] = to + 1;
    sorted[to] = slots[i] as number;
  }
  return sorted;
}

/** Keys of byCheap's sort: twice a cheap bound (at most 99) plus 1 for a group with an approved unit. */
const CHEAP_KEYS = 200;

/** How many of a text's words are numbers. */
function numbersOf(coded: Coded): number {
  let count = 0;
  for (let i = 0; i < coded.keys.length; i++) if (coded.keys[i] === NUMBER_ID) count++;
  return count;
}

/** Words of m a unit must share with the query to score `min` or more: ⌈m·min/100⌉, at least 1. */
const shares = (m: number, min: number) => Math.max(1, Math.ceil((m * min) / 100 - 1e-6));

/** Negative when (a, unitA) ranks before (b, unitB): higher score, then approved, then newer. */
function ranks(a: number, unitA: MemoryUnit, b: number, unitB: MemoryUnit): number {
  return (
    b - a ||
    Number(unitB.approved) - Number(unitA.approved) ||
    (unitA.updatedAt < unitB.updatedAt ? 1 : unitA.updatedAt > unitB.updatedAt ? -1 : 0)
  );
}

/**
 * Whether a text may hold more than one sentence: a sentence end followed by more text, or a line
 * break. When it cannot, the segmenter is not asked.
 */
function mayHaveSentences(text: string): boolean {
  return /[.!?…]["'”’»)\]]*\s+\S|[。！？]\S|[\n\r\u2028\u2029\u0085]/u.test(text.trim());
}

/** Files `slot` once under each of `words`. */
function post(postings: Map<string, number[]>, words: readonly string[], slot: number): void {
  for (const word of words) {
    const list = postings.get(word);
    if (!list) postings.set(word, [slot]);
    // A word met twice in one unit is filed once: the unit was the last one filed under it.
    else if (list[list.length - 1] !== slot) list.push(slot);
  }
}

/** The folded words of a text, as the concordance compares them: an inline code's placeholder holds none. */
function foldedWords(
  text: string,
  { starts, ends }: { starts: number[]; ends: number[] } = wordsOutsidePlaceholders(text),
): string[] {
  return starts.map((start, i) => foldWord(text.slice(start, ends[i])));
}

/** `to`, a larger array, holding `from`'s values first. */
function grown<T extends { set(array: ArrayLike<number>): void }>(from: ArrayLike<number>, to: T): T {
  to.set(from);
  return to;
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

/** Where the folded words `phrase` stand in `text`, as UTF-16 ranges; never inside a placeholder. */
function phraseRanges(text: string, phrase: readonly string[]): [number, number][] {
  const bounds = wordsOutsidePlaceholders(text);
  const { starts, ends } = bounds;
  const folded = foldedWords(text, bounds);
  const out: [number, number][] = [];
  for (let i = 0; i + phrase.length <= folded.length; i++) {
    let k = 0;
    while (k < phrase.length && folded[i + k] === phrase[k]) k++;
    if (k === phrase.length) out.push([starts[i] as number, ends[i + k - 1] as number]);
  }
  return out;
}
