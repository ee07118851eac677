/**
 * Find and replace as the server runs it: a preview of every occurrence in the current
 * translations of one document × language or of every document translated into a language, an
 * apply of the chosen occurrences as new revisions on the revisions the preview showed, and an
 * undo of a whole batch. A batch is one store call with one audit entry.
 */

import type { Finding } from "../../glossary/checks/check.ts";
import { canonicalLang } from "../../glossary/language.ts";
import { slicer } from "../../glossary/xml.ts";
import type { AnyFinding } from "../../quality/run.ts";
import type { Document, Paragraph } from "../../translations/document.ts";
import { ConflictError, ValidationError } from "../../translations/errors.ts";
import {
  collect,
  Finder,
  MAX_OCCURRENCES,
  type Occurrence,
  type ReplaceQuery,
  replaceOccurrences,
  type SearchResult,
} from "../../translations/replace.ts";
import {
  type BatchPlan,
  type BatchRevision,
  groupChosen,
  planReplace,
  planUndo,
  type Skipped,
} from "../../translations/replace-batch.ts";
import { type BatchSummary, newestBatches, summarizeBatches } from "../../translations/replace-batches.ts";
import { currentText, latestRevision, type TranslationState } from "../../translations/translation.ts";
import type { AuditAction } from "../accounts/model.ts";
import type { ChangeFeed } from "../changes.ts";
import { newId } from "../ids.ts";
import {
  RevisionConflictError,
  type Store,
  type TranslationAppend,
  type TranslationPair,
} from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";
import type { ParagraphChecker } from "./quality.ts";
import { untilRefusingWriteShows } from "./translations/repository.ts";
import type { TranslationService } from "./translations.ts";

/** Where to search: one document's translation, or every document translated into `lang`. */
export interface ReplaceScope {
  lang: string;
  documentId?: string;
}

export interface PreviewResult {
  scope: ReplaceScope;
  query: ReplaceQuery;
  occurrences: Occurrence[];
  omitted: number;
  /** Places that already read as the replacement (nothing to change), left out of `occurrences`. */
  unchanged: number;
  /** Titles of the documents with occurrences. */
  documents: { id: string; title: string }[];
}

export type { BatchRevision, Skipped };

export interface BatchResult {
  /** Kept on every revision written and in the audit entry; absent when nothing was written. */
  batch?: string;
  revisions: BatchRevision[];
  skipped: Skipped[];
}

/** Most batches a list shows: the latest, the ones an undo is likely wanted for. */
export const MAX_BATCHES_LISTED = 20;

/** Most occurrences one apply may choose, and most revisions one undo may name. */
export const MAX_CHOSEN = MAX_OCCURRENCES;

/** Most times a batch is planned when other writers keep getting there first. */
const MAX_ATTEMPTS = 10;

export class ReplaceService {
  constructor(
    private readonly store: Store,
    private readonly translations: TranslationService,
    private readonly audit: AuditLog,
    private readonly changes: ChangeFeed,
    private readonly now: () => Date,
    private readonly maxTextLength: number,
  ) {}

  /** The documents of a scope and the language, canonical; 404 for a document or language unknown. */
  async documents(scope: ReplaceScope): Promise<{ lang: string; documents: Document[] }> {
    if (scope.documentId !== undefined) {
      const { doc, lang } = await this.translations.resolve(scope.documentId, scope.lang);
      return { lang, documents: [doc] };
    }
    const lang = canonicalLang(scope.lang);
    if (!lang) throw new ValidationError("Unknown language.", { lang: "invalid" }, "invalid_language");
    const documents = (await this.translations.listDocuments()).filter((d) => d.languages.includes(lang));
    return { lang, documents };
  }

  async preview(scope: ReplaceScope, query: Omit<ReplaceQuery, "lang">): Promise<PreviewResult> {
    const { lang, documents } = await this.documents(scope);
    const finder = new Finder({ ...query, lang });
    const found: SearchResult = { occurrences: [], omitted: 0 };
    // A few milliseconds of searching at a time, letting other requests in between: a search of every
    // document is many milliseconds of work, never one long block of the event loop. By time, not by
    // paragraphs: 200 paragraphs of 20,000 characters were 70-160 ms.
    const pause = slicer();
    for (const doc of documents) {
      const state = await this.translations.readState(doc.id, lang);
      // Markdown: only prose is offered, never a link's destination, a code span or an HTML tag.
      const markdown = doc.format === "markdown";
      let check: ParagraphChecker | undefined;
      for (const paragraph of doc.paragraphs) {
        await pause();
        const p = state.get(paragraph.id);
        const text = currentText(p);
        if (!text) continue;
        const revision = latestRevision(p)?.revision ?? 0;
        const first = found.occurrences.length;
        collect(finder, { documentId: doc.id, pid: paragraph.id, revision, text, markdown }, found);
        if (found.occurrences.length === first) continue;
        check ??= await this.translations.quality.checker(doc, lang);
        markGlossaryBreaks(check, paragraph, text, found.occurrences.slice(first));
      }
    }
    const { occurrences, omitted } = found;
    const withHits = new Set(occurrences.map((o) => o.documentId));
    return {
      scope: { lang, ...(scope.documentId ? { documentId: scope.documentId } : {}) },
      query: finder.query,
      occurrences,
      omitted,
      unchanged: finder.unchanged,
      documents: documents.filter((d) => withHits.has(d.id)).map((d) => ({ id: d.id, title: d.title })),
    };
  }

