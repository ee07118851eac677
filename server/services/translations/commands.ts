/**
 * Commands on a translation: save, clear, review, revert, waive, and pre-translation's drafts.
 * Each computes its events with the domain's pure command from the state it read, and writes them
 * with their audit entry through the repository (the store's conditional, atomic append).
 */

import { openFindings } from "../../../quality/run.ts";
import type { Document, Paragraph } from "../../../translations/document.ts";
import { liftWaiver, waiveFinding } from "../../../translations/review.ts";
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
} from "../../../translations/translation.ts";
import { type AppendGuard, CredentialRefusedError } from "../../storage/store.ts";
import type { TranslationContext } from "./context.ts";
import type { DocumentCatalog } from "./documents.ts";
import type { SaveResult } from "./model.ts";

/**
 * For saves and clears: their one revision event depends on nothing but the paragraph's latest
 * revision, which the store's append checks, so they are decided on the cached state unchecked.
 */
const OPTIMISTIC = { optimistic: true };

/** What a save writes: the text, the revision it is based on, and how it came about. */
interface SaveInput {
  text: string;
  baseRevision: number;
  status?: SaveStatus;
  origin?: RevisionOrigin;
  suggestion?: string;
  /** The source version the writer saw (docs/api.md): a paragraph changed since is a conflict. */
  sourceVersion?: number;
}

/**
 * A review's outcome: the paragraph's status, and the document and history version it was written at;
 * `created` false (no version) when the revision had this decision already and nothing was written.
 */
interface ReviewResult {
  revision: number;
  status: ParagraphStatus;
  doc: Document;
  lang: string;
  version?: number;
  created: boolean;
}

/** The paragraph a command is about, in the document it was decided on. */
interface ParagraphTarget {
  doc: Document;
  lang: string;
  paragraph: Paragraph;
}

export class TranslationCommands {
  constructor(
    private readonly context: TranslationContext,
    private readonly documents: DocumentCatalog,
  ) {}

