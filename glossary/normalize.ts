/**
 * Tokenisation and folding for term matching. Offsets are always UTF-16 offsets into the original
 * text: folding happens per token, so it can never move a match.
 */

import snowball from "snowball-stemmers";
import { primaryLang } from "./language.ts";

/** A word of the text with its position. */
export interface Token {
  /** UTF-16 offset of the first code unit. */
  start: number;
  /** UTF-16 offset one past the last code unit. */
  end: number;
  /** The word as written. */
  surface: string;
}

// Letters, marks and digits, with apostrophes (straight or curly) inside a word: "Trump’s", "don't".
// Hyphens, dashes, spaces of every kind (NBSP included) and punctuation separate words, so
// "president-elect", "president elect" and "president‑elect" (non-breaking hyphen) tokenise alike.
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’ʼ‘][\p{L}\p{M}\p{N}]+)*/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    tokens.push({ start, end: start + m[0].length, surface: m[0] });
  }
  return tokens;
}

const MARKS = /\p{M}+/gu;
const APOSTROPHES = /['’ʼ‘]/g;

const ASCII = /^[\x20-\x7e]*$/;

/** Accent- and apostrophe-folded form that keeps case (for case-sensitive terms). */
export function foldAccents(word: string): string {
  // Most words of most texts are plain ASCII, which has nothing to fold.
  if (ASCII.test(word)) return word;
  return word.normalize("NFKD").replace(MARKS, "").replace(APOSTROPHES, "'").normalize("NFC");
}

/** Accent-, apostrophe- and case-folded form. */
export function foldWord(word: string): string {
  return foldAccents(word).toLowerCase();
}

const SNOWBALL: Record<string, string> = {
  ar: "arabic",
  hy: "armenian",
  eu: "basque",
  ca: "catalan",
  cs: "czech",
  da: "danish",
  nl: "dutch",
  en: "english",
  fi: "finnish",
  fr: "french",
  de: "german",
  hu: "hungarian",
  it: "italian",
  ga: "irish",
  nb: "norwegian",
  nn: "norwegian",
  no: "norwegian",
  pt: "portuguese",
  ro: "romanian",
  ru: "russian",
  es: "spanish",
  sl: "slovene",
  sv: "swedish",
  ta: "tamil",
  tr: "turkish",
};

/** Turns a folded word into its matching key. */
export type Stem = (folded: string) => string;

const identity: Stem = (w) => w;
const stemmers = new Map<string, Stem>();

/**
 * The Snowball stemmer for a language (by primary subtag), memoised; languages without one
 * fall back to exact word matching.
 */
export function stemmerFor(lang: string): Stem {
  const primary = primaryLang(lang);
  const cached = stemmers.get(primary);
  if (cached) return cached;
  const algorithm = SNOWBALL[primary];
  let stem = identity;
  if (algorithm) {
    const stemmer = snowball.newStemmer(algorithm);
    const memo = new Map<string, string>();
    stem = (folded) => {
      let s = memo.get(folded);
      if (s === undefined) {
        // Snowball strips a trailing possessive itself only for the ASCII apostrophe.
        s = stemmer.stem(folded);
        if (memo.size > 200_000) memo.clear();
        memo.set(folded, s);
      }
      return s;
    };
  }
  stemmers.set(primary, stem);
  return stem;
}

export function hasStemmer(lang: string): boolean {
  return SNOWBALL[primaryLang(lang)] !== undefined;
}