  /**
   * Applies the chosen occurrences (ids from a preview) as one batch: one new revision per
   * paragraph, on the revision the preview showed. A paragraph saved since is skipped and reported.
   */
  async apply(
    scope: ReplaceScope,
    query: Omit<ReplaceQuery, "lang">,
    chosen: readonly string[],
    actor: string,
  ): Promise<BatchResult> {
    const { lang, documents } = await this.documents(scope);
    const finder = new Finder({ ...query, lang });
    const wanted = groupChosen(chosen);
    const paragraphs = new Map(documents.map((d) => [d.id, new Set(d.paragraphs.map((p) => p.id))]));
    const markdown = new Set(documents.filter((d) => d.format === "markdown").map((d) => d.id));
    const batch = newId();
    return this.#write({
      lang,
      batch,
      actor,
      action: "translation.replace",
      details: { find: finder.query.find, replace: finder.query.replace },
      documentIds: [...wanted.keys()],
      known: (id) => paragraphs.has(id),
      named: (id) =>
        [...(wanted.get(id) ?? new Map())].map(([pid, chosen]) => ({ pid, revision: chosen.revision })),
      plan: (state, documentId, now) =>
        planReplace(
          state,
          {
            documentId,
            lang,
            batch,
            author: actor,
            now,
            paragraphs: paragraphs.get(documentId) ?? new Set(),
            finder,
            maxTextLength: this.maxTextLength,
            markdown: markdown.has(documentId),
          },
          wanted.get(documentId) ?? new Map(),
        ),
    });
  }

  /**
   * Reverts the revisions a batch wrote (as its apply returned them), each to the text before it,
   * as one new batch. A paragraph changed since, or a revision the batch did not write, is reported.
   */
  async undo(
    batchId: string,
    lang: string,
    revisions: readonly Pick<BatchRevision, "documentId" | "pid" | "revision">[],
    actor: string,
  ): Promise<BatchResult> {
    const canonical = canonicalLang(lang);
    if (!canonical) throw new ValidationError("Unknown language.", { lang: "invalid" }, "invalid_language");
    const byDoc = new Map<string, Pick<BatchRevision, "pid" | "revision">[]>();
    for (const r of revisions) byDoc.set(r.documentId, [...(byDoc.get(r.documentId) ?? []), r]);
    const translated = new Set<string>();
    for (const id of byDoc.keys())
      if ((await this.store.getDocument(id))?.languages.includes(canonical)) translated.add(id);
    const batch = newId();
    return this.#write({
      lang: canonical,
      batch,
      actor,
      action: "translation.replace_undo",
      details: { undoes: batchId },
      documentIds: [...byDoc.keys()],
      known: (id) => translated.has(id),
      named: (id) => byDoc.get(id) ?? [],
      plan: (state, documentId, now) =>
        planUndo(
          state,
          { documentId, lang: canonical, batch, author: actor, now, undoes: batchId },
          byDoc.get(documentId) ?? [],
        ),
    });
  }

  /**
   * The latest batches (and undos) written in a scope, newest first, each with what an undo of it
   * would still revert and which paragraphs were saved since. Read from the histories, a document
   * at a time with a turn of the event loop in between.
   */
  async batches(scope: ReplaceScope, limit = MAX_BATCHES_LISTED): Promise<BatchSummary[]> {
    const { lang, documents } = await this.documents(scope);
    const summaries = new Map<string, BatchSummary>();
    for (const doc of documents) {
      summarizeBatches(doc.id, await this.translations.readState(doc.id, lang), summaries);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return newestBatches(summaries).slice(0, limit);
  }

  /**
   * The revisions a batch wrote in a scope, found by the batch id they carry: an undo needs no list
   * kept by the client (from the audit log, or after the result page is gone). Scans the scope's
   * histories a few hundred paragraphs at a time.
   */
  async findBatch(
    batchId: string,
    scope: ReplaceScope,
  ): Promise<Pick<BatchRevision, "documentId" | "pid" | "revision">[]> {
    const { lang, documents } = await this.documents(scope);
    const found: Pick<BatchRevision, "documentId" | "pid" | "revision">[] = [];
    const pause = slicer();
    for (const doc of documents) {
      const state = await this.translations.readState(doc.id, lang);
      for (const [pid, p] of state) {
        await pause();
        for (const r of p.revisions)
          if (r.batch === batchId) found.push({ documentId: doc.id, pid, revision: r.revision });
      }
    }
    return found;
  }

  /**
   * Plans each document's events from its state and writes them all in one store call with one
   * audit entry; when another writer got there first the plan is made again from fresh states
   * (the paragraph it saved is then reported as changed). Documents not `known` are reported as
   * missing, whole.
   */
  async #write(batch: BatchWrite): Promise<BatchResult> {
    const { lang } = batch;
    const pairs: TranslationPair[] = batch.documentIds
      .filter((id) => batch.known(id))
      .map((document) => ({ document, lang }));
    for (let attempt = 1; ; attempt++) {
      // The histories' versions before their states are read: a refusal then waits for them to move.
      const versions = await this.store.translationVersions(pairs);
      const now = this.now().toISOString();
      const appends: TranslationAppend[] = [];
      const revisions: BatchRevision[] = [];
      const skipped: Skipped[] = [];
      for (const documentId of batch.documentIds) {
        if (!batch.known(documentId)) {
          // Each paragraph the request named there is reported, as a known document's would be,
          // with its latest revision: a document outside the scope may well have one.
          const named = batch.named(documentId);
          if (named.length === 0)
            skipped.push({ documentId, pid: "", revision: 0, latest: 0, reason: "missing" });
          const state = named.length > 0 ? await this.#stateIfTranslated(documentId, lang) : undefined;
          for (const { pid, revision } of named) {
            const latest = latestRevision(state?.get(pid))?.revision ?? 0;
            skipped.push({ documentId, pid, revision, latest, reason: "missing" });
          }
          continue;
        }
        const planned = batch.plan(await this.translations.readState(documentId, lang), documentId, now);
        if (planned.events.length > 0)
          appends.push({ documentId, lang, events: [...planned.events, ...planned.reviews] });
        revisions.push(...planned.revisions);
        skipped.push(...planned.skipped);
      }
      if (appends.length === 0) return { revisions, skipped };
      const audit = this.audit.entry(batch.actor, batch.action, `batch:${batch.batch}`, {
        ...batch.details,
        lang,
        documents: appends.map((a) => a.documentId),
        revisions: revisions.length,
        ...(batch.action === "translation.replace_undo"
          ? {
              reviewsRestored: appends.reduce(
                (n, a) => n + a.events.filter((e) => e.type === "review").length,
                0,
              ),
            }
          : {}),
      });
      let written: number[];
      try {
        written = await this.store.appendTranslationBatch(appends, audit);
      } catch (error) {
        if (!(error instanceof RevisionConflictError)) throw error;
        if (attempt >= MAX_ATTEMPTS)
          throw new ConflictError(
            "These paragraphs kept being saved while the replacement was being written: nothing was replaced.",
            { context: "replace" },
            "revision_conflict",
          );
        // The store refuses on its latest heads, which on the file store include a save checked but
        // not yet durable, while the states read only what is durable: planned again at once, the
        // batch would be refused again on the same stale states. Once the other write shows, its
        // paragraph is planned as changed and the rest is written, as on PostgreSQL.
        await untilRefusingWriteShows(
          () => this.store.translationVersions(pairs),
          (now) => now.some((version, i) => version !== versions[i]),
        );
        continue;
      }
      for (const [i, append] of appends.entries()) {
        const document = await this.store.getDocument(append.documentId);
        if (document)
          this.changes.translation({ document, lang, events: append.events, version: written[i] ?? 0 });
      }
      return { batch: batch.batch, revisions, skipped };
    }
  }

  /** A document's translation into `lang`; undefined when there is no such document or translation. */
  async #stateIfTranslated(documentId: string, lang: string): Promise<TranslationState | undefined> {
    const document = await this.store.getDocument(documentId);
    return document?.languages.includes(lang) ? this.translations.readState(documentId, lang) : undefined;
  }
}

