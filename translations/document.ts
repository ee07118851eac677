/** Documents and their paragraphs, and how source text is split into paragraphs. */

import { fromMarkdown } from "mdast-util-from-markdown";
import { ValidationError } from "./errors.ts";

export type ParagraphKind = "title" | "heading" | "paragraph";

export interface Paragraph {
  /** Opaque id, stable for the life of the document. */
  id: string;
  /** 0-based position in the document. */
  index: number;
  kind: ParagraphKind;
  /** Heading level (1-6) for `heading` paragraphs. */
  level?: number;
  /** The source text, NFC, inline markup kept as written. */
  source: string;
}

export interface Document {
  id: string;
  title: string;
  /** Used for export file names. */
  slug: string;
  sourceLang: string;
  /** ISO 8601. */
  createdAt: string;
  createdBy: string;
  /** Target languages, canonical BCP 47 tags, in the order they were added. */
  languages: string[];
  paragraphs: Paragraph[];
}

export type SourceFormat = "text" | "markdown";

interface Block {
  kind: "heading" | "paragraph";
  level?: number;
  source: string;
}

/** Most paragraphs a document may have; larger texts should be split into several documents. */
export const MAX_PARAGRAPHS = 20_000;

/**
 * Plain text: paragraphs are separated by blank lines; a text with no blank line has one paragraph
 * per non-empty line (the seed article's form).
 */
export function splitPlainText(content: string): Block[] {
  const text = content.replace(/\r\n?/g, "\n");
  const hasBlankLine = /\n[ \t]*\n/.test(text.trim());
  const parts = hasBlankLine ? text.split(/\n[ \t]*\n/) : text.split("\n");
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((source) => ({ kind: "paragraph", source }));
}

/**
 * Markdown: ATX and Setext headings become headings with their level; every other block
 * (paragraph, list, quote, code, table) becomes one paragraph holding its Markdown as written.
 */
export function splitMarkdown(content: string): Block[] {
  const text = content.replace(/\r\n?/g, "\n");
  const tree = fromMarkdown(text);
  const blocks: Block[] = [];
  for (const node of tree.children) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    if (node.type === "thematicBreak" || node.type === "definition") continue;
    if (node.type === "heading") {
      const first = node.children[0]?.position?.start.offset;
      const last = node.children.at(-1)?.position?.end.offset;
      const source = first !== undefined && last !== undefined ? text.slice(first, last).trim() : "";
      if (source) blocks.push({ kind: "heading", level: node.depth, source });
      continue;
    }
    const source = text.slice(start, end).trim();
    if (source) blocks.push({ kind: "paragraph", source });
  }
  return blocks;
}

export interface NewDocument {
  id: string;
  sourceLang: string;
  format: SourceFormat;
  content: string;
  title?: string;
  createdBy: string;
  createdAt: string;
  languages?: string[];
}

/** Builds a document from source text; the title becomes the first paragraph, of kind `title`. */
export function createDocument(input: NewDocument): Document {
  const content = input.content.normalize("NFC");
  const blocks = input.format === "markdown" ? splitMarkdown(content) : splitPlainText(content);
  let title = input.title?.normalize("NFC").trim();
  if (!title) {
    const first = blocks.shift();
    if (!first)
      throw new ValidationError("The document has no text.", { content: "empty" }, "empty_document");
    title = first.source;
  }
  if (blocks.length + 1 > MAX_PARAGRAPHS)
    throw new ValidationError(`A document has at most ${MAX_PARAGRAPHS} paragraphs.`, {
      content: "too many paragraphs",
    });
  const paragraphs: Paragraph[] = [
    { id: "p1", index: 0, kind: "title", source: title },
    ...blocks.map((b, i) => ({
      id: `p${i + 2}`,
      index: i + 1,
      kind: b.kind,
      ...(b.level !== undefined ? { level: b.level } : {}),
      source: b.source,
    })),
  ];
  return {
    id: input.id,
    title,
    slug: slugify(title),
    sourceLang: input.sourceLang,
    createdAt: input.createdAt,
    createdBy: input.createdBy,
    languages: input.languages ?? [],
    paragraphs,
  };
}

/** A file-name-safe slug: ASCII letters, digits and hyphens, at most 60 characters, cut between words. */
export function slugify(title: string): string {
  const full = title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (full.length <= 60) return full || "document";
  const cut = full.slice(0, 61);
  const lastBreak = cut.lastIndexOf("-");
  return (lastBreak > 20 ? cut.slice(0, lastBreak) : full.slice(0, 60)).replace(/-+$/, "");
}

/** Number of words in a text, for progress in words. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
