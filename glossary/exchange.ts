/** What every glossary importer returns, and how imported rows become creations and updates. */

import { type Term, type TermInput, termKey, validateTerm } from "./term.ts";

/** A row or entry that could not be imported, and why. */
export interface ImportProblem {
  /** 1-based line of a CSV row. */
  line?: number;
  /** 1-based position or id of a TBX entry. */
  entry?: string;
  message: string;
}

/** A term read from a file, with where it came from for error reports. */
export interface ImportedTerm {
  term: TermInput;
  line?: number;
  entry?: string;
}

export interface ParsedGlossary {
  terms: ImportedTerm[];
  errors: ImportProblem[];
  /** Columns or elements the importer does not understand and skipped. */
  ignored: string[];
}

/** The whole file cannot be read (broken quoting, not XML, a DTD): nothing is imported. */
export class GlossaryFormatError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "GlossaryFormatError";
  }
}

export interface ImportPlan {
  create: TermInput[];
  update: Term[];
  errors: ImportProblem[];
}

/**
 * Decides what an import does: a row whose source matches an existing term (same language,
 * case-insensitively) updates it, merging its targets; otherwise it creates a term. Invalid rows
 * are reported and skipped; the caller writes the plan in one durable step or not at all.
 */
export function planImport(existing: Iterable<Term>, parsed: ParsedGlossary): ImportPlan {
  const byKey = new Map<string, Term>();
  for (const term of existing) byKey.set(termKey(term.sourceLang, term.source), term);
  const created = new Map<string, TermInput>();
  const updated = new Map<string, Term>();
  const errors = [...parsed.errors];
  for (const { term, line, entry } of parsed.terms) {
    const problems = validateTerm(term);
    if (problems.length > 0) {
      errors.push({ ...where(line, entry), message: problems.map((p) => p.message).join("; ") });
      continue;
    }
    const key = termKey(term.sourceLang, term.source);
    const current = updated.get(key) ?? byKey.get(key);
    if (current) {
      updated.set(key, mergeTerm(current, term));
    } else {
      const earlier = created.get(key);
      created.set(key, earlier ? mergeTerm(earlier, term) : term);
    }
  }
  return { create: [...created.values()], update: [...updated.values()], errors };
}

function where(line?: number, entry?: string): Pick<ImportProblem, "line" | "entry"> {
  return line !== undefined ? { line } : entry !== undefined ? { entry } : {};
}

function mergeTerm<T extends TermInput>(current: T, incoming: TermInput): T {
  return {
    ...current,
    source: incoming.source,
    description: incoming.description || current.description,
    translatable: incoming.translatable,
    caseSensitive: incoming.caseSensitive,
    targets: { ...current.targets, ...incoming.targets },
  };
}
