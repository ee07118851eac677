/** The termbase: one term in a source language with its required forms in many target languages. */

import { foldPhrase, matchingForm } from "./normalize.ts";
import { type Problem, type ProblemCode, type ProblemParams, problem } from "./problem.ts";
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

/** One thing wrong with a term, and the field it concerns. */
export interface TermProblem extends Problem {
  /** `source`, `description`, `targets`, `targets.<lang>`, `targets.<lang>.forbidden`. */
  field: string;
}

/** The problems with a term, with the field they concern; empty when valid. */
export function validateTerm(term: TermInput): TermProblem[] {
  const problems: TermProblem[] = [];
  const add = (field: string, code: ProblemCode, message: string, params: ProblemParams = {}) =>
    problems.push({ field, ...problem(code, message, params) });
  const source = term.source.trim();
  if (!source) add("source", "source_required", "a term needs a source text");
  if (term.source.length > MAX_TERM_LENGTH)
    add("source", "source_too_long", `a term is at most ${MAX_TERM_LENGTH} characters`, {
      max: MAX_TERM_LENGTH,
    });
  if (hasForbiddenCharacters(term.source)) add(...unstorable("source"));
  if (term.description.length > MAX_DESCRIPTION_LENGTH)
    add("description", "description_too_long", `a note is at most ${MAX_DESCRIPTION_LENGTH} characters`, {
      max: MAX_DESCRIPTION_LENGTH,
    });
  if (hasForbiddenCharacters(term.description)) add(...unstorable("description"));
  const targets = Object.entries(term.targets);
  if (term.translatable && !targets.some(([, t]) => t.text.trim()))
    add("targets", "target_required", "a translatable term needs at least one target");
  for (const [lang, target] of targets) {
    if (target.text.length > MAX_TERM_LENGTH)
      add(`targets.${lang}`, "target_too_long", `a target is at most ${MAX_TERM_LENGTH} characters`, {
        lang,
        max: MAX_TERM_LENGTH,
      });
    if (hasForbiddenCharacters(target.text)) add(...unstorable(`targets.${lang}`));
    for (const f of target.forbidden) {
      if (f.length > MAX_TERM_LENGTH)
        add(`targets.${lang}.forbidden`, "forbidden_too_long", "a forbidden form is too long", {
          lang,
          max: MAX_TERM_LENGTH,
        });
      if (hasForbiddenCharacters(f)) add(...unstorable(`targets.${lang}.forbidden`));
    }
    const required = target.text.trim() || (term.translatable ? "" : term.source);
    const clash = required && forbiddenLikeTarget(required, target.forbidden, lang, term.caseSensitive);
    if (clash)
      add(
        `targets.${lang}.forbidden`,
        "forbidden_is_target",
        `the forbidden form "${clash}" reads as the required target (inflections match alike): correct text would be flagged`,
        { lang, form: clash, target: required },
      );
  }
  return problems;
}

function unstorable(field: string): [string, ProblemCode, string] {
  return [
    field,
    "unstorable_characters",
    "control characters, lone surrogates and U+FFFE/U+FFFF cannot be stored (only tab and newline)",
  ];
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

/**
 * `isSameTerm` as equalities a store can keep unique: two terms are the same exactly when they share
 * `exact` (language, folded source, folded source with its case), or are both case-insensitive and
 * share `folded` (language, folded source). A case-sensitive term has no `folded`: "US" kept as
 * written stands beside "us" matched in any case. Keys hold U+0000 between parts; a store that
 * cannot keep it, or keys this long (folding can lengthen a text), keeps a digest of them.
 */
export function duplicateKeys(term: Pick<TermInput, "sourceLang" | "source" | "caseSensitive">): {
  exact: string;
  folded: string | undefined;
} {
  const folded = `${term.sourceLang}\u0000${foldSource(term.source)}`;
  return {
    exact: `${folded}\u0000${foldSource(term.source, true)}`,
    folded: term.caseSensitive ? undefined : folded,
  };
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
