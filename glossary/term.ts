/** The termbase: one term in a source language with its required forms in many target languages. */

import { foldPhrase, matchingForm } from "./normalize.ts";
import { hasForbiddenCharacters } from "./text.ts";

/** A term's required form in one target language. */
export interface TermTarget {
  /** The required translation. */
  text: string;
  /** Alternatives that must not be used. */
  forbidden: string[];
}

export interface Term {
  /** Opaque id. */
  id: string;
  /** BCP 47 tag of `source`. */
  sourceLang: string;
  /** The term as it appears in source texts. */
  source: string;
  /** A note for translators. */
  description: string;
  /** False for do-not-translate terms: the target must keep the source form. */
  translatable: boolean;
  /** True when case matters for matching. */
  caseSensitive: boolean;
  /** Required forms by canonical target language tag. */
  targets: Record<string, TermTarget>;
}

/** A term without its id, as submitted by a person or an import. */
export type TermInput = Omit<Term, "id">;

/** Longest accepted term, note or target, in characters. */
export const MAX_TERM_LENGTH = 500;
export const MAX_DESCRIPTION_LENGTH = 2000;

/** One thing wrong with a term. */
export interface TermProblem {
  /** The field concerned: `source`, `description`, `targets`, `targets.<lang>`, `targets.<lang>.forbidden`. */
  field: string;
  /** An English sentence for the API and import reports. */
  message: string;
  /** A stable code, for problems a page explains in the reader's language. */
  code?: "unstorable_characters" | "forbidden_is_target";
}

/** The problems with a term, with the field they concern; empty when valid. */
export function validateTerm(term: TermInput): TermProblem[] {
  const problems: TermProblem[] = [];
  const source = term.source.trim();
  if (!source) problems.push({ field: "source", message: "a term needs a source text" });
  if (term.source.length > MAX_TERM_LENGTH)
    problems.push({ field: "source", message: `a term is at most ${MAX_TERM_LENGTH} characters` });
  if (hasForbiddenCharacters(term.source)) problems.push(unstorable("source"));
  if (term.description.length > MAX_DESCRIPTION_LENGTH)
    problems.push({
      field: "description",
      message: `a note is at most ${MAX_DESCRIPTION_LENGTH} characters`,
    });
  if (hasForbiddenCharacters(term.description)) problems.push(unstorable("description"));
  const targets = Object.entries(term.targets);
  if (term.translatable && !targets.some(([, t]) => t.text.trim()))
    problems.push({ field: "targets", message: "a translatable term needs at least one target" });
  for (const [lang, target] of targets) {
    if (target.text.length > MAX_TERM_LENGTH)
      problems.push({
        field: `targets.${lang}`,
        message: `a target is at most ${MAX_TERM_LENGTH} characters`,
      });
    if (hasForbiddenCharacters(target.text)) problems.push(unstorable(`targets.${lang}`));
    for (const f of target.forbidden) {
      if (f.length > MAX_TERM_LENGTH)
        problems.push({ field: `targets.${lang}.forbidden`, message: "a forbidden form is too long" });
      if (hasForbiddenCharacters(f)) problems.push(unstorable(`targets.${lang}.forbidden`));
    }
    const required = target.text.trim() || (term.translatable ? "" : term.source);
    const clash = required && forbiddenLikeTarget(required, target.forbidden, lang, term.caseSensitive);
    if (clash)
      problems.push({
        field: `targets.${lang}.forbidden`,
        message: `the forbidden form "${clash}" reads as the required target (inflections match alike): correct text would be flagged`,
        code: "forbidden_is_target",
      });
  }
  return problems;
}

function unstorable(field: string): TermProblem {
  return {
    field,
    message: "control characters, lone surrogates and U+FFFE/U+FFFF cannot be stored (only tab and newline)",
    code: "unstorable_characters",
  };
}

/**
 * The first forbidden form the matcher would find wherever the required target is written: the
 * target itself under matching, or a run of its words ("sierra" forbidden, "sierra eléctrica" required).
 */
function forbiddenLikeTarget(
  required: string,
  forbidden: readonly string[],
  lang: string,
  caseSensitive: boolean,
): string | undefined {
  const form = ` ${matchingForm(required, lang, caseSensitive)} `;
  return forbidden.find((f) => {
    const words = matchingForm(f, lang, caseSensitive);
    return words !== "" && form.includes(` ${words} `);
  });
}

/**
 * Whether two terms are the same entry: same source language and the same source text under the
 * matching rules (accents always folded; case folded unless either term is case-sensitive).
 */
export function isSameTerm(a: TermInput, b: TermInput): boolean {
  if (a.sourceLang !== b.sourceLang || foldSource(a.source) !== foldSource(b.source)) return false;
  return (!a.caseSensitive && !b.caseSensitive) || foldSource(a.source, true) === foldSource(b.source, true);
}

/** A source text folded for duplicate checks; one without words ("C++" has one, "++" none) as written. */
export function foldSource(source: string, keepCase = false): string {
  const trimmed = source.trim();
  return foldPhrase(trimmed, keepCase) || (keepCase ? trimmed : trimmed.toLowerCase());
}

/** The existing term (other than `term` itself, by id) that `term` would duplicate, if any. */
export function findDuplicate(existing: Iterable<Term>, term: TermInput & { id?: string }): Term | undefined {
  for (const other of existing) if (other.id !== term.id && isSameTerm(other, term)) return other;
  return undefined;
}

/** Identity of a term for imports: the same source text in the same language is the same term. */
export function termKey(sourceLang: string, source: string): string {
  return `${sourceLang}\u0000${source.trim().normalize("NFC").toLocaleLowerCase("und")}`;
}

/**
 * The target a term requires in a language: the exact tag first, then the primary language
 * (`es-AR` falls back to `es`). Do-not-translate terms require their source form.
 */
export function targetFor(term: Term, lang: string): TermTarget | undefined {
  const exact = term.targets[lang];
  const primary = lang.split("-")[0] ?? lang;
  const target = exact ?? term.targets[primary];
  if (!term.translatable) return { text: target?.text || term.source, forbidden: target?.forbidden ?? [] };
  return target?.text ? target : undefined;
}
