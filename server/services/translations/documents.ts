/** Documents and their target languages: listing, finding, creating, adding and removing languages. */

import { canonicalLang } from "../../../glossary/language.ts";
import {
  type Document,
  MAX_LANGUAGES,
  type Paragraph,
  type SourceFormat,
} from "../../../translations/document.ts";
import { NotFoundError, ValidationError } from "../../../translations/errors.ts";
import type { AuditEntry } from "../../accounts/model.ts";
import { newId } from "../../ids.ts";
import type { RawText } from "../../parse-pool.ts";
import { readPage } from "../paging.ts";
import type { TranslationContext } from "./context.ts";
import type { DocumentPage } from "./model.ts";

export class DocumentCatalog {
  constructor(private readonly context: TranslationContext) {}

  listDocuments(): Promise<Document[]> {
    return this.context.store
      .listDocuments()
      .then((docs) => docs.sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  }

  /** A page of documents, oldest first; a cursor no page handed out is a 400. */
  listDocumentsPage(limit: number, after?: string, before?: string): Promise<DocumentPage> {
    return readPage((cursors) => this.context.store.listDocumentsPage({ limit, ...cursors }), after, before);
  }

  async getDocument(id: string): Promise<Document> {
    const doc = await this.context.store.getDocument(id);
    if (!doc) throw new NotFoundError("Document", "document_not_found");
    return doc;
  }

  /** The document and a language it is translated into; 404 for either unknown. */
  async resolve(id: string, tag: string): Promise<{ doc: Document; lang: string }> {
    const lang = canonicalLang(tag);
    if (!lang) throw invalidLanguage(tag, { lang: "invalid" });
    const doc = await this.getDocument(id);
    if (!doc.languages.includes(lang)) throw new NotFoundError("Language", "language_not_found");
    return { doc, lang };
  }

  /** A paragraph of the document's current source, and the language; 404 for any unknown. */
  async resolveParagraph(id: string, tag: string, pid: string) {
    const { doc, lang } = await this.resolve(id, tag);
    return { doc, lang, paragraph: paragraphOf(doc, pid) };
  }

  /**
   * As resolveParagraph, from the document as this process holds it, unchecked, with the version
   * that a guarded append then checks (a store shared by processes); undefined when it holds none
   * or the language or paragraph is not in it (the caller reads afresh: a 404 is decided on a
   * checked read).
   */
  knownParagraph(id: string, tag: string, pid: string) {
    const known = this.context.store.knownDocument?.(id);
    const lang = canonicalLang(tag);
    if (!known || !lang || !known.document.languages.includes(lang)) return undefined;
    const paragraph = known.document.paragraphs.find((p) => p.id === pid);
    if (!paragraph) return undefined;
    return { doc: known.document, lang, paragraph, documentVersion: known.version };
  }

  async create(
    input: {
      sourceLang: string;
      format: SourceFormat;
      /** The source text, or an uploaded file's bytes, decoded on a parser thread. */
      content: string | RawText;
      title?: string;
      languages?: string[];
      id?: string;
      /** A given title the text starts with is not repeated (the page's form; see createDocument). */
      dropRepeatedTitle?: boolean;
    },
    actor: string,
  ): Promise<Document> {
    const { parse, store, audit, changes, now } = this.context;
    const sourceLang = requireLang(input.sourceLang, "sourceLang");
    const languages = [...new Set((input.languages ?? []).map((l) => requireLang(l, "languages")))].filter(
      (l) => l !== sourceLang,
    );
    const doc = await parse.document({
      id: input.id ?? newId(),
      sourceLang,
      format: input.format,
      content: input.content,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.dropRepeatedTitle ? { dropRepeatedTitle: true } : {}),
      createdBy: actor,
      createdAt: now().toISOString(),
      languages,
    });
    requireTranslatableParagraphs(doc, this.context.maxTextLength);
    await store.putDocument(
      doc,
      audit.entry(actor, "document.create", `document:${doc.id}`, { title: doc.title }),
    );
    changes.document({ document: doc });
    return doc;
  }

