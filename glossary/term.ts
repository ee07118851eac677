/** The termbase: one term in a source language with its required forms in many target languages. */

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

/** The problems with a term, as message keys with the field they concern; empty when valid. */
export function validateTerm(term: TermInput): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const source = term.source.trim();
  if (!source) problems.push({ field: "source", message: "a term needs a source text" });
  if (term.source.length > MAX_TERM_LENGTH)
    problems.push({ field: "source", message: `a term is at most ${MAX_TERM_LENGTH} characters` });
  if (term.description.length > MAX_DESCRIPTION_LENGTH)
    problems.push({
      field: "description",
      message: `a note is at most ${MAX_DESCRIPTION_LENGTH} characters`,
    });
  const targets = Object.entries(term.targets);
  if (term.translatable && !targets.some(([, t]) => t.text.trim()))
    problems.push({ field: "targets", message: "a translatable term needs at least one target" });
  for (const [lang, target] of targets) {
    if (target.text.length > MAX_TERM_LENGTH)
      problems.push({
        field: `targets.${lang}`,
        message: `a target is at most ${MAX_TERM_LENGTH} characters`,
      });
    for (const f of target.forbidden)
      if (f.length > MAX_TERM_LENGTH)
        problems.push({ field: `targets.${lang}.forbidden`, message: "a forbidden form is too long" });
  }
  return problems;
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
