import { primaryLang } from "../../glossary/language.ts";
import { accentSlip, mayHaveSlips } from "../accents.ts";
import {
  blankNonProse,
  finding,
  MOST_REPORTED,
  type QualityCheck,
  type QualityFinding,
  sourceMemo,
} from "../finding.ts";

/** A word: letters, with inner apostrophes (`don't`, `Trump’s`); hyphenated words are checked part by part. */
const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;

/**
 * Words of the translation the target language's dictionary does not know. Never flagged: words
 * that appear in the source (names, brands), glossary targets and do-not-translate terms, words an
 * editor accepted for the language, and anything in a URL, an address, a code span or with digits.
 */
export const spelling: QualityCheck = {
  code: "spelling",
  severity: "warning",
  run({ source, target, targetLang, speller, knownWords, format, names }) {
    if (!speller) return [];
    let text = blankNonProse(target);
    if (format === "markdown") text = text.replace(/`[^`]*`/g, (m) => " ".repeat(m.length));
    const lang = primaryLang(targetLang);
    const slips = mayHaveSlips(text, lang);
    const found: QualityFinding[] = [];
    let inSource: ReadonlySet<string> | undefined;
    let reported: Set<string> | undefined;
    // A speller in another thread is asked in batches: the paragraph's words at the first one it
    // has no verdict for, then the other forms of those it does not know.
    let words: string[] | undefined;
    let formsAsked = false;
    for (const m of text.matchAll(WORD)) {
      const written = m[0];
      if (!words && speller.prefetch && !speller.remembers?.(written)) {
        words = Array.from(text.matchAll(WORD), (w) => w[0]);
        speller.prefetch(words);
      }
      const slip = slips ? accentSlip(written, lang, text, m.index) : undefined;
      if (speller.correct(written) && !slip) continue;
      const word = written.includes("’") ? written.replace(/’/g, "'") : written;
      const lower = word.toLowerCase();
      inSource ??= sourceWords(source);
      reported ??= new Set();
      if (reported.has(lower) || inSource.has(lower) || isKnown(knownWords, lower)) continue;
      if (names && isCapitalized(word) && (names.has(lower) || names.has(stripPossessive(lower)))) continue;
      if (word !== written && isKnown(knownWords, written.toLowerCase())) continue;
      if (slip) {
        reported.add(lower);
        found.push(
          finding(
            this,
            lower,
            "accent",
            { word: written, suggestion: slip },
            { start: m.index, end: m.index + word.length },
          ),
        );
        if (found.length >= MOST_REPORTED) break;
        continue;
      }
      if (isAcronym(word) || isDigitNeighbour(text, m.index, m.index + word.length)) continue;
      const forms = otherForms(word, lang);
      if (!formsAsked && speller.prefetch && !forms.every((form) => speller.remembers?.(form))) {
        words ??= Array.from(text.matchAll(WORD), (w) => w[0]);
        speller.prefetch(words.flatMap((w) => (speller.correct(w) ? [] : otherForms(w, lang))));
        formsAsked = true;
      }
      if (forms.some((form) => speller.correct(form))) continue;
      reported.add(lower);
      found.push(
        finding(this, lower, "unknown", { word: m[0] }, { start: m.index, end: m.index + word.length }),
      );
      if (found.length >= MOST_REPORTED) break;
    }
    return found;
  },
};

/**
 * The words written capitalized in a document's source texts (its title and paragraphs), lower case,
 * with and without a possessive `'s`: the people, places and bodies the article names, which its
 * translation keeps in paragraphs other than the one that named them first.
 */
export function documentNames(texts: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const text of texts)
    for (const m of text.matchAll(WORD))
      if (isCapitalized(m[0])) {
        const word = m[0].replace(/’/g, "'").toLowerCase();
        names.add(word).add(stripPossessive(word));
      }
  return names;
}

const isCapitalized = (word: string) => /^\p{Lu}/u.test(word);

/** The source's words, lower case, with and without a possessive `'s`: names the translation may keep. */
const sourceWords = sourceMemo((source: string): ReadonlySet<string> => {
  const words = new Set<string>();
  for (const m of source.matchAll(WORD)) {
    const word = m[0].replace(/’/g, "'").toLowerCase();
    words.add(word).add(stripPossessive(word));
  }
  return words;
});

/** Word-forming prefixes a dictionary cannot list with every word (`exembajador`, `nonbinding`). */
const PREFIXES: Record<string, string[]> = {
  es: "ex anti pro vice pre pos post neo super contra co auto micro multi semi inter intra".split(" "),
  en: "non anti pro co pre post ex re un over under semi multi inter".split(" "),
};

/** Spanish enclitic pronouns, longest first (`suscríbase`, `dígaselo`). */
const ENCLITICS = /(?:nos|los|las|les|me|te|se|lo|la|le|os)$/;

/**
 * The forms of a word the dictionary may know it by: lower case, without a possessive `'s`,
 * without a word-forming prefix, and in Spanish without enclitic pronouns (with or without the
 * accent they brought).
 */
function otherForms(word: string, lang: string): string[] {
  const lower = word.toLowerCase();
  const forms = [lower, stripPossessive(word)];
  for (const prefix of PREFIXES[lang] ?? [])
    if (lower.startsWith(prefix) && lower.length - prefix.length >= 4) forms.push(lower.slice(prefix.length));
  if (lang === "es") {
    // An imperative or gerund with pronouns attached gains an accent its bare form lacks.
    let stem = lower;
    for (let i = 0; i < 2 && ENCLITICS.test(stem); i++) {
      stem = stem.replace(ENCLITICS, "");
      if (stem.length >= 3) forms.push(stem, unaccent(stem));
    }
  }
  return forms;
}

function unaccent(word: string): string {
  return word
    .normalize("NFD")
    .replace(/[\u0301]/g, "")
    .normalize("NFC");
}

/** Letters glued to digits (`15km`, `G20`) are units and codes, not words. */
function isDigitNeighbour(text: string, start: number, end: number): boolean {
  return isDigit(text.charCodeAt(start - 1)) || isDigit(text.charCodeAt(end));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A known word, or its plural (`kirchneristas` for the glossary's `kirchnerista`). */
function isKnown(words: ReadonlySet<string>, word: string): boolean {
  if (words.has(word)) return true;
  if (!word.endsWith("s")) return false;
  return words.has(word.slice(0, -1)) || (word.endsWith("es") && words.has(word.slice(0, -2)));
}

/** Capitals only (`EE UU`, `OTAN`): acronyms, which no dictionary lists in full. */
function isAcronym(word: string): boolean {
  const first = word.charAt(0);
  return word.length > 1 && first !== first.toLowerCase() && word === word.toUpperCase();
}

function stripPossessive(word: string): string {
  return word.replace(/['’]s$/i, "");
}
