/**
 * Documents and their translations as the server uses them. Each command computes its events
 * with the domain's pure command from the state it read, and hands them with their audit entry to
 * the store, which refuses them when another writer got there first (in this process or another):
 * the command then reads the state again and decides anew, so a stale cache never wins and never
 * causes a false conflict. States are cached, bounded, and only ever a copy of what the store holds.
 */

import type { TermMatch } from "../../glossary/checks/index.ts";
import type { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import { canonicalLang } from "../../glossary/language.ts";
import { type AnyFinding, waives } from "../../quality/run.ts";
import { type Change, type Diff, diffTexts } from "../../translations/diff.ts";
import { countWords, type Document, type Paragraph, type SourceFormat } from "../../translations/document.ts";
import { GlosaError, NotFoundError, ValidationError } from "../../translations/errors.ts";
import { EXPORT_FORMATS, type ExportFormatId } from "../../translations/exchange/formats.ts";
import {
  type ExportStatus,
  type IncompletePolicy,
  selectForExport,
} from "../../translations/exchange/select.ts";
import { planXliffImport, type UnitProblem } from "../../translations/exchange/xliff-import.ts";
import { type GlossaryEvent, glossaryEvents } from "../../translations/glossary-events.ts";
import { lastApprovedRevision, needsReview, waiveFinding } from "../../translations/review.ts";
import {
  carryEvents,
  planSourceUpdate,
  type SourcePlan,
  type SourceVersion,
  sourceAt,
  staleSourceVersion,
} from "../../translations/source-update.ts";
import {
  applyEvent,
  buildState,
  cleanText,
  clearRevision,
  conflictWith,
  currentText,
  latestRevision,
  type ParagraphStatus,
  type ParagraphTranslation,
  type Revision,
  type RevisionEvent,
  type RevisionOrigin,
  revertRevision,
  reviewRevision,
  type SaveStatus,
  saveRevision,
  statusOf,
  type TranslationEvent,
  type TranslationState,
  type Waiver,
} from "../../translations/translation.ts";
import type { AuditEntry } from "../accounts/model.ts";
import { ChangeFeed } from "../changes.ts";
import { newId } from "../ids.ts";
import { ParsePool } from "../parse-pool.ts";
import { KeyedMutex } from "../storage/mutex.ts";
import { RevisionConflictError, SourceVersionConflictError, type Store } from "../storage/store.ts";
import { GLOSA_VERSION } from "../version.ts";
import type { AuditLog } from "./audit.ts";
import type { GlossaryService } from "./glossary.ts";
import { readPage } from "./paging.ts";
import { type ParagraphChecker, QualityService } from "./quality.ts";

export interface Progress {
  total: number;
  translated: number;
  approved: number;
  /** Paragraphs whose translation was made against an older source of a paragraph that changed since. */
  outdated: number;
  words: { total: number; translated: number; approved: number };
}

export interface ParagraphView {
  paragraph: Paragraph;
  text: string | null;
  revision: number;
  status: ParagraphStatus;
  latest: Revision | undefined;
  glossary: readonly TermMatch[];
  /** Findings not waived. */
  qa: readonly AnyFinding[];
  /** Findings a translator waived for this paragraph, with the waiver. */
  waived: { finding: AnyFinding; waiver: Waiver }[];
  translation: ParagraphTranslation | undefined;
  /** Outdated paragraphs: the word diff of the source since the version the translation was made against. */
  sourceChange?: SourceChange;
}

/** How a paragraph's source changed since a translation was made. */
export interface SourceChange {
  fromVersion: number;
  changes: readonly Change[];
  /** Glossary terms of the source that appeared or disappeared with the change. */
  terms: { added: string[]; removed: string[] };
}

/** One card of the review page. */
export interface ReviewItem extends ParagraphView {
  /** The last approved revision, compared with the latest; undefined when never approved. */
  approved: Revision | undefined;
  diff: Diff;
  events: GlossaryEvent[];
}

export interface TranslationView {
  document: Document;
  lang: string;
  progress: Progress;
  paragraphs: ParagraphView[];
}

/** A paragraph whose translation uses a given form. */
export interface UsageHit {
  document: Document;
  lang: string;
  paragraph: Paragraph;
  text: string;
  form: string;
  start: number;
  end: number;
}

/** What an XLIFF import did: units applied, units already as the file has them, units refused. */
export interface ImportReport {
  updated: number;
  unchanged: number;
  errors: UnitProblem[];
  /** Units whose paragraph changed since the file was exported: not applied, their text kept here. */
  conflicts: (UnitProblem & { text: string })[];
}

export interface SaveResult {
  revision: number;
  status: ParagraphStatus;
  text: string;
  qa: readonly AnyFinding[];
  created: boolean;
}

/** What the documents list and the review queue show of one document × language. */
export interface TranslationSummary {
  progress: Progress;
  /** The latest revision of any paragraph: when the translation last changed, and by whom. */
  last: { at: string; author: string } | undefined;
  /** Paragraphs changed since their last approval. */
  waiting: number;
}

/** One page of documents; `next` and `previous` lead on from it, absent at either end. */
export interface DocumentPage {
  documents: Document[];
  next?: string;
  previous?: string;
}

/** Most summaries kept (a few hundred bytes each): every document × language of a large newsroom. */
const CACHED_SUMMARIES = 100_000;

/** Documents whose kept source versions are remembered (each holds every version's paragraphs). */
const SOURCE_VERSIONS_KEPT = 50;

/** Most revisions and reviews kept in memory across all cached translation states. */
const CACHED_EVENTS = 1_000_000;

interface Cached {
  state: Promise<TranslationState>;
  events: number;
  /** The store's version of the history this state was read at (or kept up with). */
  version: number;
}

export class TranslationService {
  readonly #locks = new KeyedMutex();
  readonly #states = new Map<string, Cached>();
  readonly #sourceVersionCache = new Map<string, Promise<SourceVersion[]>>();
  #cachedEvents = 0;
  /**
   * Summaries by document × language, each with the document object and the history's store
   * version it was computed from: a list page checks the version (cheap) and recomputes only what
   * moved, so it never reads a whole history for a translation that has not changed.
   */
  readonly #summaries = new Map<string, { doc: Document; version: number; summary: TranslationSummary }>();

  constructor(
    private readonly store: Store,
    private readonly glossary: GlossaryService,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
    private readonly maxTextLength: number,
    private readonly parse: ParsePool = new ParsePool(),
    /** Told of every append and document write this service makes, once durable. */
    readonly changes: ChangeFeed = new ChangeFeed(),
    /** Every check of a translation, the glossary's and the others, with each language's settings. */
    readonly quality: QualityService = new QualityService(store, glossary, audit),
  ) {}

  listDocuments(): Promise<Document[]> {
    return this.store
      .listDocuments()
      .then((docs) => docs.sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  }

  /** A page of documents, oldest first; a cursor no page handed out is a 400. */
  listDocumentsPage(limit: number, after?: string, before?: string): Promise<DocumentPage> {
    return readPage((cursors) => this.store.listDocumentsPage({ limit, ...cursors }), after, before);
  }

  /**
   * Progress, last change and the number waiting for review of a document's translation into
   * `lang`, from the summary cache while the history's version and the document are unchanged,
   * and otherwise from its state (itself cached).
   */
  async summary(doc: Document, lang: string): Promise<TranslationSummary> {
    return this.#summaryAt(doc, lang, await this.store.translationVersion(doc.id, lang));
  }

  /** The summaries of many document × language pairs (a list page), their versions read in one store call. */
  async summaries(pairs: readonly { doc: Document; lang: string }[]): Promise<TranslationSummary[]> {
    const versions = await this.store.translationVersions(
      pairs.map((p) => ({ document: p.doc.id, lang: p.lang })),
    );
    return Promise.all(pairs.map((p, i) => this.#summaryAt(p.doc, p.lang, versions[i] ?? 0)));
  }

  async #summaryAt(doc: Document, lang: string, version: number): Promise<TranslationSummary> {
    const key = `${doc.id}/${lang}`;
    const kept = this.#summaries.get(key);
    if (kept && kept.version === version && kept.doc === doc) {
      this.#summaries.delete(key);
      this.#summaries.set(key, kept);
      return kept.summary;
    }
    const summary = summarize(doc, await this.#state(doc.id, lang));
    // Tagged with the version read before the state: at worst a later call computes it again.
    this.#summaries.delete(key);
    this.#summaries.set(key, { doc, version, summary });
    if (this.#summaries.size > CACHED_SUMMARIES) {
      const oldest = this.#summaries.keys().next().value as string;
      this.#summaries.delete(oldest);
    }
    return summary;
  }

  async getDocument(id: string): Promise<Document> {
    const doc = await this.store.getDocument(id);
    if (!doc) throw new NotFoundError("Document", "document_not_found");
    return doc;
  }

  async create(
    input: {
      sourceLang: string;
      format: SourceFormat;
      content: string;
      title?: string;
      languages?: string[];
      id?: string;
    },
    actor: string,
  ): Promise<Document> {
    const sourceLang = requireLang(input.sourceLang, "sourceLang");
    const languages = [...new Set((input.languages ?? []).map((l) => requireLang(l, "languages")))].filter(
      (l) => l !== sourceLang,
    );
    const doc = await this.parse.document({
      id: input.id ?? newId(),
      sourceLang,
      format: input.format,
      content: input.content,
      ...(input.title !== undefined ? { title: input.title } : {}),
      createdBy: actor,
      createdAt: this.now().toISOString(),
      languages,
    });
    await this.store.putDocument(
      doc,
      this.audit.entry(actor, "document.create", `document:${doc.id}`, { title: doc.title }),
    );
    this.changes.document({ document: doc });
    return doc;
  }

  async addLanguage(id: string, tag: string, actor: string): Promise<Document> {
    const lang = requireLang(tag, "lang");
    return this.#locks.run(id, async () => {
      const doc = await this.getDocument(id);
      if (lang === doc.sourceLang)
        throw new ValidationError(
          "The target language is the document's source language.",
          { lang: "same as source" },
          "invalid_language",
        );
      if (doc.languages.includes(lang)) return doc;
      // Only the languages are written, read again under the store's lock: a racing source update stays.
      const updated = await this.store.updateDocumentLanguages(
        id,
        (languages) => (languages.includes(lang) ? [...languages] : [...languages, lang]),
        this.audit.entry(actor, "document.add_language", `document:${id}`, { lang }),
      );
      if (!updated) throw new NotFoundError("Document", "document_not_found");
      this.changes.document({ document: updated });
      return updated;
    });
  }

  /**
   * Stops translating a document into a language. Its history stays in the store, readable again
   * if the language is added back.
   */
  async removeLanguage(id: string, tag: string, actor: string): Promise<Document> {
    return this.#locks.run(id, async () => {
      const doc = await this.getDocument(id);
      // A tag stored before tags were bounded may not canonicalise any more: match it as written too.
      const lang = doc.languages.includes(tag) ? tag : canonicalLang(tag);
      if (!lang || !doc.languages.includes(lang)) throw new NotFoundError("Language", "language_not_found");
      const updated = await this.store.updateDocumentLanguages(
        id,
        (languages) => languages.filter((l) => l !== lang),
        this.audit.entry(actor, "document.remove_language", `document:${id}`, { lang }),
      );
      if (!updated) throw new NotFoundError("Document", "document_not_found");
      this.#forget(id, lang);
      this.changes.document({ document: updated });
      return updated;
    });
  }

  /** The document and a language it is translated into; 404 for either unknown. */
  async resolve(id: string, tag: string): Promise<{ doc: Document; lang: string }> {
    const lang = canonicalLang(tag);
    if (!lang)
      throw new ValidationError(
        `"${tag}" is not a language tag Glosa can use: a BCP 47 tag of at most 35 characters once canonicalised (es, pt-BR, es-AR).`,
        { lang: "invalid" },
        "invalid_language",
      );
    const doc = await this.getDocument(id);
    if (!doc.languages.includes(lang)) throw new NotFoundError("Language", "language_not_found");
    return { doc, lang };
  }

  /**
   * A document's translation into one language, from the cache (most recently used last) or the
   * store. The store's version of the history is checked on every call, so a change made by
   * another process is read on the next request.
   */
  async #state(docId: string, lang: string): Promise<TranslationState> {
    const key = `${docId}/${lang}`;
    const version = await this.store.translationVersion(docId, lang);
    const cached = this.#states.get(key);
    if (cached && cached.version === version) {
      this.#states.delete(key);
      this.#states.set(key, cached);
      return cached.state;
    }
    if (cached) this.#forget(docId, lang);
    const entry: Cached = { state: Promise.resolve(new Map()), events: 0, version };
    entry.state = this.store.readTranslationEvents(docId, lang).then((events) => {
      entry.events = events.length;
      this.#cachedEvents += events.length;
      this.#evict();
      return buildState(events);
    });
    entry.state.catch(() => this.#forget(docId, lang));
    this.#states.set(key, entry);
    return entry.state;
  }

  #evict(): void {
    for (const [key, entry] of this.#states) {
      if (this.#cachedEvents <= CACHED_EVENTS || this.#states.size <= 1) break;
      this.#states.delete(key);
      this.#cachedEvents -= entry.events;
    }
  }

  #forget(docId: string, lang: string): void {
    const key = `${docId}/${lang}`;
    const entry = this.#states.get(key);
    if (!entry) return;
    this.#states.delete(key);
    this.#cachedEvents -= entry.events;
  }

  /**
   * Runs a command: `decide` reads the state and returns the events to append with their audit
   * entry (or null: nothing to write). When the store refuses the append because the state moved
   * on, the state is read again and `decide` runs again on it.
   */
  async #command<T extends { events: TranslationEvent[]; audit: AuditEntry } | null>(
    doc: Document,
    lang: string,
    decide: (state: TranslationState) => T,
  ): Promise<T> {
    const docId = doc.id;
    for (let attempt = 1; ; attempt++) {
      const key = `${docId}/${lang}`;
      const state = await this.#state(docId, lang);
      const decision = decide(state);
      if (!decision) return decision;
      let version: number;
      try {
        version = await this.store.appendTranslationEvents(docId, lang, decision.events, decision.audit);
      } catch (error) {
        if (error instanceof RevisionConflictError && attempt < 3) {
          this.#forget(docId, lang);
          continue;
        }
        if (error instanceof RevisionConflictError) throw conflictWith(state.get(error.pid));
        this.#forget(docId, lang);
        throw error;
      }
      const entry = this.#states.get(key);
      // Kept up with only when this append is the one change since the state was read.
      if (entry && (await entry.state) === state && version === entry.version + 1) {
        for (const event of decision.events) applyEvent(state, event);
        entry.version = version;
        entry.events += decision.events.length;
        this.#cachedEvents += decision.events.length;
      } else this.#forget(docId, lang);
      this.changes.translation({ document: doc, lang, events: decision.events, version });
      return decision;
    }
  }

  /**
   * A paragraph of the document and its translation; with `includeRemoved`, also one a source update
   * removed (as its last kept version had it), whose history stays readable.
   */
  async paragraph(id: string, tag: string, pid: string, options: { includeRemoved?: boolean } = {}) {
    const { doc, lang } = await this.resolve(id, tag);
    const paragraph =
      doc.paragraphs.find((p) => p.id === pid) ??
      (options.includeRemoved ? await this.#removedParagraph(doc, pid) : undefined);
    if (!paragraph) throw new NotFoundError("Paragraph", "paragraph_not_found");
    const state = await this.#state(doc.id, lang);
    return { doc, lang, paragraph, translation: state.get(pid) };
  }

  async view(id: string, tag: string): Promise<TranslationView> {
    const { doc, lang } = await this.resolve(id, tag);
    const state = await this.#state(doc.id, lang);
    const index = await this.glossary.index(doc.sourceLang, lang);
    const check = await this.quality.checker(doc, lang);
    const paragraphs = doc.paragraphs.map((paragraph) =>
      paragraphView(index.match(paragraph.source), check, paragraph, state.get(paragraph.id)),
    );
    await this.#withSourceChanges(doc, index, paragraphs);
    return { document: doc, lang, progress: progressOf(doc, state), paragraphs };
  }

  /**
   * Two revisions of a paragraph compared (0 is the empty text before the first): the word diff and
   * what the change did to the glossary. By default the one before the latest against the latest;
   * a revision beyond the latest is a 404.
   */
  async compareRevisions(
    id: string,
    tag: string,
    pid: string,
    wanted: { from?: number; to?: number } = {},
    options: { includeRemoved?: boolean } = {},
  ) {
    const { doc, lang, paragraph, translation } = await this.paragraph(id, tag, pid, options);
    const revisions = translation?.revisions ?? [];
    const to = wanted.to ?? revisions.length;
    const from = wanted.from ?? Math.max(0, to - 1);
    if (to > revisions.length || from > revisions.length)
      throw new NotFoundError("Revision", "revision_not_found");
    const textOf = (n: number) => (n === 0 ? "" : (revisions[n - 1]?.text ?? ""));
    const index = await this.glossary.index(doc.sourceLang, lang);
    return {
      doc,
      lang,
      paragraph,
      translation,
      from,
      to,
      diff: diffTexts(textOf(from), textOf(to)),
      events: glossaryEvents(index, paragraph.source, textOf(from), textOf(to)),
      matches: index.match(paragraph.source),
    };
  }

  /** Paragraphs changed since their last approval, each with its diff from that approval. */
  async reviewQueue(id: string, tag: string): Promise<{ view: TranslationView; items: ReviewItem[] }> {
    const view = await this.view(id, tag);
    const index = await this.glossary.index(view.document.sourceLang, view.lang);
    const items = view.paragraphs
      .filter((p) => needsReview(p.translation, p.paragraph))
      .map((p): ReviewItem => {
        const approved = lastApprovedRevision(p.translation);
        const latest = p.latest as Revision;
        return {
          ...p,
          approved,
          diff: diffTexts(approved?.text ?? "", latest.text),
          events: glossaryEvents(index, p.paragraph.source, approved?.text ?? "", latest.text),
        };
      });
    return { view, items };
  }

  async waive(
    id: string,
    tag: string,
    pid: string,
    input: { termId: string; key?: string; code: string; reason: string },
    actor: string,
  ): Promise<void> {
    const { doc, lang } = await this.paragraph(id, tag, pid);
    await this.#command(doc, lang, (state) => ({
      events: [waiveFinding(state.get(pid), { pid, ...input, author: actor, now: this.now().toISOString() })],
      audit: this.audit.entry(actor, "finding.waive", `document:${doc.id}/${lang}/${pid}`, {
        termId: input.termId,
        ...(input.key ? { key: input.key } : {}),
        code: input.code,
      }),
    }));
  }

  /** The latest revision of any paragraph: when the translation last changed, and by whom. */
  async lastChange(doc: Document, lang: string): Promise<{ at: string; author: string } | undefined> {
    return (await this.summary(doc, lang)).last;
  }

  async progress(doc: Document, lang: string): Promise<Progress> {
    return (await this.summary(doc, lang)).progress;
  }

  async save(
    id: string,
    tag: string,
    pid: string,
    input: {
      text: string;
      baseRevision: number;
      status?: SaveStatus;
      origin?: RevisionOrigin;
      suggestion?: string;
    },
    actor: string,
  ): Promise<SaveResult> {
    const text = cleanText(input.text, this.maxTextLength);
    const { doc, lang, paragraph } = await this.paragraph(id, tag, pid);
    let after: ParagraphTranslation | undefined;
    const written = await this.#command(doc, lang, (state) => {
      after = state.get(pid);
      const event = saveRevision(after, {
        pid,
        text,
        baseRevision: input.baseRevision,
        status: input.status ?? "translated",
        author: actor,
        now: this.now().toISOString(),
        ...(input.origin ? { origin: input.origin } : {}),
        sourceVersion: doc.version ?? 1,
        paragraph,
        ...(input.suggestion !== undefined ? { suggestion: input.suggestion } : {}),
      });
      if (!event) return null;
      return {
        events: [event],
        audit: this.audit.entry(actor, "translation.save", `document:${doc.id}/${lang}/${pid}`, {
          revision: event.revision,
          status: event.status,
          ...(event.origin ? { origin: event.origin } : {}),
        }),
      };
    });
    const saved = written?.events[0] as RevisionEvent | undefined;
    const latest = saved ?? (latestRevision(after) as Revision);
    const check = await this.quality.checker(doc, lang);
    return {
      revision: latest.revision,
      status: saved ? saved.status : statusOf(after, paragraph),
      text: latest.text,
      qa: check(paragraph, latest.text),
      created: saved !== undefined,
    };
  }

  async clear(
    id: string,
    tag: string,
    pid: string,
    baseRevision: number,
    actor: string,
  ): Promise<SaveResult> {
    const { doc, lang } = await this.paragraph(id, tag, pid);
    let latest: Revision | undefined;
    const written = await this.#command(doc, lang, (state) => {
      latest = latestRevision(state.get(pid));
      const event = clearRevision(state.get(pid), {
        pid,
        baseRevision,
        author: actor,
        now: this.now().toISOString(),
      });
      if (!event) return null;
      return {
        events: [event],
        audit: this.audit.entry(actor, "translation.clear", `document:${doc.id}/${lang}/${pid}`, {
          revision: event.revision,
        }),
      };
    });
    return {
      revision: written?.events[0]?.revision ?? latest?.revision ?? 0,
      status: "untranslated",
      text: "",
      qa: [],
      created: written !== null,
    };
  }

  async review(
    id: string,
    tag: string,
    pid: string,
    input: { action: "approve" | "reject"; revision: number; comment?: string },
    actor: string,
  ): Promise<{ revision: number; status: ParagraphStatus }> {
    const { doc, lang } = await this.paragraph(id, tag, pid);
    const { events } = await this.#command(doc, lang, (state) => {
      const event = reviewRevision(state.get(pid), {
        pid,
        ...input,
        sourceVersion: doc.version ?? 1,
        ...(input.comment ? { comment: input.comment.normalize("NFC").trim() } : {}),
        author: actor,
        now: this.now().toISOString(),
      });
      return {
        events: [event],
        audit: this.audit.entry(actor, `translation.${input.action}`, `document:${doc.id}/${lang}/${pid}`, {
          revision: event.revision,
        }),
      };
    });
    const event = events[0] as TranslationEvent;
    return { revision: event.revision, status: input.action === "approve" ? "approved" : "rejected" };
  }

  async revert(
    id: string,
    tag: string,
    pid: string,
    revision: number,
    actor: string,
  ): Promise<RevisionEvent> {
    const { doc, lang } = await this.paragraph(id, tag, pid);
    const { events } = await this.#command(doc, lang, (state) => {
      const event = revertRevision(state.get(pid), {
        pid,
        revision,
        author: actor,
        now: this.now().toISOString(),
      });
      return {
        events: [event],
        audit: this.audit.entry(actor, "translation.revert", `document:${doc.id}/${lang}/${pid}`, {
          revision: event.revision,
          revertOf: revision,
        }),
      };
    });
    return events[0] as RevisionEvent;
  }

  /** A document's translation as a file: Markdown, bilingual Markdown, XLIFF 2.0 or TMX 1.4b. */
  async export(
    id: string,
    tag: string,
    options: { format: ExportFormatId; status: ExportStatus; incomplete: IncompletePolicy },
  ): Promise<{ body: string; contentType: string; filename: string }> {
    const { doc, lang } = await this.resolve(id, tag);
    const input = selectForExport(doc, lang, await this.#state(doc.id, lang), {
      status: options.status,
      incomplete: options.incomplete,
      exportedAt: this.now().toISOString(),
    });
    const format = EXPORT_FORMATS[options.format];
    return {
      body: format.render(input, { version: GLOSA_VERSION }),
      contentType: format.contentType,
      filename: `${doc.slug}.${lang}${format.suffix}`,
    };
  }

  /**
   * Imports an XLIFF 2.0 or 1.2 file: each changed target becomes a new revision by the importing
   * user, on top of the latest; units that no longer match are reported. A file that cannot be
   * read, or belongs to another document or language, changes nothing.
   */
  async importXliff(id: string, tag: string, xml: string, actor: string): Promise<ImportReport> {
    const file = await this.parse.xliff(xml, this.maxTextLength);
    const { doc, lang } = await this.resolve(id, tag);
    let report: ImportReport = { updated: 0, unchanged: 0, errors: [], conflicts: [] };
    // The whole file is one commit: every revision and the audit entry durable together, or none.
    await this.#command(doc, lang, (state) => {
      const plan = planXliffImport(doc, lang, state, file);
      const errors = [...plan.errors];
      const events: RevisionEvent[] = [];
      const now = this.now().toISOString();
      const byId = new Map(doc.paragraphs.map((p) => [p.id, p]));
      for (const { pid, text: raw } of plan.updates) {
        let text: string;
        try {
          text = cleanText(raw, this.maxTextLength);
        } catch (error) {
          const reason = error instanceof GlosaError ? error.code : "invalid_request";
          errors.push({
            unit: pid,
            message: (error as Error).message,
            code: "invalid_text",
            params: { reason },
          });
          continue;
        }
        const latest = latestRevision(state.get(pid));
        const event = saveRevision(state.get(pid), {
          pid,
          text,
          baseRevision: latest?.revision ?? 0,
          status: "translated",
          author: actor,
          now,
          sourceVersion: doc.version ?? 1,
          paragraph: byId.get(pid),
        });
        if (event) events.push(event);
      }
      report = { updated: events.length, unchanged: plan.unchanged, errors, conflicts: plan.conflicts };
      return {
        events,
        audit: this.audit.entry(actor, "translation.import", `document:${doc.id}/${lang}`, {
          updated: report.updated,
          unchanged: report.unchanged,
          errors: errors.length,
          conflicts: plan.conflicts.length,
        }),
      };
    });
    return report;
  }

  /**
   * A document's translation into one language as the cache holds it (find and replace, statistics
   * read it): the caller must not change it.
   */
  readState(docId: string, lang: string): Promise<TranslationState> {
    return this.#state(docId, lang);
  }

  // --- Source updates (issue #13) ---

  /**
   * Replaces a document's source with a new version, aligned with the old one by content (see
   * translations/source-update.ts), or with `dryRun` only plans it. A `baseVersion` that is not the
   * current one is a 409 and changes nothing, in this process or any other sharing the store.
   * Split and merged paragraphs then get the old translations as their starting text, outdated.
   */
  async updateSource(
    id: string,
    input: {
      format: SourceFormat;
      content: string;
      title?: string;
      baseVersion: number;
      outdateTrivial?: boolean;
    },
    actor: string,
    options: { dryRun?: boolean } = {},
  ): Promise<SourcePlan> {
    return this.#locks.run(id, async () => {
      const doc = await this.getDocument(id);
      const now = this.now().toISOString();
      if (input.baseVersion !== (doc.version ?? 1)) throw staleSourceVersion(doc.version ?? 1);
      const parsed = await this.parse.document({
        id: doc.id,
        sourceLang: doc.sourceLang,
        format: input.format,
        content: input.content,
        ...(input.title !== undefined ? { title: input.title } : {}),
        createdBy: actor,
        createdAt: now,
        languages: doc.languages,
      });
      const states = new Map<string, TranslationState>();
      for (const lang of doc.languages) states.set(lang, await this.#state(doc.id, lang));
      const { alignment, diffs } = await this.parse.align(
        doc.paragraphs,
        parsed.paragraphs.map((p) => p.source),
      );
      const update = {
        parsed,
        alignment,
        diffs,
        baseVersion: input.baseVersion,
        outdateTrivial: input.outdateTrivial === true,
        author: actor,
        now,
      };
      const plan = planSourceUpdate(doc, states, update);
      // The same text again: nothing to keep as a new version (a PUT repeated changes nothing).
      if (isSameSource(plan, doc))
        return { ...plan, version: doc.version ?? 1, document: doc, versions: [], carry: {} };
      if (options.dryRun) return plan;
      const audit = this.audit.entry(actor, "document.update_source", `document:${doc.id}`, {
        fromVersion: plan.baseVersion,
        version: plan.version,
        edited: plan.changes.edited.length,
        added: plan.changes.added.length,
        removed: plan.changes.removed.length,
      });
      try {
        await this.store.updateDocumentSource(plan.document, plan.versions, plan.baseVersion, audit);
      } catch (error) {
        if (error instanceof SourceVersionConflictError) throw staleSourceVersion(error.current);
        throw error;
      }
      this.changes.document({ document: plan.document });
      for (const lang of plan.document.languages) {
        if ((plan.carry[lang] ?? []).length === 0) continue;
        await this.#command(plan.document, lang, (state) => {
          const events = carryEvents(plan.paragraphs, state, update);
          if (events.length === 0) return null;
          return {
            events,
            audit: this.audit.entry(actor, "translation.carry", `document:${doc.id}/${lang}`, {
              version: plan.version,
              paragraphs: events.length,
            }),
          };
        });
      }
      return plan;
    });
  }

  /** Kept versions of a document's source, oldest first; a document never updated has its version 1 only. */
  async sourceVersions(id: string): Promise<SourceVersion[]> {
    return this.#sourceVersionsOf(await this.getDocument(id));
  }

  async #sourceVersionsOf(doc: Document): Promise<SourceVersion[]> {
    const version = doc.version ?? 1;
    if (version === 1)
      return [
        {
          documentId: doc.id,
          version: 1,
          title: doc.title,
          paragraphs: doc.paragraphs,
          createdAt: doc.createdAt,
          createdBy: doc.createdBy,
        },
      ];
    // Versions never change once kept: remembered per document version, bounded.
    const key = `${doc.id}@${version}`;
    let kept = this.#sourceVersionCache.get(key);
    if (!kept) {
      kept = this.store.listSourceVersions(doc.id);
      kept.catch(() => this.#sourceVersionCache.delete(key));
      if (this.#sourceVersionCache.size >= SOURCE_VERSIONS_KEPT) this.#sourceVersionCache.clear();
      this.#sourceVersionCache.set(key, kept);
    }
    return kept;
  }

  /** A paragraph that left the document in a source update, as the last version that had it. */
  async #removedParagraph(doc: Document, pid: string): Promise<Paragraph | undefined> {
    if ((doc.version ?? 1) === 1) return undefined;
    const versions = await this.#sourceVersionsOf(doc);
    for (let i = versions.length - 1; i >= 0; i--) {
      const found = versions[i]?.paragraphs.find((p) => p.id === pid);
      if (found) return found;
    }
    return undefined;
  }

  /** Attaches the source's change since each outdated paragraph's translation was made. */
  async #withSourceChanges(doc: Document, index: GlossaryIndex, paragraphs: ParagraphView[]): Promise<void> {
    if ((doc.version ?? 1) === 1 || !paragraphs.some((p) => p.status === "outdated")) return;
    const byVersion = new Map((await this.#sourceVersionsOf(doc)).map((v) => [v.version, v]));
    for (const p of paragraphs) {
      if (p.status !== "outdated") continue;
      const fromVersion = p.translation?.sourceVersion ?? 1;
      const before = sourceAt(byVersion.get(fromVersion), p.paragraph) ?? "";
      const termsOf = (text: string) => new Map(index.match(text).map((m) => [m.termId, m.text]));
      const [was, is] = [termsOf(before), termsOf(p.paragraph.source)];
      p.sourceChange = {
        fromVersion,
        changes: diffTexts(before, p.paragraph.source).changes,
        terms: {
          added: [...is].filter(([termId]) => !was.has(termId)).map(([, text]) => text),
          removed: [...was].filter(([termId]) => !is.has(termId)).map(([, text]) => text),
        },
      };
    }
  }

  /** Waits for every queued command (graceful shutdown). */
  idle(): Promise<void> {
    return this.#locks.idle();
  }

  // --- Machine translation (issue #16) ---

  /**
   * Pre-translation's write: each text saved as a draft of a paragraph that is still empty, all in
   * one append with one audit entry. A paragraph someone filled in the meantime is left alone.
   */
  async saveDrafts(
    id: string,
    tag: string,
    drafts: readonly { pid: string; text: string }[],
    origin: RevisionOrigin,
    actor: string,
    details: Record<string, unknown> = {},
  ): Promise<{ filled: string[]; skipped: string[] }> {
    const { doc, lang } = await this.resolve(id, tag);
    let result = { filled: [] as string[], skipped: [] as string[] };
    await this.#command(doc, lang, (state) => {
      const events: RevisionEvent[] = [];
      const now = this.now().toISOString();
      result = { filled: [], skipped: [] };
      for (const draft of drafts) {
        const p = state.get(draft.pid);
        if (currentText(p) !== null || !doc.paragraphs.some((para) => para.id === draft.pid)) {
          result.skipped.push(draft.pid);
          continue;
        }
        const event = saveRevision(p, {
          pid: draft.pid,
          text: cleanText(draft.text, this.maxTextLength),
          baseRevision: latestRevision(p)?.revision ?? 0,
          status: "draft",
          author: actor,
          now,
          origin,
          sourceVersion: doc.version ?? 1,
        });
        if (event) events.push(event);
        result.filled.push(draft.pid);
      }
      if (events.length === 0) return null;
      return {
        events,
        audit: this.audit.entry(actor, "translation.pretranslate", `document:${doc.id}/${lang}`, {
          ...details,
          filled: result.filled.length,
          skipped: result.skipped.length,
        }),
      };
    });
    return result;
  }
}

