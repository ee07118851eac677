/**
 * Documents and their translations as the server uses them: one facade over the modules in
 * translations/ that routes and other services call. Commands (translations/commands.ts) write
 * through one repository (translations/repository.ts: the cached states and the store's
 * conditional, atomic append); queries build view models; exchange exports and imports files.
 */

import type { Document } from "../../translations/document.ts";
import type { SourceVersion } from "../../translations/source-update.ts";
import type { TranslationState } from "../../translations/translation.ts";
import { ChangeFeed } from "../changes.ts";
import { ParsePool } from "../parse-pool.ts";
import { KeyedMutex } from "../storage/mutex.ts";
import type { Store } from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";
import type { GlossaryService } from "./glossary.ts";
import { QualityService } from "./quality.ts";
import { TranslationCommands } from "./translations/commands.ts";
import type { TranslationContext } from "./translations/context.ts";
import { DocumentCatalog } from "./translations/documents.ts";
import { TranslationExchange } from "./translations/exchange.ts";
import type { DocumentPage, Progress, SaveResult, TranslationSummary } from "./translations/model.ts";
import { TranslationQueries } from "./translations/queries.ts";
import { TranslationRepository } from "./translations/repository.ts";
import { SourceUpdates } from "./translations/source.ts";
import { TranslationSummaries } from "./translations/summaries.ts";

export type * from "./translations/model.ts";
export { progressOf } from "./translations/summaries.ts";

export class TranslationService {
  readonly #documents: DocumentCatalog;
  readonly #sources: SourceUpdates;
  readonly #summaries: TranslationSummaries;
  readonly #queries: TranslationQueries;
  readonly #commands: TranslationCommands;
  readonly #exchange: TranslationExchange;
  readonly #repository: TranslationRepository;
  readonly #documentLocks = new KeyedMutex();
  /** Saves hand the caller's API token to the store's append, which checks it (a store shared by processes). */
  readonly checksTokensInWrites: boolean;

  constructor(
    store: Store,
    glossary: GlossaryService,
    audit: AuditLog,
    now: () => Date,
    maxTextLength: number,
    parse: ParsePool = new ParsePool(),
    /** Told of every append and document write this service makes, once durable. */
    readonly changes: ChangeFeed = new ChangeFeed(),
    /** Every check of a translation, the glossary's and the others, with each language's settings. */
    readonly quality: QualityService = new QualityService(store, glossary, audit),
  ) {
    this.#repository = new TranslationRepository(store, changes);
    this.checksTokensInWrites = store.knownDocument !== undefined;
    const context: TranslationContext = {
      store,
      repository: this.#repository,
      glossary,
      audit,
      quality,
      parse,
      changes,
      now,
      maxTextLength,
      documentLocks: this.#documentLocks,
    };
    this.#documents = new DocumentCatalog(context);
    this.#sources = new SourceUpdates(context, this.#documents);
    this.#summaries = new TranslationSummaries(store, this.#repository);
    this.#queries = new TranslationQueries(context, this.#documents, this.#sources);
    this.#commands = new TranslationCommands(context, this.#documents);
    this.#exchange = new TranslationExchange(context, this.#documents);
  }

  // --- Documents ---

  listDocuments(): Promise<Document[]> {
    return this.#documents.listDocuments();
  }

  /** A page of documents, oldest first; a cursor no page handed out is a 400. */
  listDocumentsPage(limit: number, after?: string, before?: string): Promise<DocumentPage> {
    return this.#documents.listDocumentsPage(limit, after, before);
  }

  getDocument(id: string): Promise<Document> {
    return this.#documents.getDocument(id);
  }

  /** The document and a language it is translated into; 404 for either unknown. */
  resolve(id: string, tag: string): Promise<{ doc: Document; lang: string }> {
    return this.#documents.resolve(id, tag);
  }

  create(...args: Parameters<DocumentCatalog["create"]>) {
    return this.#documents.create(...args);
  }

  addLanguage(id: string, tag: string, actor: string): Promise<Document> {
    return this.#documents.addLanguage(id, tag, actor);
  }