  /**
   * Saves a paragraph's translation. On a store shared by processes it is decided on the document
   * as this process holds it and written by one guarded append that checks, with the paragraph's
   * revision, that document's version and the caller's API token (`credential`): one round trip.
   * Whatever does not end in that append (nothing to write, a refusal, a changed document) is
   * decided again on a checked read, so no answer rests on a document nobody checked.
   */
  save(
    id: string,
    tag: string,
    pid: string,
    input: SaveInput,
    actor: string,
    credential?: AppendGuard["credential"],
  ): Promise<SaveResult> {
    return this.#guarded(id, tag, pid, credential, (target, guard, attempt) =>
      this.#save(target, input, actor, guard, attempt),
    );
  }

  /**
   * Runs a paragraph command as `save` describes: first on the document this process holds, its
   * append guarded by that document's version and the caller's token; then, unless that wrote (a
   * refused token is final), on a checked read of the document, the token still checked by the
   * append. `attempt.wrote` is set by `write` once its append is made; `created` says whether the
   * result is a written change.
   */
  async #guarded<T extends { created: boolean }>(
    id: string,
    tag: string,
    pid: string,
    credential: AppendGuard["credential"] | undefined,
    write: (
      target: ParagraphTarget,
      guard: AppendGuard | undefined,
      attempt: { wrote: boolean },
    ) => Promise<T>,
  ): Promise<T> {
    const known = this.documents.knownParagraph(id, tag, pid);
    if (known) {
      const attempt = { wrote: false };
      try {
        const result = await write(known, { credential, documentVersion: known.documentVersion }, attempt);
        if (result.created) return result;
      } catch (error) {
        if (attempt.wrote || error instanceof CredentialRefusedError) throw error;
      }
    }
    const checked = await this.documents.resolveParagraph(id, tag, pid);
    return write(checked, credential ? { credential } : undefined, { wrote: false });
  }

  async #save(
    { doc, lang, paragraph }: ParagraphTarget,
    input: SaveInput,
    actor: string,
    guard: AppendGuard | undefined,
    attempt: { wrote: boolean },
  ): Promise<SaveResult> {
    const { repository, audit, now, quality, maxTextLength } = this.context;
    const pid = paragraph.id;
    const text = cleanText(input.text, maxTextLength);
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
      { ...OPTIMISTIC, ...(guard ? { guard } : {}) },
    );
    attempt.wrote = written !== null;
    const saved = written?.events[0] as RevisionEvent | undefined;
    const latest = saved ?? (latestRevision(after) as Revision);
    const check = await checker;
    return {
      revision: latest.revision,
      status: saved ? saved.status : statusOf(after, paragraph),
      text: latest.text,
      // Open findings only, as a read shows them: the waived ones are a read's `waived`.
      qa: openFindings(check(paragraph, latest.text), after?.waivers ?? []),
      created: saved !== undefined,
      author: latest.author,
      createdAt: saved ? saved.createdAt : latest.createdAt,
      doc,
      lang,
      ...(written?.version !== undefined ? { version: written.version } : {}),
    };
  }

  /** Clears a paragraph: decided and written as `save` is (one guarded append with a credential). */
  clear(
    id: string,
    tag: string,
    pid: string,
    baseRevision: number,
    actor: string,
    credential?: AppendGuard["credential"],
  ): Promise<SaveResult> {
    return this.#guarded(id, tag, pid, credential, (target, guard, attempt) =>
      this.#clear(target, baseRevision, actor, guard, attempt),
    );
  }

  async #clear(
    { doc, lang, paragraph }: ParagraphTarget,
    baseRevision: number,
    actor: string,
    guard: AppendGuard | undefined,
    attempt: { wrote: boolean },
  ): Promise<SaveResult> {
    const { repository, audit, now } = this.context;
    const pid = paragraph.id;
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
      { ...OPTIMISTIC, ...(guard ? { guard } : {}) },
    );
    attempt.wrote = written !== null;
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

  /** Approves or rejects a revision; with a credential, its append checks the token (as `save`). */
  async review(
    id: string,
    tag: string,
    pid: string,
    input: { action: "approve" | "reject"; revision: number; comment?: string; sourceVersion?: number },
    actor: string,
    credential?: AppendGuard["credential"],
  ): Promise<ReviewResult> {
    const { value } = await this.#guarded(id, tag, pid, credential, async (target, guard, attempt) => {
      const value = await this.#review(target, input, actor, guard);
      attempt.wrote = value.created;
      return { value, created: value.created };
    });
    return value;
  }

  async #review(
    { doc, lang, paragraph }: ParagraphTarget,
    input: { action: "approve" | "reject"; revision: number; comment?: string; sourceVersion?: number },
    actor: string,
    guard: AppendGuard | undefined,
  ): Promise<ReviewResult> {
    const { repository, audit, now } = this.context;
    const pid = paragraph.id;
    const { sourceVersion: seen, ...review } = input;
    // The repeat of a decision the revision has is decided on the state, and refused by the store's
    // append when two race (RepeatedReviewError: decided again on the state that shows the first).
    const written = await repository.run(
      doc,
      lang,
      (state) => {
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
        if (!event) return null;
        return {
          events: [event],
          audit: audit.entry(actor, `translation.${input.action}`, `document:${doc.id}/${lang}/${pid}`, {
            revision: event.revision,
            ...(input.comment ? { comment: input.comment } : {}),
          }),
        };
      },
      guard ? { guard } : {},
    );
    return {
      revision: written?.events[0]?.revision ?? input.revision,
      status: input.action === "approve" ? "approved" : "rejected",
      doc,
      lang,
      ...(written ? { version: written.version } : {}),
      created: written !== null,
    };
  }

  /** Reverts to an earlier revision's text; with a credential, its append checks the token (as `save`). */
  async revert(
    id: string,
    tag: string,
    pid: string,
    revision: number,
    actor: string,
    credential?: AppendGuard["credential"],
  ): Promise<RevisionEvent> {
    const { value } = await this.#guarded(id, tag, pid, credential, async (target, guard, attempt) => {
      const value = await this.#revert(target, revision, actor, guard);
      attempt.wrote = true;
      return { value, created: true };
    });
    return value;
  }

  async #revert(
    { doc, lang, paragraph }: ParagraphTarget,
    revision: number,
    actor: string,
    guard: AppendGuard | undefined,
  ): Promise<RevisionEvent> {
    const { repository, audit, now } = this.context;
    const pid = paragraph.id;
    const { events } = await repository.run(
      doc,
      lang,
      (state) => {
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
      },
      guard ? { guard } : {},
    );
    return events[0] as RevisionEvent;
  }

  async waive(
    id: string,
    tag: string,
    pid: string,
    input: { termId: string; key?: string; code: string; reason: string },
    actor: string,
  ): Promise<void> {
    const target = await this.documents.resolveParagraph(id, tag, pid);
    const check = await this.context.quality.checker(target.doc, target.lang);
    await this.#waiver(target, input, actor, "finding.waive", (p, named) =>
      waiveFinding(p, { ...named, reason: input.reason }, (text) => check(target.paragraph, text)),
    );
  }

  /** Takes a waiver back (the editor's Undo, `DELETE .../waivers`): 404 when the paragraph has none such. */
  async liftWaiver(
    id: string,
    tag: string,
    pid: string,
    input: { termId: string; key?: string; code: string },
    actor: string,
  ): Promise<void> {
    await this.#waiver(
      await this.documents.resolveParagraph(id, tag, pid),
      input,
      actor,
      "finding.unwaive",
      liftWaiver,
    );
  }

  /** A waiver event of one paragraph and its audit entry, in one write. */
  async #waiver(
    { doc, lang, paragraph }: ParagraphTarget,
    input: { termId: string; key?: string; code: string },
    actor: string,
    action: "finding.waive" | "finding.unwaive",
    make: typeof liftWaiver,
  ): Promise<void> {
    const { repository, audit, now } = this.context;
    const pid = paragraph.id;
    const named = { pid, termId: input.termId, ...(input.key ? { key: input.key } : {}), code: input.code };
    await repository.run(doc, lang, (state) => ({
      events: [make(state.get(pid), { ...named, author: actor, now: now().toISOString() })],
      audit: audit.entry(actor, action, `document:${doc.id}/${lang}/${pid}`, {
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
