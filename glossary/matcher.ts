/**
 * Finds phrases (glossary terms, their targets, forbidden forms) in a text in one pass over its
 * tokens, whatever the number of phrases: the phrases are stored in a trie keyed by stemmed
 * tokens, and the text is walked once, each position following the trie only as far as the
 * longest phrase. No regular expression per term.
 */

import { type KeyedText, type Lexicon, lexiconFor, UNKNOWN_KEY } from "./lexicon.ts";
import { foldAccents, tokenize } from "./normalize.ts";

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
  /** Compare stems (inflection-aware) rather than whole folded words. Default true. */
  stem?: boolean;
  /**
   * Remember how each text read (its words as numbers) for later matchers of the same language:
   * for texts that are matched again and again, like a document's source. Default false.
   */
  remember?: boolean;
  /** The lexicon to number words with; by default the process-wide one of the language. */
  lexicon?: Lexicon;
}

interface Entry<T> {
  ref: T;
  caseSensitive: boolean;
  /** Accent-folded, case-kept tokens of the phrase, for the case check. */
  cased: string[];
}

interface TrieNode<T> {
  /** Word numbers of the children, beside them; a Map takes over when there are many. */
  keys: number[];
  children: TrieNode<T>[];
  many: Map<number, TrieNode<T>> | undefined;
  entries: Entry<T>[];
}

// Most nodes are leaves or have one child: they share the empty arrays until they need their own.
const NONE: never[] = [];
const newNode = <T>(): TrieNode<T> => ({ keys: NONE, children: NONE, many: undefined, entries: NONE });
const FEW = 8;

function childOf<T>(node: TrieNode<T>, key: number): TrieNode<T> | undefined {
  if (node.many) return node.many.get(key);
  const keys = node.keys;
  for (let k = 0; k < keys.length; k++) if (keys[k] === key) return node.children[k];
  return undefined;
}

function addChild<T>(node: TrieNode<T>, key: number): TrieNode<T> {
  const child = newNode<T>();
  if (node.keys === NONE) {
    node.keys = [];
    node.children = [];
  }
  node.keys.push(key);
  node.children.push(child);
  if (node.many) node.many.set(key, child);
  else if (node.keys.length > FEW)
    node.many = new Map(node.keys.map((k, i) => [k, node.children[i] as TrieNode<T>]));
  return child;
}

/**
 * The first level of the trie: word number → node, by open addressing in a typed array, behind a
 * bitset of the first words' numbers. Every word of a text is looked up here and most are not
 * there, so this is the scan's inner loop; the bitset answers them from a few kilobytes.
 */
class FirstWords<T> {
  #slots = new Int32Array(64);
  #nodes: (TrieNode<T> | undefined)[] = new Array(64).fill(undefined);
  #count = 0;
  /** Bit `n mod 65,536` is set when some phrase starts with the word numbered n. */
  readonly #bits = new Int32Array(BITSET_WORDS);

  get(key: number): TrieNode<T> | undefined {
    if (((this.#bits[(key >>> 5) & (BITSET_WORDS - 1)] as number) & (1 << (key & 31))) === 0)
      return undefined;
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let slot = slotOf(key, mask); ; slot = (slot + 1) & mask) {
      const k = slots[slot];
      if (k === key) return this.#nodes[slot];
      if (k === UNKNOWN_KEY) return undefined;
    }
  }

  getOrAdd(key: number): TrieNode<T> {
    const found = this.get(key);
    if (found) return found;
    if ((this.#count + 1) * 2 > this.#slots.length) this.#resize(this.#slots.length * 2);
    const node = newNode<T>();
    this.#put(key, node);
    const word = (key >>> 5) & (BITSET_WORDS - 1);
    this.#bits[word] = (this.#bits[word] as number) | (1 << (key & 31));
    this.#count++;
    return node;
  }

  #put(key: number, node: TrieNode<T>): void {
    const mask = this.#slots.length - 1;
    let slot = slotOf(key, mask);
    while (this.#slots[slot] !== UNKNOWN_KEY) slot = (slot + 1) & mask;
    this.#slots[slot] = key;
    this.#nodes[slot] = node;
  }

  #resize(size: number): void {
    const slots = this.#slots;
    const nodes = this.#nodes;
    this.#slots = new Int32Array(size);
    this.#nodes = new Array(size).fill(undefined);
    slots.forEach((key, i) => {
      const node = nodes[i];
      if (key !== UNKNOWN_KEY && node) this.#put(key, node);
    });
  }
}

const BITSET_WORDS = 2048;
const slotOf = (key: number, mask: number) => Math.imul(key, 0x9e3779b1) & mask;

export class PhraseMatcher<T> {
  readonly #first = new FirstWords<T>();
  readonly #lexicon: Lexicon;
  readonly #remember: boolean;
  #size = 0;

  constructor(lang: string, phrases: Iterable<Phrase<T>>, options: MatcherOptions = {}) {
    this.#lexicon = options.lexicon ?? lexiconFor(lang, options.stem ?? true);
    this.#remember = options.remember ?? false;
    for (const phrase of phrases) this.add(phrase);
  }

  get size(): number {
    return this.#size;
  }

  add(phrase: Phrase<T>): void {
    const tokens = tokenize(phrase.text);
    const [head, ...rest] = tokens;
    if (!head) return;
    let node = this.#first.getOrAdd(this.#lexicon.numberOf(head.surface));
    for (const token of rest) {
      const key = this.#lexicon.numberOf(token.surface);
      node = childOf(node, key) ?? addChild(node, key);
    }
    if (node.entries === NONE) node.entries = [];
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
    return this.#scan(text, false, toMatch);
  }

  /** As `find`, each match made by `make` (no intermediate match object). */
  findWith<R>(text: string, make: MakeMatch<T, R>): R[] {
    return this.#scan(text, false, make);
  }

  /** Every occurrence of every phrase, overlapping ones included (for checking a translation). */
  findAll(text: string): PhraseMatch<T>[] {
    return this.#scan(text, true, toMatch);
  }

  #scan<R>(text: string, all: boolean, make: MakeMatch<T, R>): R[] {
    const words = this.#lexicon.read(text, this.#remember);
    const { keys, starts, ends } = words;
    const matches: R[] = [];
    const n = keys.length;
    const first = this.#first;
    let i = 0;
    while (i < n) {
      let node = first.get(keys[i] as number);
      if (!node) {
        i++;
        continue;
      }
      let best: Entry<T> | undefined;
      let last = i;
      for (let j = i; ; ) {
        for (const entry of node.entries) {
          if (entry.caseSensitive && !casesAgree(entry, text, words, i)) continue;
          if (all) matches.push(make(entry.ref, starts[i] as number, ends[j] as number, text));
          else {
            best = entry;
            last = j;
          }
          break;
        }
        if (++j >= n) break;
        node = childOf(node, keys[j] as number);
        if (!node) break;
      }
      if (!all && best) {
        matches.push(make(best.ref, starts[i] as number, ends[last] as number, text));
        i = last + 1;
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
function casesAgree<T>(entry: Entry<T>, text: string, words: KeyedText, first: number): boolean {
  return entry.cased.every((word, k) => {
    const start = words.starts[first + k];
    return start !== undefined && foldAccents(text.slice(start, words.ends[first + k])).startsWith(word);
  });
}

/** Builds a match of `ref` at `[start, end)` of `text`. */
export type MakeMatch<T, R> = (ref: T, start: number, end: number, text: string) => R;

function toMatch<T>(ref: T, start: number, end: number, text: string): PhraseMatch<T> {
  return { ref, start, end, text: text.slice(start, end) };
}
