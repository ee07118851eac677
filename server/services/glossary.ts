/** The termbase as the server uses it: cached, indexed per language pair, changed through commands. */

import { exportGlossaryCsv, parseGlossaryCsv } from "../../glossary/csv.ts";
import { type ImportProblem, type ParsedGlossary, planImport } from "../../glossary/exchange.ts";
import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import { canonicalLang } from "../../glossary/language.ts";
import { exportTbx, parseTbx } from "../../glossary/tbx.ts";
import { findDuplicate, type Term, type TermInput, validateTerm } from "../../glossary/term.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../translations/errors.ts";
import { newId } from "../ids.ts";
import type { Store } from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";

export interface ImportResult {
  created: number;
  updated: number;
  errors: ImportProblem[];
  ignored: string[];
}

export class GlossaryService {
  #terms: Term[] | undefined;
  #version = 0;
  readonly #indexes = new Map<string, GlossaryIndex>();

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
  ) {}

  /** Bumped on every change; caches keyed on it stay correct. */
  get version(): number {
    return this.#version;
  }

  async list(): Promise<Term[]> {
    this.#terms ??= await this.store.listTerms();
    return this.#terms;
  }

  async get(id: string): Promise<Term> {
    const term = (await this.list()).find((t) => t.id === id);
    if (!term) throw new NotFoundError("Term", "term_not_found");
    return term;
  }

  /** The glossary prepared for a language pair, rebuilt only after the glossary changes. */
  async index(sourceLang: string, targetLang: string): Promise<GlossaryIndex> {
    const key = `${this.#version}\u0000${sourceLang}\u0000${targetLang}`;
    let index = this.#indexes.get(key);
    if (!index) {
      index = new GlossaryIndex(await this.list(), sourceLang, targetLang);
      if (this.#indexes.size > 50) this.#indexes.clear();
      this.#indexes.set(key, index);
    }
    return index;
  }

  async create(input: TermInput, actor: string): Promise<Term> {
    const term = { id: newId(), ...normalizeTerm(input) };
    assertValid(term);
    assertNoDuplicate(await this.list(), term);
    await this.#write([term], []);
    await this.audit.record(actor, "term.create", `term:${term.id}`, { source: term.source });
    return term;
  }

  async update(id: string, input: TermInput, actor: string): Promise<Term> {
    await this.get(id);
    const term = { id, ...normalizeTerm(input) };
    assertValid(term);
    assertNoDuplicate(await this.list(), term);
    await this.#write([term], []);
    await this.audit.record(actor, "term.update", `term:${id}`, { source: term.source });
    return term;
  }

  async remove(id: string, actor: string): Promise<void> {
    const term = await this.get(id);
    await this.#write([], [id]);
    await this.audit.record(actor, "term.delete", `term:${id}`, { source: term.source });
  }

  /** Imports parsed rows: the good ones in one durable write, every bad one reported. */
  async import(parsed: ParsedGlossary, actor: string): Promise<ImportResult> {
    const plan = planImport(await this.list(), parsed);
    const created = plan.create.map((t) => ({ id: newId(), ...t }));
    if (created.length + plan.update.length > 0) await this.#write([...created, ...plan.update], []);
    const result = {
      created: created.length,
      updated: plan.update.length,
      errors: plan.errors,
      ignored: parsed.ignored,
    };
    await this.audit.record(actor, "glossary.import", "glossary", {
      created: result.created,
      updated: result.updated,
      errors: result.errors.length,
    });
    return result;
  }

  importCsv(
    text: string,
    options: { sourceLang: string; targetLang: string },
    actor: string,
  ): Promise<ImportResult> {
    return this.import(parseGlossaryCsv(text, options), actor);
  }

  importTbx(text: string, actor: string): Promise<ImportResult> {
    return this.import(parseTbx(text), actor);
  }

  /** The glossary, or one target language of it, as CSV or TBX. */
  async exportFile(
    format: "csv" | "tbx",
    lang?: string,
  ): Promise<{ body: string; contentType: string; filename: string }> {
    const terms = (await this.list()).filter((t) => !lang || t.targets[lang]);
    const name = `glossary${lang ? `.${lang}` : ""}`;
    return format === "tbx"
      ? {
          body: exportTbx(terms, lang),
          contentType: "application/x-tbx+xml; charset=utf-8",
          filename: `${name}.tbx`,
        }
      : {
          body: exportGlossaryCsv(terms, lang),
          contentType: "text/csv; charset=utf-8",
          filename: `${name}.csv`,
        };
  }

  async #write(put: Term[], remove: string[]): Promise<void> {
    await this.store.writeTerms(put, remove);
    this.#terms = await this.store.listTerms();
    this.#version++;
    this.#indexes.clear();
  }
}

function normalizeTerm(input: TermInput): TermInput {
  const sourceLang = canonicalLang(input.sourceLang);
  if (!sourceLang)
    throw new ValidationError(
      "The source language is not a BCP 47 tag.",
      { sourceLang: "invalid" },
      "invalid_language",
    );
  const targets: Term["targets"] = {};
  for (const [tag, target] of Object.entries(input.targets)) {
    const lang = canonicalLang(tag);
    if (!lang)
      throw new ValidationError(
        `"${tag}" is not a BCP 47 tag.`,
        { [`targets.${tag}`]: "invalid language" },
        "invalid_language",
      );
    targets[lang] = {
      text: target.text.trim().normalize("NFC"),
      forbidden: target.forbidden.map((f) => f.trim().normalize("NFC")).filter(Boolean),
    };
  }
  return {
    sourceLang,
    source: input.source.trim().normalize("NFC"),
    description: input.description.trim().normalize("NFC"),
    translatable: input.translatable,
    caseSensitive: input.caseSensitive,
    targets,
  };
}

function assertValid(term: TermInput): void {
  const problems = validateTerm(term);
  if (problems.length > 0)
    throw new ValidationError(
      problems.map((p) => p.message).join("; "),
      Object.fromEntries(problems.map((p) => [p.field, p.message])),
      "invalid_term",
    );
}

function assertNoDuplicate(existing: Term[], term: Term): void {
  const duplicate = findDuplicate(existing, term);
  if (duplicate)
    throw new ConflictError(
      `"${duplicate.source}" is already in the glossary.`,
      { source: `already in the glossary as "${duplicate.source}"`, termId: duplicate.id },
      "duplicate_term",
    );
}