  async addLanguage(id: string, tag: string, actor: string): Promise<Document> {
    const lang = requireLang(tag, "lang");
    return this.context.documentLocks.run(id, async () => {
      const doc = await this.getDocument(id);
      if (lang === doc.sourceLang)
        throw new ValidationError(
          "The target language is the document's source language.",
          { lang: "same as source" },
          "invalid_language",
        );
      if (doc.languages.includes(lang)) return doc;
      // Only the languages are written, read again under the store's lock: a racing source update stays.
      // Counted in the store's write, under its lock: two editors adding the 100th at once get one.
      return this.#writeLanguages(
        id,
        (languages) => {
          if (languages.includes(lang)) return [...languages];
          if (languages.length >= MAX_LANGUAGES)
            throw new ValidationError(
              `A document has at most ${MAX_LANGUAGES} target languages.`,
              { lang: "too many languages", max: MAX_LANGUAGES },
              "too_many_languages",
            );
          return [...languages, lang];
        },
        this.context.audit.entry(actor, "document.add_language", `document:${id}`, { lang }),
      );
    });
  }

  /**
   * Stops translating a document into a language. Its history stays in the store, readable again
   * if the language is added back.
   */
  async removeLanguage(id: string, tag: string, actor: string): Promise<Document> {
    return this.context.documentLocks.run(id, async () => {
      const doc = await this.getDocument(id);
      // A tag stored before tags were bounded may not canonicalise any more: match it as written too.
      const lang = doc.languages.includes(tag) ? tag : canonicalLang(tag);
      if (!lang || !doc.languages.includes(lang)) throw new NotFoundError("Language", "language_not_found");
      return this.#writeLanguages(
        id,
        (languages) => languages.filter((l) => l !== lang),
        this.context.audit.entry(actor, "document.remove_language", `document:${id}`, { lang }),
        () => this.context.repository.forget(id, lang),
      );
    });
  }

  async #writeLanguages(
    id: string,
    change: (languages: readonly string[]) => string[],
    audit: AuditEntry,
    written: () => void = () => undefined,
  ): Promise<Document> {
    const updated = await this.context.store.updateDocumentLanguages(id, change, audit);
    if (!updated) throw new NotFoundError("Document", "document_not_found");
    written();
    this.context.changes.document({ document: updated });
    return updated;
  }
}

export function requireLang(tag: string, field: string): string {
  const lang = canonicalLang(tag);
  if (!lang) throw invalidLanguage(tag, { [field]: "invalid language tag" });
  return lang;
}

function invalidLanguage(tag: string, fields: Record<string, string>): ValidationError {
  return new ValidationError(
    `"${tag}" is not a language tag Glosa can use: a BCP 47 tag of at most 35 characters once canonicalised (es, pt-BR, es-AR).`,
    fields,
    "invalid_language",
  );
}

function paragraphOf(doc: Document, pid: string): Paragraph {
  const paragraph = doc.paragraphs.find((p) => p.id === pid);
  if (!paragraph) throw new NotFoundError("Paragraph", "paragraph_not_found");
  return paragraph;
}

/**
 * Refuses a source with a paragraph longer than its translation may be (GLOSA_MAX_TEXT_LENGTH): such a
 * paragraph could be shown and suggested for but never translated whole. Said with its position, so
 * that the writer can split it.
 */
export function requireTranslatableParagraphs(doc: Document, maxTextLength: number): void {
  const at = doc.paragraphs.findIndex((p) => p.source.length > maxTextLength);
  if (at < 0) return;
  const paragraph = doc.paragraphs[at] as Document["paragraphs"][number];
  throw new ValidationError(
    `Paragraph ${at + 1} has ${paragraph.source.length} characters: longer than a translation may be (${maxTextLength}). Split it into shorter paragraphs.`,
    { paragraph: at + 1, length: paragraph.source.length, max: maxTextLength },
    "paragraph_too_long",
  );
}
