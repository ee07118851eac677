/** Source updates (issue #13): a document's new source version, and the versions kept before it. */

import { slicer } from "../../../glossary/xml.ts";
import type { Document, Paragraph, SourceFormat } from "../../../translations/document.ts";
import {
  carryEvents,
  planSourceUpdateInSlices,
  type SourcePlan,
  type SourceVersion,
  staleSourceVersion,
} from "../../../translations/source-update.ts";
import type { TranslationState } from "../../../translations/translation.ts";
import type { RawText } from "../../parse-pool.ts";
import { SourceVersionConflictError } from "../../storage/store.ts";
import type { TranslationContext } from "./context.ts";
import { type DocumentCatalog, requireTranslatableParagraphs } from "./documents.ts";

/** Documents whose kept source versions are remembered (each holds every version's paragraphs). */
const SOURCE_VERSIONS_KEPT = 50;

export class SourceUpdates {
  readonly #versions = new Map<string, Promise<SourceVersion[]>>();

  constructor(
    private readonly context: TranslationContext,
    private readonly documents: DocumentCatalog,
  ) {}

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
      /** The new source text, or an uploaded file's bytes, decoded on a parser thread. */
      content: string | RawText;
      title?: string;
      baseVersion: number;
      outdateTrivial?: boolean;
    },
    actor: string,
    options: { dryRun?: boolean } = {},
  ): Promise<SourcePlan> {
    const { parse, repository, store, audit, changes } = this.context;
    return this.context.documentLocks.run(id, async () => {
      const doc = await this.documents.getDocument(id);
      const now = this.context.now().toISOString();
      if (input.baseVersion !== (doc.version ?? 1)) throw staleSourceVersion(doc.version ?? 1);
      const parsed = await parse.document({
        id: doc.id,
        sourceLang: doc.sourceLang,
        format: input.format,
        content: input.content,
        ...(input.title !== undefined ? { title: input.title } : {}),
        createdBy: actor,
        createdAt: now,
        languages: doc.languages,
      });
      requireTranslatableParagraphs(parsed, this.context.maxTextLength);
      const states = new Map<string, TranslationState>();
      for (const lang of doc.languages) states.set(lang, await repository.state(doc.id, lang));
      const { alignment, diffs } = await parse.align(
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
      // Planned in slices: 10,000 paragraphs held the event loop 25-40 ms at once.
      const plan = await planSourceUpdateInSlices(doc, states, update, slicer());
      // The same text again: nothing to keep as a new version (a PUT repeated changes nothing).
      if (isSameSource(plan, doc))
        return { ...plan, version: doc.version ?? 1, document: doc, versions: [], carry: {} };
      if (options.dryRun) return plan;
      const entry = audit.entry(actor, "document.update_source", `document:${doc.id}`, {
        fromVersion: plan.baseVersion,
        version: plan.version,
        edited: plan.changes.edited.length,
        added: plan.changes.added.length,
        removed: plan.changes.removed.length,
      });
      try {
        await store.updateDocumentSource(plan.document, plan.versions, plan.baseVersion, entry);
      } catch (error) {
        if (error instanceof SourceVersionConflictError) throw staleSourceVersion(error.current);
        throw error;
      }
      changes.document({ document: plan.document });
      for (const lang of plan.document.languages) {
        if ((plan.carry[lang] ?? []).length === 0) continue;
        await repository.run(plan.document, lang, (state) => {
          const events = carryEvents(plan.paragraphs, state, update);
          if (events.length === 0) return null;
          return {
            events,
            audit: audit.entry(actor, "translation.carry", `document:${doc.id}/${lang}`, {
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
    return this.versionsOf(await this.documents.getDocument(id));
  }

  async versionsOf(doc: Document): Promise<SourceVersion[]> {
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
    let kept = this.#versions.get(key);
    if (!kept) {
      kept = this.context.store.listSourceVersions(doc.id);
      kept.catch(() => this.#versions.delete(key));
      if (this.#versions.size >= SOURCE_VERSIONS_KEPT) this.#versions.clear();
      this.#versions.set(key, kept);
    }
    return kept;
  }

  /** A paragraph that left the document in a source update, as the last version that had it. */
  async removedParagraph(doc: Document, pid: string): Promise<Paragraph | undefined> {
    if ((doc.version ?? 1) === 1) return undefined;
    const versions = await this.versionsOf(doc);
    for (let i = versions.length - 1; i >= 0; i--) {
      const found = versions[i]?.paragraphs.find((p) => p.id === pid);
      if (found) return found;
    }
    return undefined;
  }
}

/** A plan that changes no paragraph (not even punctuation), moves none, and keeps the title. */
function isSameSource(plan: SourcePlan, doc: Document): boolean {
  const { changes } = plan;
  return (
    plan.document.title === doc.title &&
    // The same text read as another format (Markdown as plain text) is a new version: its paragraphs'
    // kinds and the export's markup change, though no translation is outdated.
    (plan.document.format ?? "text") === (doc.format ?? "text") &&
    changes.unchanged.length === doc.paragraphs.length &&
    changes.trivial.length === 0 &&
    changes.moved.length === 0 &&
    plan.paragraphs.length === doc.paragraphs.length
  );
}
