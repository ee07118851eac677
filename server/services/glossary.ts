/** The termbase as the server uses it: cached, indexed per language pair, changed through commands. */

import { glossaryCsvParts } from "../../glossary/csv.ts";
import {
  type ImportProblem,
  type ParsedGlossary,
  planImport,
  settleHeldAlready,
} from "../../glossary/exchange.ts";
import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import { canonicalLang } from "../../glossary/language.ts";
import { tbxChunks } from "../../glossary/tbx.ts";
import { foldSource, isSameTerm, type Term, type TermInput, validateTerm } from "../../glossary/term.ts";
import { inSlices, slicer } from "../../glossary/xml.ts";
import { ConflictError, GlosaError, NotFoundError, ValidationError } from "../../translations/errors.ts";
import type { AuditEntry } from "../accounts/model.ts";
import { newId, newIds } from "../ids.ts";
import { ParsePool, type RawText } from "../parse-pool.ts";
import {
  DuplicateTermError,
  GlossaryFullError,
  type Store,
  TermGoneError,
  type TermsImported,
  type TermWriteRules,
} from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";
import { fileDetail } from "./audit.ts";

export interface ImportResult {
  created: number;
  updated: number;
  /** Terms the file brought back as they were (docs/api.md). */
  unchanged: number;
  errors: ImportProblem[];
  ignored: string[];
}

/** How large the termbase may grow, and how much one import may bring. */
export interface GlossaryLimits {
  /** Terms in the whole glossary. */
  maxTerms: number;
  /** Rows or entries in one imported file. */
  maxImportTerms: number;
}

export const DEFAULT_GLOSSARY_LIMITS: GlossaryLimits = { maxTerms: 50_000, maxImportTerms: 20_000 };

/** Terms in one write past which the duplicate keys are rebuilt rather than kept up to date. */
const LARGE_CHANGE = 500;