/** One batch to write: what it is, the documents it touches, and how each one's events are planned. */
interface BatchWrite {
  lang: string;
  batch: string;
  actor: string;
  /** The audit action, with `details`. */
  action: AuditAction;
  details: Record<string, unknown>;
  documentIds: string[];
  /** Whether a document is one the batch may touch (exists, in scope, translated into `lang`). */
  known: (documentId: string) => boolean;
  /** The paragraphs (and revisions) the request named in a document, to report when it is not known. */
  named: (documentId: string) => readonly { pid: string; revision: number }[];
  plan: (state: TranslationState, documentId: string, now: string) => BatchPlan;
}

/**
 * Marks the occurrences of a paragraph whose replacement, all of them together as the preview
 * proposes, would bring a glossary finding the text as it stands does not have: a required target
 * replaced away, a forbidden form written.
 */
function markGlossaryBreaks(
  check: ParagraphChecker,
  paragraph: Paragraph,
  text: string,
  occurrences: Occurrence[],
): void {
  const glossaryOf = (findings: readonly AnyFinding[]) =>
    findings.filter((f): f is Finding => "termId" in f && f.termId !== "");
  const known = new Set(glossaryOf(check(paragraph, text)).map((f) => `${f.code}\u0000${f.termId}`));
  const broken = glossaryOf(check(paragraph, replaceOccurrences(text, occurrences))).filter(
    (f) => !known.has(`${f.code}\u0000${f.termId}`),
  );
  if (broken.length === 0) return;
  const glossary = broken.map((f) => ({
    code: f.code,
    termId: f.termId,
    term: f.params.term,
    target: f.params.target,
  }));
  for (const occurrence of occurrences) occurrence.glossary = glossary;
}
