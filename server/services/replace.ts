/**
 * Find and replace as the server runs it: a preview of every occurrence in the current
 * translations of one document × language or of every document translated into a language, an
 * apply of the chosen occurrences as new revisions on the revisions the preview showed, and an
 * undo of a whole batch. A batch is one store call with one audit entry.
 */

import { canonicalLang } from "../../glossary/language.ts";
import type { Document } from "../../translations/document.ts";
import { ValidationError } from "../../translations/errors.ts";
import {
  checkQuery,
  Finder,
  findOccurrences,
  MAX_OCCURRENCES,
  type Occurrence,
  type ReplaceQuery,
  replaceOccurrences,
  type SearchedText,
} from "../../translations/replace.ts";
import {
  cleanText,
  currentText,
  latestRevision,
  type RevisionEvent,
  revertRevision,
  statusOf,
  type TranslationState,
} from "../../translations/translation.ts";
import type { ChangeFeed } from "../changes.ts";
import { newId } from "../ids.ts";
import { RevisionConflictError, type Store, type TranslationAppend } from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";
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
  /** Titles of the documents with occurrences. */
  documents: { id: string; title: string }[];
}

/** One paragraph's revision written by a batch. */
export interface BatchRevision {
  documentId: string;
  lang: string;
  pid: string;
  /** The revision the batch wrote. */
  revision: number;
  /** The revision it was written on (the one the preview showed, or for an undo the batch's). */
  baseRevision: number;
}

/**
 * A paragraph left alone: saved since the preview (`changed`), an id that names nothing (`missing`), a
 * revision another batch wrote (`not_in_batch`), or a text the replacement would leave empty or too long
 * (`invalid`).
 */
export interface Skipped {
  documentId: string;
  pid: string;
  /** The revision the request named. */
  revision: number;
  /** The paragraph's latest revision now. */
  latest: number;
  reason: "changed" | "missing" | "not_in_batch" | "invalid";
}

export interface BatchResult {
  /** Kept on every revision written and in the audit entry; absent when nothing was written. */
  batch?: string;
  revisions: BatchRevision[];
  skipped: Skipped[];
}