  /** Stops translating a document into a language; its history stays, readable if it is added back. */
  removeLanguage(id: string, tag: string, actor: string): Promise<Document> {
    return this.#documents.removeLanguage(id, tag, actor);
  }

  // --- Source updates (issue #13) ---

  updateSource(...args: Parameters<SourceUpdates["updateSource"]>) {
    return this.#sources.updateSource(...args);
  }

  /** Kept versions of a document's source, oldest first; a document never updated has its version 1 only. */
  sourceVersions(id: string): Promise<SourceVersion[]> {
    return this.#sources.sourceVersions(id);
  }

  // --- Summaries and queries ---

  summary(doc: Document, lang: string): Promise<TranslationSummary> {
    return this.#summaries.summary(doc, lang);
  }

  /** The summaries of many document × language pairs (a list page), their versions read in one store call. */
  summaries(pairs: readonly { doc: Document; lang: string }[]): Promise<TranslationSummary[]> {
    return this.#summaries.summaries(pairs);
  }

  /** The latest revision of any paragraph: when the translation last changed, and by whom. */
  async lastChange(doc: Document, lang: string): Promise<{ at: string; author: string } | undefined> {
    return (await this.summary(doc, lang)).last;
  }

  async progress(doc: Document, lang: string): Promise<Progress> {
    return (await this.summary(doc, lang)).progress;
  }

  /**
   * The progress right after a save, clear or review, at the version that write made (the state the
   * command kept up with): no store read. Nothing written: read as `progress` does.
   */
  async progressAfter(result: Pick<SaveResult, "doc" | "lang" | "version">): Promise<Progress> {
    if (result.version === undefined) return this.progress(result.doc, result.lang);
    return (await this.#summaries.summaryAt(result.doc, result.lang, result.version)).progress;
  }

  /**
   * A document's translation into one language as the cache holds it (find and replace, statistics
   * read it): the caller must not change it.
   */
  readState(docId: string, lang: string): Promise<TranslationState> {
    return this.#repository.state(docId, lang);
  }

  paragraph(...args: Parameters<TranslationQueries["paragraph"]>) {
    return this.#queries.paragraph(...args);
  }

  view(...args: Parameters<TranslationQueries["view"]>) {
    return this.#queries.view(...args);
  }

  compareRevisions(...args: Parameters<TranslationQueries["compareRevisions"]>) {
    return this.#queries.compareRevisions(...args);
  }

  reviewQueue(...args: Parameters<TranslationQueries["reviewQueue"]>) {
    return this.#queries.reviewQueue(...args);
  }

  // --- Commands ---

  save(...args: Parameters<TranslationCommands["save"]>) {
    return this.#commands.save(...args);
  }

  clear(...args: Parameters<TranslationCommands["clear"]>) {
    return this.#commands.clear(...args);
  }

  review(...args: Parameters<TranslationCommands["review"]>) {
    return this.#commands.review(...args);
  }

  revert(...args: Parameters<TranslationCommands["revert"]>) {
    return this.#commands.revert(...args);
  }

  waive(...args: Parameters<TranslationCommands["waive"]>) {
    return this.#commands.waive(...args);
  }

  liftWaiver(...args: Parameters<TranslationCommands["liftWaiver"]>) {
    return this.#commands.liftWaiver(...args);
  }

  /** Pre-translation's write (issue #16): drafts of paragraphs still empty, one append, one audit entry. */
  saveDrafts(...args: Parameters<TranslationCommands["saveDrafts"]>) {
    return this.#commands.saveDrafts(...args);
  }

  // --- Exchange ---

  export(...args: Parameters<TranslationExchange["export"]>) {
    return this.#exchange.export(...args);
  }

  importXliff(...args: Parameters<TranslationExchange["importXliff"]>) {
    return this.#exchange.importXliff(...args);
  }

  /** Waits for every queued command (graceful shutdown). */
  idle(): Promise<void> {
    return this.#documentLocks.idle();
  }
}
