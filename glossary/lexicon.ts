/**
 * The matching keys of one language, numbered, and the texts already read as those numbers.
 *
 * Matching a text against a glossary is cheap once every word is a number; the costly part is
 * finding the words and folding and stemming them, and that part does not depend on the glossary.
 * So a source text is read once and remembered here, and every later glossary version (a new index
 * after each term change) walks its numbers only: a document stays matched in a fraction of the time
 * of one save, not re-read word by word after every glossary edit.
 */

import { primaryLang } from "./language.ts";
import { foldWord, type Stem, stemmerFor, wordBounds } from "./normalize.ts";

/** A text read as matching keys: word `i` spans `[starts[i], ends[i])` and has the key `keys[i]`. */
export interface KeyedText {
  readonly keys: readonly number[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** The number of a word that no phrase of any matcher on this lexicon can contain. */
export const UNKNOWN_KEY = 0;

export interface LexiconLimits {
  /** Distinct keys before the lexicon is full and a fresh one is handed out. */
  keys: number;
  /** Words of remembered texts, all texts together, before the least recently read are forgotten. */
  rememberedWords: number;
}

const DEFAULT_LIMITS: LexiconLimits = { keys: 1_000_000, rememberedWords: 1_000_000 };
const SURFACE_MEMO = 200_000;

export class Lexicon {
  readonly #stem: Stem;
  readonly #limits: LexiconLimits;
  /** Folded (and stemmed) word → its number, from 1. Never shrinks: tries hold these numbers. */
  readonly #numbers = new Map<string, number>();
  /**
   * Word as written → its number: saves folding and stemming a word each time it recurs. A word
   * without a key is remembered as minus the number the next key will get, so it is looked at again
   * once any key has been added.
   */
  readonly #surfaces = new Map<string, number>();
  /** Remembered readings, least recently read first. */
  readonly #texts = new Map<string, KeyedText>();
  #rememberedWords = 0;

  constructor(lang: string, stem: boolean, limits: LexiconLimits = DEFAULT_LIMITS) {
    this.#stem = stem ? stemmerFor(lang) : (w) => w;
    this.#limits = limits;
  }

  /** No more keys for texts: the registry hands out a fresh lexicon for new matchers. */
  get full(): boolean {
    return this.#numbers.size >= this.#limits.keys;
  }

  get rememberedTexts(): number {
    return this.#texts.size;
  }

  /** The number of a word of a phrase, added when new. */
  numberOf(surface: string): number {
    return this.#number(surface, true);
  }

  /**
   * The words of `text` as numbers. A remembered reading gives every word a number, so that a trie
   * built later on this lexicon can walk it; a passing one (a translation being checked) numbers only
   * the words some phrase already has, and the rest are UNKNOWN_KEY.
   */
  read(text: string, remember: boolean): KeyedText {
    const known = this.#texts.get(text);
    if (known) {
      this.#texts.delete(text);
      this.#texts.set(text, known);
      return known;
    }
    const add = remember && !this.full;
    const starts: number[] = [];
    const ends: number[] = [];
    wordBounds(text, starts, ends);
    const keys = new Array<number>(starts.length);
    for (let i = 0; i < starts.length; i++) keys[i] = this.#number(text.slice(starts[i], ends[i]), add);
    const reading = { keys, starts, ends };
    if (add) this.#remember(text, reading);
    return reading;
  }

  #number(surface: string, add: boolean): number {
    const memo = this.#surfaces.get(surface);
    // A negative memo is "no key yet", true only until the next key is numbered.
    if (memo !== undefined && memo > 0) return memo;
    if (memo !== undefined && !add && -memo === this.#numbers.size + 1) return UNKNOWN_KEY;
    const key = this.#stem(foldWord(surface));
    let number = this.#numbers.get(key);
    if (number === undefined && add) {
      number = this.#numbers.size + 1;
      this.#numbers.set(key, number);
    }
    if (this.#surfaces.size >= SURFACE_MEMO) this.#surfaces.clear();
    // Not remembered and without a key: a phrase added later may still bring one.
    this.#surfaces.set(surface, number ?? -(this.#numbers.size + 1));
    return number ?? UNKNOWN_KEY;
  }

  #remember(text: string, reading: KeyedText): void {
    this.#texts.set(text, reading);
    this.#rememberedWords += reading.keys.length;
    for (const [oldest, old] of this.#texts) {
      if (this.#rememberedWords <= this.#limits.rememberedWords || oldest === text) break;
      this.#texts.delete(oldest);
      this.#rememberedWords -= old.keys.length;
    }
  }
}

/**
 * One lexicon per language and matching mode, shared by every matcher of the process so that texts
 * read for one glossary version serve the next. Like the stemmers, it holds only derived data.
 */
const lexicons = new Map<string, Lexicon>();

export function lexiconFor(lang: string, stem: boolean): Lexicon {
  const name = `${primaryLang(lang)}${stem ? "" : "\u0000exact"}`;
  let lexicon = lexicons.get(name);
  if (!lexicon || lexicon.full) {
    lexicon = new Lexicon(lang, stem);
    lexicons.set(name, lexicon);
  }
  return lexicon;
}
