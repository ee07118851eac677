/**
 * Find and replace over translations: whole words, case kept per occurrence, and inflected forms
 * (found through the glossary's stemmer) offered apart for the user to confirm one by one.
 *
 * No regular expression is built from the user's text: the query and each translation are split
 * into words by the glossary's tokenizer (a linear scan) and compared word by word, so the cost is
 * linear in the text times the (bounded) number of words of the query.
 */

import { primaryLang } from "../glossary/language.ts";
import { foldWord, stemmerFor, tokenize, wordBounds } from "../glossary/normalize.ts";
import { blankNonProse } from "../quality/finding.ts";
import { ValidationError } from "./errors.ts";

/** Longest text to find or to replace with, in characters. */
export const MAX_QUERY_LENGTH = 200;
/** Most words the text to find may have. */
export const MAX_QUERY_WORDS = 12;
/** Most occurrences one search returns; the rest are counted as left out. */
export const MAX_OCCURRENCES = 1000;
/** Characters of context either side of an occurrence. */
const CONTEXT = 40;

export interface ReplaceQuery {
  /** The words to find (whole words only). */
  find: string;
  /** What to put in their place (may be empty: the words are removed). */
  replace: string;
  /** The target language of the translations searched (stemmer, plural rules). */
  lang: string;
  /** Only occurrences written exactly as `find` (case and all); otherwise case is kept per occurrence. */
  matchCase?: boolean;
  /** Also offer inflected forms ("motosierras" for "motosierra"). Default true. */
  inflections?: boolean;
}

/** A paragraph's current translation, as searched. */
export interface SearchedText {
  documentId: string;
  pid: string;
  /** The latest revision, which an apply must still find in place. */
  revision: number;
  text: string;
  /** The text is Markdown (its document's format): only its prose is searched (markdownProse). */
  markdown?: boolean;
}

/** `exact`: the same words, case aside; `inflection`: another form of them, to be confirmed. */
export type OccurrenceKind = "exact" | "inflection";

export interface Occurrence {
  /** Stable within one revision: `documentId/pid/revision/start`. */
  id: string;
  documentId: string;
  pid: string;
  revision: number;
  /** UTF-16 offsets into the revision's text. */
  start: number;
  end: number;
  /** The words as written. */
  text: string;
  kind: OccurrenceKind;
  /** The replacement proposed for this occurrence, its case and (for an inflection) its ending adapted. */
  proposed: string;
  /** Up to 40 characters before and after, cut at word bounds where possible. */
  before: string;
  after: string;
  /**
   * Glossary findings the paragraph's replacements would bring into it (a required term gone, a
   * forbidden form written): said in the preview, before anything is applied.
   */
  glossary?: { code: string; termId: string; term: string; target: string }[];
}

export interface SearchResult {
  occurrences: Occurrence[];
  /** Occurrences found beyond MAX_OCCURRENCES, not returned. */
  omitted: number;
  /** Places that already read as the replacement would write them: nothing to change, not returned. */
  unchanged?: number;
}

/** Checks and normalises a query; a 400 for an empty, too long or wordless one. */
export function checkQuery(query: ReplaceQuery): ReplaceQuery {
  const find = query.find.normalize("NFC").trim();
  const replace = query.replace.normalize("NFC").trim();
  if (find.length > MAX_QUERY_LENGTH || replace.length > MAX_QUERY_LENGTH)
    throw new ValidationError(
      `The text to find and its replacement may have at most ${MAX_QUERY_LENGTH} characters.`,
      { find: "too long" },
      "query_too_long",
    );
  const words = tokenize(find).length;
  if (words === 0) throw new ValidationError("Type a word to find.", { find: "no words" }, "query_empty");
  if (words > MAX_QUERY_WORDS)
    throw new ValidationError(
      `The text to find may have at most ${MAX_QUERY_WORDS} words.`,
      { find: "too many words" },
      "query_too_long",
    );
  return { ...query, find, replace };
}

/** A searcher for one query, reused over every paragraph searched. */
export class Finder {
  readonly #query: ReplaceQuery;
  readonly #words: string[];
  readonly #folded: string[];
  readonly #stems: string[];
  /** The first letter of each query word, case- and accent-folded: most words differ there already. */
  readonly #initials: string[];
  readonly #stem: (w: string) => string;
  /**
   * Proposals by occurrence as written: an article writes the same word the same few ways, and
   * adapting case and ending to each was most of a preview's time. Emptied when it grows large.
   */
  readonly #proposals = new Map<string, string>();