export class GlossaryService {
  #byId: Map<string, Term> | undefined;
  /** Terms by their folded source, for duplicate checks that cost the same whatever the glossary's size. */
  #byKey: Map<string, Term[]> | undefined;
  #list: Term[] | undefined;
  #version = 0;
  /** The store's glossary version the cached terms were read at. */
  #storeVersion: number | undefined;
  /** Indexes being built or built, by glossary version and pair: concurrent requests share one build. */
  readonly #indexes = new Map<string, Promise<GlossaryIndex>>();

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly limits: GlossaryLimits = DEFAULT_GLOSSARY_LIMITS,
    private readonly parse: ParsePool = new ParsePool(),
  ) {}

  /** Bumped on every change; caches keyed on it stay correct. */
  get version(): number {
    return this.#version;
  }

  /** Drops what is cached when the glossary changed in the store (in this process or another). */
  async #fresh(): Promise<void> {
    const stored = await this.store.glossaryVersion();
    if (stored === this.#storeVersion) return;
    this.#byId = undefined;
    this.#byKey = undefined;
    this.#list = undefined;
    this.#indexes.clear();
    this.#version++;
    this.#storeVersion = stored;
  }

  async #terms(): Promise<Map<string, Term>> {
    await this.#fresh();
    this.#byId ??= new Map((await this.store.listTerms()).map((t) => [t.id, t]));
    return this.#byId;
  }

  async list(): Promise<Term[]> {
    const terms = await this.#terms();
    this.#list ??= [...terms.values()];
    return this.#list;
  }

  async get(id: string): Promise<Term> {
    const term = (await this.#terms()).get(id);
    if (!term) throw new NotFoundError("Term", "term_not_found");
    return term;
  }

  /** The glossary prepared for a language pair, rebuilt only after the glossary changes. */
  async index(sourceLang: string, targetLang: string): Promise<GlossaryIndex> {
    await this.#fresh();
    const key = `${this.#version}\u0000${sourceLang}\u0000${targetLang}`;
    let index = this.#indexes.get(key);
    if (!index) {
      index = this.list().then((terms) => GlossaryIndex.build(terms, sourceLang, targetLang));
      if (this.#indexes.size > 50) this.#indexes.clear();
      this.#indexes.set(key, index);
      // A failed build is not kept: the next request tries again.
      index.catch(() => this.#indexes.delete(key));
    }
    return index;
  }

  async create(input: TermInput, actor: string): Promise<Term> {
    const term = { id: newId(), ...normalizeTerm(input) };
    assertValid(term);
    await this.#assertNoDuplicate(term);
    await this.#assertRoom(1);
    await this.#write(
      [term],
      [],
      [],
      this.audit.entry(actor, "term.create", `term:${term.id}`, { source: term.source }),
      { maxTerms: this.limits.maxTerms },
    );
    return term;
  }

  async update(id: string, input: TermInput, actor: string): Promise<Term> {
    await this.get(id);
    const term = { id, ...normalizeTerm(input) };
    assertValid(term);
    await this.#assertNoDuplicate(term);
    await this.#write(
      [],
      [term],
      [],
      this.audit.entry(actor, "term.update", `term:${id}`, { source: term.source }),
      // Removed by another request since it was read: not brought back by this update.
      { held: [id] },
    );
    return term;
  }

  async remove(id: string, actor: string): Promise<void> {
    const term = await this.get(id);
    await this.#write(
      [],
      [],
      [id],
      this.audit.entry(actor, "term.delete", `term:${id}`, { source: term.source }),
      // Removed by another request meanwhile: one removal, one audit entry.
      { held: [id] },
    );
  }

  /**
   * Imports parsed rows: the good ones and the audit entry in one durable write, every bad one
   * reported. The audit entry names the file when one is given (an upload's name).
   */
  async import(parsed: ParsedGlossary, actor: string, file?: string): Promise<ImportResult> {
    if (parsed.terms.length + parsed.errors.length > this.limits.maxImportTerms)
      throw new GlosaError(
        "too_large",
        "too_many_terms",
        `A glossary file may hold at most ${this.limits.maxImportTerms} terms; this one has ${parsed.terms.length + parsed.errors.length}. Split it into smaller files.`,
        { limit: this.limits.maxImportTerms },
      );
    const plan = await planImport(await this.list(), parsed);
    // One draw of random bytes for all the ids: 19,000 draws held the event loop 0.3 s.
    const ids = newIds(plan.create.length);
    const created = plan.create.map((t, i) => ({ id: ids[i] as string, ...t }));
    const from = new Map(created.map((t, i) => [t.id, plan.createdFrom[i]]));
    await this.#assertRoom(created.length);
    let result: ImportResult | undefined;
    // Another writer, in any process, may have added some of the terms since they were planned: the
    // store adds only the others, and the answer and the audit entry count what it added.
    await this.#write(created, plan.update, [], (written) => {
      const raced = settleHeldAlready(written.skipped.map((s) => ({ ...s, ...from.get(s.term.id) })));
      const errors = [...plan.errors, ...raced.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      result = {
        created: written.added.length,
        updated: plan.update.length,
        unchanged: plan.unchanged + raced.unchanged,
        errors,
        ignored: parsed.ignored,
      };
      return this.audit.entry(actor, "glossary.import", "glossary", {
        ...fileDetail(file),
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        errors: errors.length,
      });
    });
    return result as ImportResult;
  }

  /**
   * Refuses, before any write, a change that would take the glossary past its limit as this process
   * holds it; the store checks it again in the write, where other writers' terms are counted too.
   */
  async #assertRoom(adding: number): Promise<void> {
    const count = (await this.#terms()).size;
    if (adding > 0 && count + adding > this.limits.maxTerms)
      throw glossaryFull(new GlossaryFullError(this.limits.maxTerms, count, adding));
  }

  /** An uploaded file's bytes (`RawText`) are decoded on a parser thread, as is the parse. */
  importCsv(
    text: string | RawText,
    options: { sourceLang: string; targetLang: string },
    actor: string,
    file?: string,
  ): Promise<ImportResult> {
    return this.parse.csv(text, options).then((parsed) => this.import(parsed, actor, file));
  }

  async importTbx(text: string | RawText, actor: string, file?: string): Promise<ImportResult> {
    return this.import(await this.parse.tbx(text), actor, file);
  }

  /** The glossary, or one target language of it, as CSV or TBX, in pieces to send as they are made. */
  async exportFile(
    format: "csv" | "tbx",
    lang?: string,
  ): Promise<{ chunks: AsyncIterable<string>; contentType: string; filename: string }> {
    const terms = (await this.list()).filter((t) => !lang || t.targets[lang]);
    const name = `glossary${lang ? `.${lang}` : ""}`;
    return format === "tbx"
      ? {
          chunks: tbxChunks(terms, lang),
          contentType: "application/x-tbx+xml; charset=utf-8",
          filename: `${name}.tbx`,
        }
      : {
          chunks: inSlices(glossaryCsvParts(terms, lang)),
          contentType: "text/csv; charset=utf-8",
          filename: `${name}.csv`,
        };
  }

  /**
   * One durable write of the change and its audit entry; memory follows only once it is on disk,
   * by the change alone (no re-read of the whole glossary) unless another process wrote meanwhile.
   */
  async #write(
    add: Term[],
    update: Term[],
    remove: string[],
    audit: AuditEntry | ((written: TermsImported) => AuditEntry),
    rules: TermWriteRules = {},
  ): Promise<void> {
    const terms = await this.#terms();
    const before = this.#storeVersion;
    let put = [...add, ...update];
    try {
      if (typeof audit === "function")
        put = [
          ...(await this.store.importTerms(add, update, audit, { maxTerms: this.limits.maxTerms })).added,
          ...update,
        ];
      else await this.store.writeTerms(put, remove, audit, rules);
    } catch (error) {
      // The store refused what another request or process changed meanwhile: a duplicate written,
      // the term removed, the glossary's last places taken.
      if (error instanceof DuplicateTermError) {
        this.#storeVersion = undefined;
        throw duplicateTerm(error.held ?? { source: error.term.source });
      }
      if (error instanceof TermGoneError) {
        this.#storeVersion = undefined;
        throw new NotFoundError("Term", "term_not_found");
      }
      if (error instanceof GlossaryFullError) {
        this.#storeVersion = undefined;
        throw glossaryFull(error);
      }
      throw error;
    }
    const after = await this.store.glossaryVersion();
    this.#list = undefined;
    this.#version++;
    this.#indexes.clear();
    if (before === undefined || after !== before + 1) {
      // Another process wrote in between: read it all again next time.
      this.#storeVersion = undefined;
      return;
    }
    // An import's thousands of terms would each be folded twice here, at once: the duplicate keys
    // are dropped instead and built again, in slices, when next needed.
    if (put.length + remove.length > LARGE_CHANGE) this.#byKey = undefined;
    for (const id of [...remove, ...put.map((t) => t.id)]) {
      const old = terms.get(id);
      if (old) this.#unindex(old);
      terms.delete(id);
    }
    for (const term of put) {
      terms.set(term.id, term);
      this.#index(term);
    }
    this.#storeVersion = after;
  }

  async #keys(): Promise<Map<string, Term[]>> {
    const terms = await this.#terms();
    if (!this.#byKey) {
      // Folding 20,000 sources held the event loop 0.1-0.5 s on the first edit after a change: built
      // a slice at a time, then kept only if the glossary did not change meanwhile.
      const version = this.#version;
      const byKey = new Map<string, Term[]>();
      const pause = slicer();
      for (const term of terms.values()) {
        const key = duplicateKey(term);
        const list = byKey.get(key);
        if (list) list.push(term);
        else byKey.set(key, [term]);
        await pause();
      }
      if (this.#version !== version) return this.#keys();
      this.#byKey ??= byKey;
    }
    return this.#byKey;
  }

  #index(term: Term): void {
    if (!this.#byKey) return;
    const key = duplicateKey(term);
    const list = this.#byKey.get(key);
    if (list) list.push(term);
    else this.#byKey.set(key, [term]);
  }

  #unindex(term: Term): void {
    const key = duplicateKey(term);
    const list = this.#byKey?.get(key)?.filter((t) => t.id !== term.id);
    if (!list) return;
    if (list.length) this.#byKey?.set(key, list);
    else this.#byKey?.delete(key);
  }

  /** A 409 when the term would duplicate another (same language, same folded source). */
  async #assertNoDuplicate(term: Term): Promise<void> {
    const candidates = (await this.#keys()).get(duplicateKey(term)) ?? [];
    const duplicate = candidates.find((other) => other.id !== term.id && isSameTerm(other, term));
    if (duplicate) throw duplicateTerm(duplicate);
  }
}

/** The 400 for a change that would take the glossary past its limit. */
function glossaryFull({ limit, count, adding }: GlossaryFullError): ValidationError {
  return new ValidationError(
    `The glossary may hold at most ${limit} terms; it has ${count}, and this would add ${adding}.`,
    { limit, count, adding },
    "glossary_full",
  );
}

/**
 * The 409 for a term that would duplicate `duplicate` (a request's own check, or the store's refusal;
 * without an id when the term the store held is gone since).
 */
function duplicateTerm(duplicate: Pick<Term, "source"> & { id?: string }): ConflictError {
  return new ConflictError(
    `"${duplicate.source}" is already in the glossary.`,
    {
      source: `already in the glossary as "${duplicate.source}"`,
      ...(duplicate.id ? { termId: duplicate.id } : {}),
    },
    "duplicate_term",
  );
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

/** Terms that may duplicate each other share this key; `isSameTerm` then decides (case-sensitive terms). */
function duplicateKey(term: TermInput): string {
  return `${term.sourceLang}\u0000${foldSource(term.source)}`;
}
