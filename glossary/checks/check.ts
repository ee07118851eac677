/** The interface every QA check implements, in the manner of Weblate's `checks/base.py`. */

import type { Term } from "../term.ts";

export type FindingCode = "missing-term" | "forbidden-term" | "untranslatable-changed";
export type Severity = "warning" | "error";

/** A glossary term found in a source text. */
export interface TermMatch {
  termId: string;
  /** UTF-16 offset into the source. */
  start: number;
  end: number;
  /** The source text matched, as written. */
  text: string;
  /** The required target in the target language, or null when the glossary has none. */
  target: string | null;
  term: Term;
}

/** Something a QA check found wrong with a translation. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  termId: string;
  /** Values for the translated message: the term, its required target, forbidden forms used. */
  params: { term: string; target: string; forms?: string };
}

/** What a check sees: the source matches and questions about the translation, answered once. */
export interface CheckContext {
  matches: TermMatch[];
  target: string;
  /** True when the term's required target (any inflection) occurs in the translation. */
  hasTarget(termId: string): boolean;
  /** The forbidden forms of the term that occur in the translation, as written there. */
  forbiddenUsed(termId: string): string[];
  /** True when the term's source form occurs unchanged in the translation. */
  keptVerbatim(termId: string): boolean;
}

export interface Check {
  code: FindingCode;
  severity: Severity;
  run(context: CheckContext): Finding[];
}

/** The matched terms, each once, in order of first occurrence. */
export function distinctTerms(matches: TermMatch[]): TermMatch[] {
  const seen = new Set<string>();
  return matches.filter((m) => !seen.has(m.termId) && seen.add(m.termId));
}
