/**
 * A text read as the memory compares it: its words, folded and stemmed exactly as the glossary
 * matcher reads them (glossary/normalize.ts), each with the key the index files it under. Numbers
 * share one key, so that "15 billion" and "20 billion" align word for word and only the value differs.
 */

import { foldWord, stemmerFor, wordBounds } from "../glossary/normalize.ts";
import { placeholderRanges } from "./placeholders.ts";

/** The key every number is filed under. */
export const NUMBER_KEY = "\u0000#";

/** Words that turn a sentence's meaning around: adding or dropping one costs much more than a word. */
const NEGATIONS = new Set([
  "not",
  "no",
  "never",
  "nor",
  "none",
  "nothing",
  "nobody",
  "without",
  "cannot",
  "nunca",
  "jamas",
  "ni",
  "nada",
  "nadie",
  "ninguno",
  "ninguna",
  "ningun",
  "sin",
  "tampoco",
  "pas",
  "non",
  "nicht",
  "kein",
  "keine",
  "nie",
  "nao",
]);

const DIGITS = /^\p{N}+$/u;

/** A text's words: word `i` is `text.slice(starts[i], ends[i])`. */
export interface Words {
  /** Index keys: the folded, stemmed word, or NUMBER_KEY. */
  readonly keys: readonly string[];
  /** Folded but unstemmed words, to tell an inflection from the same word. */
  readonly folded: readonly string[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export function readWords(text: string, lang: string): Words {
  const stem = stemmerFor(lang);
  const { starts, ends } = wordsOutsidePlaceholders(text);
  const keys = new Array<string>(starts.length);
  const folded = new Array<string>(starts.length);
  for (let i = 0; i < starts.length; i++) {
    const word = foldWord(text.slice(starts[i], ends[i]));
    folded[i] = word;
    keys[i] = DIGITS.test(word) ? NUMBER_KEY : stem(word);
  }
  return { keys, folded, starts, ends };
}

/** Whether a folded word is a negation or a number: words whose presence changes what is said. */
export function isHeavy(folded: string, key: string): boolean {
  return key === NUMBER_KEY || NEGATIONS.has(folded) || folded.endsWith("n't");
}

/** Where a text's words stand, leaving out the digits of inline-code placeholders: word `i` is `text.slice(starts[i], ends[i])`. */
export function wordsOutsidePlaceholders(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  wordBounds(text, starts, ends);
  dropPlaceholders(text, starts, ends);
  return { starts, ends };
}

/** Takes the words inside inline-code placeholders (`{1}`, memory/placeholders.ts) out of the bounds. */
function dropPlaceholders(text: string, starts: number[], ends: number[]): void {
  const ranges = placeholderRanges(text);
  if (ranges.length === 0) return;
  let kept = 0;
  let r = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    while (r < ranges.length && (ranges[r] as [number, number])[1] <= start) r++;
    const range = ranges[r];
    if (range && range[0] <= start && start < range[1]) continue;
    starts[kept] = start;
    ends[kept] = ends[i] as number;
    kept++;
  }
  starts.length = kept;
  ends.length = kept;
}