  constructor(query: ReplaceQuery) {
    this.#query = checkQuery(query);
    this.#words = tokenize(this.#query.find).map((t) => t.surface);
    this.#folded = this.#words.map((w) => w.toLowerCase());
    this.#stem = stemmerFor(query.lang);
    this.#stems = this.#words.map((w) => this.#stem(foldWord(w)));
    this.#initials = this.#words.map((w) => initialOf(w));
  }

  get query(): ReplaceQuery {
    return this.#query;
  }

  /** Places found so far (find, count) that already read as their replacement: a replace there changes nothing. */
  get unchanged(): number {
    return this.#unchanged;
  }

  #unchanged = 0;

  /**
   * Occurrences in one text, leftmost first, never overlapping; a place that already reads as its
   * replacement is no occurrence ("Casa Rosada" replaced by "Casa Rosada"), only counted (`unchanged`).
   */
  find(searched: SearchedText): Occurrence[] {
    const { text } = searched;
    const found: Occurrence[] = [];
    this.#scan(text, searched.markdown === true, (start, end, kind) => {
      const written = text.slice(start, end);
      const proposed = this.#proposalFor(written, kind);
      if (proposed === written) {
        this.#unchanged++;
        return;
      }
      found.push({
        id: `${searched.documentId}/${searched.pid}/${searched.revision}/${start}`,
        documentId: searched.documentId,
        pid: searched.pid,
        revision: searched.revision,
        start,
        end,
        text: written,
        kind,
        proposed,
        before: contextBefore(text, start),
        after: contextAfter(text, end),
      });
    });
    return found;
  }

  /** How many occurrences `find` would return, without building them (those past a preview's cap). */
  count(text: string, markdown = false): number {
    let n = 0;
    this.#scan(text, markdown, (start, end, kind) => {
      const written = text.slice(start, end);
      if (this.#proposalFor(written, kind) === written) this.#unchanged++;
      else n++;
    });
    return n;
  }

  #scan(
    written: string,
    markdown: boolean,
    onMatch: (start: number, end: number, kind: OccurrenceKind) => void,
  ): void {
    // Blanked, not cut: the offsets found are the written text's.
    const text = markdown ? markdownProse(written) : written;
    const starts: number[] = [];
    const ends: number[] = [];
    wordBounds(text, starts, ends);
    const n = this.#words.length;
    for (let i = 0; i + n <= starts.length; ) {
      const kind = this.#matchAt(text, starts, ends, i);
      if (!kind) {
        i++;
        continue;
      }
      onMatch(starts[i] as number, ends[i + n - 1] as number, kind);
      i += n;
    }
  }

  #proposalFor(written: string, kind: OccurrenceKind): string {
    const key = `${kind}\u0000${written}`;
    let proposed = this.#proposals.get(key);
    if (proposed === undefined) {
      if (this.#proposals.size >= 1000) this.#proposals.clear();
      proposed = this.propose(written, kind);
      this.#proposals.set(key, proposed);
    }
    return proposed;
  }

  #matchAt(text: string, starts: number[], ends: number[], i: number): OccurrenceKind | undefined {
    let kind: OccurrenceKind = "exact";
    for (let k = 0; k < this.#words.length; k++) {
      const start = starts[i + k] as number;
      // Inflections share the first letter (accents and case aside): the rest are not even sliced.
      if (initialOf(text.slice(start, start + 2)) !== this.#initials[k]) return undefined;
      const word = text.slice(start, ends[i + k]);
      if (this.#query.matchCase ? word === this.#words[k] : word.toLowerCase() === this.#folded[k]) continue;
      if (this.#query.inflections === false) return undefined;
      if (this.#stem(foldWord(word)) !== this.#stems[k]) return undefined;
      // An inflection keeps the case rule: with matchCase, its first letter must be as written.
      if (this.#query.matchCase && word[0] !== this.#words[k]?.[0]) return undefined;
      kind = "inflection";
    }
    return kind;
  }

  /** The replacement for one occurrence: its case pattern, and for an inflection its ending. */
  propose(written: string, kind: OccurrenceKind): string {
    const replace = this.#query.replace;
    if (!replace) return "";
    let proposed = replace;
    if (kind === "inflection") {
      const writtenWords = tokenize(written).map((t) => t.surface);
      const lastFound = writtenWords.at(-1) ?? "";
      const lastQuery = this.#words.at(-1) ?? "";
      proposed = inflectLastWord(replace, lastQuery, lastFound, this.#query.lang);
    }
    return this.#query.matchCase ? proposed : withCaseOf(written, proposed);
  }
}

/**
 * A Markdown text with what is not prose blanked out (same length, so offsets hold): link and image
 * destinations, autolinks, raw HTML tags, URLs and addresses, as the quality checks blank them, and
 * code spans. A word there is a path, a command or an attribute: replacing it would break the link
 * or the code, so find and replace never offers it.
 */
export function markdownProse(text: string): string {
  // Destinations first: a backtick inside one must not open a code span.
  const prose = blankNonProse(text);
  return prose.includes("`") ? blankCodeSpans(prose) : prose;
}

/**
 * Code spans blanked, by CommonMark's rule: a run of backticks opens one that the next run of the
 * same length closes (``a `b` c`` is one span); a run no such run follows is literal. Linear: each
 * run's closer is found in one pass from the right.
 */
function blankCodeSpans(text: string): string {
  const runs = Array.from(text.matchAll(/`+/g), (m) => ({ start: m.index, end: m.index + m[0].length }));
  const closer = new Array<number>(runs.length).fill(-1);
  const nextOfLength = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i] as { start: number; end: number };
    closer[i] = nextOfLength.get(run.end - run.start) ?? -1;
    nextOfLength.set(run.end - run.start, i);
  }
  let blanked = "";
  let done = 0;
  for (let i = 0; i < runs.length; ) {
    const j = closer[i] as number;
    if (j < 0) {
      i++;
      continue;
    }
    const from = (runs[i] as { start: number }).start;
    const to = (runs[j] as { end: number }).end;
    blanked += text.slice(done, from) + " ".repeat(to - from);
    done = to;
    i = j + 1;
  }
  return blanked + text.slice(done);
}

/** The first letter of a word folded as matching folds it (a surrogate pair or letter + mark kept whole). */
function initialOf(word: string): string {
  return foldWord(String.fromCodePoint(word.codePointAt(0) ?? 0));
}

/** Finds the occurrences of a query in many texts, at most MAX_OCCURRENCES of them. */
export function findOccurrences(query: ReplaceQuery, texts: Iterable<SearchedText>): SearchResult {
  const finder = new Finder(query);
  const result: SearchResult = { occurrences: [], omitted: 0 };
  for (const searched of texts) collect(finder, searched, result);
  return { ...result, unchanged: finder.unchanged };
}

/**
 * Adds one text's occurrences to `result`, up to MAX_OCCURRENCES; beyond it they are only counted,
 * not built (a search of every document may find many thousands).
 */
export function collect(finder: Finder, searched: SearchedText, result: SearchResult): void {
  if (result.occurrences.length >= MAX_OCCURRENCES) {
    result.omitted += finder.count(searched.text, searched.markdown);
    return;
  }
  for (const occurrence of finder.find(searched))
    if (result.occurrences.length < MAX_OCCURRENCES) result.occurrences.push(occurrence);
    else result.omitted++;
}

/**
 * The text with the chosen occurrences replaced, from the last to the first so that offsets hold.
 * Occurrences must come from this very text (same revision).
 */
export function replaceOccurrences(text: string, chosen: readonly Occurrence[]): string {
  let result = text;
  for (const o of [...chosen].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, o.start) + o.proposed + result.slice(o.end);
  }
  // Removing a word leaves two spaces or a space before punctuation: tidy only around the cuts.
  return chosen.some((o) => o.proposed === "")
    ? result.replace(/ {2,}/g, " ").replace(/ ([,.;:])/g, "$1")
    : result;
}

/**
 * `replace` written with the case pattern of `written`: ALL CAPS, Capitalised, or lower-case first
 * letter. "Motosierra" → "Cortadora", "MOTOSIERRA" → "CORTADORA", "motosierra" → "cortadora"; an
 * acronym stays one ("fondo monetario" → "FMI"), and inner capitals stay ("iPhone", "Presupuesto General").
 */
export function withCaseOf(written: string, replace: string): string {
  const letters = [...written].filter((c) => c.toLocaleLowerCase() !== c.toLocaleUpperCase());
  if (letters.length === 0) return replace;
  const upper = letters.filter((c) => c === c.toLocaleUpperCase()).length;
  if (upper === letters.length && letters.length > 1) return replace.toLocaleUpperCase();
  const first = letters[0] as string;
  if (first === first.toLocaleUpperCase()) {
    const [head = "", ...rest] = [...replace];
    return head.toLocaleUpperCase() + rest.join("");
  }
  // A lower-case occurrence lowers a capitalised replacement's first letter, never an acronym ("FMI")
  // or a name capitalised further on ("Presupuesto General"): capitals past the first were typed on purpose.
  if (upper === 0 && !isAllCaps(replace) && !hasLaterCapital(replace)) {
    const [head = "", ...rest] = [...replace];
    return head.toLocaleLowerCase() + rest.join("");
  }
  return replace;
}

function hasLaterCapital(text: string): boolean {
  const letters = [...text].filter((c) => c.toLocaleLowerCase() !== c.toLocaleUpperCase());
  return letters.slice(1).some((c) => c === c.toLocaleUpperCase());
}

function isAllCaps(text: string): boolean {
  const letters = [...text].filter((c) => c.toLocaleLowerCase() !== c.toLocaleUpperCase());
  return letters.length > 1 && letters.every((c) => c === c.toLocaleUpperCase());
}

/**
 * The replacement with its last word given the ending the found word has beyond the query's word:
 * a plural gets the plural of the new word by the language's rules (es: cortadora → cortadoras,
 * ley → leyes, luz → luces; en: policy → policies), other endings are carried over when the
 * query's word is a prefix of the found one, and otherwise the replacement is proposed as typed.
 */
export function inflectLastWord(replace: string, queryWord: string, found: string, lang: string): string {
  const q = queryWord.toLocaleLowerCase();
  const f = found.toLocaleLowerCase();
  const bounds = tokenize(replace);
  const last = bounds.at(-1);
  if (!last) return replace;
  const head = replace.slice(0, last.start);
  const tail = replace.slice(last.end);
  const word = last.surface;
  if (isPluralOf(f, q, lang)) return head + pluralOf(word, lang) + tail;
  if (f.startsWith(q) && f.length > q.length) return head + word + found.slice(queryWord.length) + tail;
  return replace;
}

function isPluralOf(found: string, word: string, lang: string): boolean {
  if (found === `${word}s` || found === `${word}es`) return true;
  const primary = primaryLang(lang);
  if (primary === "es" && word.endsWith("z")) return found === `${word.slice(0, -1)}ces`;
  if (primary === "en" && word.endsWith("y")) return found === `${word.slice(0, -1)}ies`;
  return foldWord(found) === foldWord(pluralOf(word, lang));
}

/** The plural of one word by the common rules of its language (Spanish and English; +s otherwise). */
export function pluralOf(word: string, lang: string): string {
  const primary = primaryLang(lang);
  const lower = word.toLocaleLowerCase();
  const upper = word.length > 1 && word === word.toLocaleUpperCase();
  const add = (s: string) => word + (upper ? s.toLocaleUpperCase() : s);
  if (primary === "es") {
    if (/[aeiouáéó]$/.test(lower)) return add("s");
    if (lower.endsWith("z")) return word.slice(0, -1) + (upper ? "CES" : "ces");
    if (/[íú]$/.test(lower) || /[sx]$/.test(lower)) return /[íú]$/.test(lower) ? add("es") : word;
    // Words ending in an accented vowel + n/s lose the accent in the plural: canción → canciones.
    const unaccented = word.replace(/[áéíóú](?=[ns]$)/u, (c) => c.normalize("NFD")[0] as string);
    return unaccented + (upper ? "ES" : "es");
  }
  if (primary === "en") {
    if (/[^aeiou]y$/.test(lower)) return word.slice(0, -1) + (upper ? "IES" : "ies");
    if (/(s|x|z|ch|sh)$/.test(lower)) return add("es");
    return add("s");
  }
  return add("s");
}

function contextBefore(text: string, start: number): string {
  if (start <= CONTEXT) return text.slice(0, start);
  const from = text.indexOf(" ", start - CONTEXT);
  return `…${text.slice(from >= 0 && from < start ? from + 1 : start - CONTEXT, start)}`;
}

function contextAfter(text: string, end: number): string {
  if (text.length - end <= CONTEXT) return text.slice(end);
  const to = text.lastIndexOf(" ", end + CONTEXT);
  return `${text.slice(end, to > end ? to : end + CONTEXT)}…`;
}