/** Most occurrences one apply may choose, and most revisions one undo may name. */
export const MAX_CHOSEN = MAX_OCCURRENCES;

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
    const checked = checkQuery({ ...query, lang });
    const texts: SearchedText[] = [];
    // One document's state at a time: the cache keeps what it can, nothing is held for the whole search.
    const result = { occurrences: [] as Occurrence[], omitted: 0 };
    for (const doc of documents) {
      // One document at a time, letting other requests in between: a search of every document is
      // many milliseconds of work, never one long block of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      const state = await this.translations.readState(doc.id, lang);
      texts.length = 0;
      for (const paragraph of doc.paragraphs) {
        const p = state.get(paragraph.id);
        const text = currentText(p);
        if (text)
          texts.push({
            documentId: doc.id,
            pid: paragraph.id,
            revision: latestRevision(p)?.revision ?? 0,
            text,
          });
      }
      const found = findOccurrences(checked, texts);
      const room = MAX_OCCURRENCES - result.occurrences.length;
      result.occurrences.push(...found.occurrences.slice(0, Math.max(0, room)));
      result.omitted += found.omitted + Math.max(0, found.occurrences.length - room);
    }
    const withHits = new Set(result.occurrences.map((o) => o.documentId));
    return {
      scope: { lang, ...(scope.documentId ? { documentId: scope.documentId } : {}) },
      query: checked,
      ...result,
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
    const byId = new Map(documents.map((d) => [d.id, d]));
    const batch = newId();
    return this.#write(
      lang,
      batch,
      actor,
      "translation.replace",
      { find: finder.query.find, replace: finder.query.replace },
      async (state, docId) => {
        const doc = byId.get(docId);
        const events: RevisionEvent[] = [];
        const revisions: BatchRevision[] = [];
        const skipped: Skipped[] = [];
        for (const [pid, { revision, starts }] of wanted.get(docId) ?? []) {
          const p = state.get(pid);
          const latest = latestRevision(p)?.revision ?? 0;
          const text = currentText(p);
          if (!doc?.paragraphs.some((x) => x.id === pid)) {
            skipped.push({ documentId: docId, pid, revision, latest, reason: "missing" });
            continue;
          }
          if (latest !== revision || !text) {
            skipped.push({ documentId: docId, pid, revision, latest, reason: "changed" });
            continue;
          }
          const found = finder
            .find({ documentId: docId, pid, revision, text })
            .filter((o) => starts.has(o.start));
          if (found.length !== starts.size) {
            skipped.push({ documentId: docId, pid, revision, latest, reason: "missing" });
            continue;
          }
          let replaced: string;
          try {
            replaced = cleanText(replaceOccurrences(text, found), this.maxTextLength);
          } catch (error) {
            // The text would be empty or too long: that paragraph is left, the rest go ahead.
            if (!(error instanceof ValidationError)) throw error;
            skipped.push({ documentId: docId, pid, revision, latest, reason: "invalid" });
            continue;
          }
          const status = statusOf(p) === "draft" ? "draft" : "translated";
          events.push({
            type: "revision",
            pid,
            revision: latest + 1,
            text: replaced,
            status,
            author: actor,
            createdAt: this.now().toISOString(),
            batch,
          });
          revisions.push({ documentId: docId, lang, pid, revision: latest + 1, baseRevision: latest });
        }
        return { events, revisions, skipped };
      },
      [...wanted.keys()].filter((id) => byId.has(id)),
      [...wanted.keys()].filter((id) => !byId.has(id)),
    );
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
    const undo = newId();
    const byDoc = new Map<string, Pick<BatchRevision, "documentId" | "pid" | "revision">[]>();
    for (const r of revisions) byDoc.set(r.documentId, [...(byDoc.get(r.documentId) ?? []), r]);
    const known: string[] = [];
    const unknown: string[] = [];
    for (const id of byDoc.keys()) {
      const doc = await this.store.getDocument(id);
      (doc?.languages.includes(canonical) ? known : unknown).push(id);
    }
    return this.#write(
      canonical,
      undo,
      actor,
      "translation.replace_undo",
      { undoes: batchId },
      async (state, docId) => {
        const events: RevisionEvent[] = [];
        const done: BatchRevision[] = [];
        const skipped: Skipped[] = [];
        for (const r of byDoc.get(docId) ?? []) {
          const p = state.get(r.pid);
          const latest = latestRevision(p)?.revision ?? 0;
          const written = p?.revisions[r.revision - 1];
          if (!written || written.batch !== batchId) {
            skipped.push({
              documentId: docId,
              pid: r.pid,
              revision: r.revision,
              latest,
              reason: "not_in_batch",
            });
            continue;
          }
          if (latest !== r.revision) {
            skipped.push({ documentId: docId, pid: r.pid, revision: r.revision, latest, reason: "changed" });
            continue;
          }
          const event = revertRevision(p, {
            pid: r.pid,
            revision: r.revision - 1,
            author: actor,
            now: this.now().toISOString(),
          });
          events.push({ ...event, batch: undo });
          done.push({
            documentId: docId,
            lang: canonical,
            pid: r.pid,
            revision: event.revision,
            baseRevision: r.revision,
          });
        }
        return { events, revisions: done, skipped };
      },
      known,
      unknown,
    );
  }

  /**
   * Plans each document's events from its state and writes them all in one store call with one
   * audit entry; when another writer got there first the plan is made again from fresh states
   * (the paragraph it saved is then reported as changed).
   */
  async #write(
    lang: string,
    batch: string,
    actor: string,
    action: string,
    details: Record<string, unknown>,
    plan: (
      state: TranslationState,
      docId: string,
    ) => Promise<{ events: RevisionEvent[]; revisions: BatchRevision[]; skipped: Skipped[] }>,
    docIds: string[],
    unknownDocs: string[],
  ): Promise<BatchResult> {
    for (let attempt = 1; ; attempt++) {
      const appends: TranslationAppend[] = [];
      const revisions: BatchRevision[] = [];
      const skipped: Skipped[] = unknownDocs.map((documentId) => ({
        documentId,
        pid: "",
        revision: 0,
        latest: 0,
        reason: "missing" as const,
      }));
      for (const docId of docIds) {
        const planned = await plan(await this.translations.readState(docId, lang), docId);
        if (planned.events.length > 0) appends.push({ documentId: docId, lang, events: planned.events });
        revisions.push(...planned.revisions);
        skipped.push(...planned.skipped);
      }
      if (appends.length === 0) return { revisions, skipped };
      const audit = this.audit.entry(actor, action, `batch:${batch}`, {
        ...details,
        lang,
        documents: appends.map((a) => a.documentId),
        revisions: revisions.length,
      });
      let versions: number[];
      try {
        versions = await this.store.appendTranslationBatch(appends, audit);
      } catch (error) {
        if (error instanceof RevisionConflictError && attempt < 3) continue;
        throw error;
      }
      for (const [i, append] of appends.entries()) {
        const document = await this.store.getDocument(append.documentId);
        if (document)
          this.changes.translation({ document, lang, events: append.events, version: versions[i] ?? 0 });
      }
      return { batch, revisions, skipped };
    }
  }
}

/** Chosen occurrence ids (`documentId/pid/revision/start`) by document, then paragraph. */
function groupChosen(
  ids: readonly string[],
): Map<string, Map<string, { revision: number; starts: Set<number> }>> {
  const grouped = new Map<string, Map<string, { revision: number; starts: Set<number> }>>();
  for (const id of ids) {
    const parts = id.split("/");
    const [documentId, pid, revision, start] = parts;
    if (
      parts.length !== 4 ||
      !documentId ||
      !pid ||
      !/^\d{1,9}$/.test(revision ?? "") ||
      !/^\d{1,9}$/.test(start ?? "")
    )
      throw new ValidationError(
        `"${id.slice(0, 80)}" is not an occurrence id.`,
        { occurrences: "invalid id" },
        "invalid_occurrence",
      );
    const paragraphs = grouped.get(documentId) ?? new Map();
    grouped.set(documentId, paragraphs);
    const entry = paragraphs.get(pid) ?? { revision: Number(revision), starts: new Set<number>() };
    if (entry.revision !== Number(revision))
      throw new ValidationError(
        "Occurrences of one paragraph come from one preview: they name the same revision.",
        { occurrences: "mixed revisions" },
        "invalid_occurrence",
      );
    entry.starts.add(Number(start));
    paragraphs.set(pid, entry);
  }
  return grouped;
}
