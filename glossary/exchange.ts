/** What every glossary importer returns, and how imported rows become creations and updates. */

import { combined, type Problem, type ProblemCode, type ProblemParams, problem } from "./problem.ts";
import { foldSource, isSameTerm, type Term, type TermInput, termKey, validateTerm } from "./term.ts";
import { slicer } from "./xml.ts";

/** A row or entry that could not be imported, and why (`code`, `params`, `message`, `reasons`). */
export interface ImportProblem extends Problem {
  /** 1-based line of a CSV row. */
  line?: number;
  /** 1-based position or id of a TBX entry. */
  entry?: string;
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

/**
 * The whole file cannot be read (broken quoting, not XML, a DTD): nothing is imported. `code` and
 * `params` say why for a page; a refusal from the XML reader, which names none, is `unreadable_file`.
 */
export class GlossaryFormatError extends Error {
  readonly code: ProblemCode;
  readonly params: ProblemParams;
  readonly reasons: Problem[] | undefined;

  constructor(
    message: string,
    readonly line?: number,
    why?: Omit<Problem, "message">,
  ) {
    super(message);
    this.name = "GlossaryFormatError";
    this.code = why?.code ?? "unreadable_file";
    this.params = why?.params ?? {};
    this.reasons = why?.reasons;
  }
}

export interface ImportPlan {
  create: TermInput[];
  /** Where in the file each term of `create` is (its line or entry), in the same order. */
  createdFrom: Pick<ImportProblem, "line" | "entry">[];
  /** Existing terms the file changes; one it brings back as it is counts in `unchanged`. */
  update: Term[];
  unchanged: number;
  errors: ImportProblem[];
}

/**
 * Decides what an import does: a row with an existing term's identity (same language and source,
 * case-insensitively: `termKey`) updates it, merging its targets; otherwise it creates a term.
 * Invalid rows are reported and skipped, and so is a row that duplicates an earlier row of the file
 * or an existing term written differently ("Ambassador" against a case-sensitive "ambassador",
 * "café" against "cafe"): the same term under the matching rules, never silently merged or renamed.
 * The caller writes the plan in one durable step or not at all. Checking a row costs about 0.2 ms
 * (its forbidden forms are matched as the target would be): the rows are checked a slice at a time,
 * not 19,000 of them in one 4 s hold of the event loop.
 */
export async function planImport(existing: Iterable<Term>, parsed: ParsedGlossary): Promise<ImportPlan> {
  const pause = slicer();
  const byKey = new Map<string, Term>();
  const existingByFold = new Buckets<Term>();
  for (const term of existing) {
    byKey.set(termKey(term.sourceLang, term.source), term);
    existingByFold.add(term, term);
    await pause();
  }
  const fileByFold = new Buckets<{ term: TermInput; line?: number; entry?: string }>();
  const created = new Map<string, TermInput>();
  const createdFrom = new Map<string, Pick<ImportProblem, "line" | "entry">>();
  const updated = new Map<string, Term>();
  const same = new Set<string>();
  const errors = [...parsed.errors];
  for (const row of parsed.terms) {
    await pause();
    const { term, line, entry } = row;
    const problems = validateTerm(term);
    if (problems.length > 0) {
      const reasons = problems.map(({ field: _field, ...reason }) => reason);
      errors.push({ ...where(line, entry), ...combined("invalid_term", reasons) });
      continue;
    }
    const earlier = fileByFold.find(term, (other) => isSameTerm(other.term, term));
    if (earlier) {
      const source = term.source;
      errors.push({
        ...where(line, entry),
        ...(earlier.line !== undefined
          ? problem("duplicate_of_line", `duplicate term: "${source}" is already on line ${earlier.line}`, {
              source,
              line: earlier.line,
            })
          : problem(
              "duplicate_of_entry",
              `duplicate term: "${source}" is already on entry ${earlier.entry ?? "?"}`,
              { source, entry: earlier.entry ?? "?" },
            )),
      });
      continue;
    }
    fileByFold.add(term, row);
    const key = termKey(term.sourceLang, term.source);
    const current = byKey.get(key);
    const clash = existingByFold.find(term, (other) => other !== current && isSameTerm(other, term));
    if (clash) {
      errors.push({
        ...where(line, entry),
        ...problem(
          "duplicate_in_glossary",
          `duplicate term: "${term.source}" is already in the glossary as "${clash.source}"`,
          { source: term.source, existing: clash.source },
        ),
      });
      continue;
    }
    if (current) {
      const merged = mergeTerm(current, term);
      // A file that brings a term back as it is (its own export, re-imported) changes nothing.
      if (sameContent(merged, current)) same.add(key);
      else {
        same.delete(key);
        updated.set(key, merged);
      }
    } else {
      created.set(key, term);
      createdFrom.set(key, where(line, entry));
    }
  }
  // In file order: rows the parser refused and rows the plan refused, by line (a sort is stable).
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    create: [...created.values()],
    createdFrom: [...createdFrom.values()],
    update: [...updated.values()],
    unchanged: same.size,
    errors,
  };
}

/** A term an import meant to create that the store found held already, with the term it holds. */
export interface HeldAlready {
  term: TermInput;
  /** The term held; absent when it was removed again before it could be read. */
  held?: TermInput;
  line?: number;
  entry?: string;
}

/**
 * What became of the terms another writer added while an import was planned: one held as the file
 * says it (the same file imported twice at once) is unchanged; any other is reported as a clash with
 * the glossary, never silently merged, for the file to be imported again.
 */
export function settleHeldAlready(rows: readonly HeldAlready[]): {
  unchanged: number;
  errors: ImportProblem[];
} {
  let unchanged = 0;
  const errors: ImportProblem[] = [];
  for (const { term, held, line, entry } of rows) {
    if (held && sameContent(held, term)) unchanged++;
    else
      errors.push({
        ...where(line, entry),
        ...problem(
          "duplicate_in_glossary",
          `duplicate term: "${term.source}" is already in the glossary as "${held?.source ?? term.source}"`,
          { source: term.source, existing: held?.source ?? term.source },
        ),
      });
  }
  return { unchanged, errors };
}

/** Whether two versions of a term say the same: its identity, note, flags and every target. */
function sameContent(a: TermInput, b: TermInput): boolean {
  return (
    a.source === b.source &&
    a.description === b.description &&
    a.translatable === b.translatable &&
    a.caseSensitive === b.caseSensitive &&
    canonical(a.targets) === canonical(b.targets)
  );
}

/** JSON with object keys sorted, so that the order targets were written in does not count. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** Terms grouped by language and case-folded source, so a duplicate is looked for among a few. */
class Buckets<T> {
  readonly #groups = new Map<string, T[]>();

  static key(term: TermInput): string {
    return `${term.sourceLang}\u0000${foldSource(term.source)}`;
  }

  add(term: TermInput, value: T): void {
    const key = Buckets.key(term);
    const group = this.#groups.get(key);
    if (group) group.push(value);
    else this.#groups.set(key, [value]);
  }

  find(term: TermInput, test: (value: T) => boolean): T | undefined {
    return this.#groups.get(Buckets.key(term))?.find(test);
  }
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
