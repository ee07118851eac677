/** What the quality checks share: their findings, settings and what each check is given to look at. */

import type { Severity } from "../glossary/checks/index.ts";

export type QualityCode =
  | "number-mismatch"
  | "punctuation"
  | "spelling"
  | "double-space"
  | "identical-to-source"
  | "markup-mismatch"
  | "length";

export const QUALITY_CODES: readonly QualityCode[] = [
  "number-mismatch",
  "punctuation",
  "spelling",
  "double-space",
  "identical-to-source",
  "markup-mismatch",
  "length",
];

/** Something a quality check found wrong with a translation. */
export interface QualityFinding {
  code: QualityCode;
  severity: Severity;
  /**
   * What the finding is about, stable across saves of the same problem ("spelling:teh",
   * "number-mismatch:15000000000"): the key a waiver names in place of a term id.
   */
  key: string;
  /** Which message (`quality.<code>.<variant>`), and the values it shows. */
  variant: string;
  params: Record<string, string | number>;
  /** UTF-16 offsets into the translation, where the finding points at a span. */
  start?: number;
  end?: number;
}

/** Quotation marks a language's house style uses, outer pair and inner pair. */
export interface QuoteStyle {
  outer: [string, string];
  inner: [string, string];
}

/** A check's per-language setting: off, or another severity than its default. */
export interface CheckSetting {
  enabled?: boolean;
  severity?: Severity;
}

/** An editor's settings for one target language. */
export interface QualitySettings {
  checks: Partial<Record<QualityCode, CheckSetting>>;
  /** Absent: the language's default (es: «…» with “…” inside; others: none enforced). */
  quoteStyle?: QuoteStyle;
  /** Longest title, in characters. */
  titleLimit?: number;
}

export const DEFAULT_TITLE_LIMIT = 110;

/** Answers whether a word is spelled right. */
export interface Speller {
  correct(word: string): boolean;
  /** Looks up many words at once, for `correct` to answer from (a dictionary in another thread). */
  prefetch?(words: Iterable<string>): void;
  /** True when `correct` can answer for the word without a lookup. */
  remembers?(word: string): boolean;
  /** How many words `correct` passed without a verdict so far (its dictionary did not answer in time). */
  readonly unanswered?: number;
}

/** What every check is given: the texts, the languages, the paragraph and what it must not flag. */
export interface QualityContext {
  source: string;
  target: string;
  sourceLang: string;
  targetLang: string;
  /** The paragraph's kind ("title", "heading", "paragraph", ...): titles have a length limit. */
  kind: string;
  format: "text" | "markdown";
  settings: QualitySettings;
  /** Words no check may flag as misspelled, lower case: glossary targets, do-not-translate terms, accepted words. */
  knownWords: ReadonlySet<string>;
  /**
   * Words written capitalized anywhere in the document's source (its title, its other paragraphs),
   * lower case (documentNames): a name met earlier in the article is no misspelling where the
   * translation writes it capitalized too.
   */
  names?: ReadonlySet<string>;
  /** The target language's speller, when one is loaded. */
  speller?: Speller;
}

export interface QualityCheck {
  code: QualityCode;
  /** The default severity; a finding may carry its own (a style slip is milder than a broken pair). */
  severity: Severity;
  run(context: QualityContext): QualityFinding[];
}

/**
 * The most findings of one kind a check reports for a paragraph: a text in the wrong language, or
 * ten thousand `¿`, is one problem to fix, not ten thousand.
 */
export const MOST_REPORTED = 10;

/** A finding of `check`, its severity its own unless given. */
export function finding(
  check: QualityCheck,
  key: string,
  variant: string,
  params: Record<string, string | number>,
  span?: { start: number; end: number },
  severity: Severity = check.severity,
): QualityFinding {
  return {
    code: check.code,
    severity,
    key: `${check.code}:${key}`,
    variant,
    params,
    ...(span ? { start: span.start, end: span.end } : {}),
  };
}

/**
 * The text with URLs, e-mail addresses and Markdown link targets blanked out (same length, so
 * offsets still hold): what they contain is not prose to check.
 */
export function blankNonProse(text: string): string {
  // Three checks ask in turn about the same translation: answer the last text again at once.
  if (text === lastBlanked.text) return lastBlanked.prose;
  lastBlanked = { text, prose: blank(text) };
  return lastBlanked.prose;
}

let lastBlanked = { text: "", prose: "" };

/**
 * Link targets, tags, URLs and addresses. Each alternative is tried at every position, so none
 * may read far from where it fails: a link target stops at the next `]` (where the next `](` would
 * start), an address starts only where its run of address characters starts. Otherwise a text of
 * thousands of `](` or one long word before an `@` is read once per character.
 */
const NON_PROSE =
  /\]\([^)\s\]]*(?:\s+"[^"]*")?\)|<[a-z][^<>]*>|\b(?:https?:\/\/|www\.)[^\s<>()]+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+/giu;

function blank(text: string): string {
  // Most paragraphs hold none of these: the costly expression runs only on those that might.
  if (!/:\/\/|[@<]|\]\(|www\./.test(text)) return text;
  return text.replace(NON_PROSE, (m) => " ".repeat(m.length));
}

const REMEMBERED = 20_000;

/**
 * What a check reads from a source text, remembered by text: sources are read again at every save
 * and view of their translation and change far less often. Pure results only, bounded.
 */
export function sourceMemo<T>(read: (source: string) => T): (source: string) => T {
  const memo = new Map<string, T>();
  return (source) => {
    let value = memo.get(source);
    if (value === undefined) {
      value = read(source);
      if (memo.size >= REMEMBERED) memo.clear();
      memo.set(source, value);
    }
    return value;
  };
}