const NO_FINDINGS: readonly AnyFinding[] = Object.freeze([]);

function paragraphView(
  glossary: readonly TermMatch[],
  check: ParagraphChecker,
  paragraph: Paragraph,
  translation: ParagraphTranslation | undefined,
): ParagraphView {
  const latest = latestRevision(translation);
  const text = currentText(translation);
  const findings = text ? check(paragraph, text, glossary) : NO_FINDINGS;
  const { qa, waived } = splitWaived(findings, translation?.waivers ?? []);
  return {
    paragraph,
    text,
    revision: latest?.revision ?? 0,
    status: statusOf(translation, paragraph),
    latest,
    glossary,
    qa,
    waived,
    translation,
  };
}

/**
 * Findings still open and findings waived. Without waivers the glossary's own (remembered) findings
 * array is passed on as it is, which lets the page reuse what it built from it.
 */
function splitWaived(findings: readonly AnyFinding[], waivers: readonly Waiver[]) {
  if (waivers.length === 0) return { qa: findings, waived: [] };
  const waived: ParagraphView["waived"] = [];
  const qa: AnyFinding[] = [];
  for (const finding of findings) {
    const waiver = waivers.find((w) => waives(w, finding));
    if (waiver) waived.push({ finding, waiver });
    else qa.push(finding);
  }
  return { qa, waived };
}

