/**
 * Finds phrases (glossary terms, their targets, forbidden forms) in a text in one pass over its
 * tokens, whatever the number of phrases: the phrases are stored in a trie keyed by stemmed
 * tokens, and the text is walked once, each position following the trie only as far as the
 * longest phrase. No regular expression per term.
 */

import { foldAccents, foldWord, type Stem, stemmerFor, type Token, tokenize } from "./normalize.ts";

/** A phrase to look for, with the caller's payload. */
export interface Phrase<T> {
  text: string;
  caseSensitive: boolean;
  ref: T;
}

/** Where a phrase occurs in the text. */
export interface PhraseMatch<T> {
  ref: T;
  /** UTF-16 offset of the match in the text. */
  start: number;
  /** UTF-16 offset one past the match. */
  end: number;
  /** The matched text as written. */
  text: string;
}

export interface MatcherOptions {
  /** Compare stems (inflection-aware) rather than whole folded words. */
  stem: boolean;
}

interface Entry<T> {
  ref: T;
  caseSensitive: boolean;
  /** Accent-folded, case-kept tokens of the phrase, for the case check. */
  cased: string[];
}

interface TrieNode<T> {
  next: Map<string, TrieNode<T>>;
  entries: Entry<T>[];
}

const newNode = <T>(): TrieNode<T> => ({ next: new Map(), entries: [] });

export class PhraseMatcher<T> {
  readonly #root: TrieNode<T> = newNode();
  readonly #key: (token: string) => string;
  #size = 0;

  constructor(lang: string, phrases: Iterable<Phrase<T>>, options: MatcherOptions = { stem: true }) {
    const stem: Stem = options.stem ? stemmerFor(lang) : (w) => w;
    // Texts repeat their words: fold and stem each distinct word once.
    const keys = new Map<string, string>();
    this.#key = (surface) => {
      let key = keys.get(surface);
      if (key === undefined) {
        key = stem(foldWord(surface));
        if (keys.size > 100_000) keys.clear();
        keys.set(surface, key);
      }
      return key;
    };
    for (const phrase of phrases) this.add(phrase);
  }

  get size(): number {
    return this.#size;
  }

  add(phrase: Phrase<T>): void {
    const tokens = tokenize(phrase.text);
    if (tokens.length === 0) return;
    let node = this.#root;
    for (const token of tokens) {
      const key = this.#key(token.surface);
      let child = node.next.get(key);
      if (!child) {
        child = newNode();
        node.next.set(key, child);
      }
      node = child;
    }
    node.entries.push({
      ref: phrase.ref,
      caseSensitive: phrase.caseSensitive,
      cased: tokens.map((t) => foldAccents(t.surface)),
    });
    this.#size++;
  }

  /**
   * Leftmost-longest, non-overlapping matches: at each position the longest phrase wins, and the
   * scan resumes after it.
   */
  find(text: string): PhraseMatch<T>[] {
    return this.#scan(text, false);
  }

  /** Every occurrence of every phrase, overlapping ones included (for checking a translation). */
  findAll(text: string): PhraseMatch<T>[] {
    return this.#scan(text, true);
  }

  #scan(text: string, all: boolean): PhraseMatch<T>[] {
    const tokens = tokenize(text);
    const keys = tokens.map((t) => this.#key(t.surface));
    const matches: PhraseMatch<T>[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node: TrieNode<T> | undefined = this.#root;
      let best: { entry: Entry<T>; last: number } | undefined;
      for (let j = i; j < tokens.length && node; j++) {
        node = node.next.get(keys[j] as string);
        if (!node) break;
        for (const entry of node.entries) {
          if (!casesAgree(entry, tokens, i)) continue;
          if (all) matches.push(toMatch(entry.ref, tokens, i, j, text));
          else best = { entry, last: j };
          break;
        }
      }
      if (!all && best) {
        matches.push(toMatch(best.entry.ref, tokens, i, best.last, text));
        i = best.last + 1;
      } else {
        i++;
      }
    }
    return matches;
  }
}

/**
 * A case-sensitive phrase matches only where each word starts with the phrase's word as written
 * (accents aside), so `IMF` matches `IMF` and `IMFs` but not `imf`, and `Casa Rosada` not `casa rosada`.
 */
function casesAgree<T>(entry: Entry<T>, tokens: Token[], first: number): boolean {
  if (!entry.caseSensitive) return true;
  return entry.cased.every((word, k) => {
    const token = tokens[first + k];
    return token !== undefined && foldAccents(token.surface).startsWith(word);
  });
}

function toMatch<T>(ref: T, tokens: Token[], first: number, last: number, text: string): PhraseMatch<T> {
  const start = (tokens[first] as Token).start;
  const end = (tokens[last] as Token).end;
  return { ref, start, end, text: text.slice(start, end) };
}
