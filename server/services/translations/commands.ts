/**
 * Commands on a translation: save, clear, review, revert, waive, and pre-translation's drafts.
 * Each computes its events with the domain's pure command from the state it read, and writes them
 * with their audit entry through the repository (the store's conditional, atomic append).
 */

import { waiveFinding } from "../../../translations/review.ts";
import {
  cleanText,
  clearRevision,
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
} from "../../../translations/translation.ts";
import type { TranslationContext } from "./context.ts";
import type { DocumentCatalog } from "./documents.ts";
import type { SaveResult } from "./model.ts";

/**
 * For saves and clears: their one revision event depends on nothing but the paragraph's latest
 * revision, which the store's append checks, so they are decided on the cached state unchecked.
 */
const OPTIMISTIC = { optimistic: true };

export class TranslationCommands {
  constructor(
    private readonly context: TranslationContext,
    private readonly documents: DocumentCatalog,
  ) {}

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
      /** The source version the writer saw (docs/api.md): a paragraph changed since is a conflict. */
      sourceVersion?: number;
    },
    actor: string,
  ): Promise<SaveResult> {
    const { repository, audit, now, quality, maxTextLength } = this.context;
    const text = cleanText(input.text, maxTextLength);
    const { doc, lang, paragraph } = await this.documents.resolveParagraph(id, tag, pid);
    // Read while the append is on its way: the checks do not depend on the translation.
    const checker = quality.checker(doc, lang);
    checker.catch(() => undefined);
    let after: ParagraphTranslation | undefined;
    const written = await repository.run(
      doc,
      lang,
      (state) => {
        after = state.get(pid);
        const event = saveRevision(after, {
          pid,
          text,
          baseRevision: input.baseRevision,
          status: input.status ?? "translated",
          author: actor,
          now: now().toISOString(),
          ...(input.origin ? { origin: input.origin } : {}),
          sourceVersion: doc.version ?? 1,
          paragraph,
          ...(input.suggestion !== undefined ? { suggestion: input.suggestion } : {}),
          ...(input.sourceVersion !== undefined ? { seenSourceVersion: input.sourceVersion } : {}),
        });
        if (!event) return null;
        return {
          events: [event],
          audit: audit.entry(actor, "translation.save", `document:${doc.id}/${lang}/${pid}`, {
            revision: event.revision,
            status: event.status,
            ...(event.origin ? { origin: event.origin } : {}),
          }),
        };
      },
      OPTIMISTIC,
    );
    const saved = written?.events[0] as RevisionEvent | undefined;
    const latest = saved ?? (latestRevision(after) as Revision);
    const check = await checker;
    return {
      revision: latest.revision,
      status: saved ? saved.status : statusOf(after, paragraph),
      text: latest.text,
      qa: check(paragraph, latest.text),
      created: saved !== undefined,
      author: latest.author,
      createdAt: saved ? saved.createdAt : latest.createdAt,
      doc,
      lang,
      ...(written?.version !== undefined ? { version: written.version } : {}),
    };
  }

  async clear(
    id: string,
    tag: string,
    pid: string,
    baseRevision: number,
    actor: string,
  ): Promise<SaveResult> {
    const { repository, audit, now } = this.context;
    const { doc, lang } = await this.documents.resolveParagraph(id, tag, pid);
    let latest: Revision | undefined;
    const written = await repository.run(
      doc,
      lang,
      (state) => {
        latest = latestRevision(state.get(pid));
        const event = clearRevision(state.get(pid), {
          pid,
          baseRevision,
          author: actor,
          now: now().toISOString(),
        });
        if (!event) return null;
        return {
          events: [event],
          audit: audit.entry(actor, "translation.clear", `document:${doc.id}/${lang}/${pid}`, {
            revision: event.revision,
          }),
        };
      },
      OPTIMISTIC,
    );
    const cleared = written?.events[0];
    return {
      revision: cleared?.revision ?? latest?.revision ?? 0,
      status: "untranslated",
      text: "",
      qa: [],
      created: written !== null,
      author: cleared?.author ?? latest?.author ?? actor,
      createdAt: cleared?.createdAt ?? latest?.createdAt ?? now().toISOString(),
      doc,
      lang,
      ...(written?.version !== undefined ? { version: written.version } : {}),
    };
  }

  async review(
    id: string,
    tag: string,
    pid: string,
    input: { action: "approve" | "reject"; revision: number; comment?: string; sourceVersion?: number },
    actor: string,
  ): Promise<{ revision: number; status: ParagraphStatus }> {
    const { repository, audit, now } = this.context;
    const { doc, lang, paragraph } = await this.documents.resolveParagraph(id, tag, pid);
    const { sourceVersion: seen, ...review } = input;
    const { events } = await repository.run(doc, lang, (state) => {
      const event = reviewRevision(state.get(pid), {
        pid,
        ...review,
        sourceVersion: doc.version ?? 1,
        paragraph,
        ...(seen !== undefined ? { seenSourceVersion: seen } : {}),
        ...(input.comment ? { comment: input.comment.normalize("NFC").trim() } : {}),
        author: actor,
        now: now().toISOString(),
      });
      return {
        events: [event],
        audit: audit.entry(actor, `translation.${input.action}`, `document:${doc.id}/${lang}/${pid}`, {
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
    const { repository, audit, now } = this.context;
    const { doc, lang } = await this.documents.resolveParagraph(id, tag, pid);
    const { events } = await repository.run(doc, lang, (state) => {
      const event = revertRevision(state.get(pid), {
        pid,
        revision,
        author: actor,
        now: now().toISOString(),
      });
      return {
        events: [event],
        audit: audit.entry(actor, "translation.revert", `document:${doc.id}/${lang}/${pid}`, {
          revision: event.revision,
          revertOf: revision,
        }),
      };
    });
    return events[0] as RevisionEvent;
  }

  async waive(
    id: string,
    tag: string,
    pid: string,
    input: { termId: string; key?: string; code: string; reason: string },
    actor: string,
  ): Promise<void> {
    const { repository, audit, now } = this.context;
    const { doc, lang } = await this.documents.resolveParagraph(id, tag, pid);
    await repository.run(doc, lang, (state) => ({
      events: [waiveFinding(state.get(pid), { pid, ...input, author: actor, now: now().toISOString() })],
      audit: audit.entry(actor, "finding.waive", `document:${doc.id}/${lang}/${pid}`, {
        termId: input.termId,
        ...(input.key ? { key: input.key } : {}),
        code: input.code,
      }),
    }));
  }

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
    const { repository, audit, now, maxTextLength } = this.context;
    const { doc, lang } = await this.documents.resolve(id, tag);
    let result = { filled: [] as string[], skipped: [] as string[] };
    await repository.run(doc, lang, (state) => {
      const events: RevisionEvent[] = [];
      const at = now().toISOString();
      result = { filled: [], skipped: [] };
      for (const draft of drafts) {
        const p = state.get(draft.pid);
        if (currentText(p) !== null || !doc.paragraphs.some((para) => para.id === draft.pid)) {
          result.skipped.push(draft.pid);
          continue;
        }
        const event = saveRevision(p, {
          pid: draft.pid,
          text: cleanText(draft.text, maxTextLength),
          baseRevision: latestRevision(p)?.revision ?? 0,
          status: "draft",
          author: actor,
          now: at,
          origin,
          sourceVersion: doc.version ?? 1,
        });
        if (event) events.push(event);
        result.filled.push(draft.pid);
      }
      if (events.length === 0) return null;
      return {
        events,
        audit: audit.entry(actor, "translation.pretranslate", `document:${doc.id}/${lang}`, {
          ...details,
          filled: result.filled.length,
          skipped: result.skipped.length,
        }),
      };
    });
    return result;
  }
}