function requireLang(tag: string, field: string): string {
  const lang = canonicalLang(tag);
  if (!lang)
    throw new ValidationError(
      `"${tag}" is not a language tag Glosa can use: a BCP 47 tag of at most 35 characters once canonicalised (es, pt-BR, es-AR).`,
      { [field]: "invalid language tag" },
      "invalid_language",
    );
  return lang;
}

/**
 * Words of each paragraph's source, counted once per document version: documents are immutable
 * (frozen) once stored, so the counts live as long as the object does.
 */
const wordCounts = new WeakMap<Document, number[]>();

function wordsOf(doc: Document): number[] {
  let counts = wordCounts.get(doc);
  if (!counts) {
    counts = doc.paragraphs.map((p) => countWords(p.source));
    wordCounts.set(doc, counts);
  }
  return counts;
}

function summarize(doc: Document, state: TranslationState): TranslationSummary {
  let last: TranslationSummary["last"];
  for (const translation of state.values()) {
    const latest = latestRevision(translation);
    if (latest && (!last || latest.createdAt > last.at))
      last = { at: latest.createdAt, author: latest.author };
  }
  let waiting = 0;
  for (const paragraph of doc.paragraphs) if (needsReview(state.get(paragraph.id), paragraph)) waiting++;
  return { progress: progressOf(doc, state), last, waiting };
}

export function progressOf(doc: Document, state: TranslationState): Progress {
  const progress: Progress = {
    total: doc.paragraphs.length,
    translated: 0,
    approved: 0,
    outdated: 0,
    words: { total: 0, translated: 0, approved: 0 },
  };
  const counts = wordsOf(doc);
  for (const [i, paragraph] of doc.paragraphs.entries()) {
    const words = counts[i] ?? 0;
    progress.words.total += words;
    const status = statusOf(state.get(paragraph.id), paragraph);
    if (status === "outdated") progress.outdated++;
    if (status === "translated" || status === "approved") {
      progress.translated++;
      progress.words.translated += words;
    }
    if (status === "approved") {
      progress.approved++;
      progress.words.approved += words;
    }
  }
  return progress;
}

/** A plan that changes no paragraph (not even punctuation), moves none, and keeps the title. */
function isSameSource(plan: SourcePlan, doc: Document): boolean {
  const { changes } = plan;
  return (
    plan.document.title === doc.title &&
    changes.unchanged.length === doc.paragraphs.length &&
    changes.trivial.length === 0 &&
    changes.moved.length === 0 &&
    plan.paragraphs.length === doc.paragraphs.length
  );
}
