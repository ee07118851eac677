/** Documents and their paragraphs, and how source text is split into paragraphs. */

import { type Node, Parser } from "commonmark";
import { hasForbiddenCharacters } from "../glossary/text.ts";
import { ValidationError } from "./errors.ts";

/**
 * `list-item` and `quote` come from Markdown documents only: a list item's first block, and a block
 * inside a quote. Other blocks inside a list item stay `paragraph`s, with their `depth`.
 */
export type ParagraphKind = "title" | "heading" | "paragraph" | "list-item" | "quote";

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
  /** `list-item`: the item's marker as written ("1.", "2)", "-", "*", "+"). */
  marker?: string;
  /** `list-item`: true in a numbered list. */
  ordered?: boolean;
  /** `list-item` of a numbered list: the number of the list's first item. */
  start?: number;
  /** Markdown: how many list items enclose this block (absent at the top level). */
  depth?: number;
  /** Markdown: how many quotes enclose this block (`quote` paragraphs: at least 1). */
  quote?: number;
  /**
   * The source version in which this paragraph's text last changed in a way that makes translations
   * made before it outdated; absent: 1 (never).
   */
  changedIn?: number;
  /** Split or merged paragraphs: the ids, at version `changedIn - 1`, of the paragraphs it came from. */
  from?: string[];
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
  /** How the source was written; absent on documents created before it was recorded (read as text). */
  format?: SourceFormat;
  /** The source version: 1 when created, one more at each source update; absent: 1. */
  version?: number;
}

export type SourceFormat = "text" | "markdown";

/** A block of the source: a paragraph without its id and position. */
export type Block = Omit<Paragraph, "id" | "index">;

/** Deepest nesting of lists and quotes a Markdown document may have. */
export const MAX_MARKDOWN_NESTING = 16;

/** Most paragraphs a document may have; larger texts should be split into several documents. */
export const MAX_PARAGRAPHS = 20_000;
/** Most target languages of one document. */
export const MAX_LANGUAGES = 100;
/** Longest title, given or taken from the first paragraph (which itself keeps all its text). */
export const MAX_TITLE_LENGTH = 1000;

/**
 * A document's title as people read it: a Markdown document's title (its first paragraph's Markdown)
 * without the marks of emphasis, code, links and escapes (`Milei's *chainsaw* plan` reads as
 * `Milei's chainsaw plan`); a plain-text title as it is. Only for display: the stored title is kept.
 */
export function displayTitle(doc: Pick<Document, "title" | "format">): string {
  if (doc.format !== "markdown" || !/[*_`[\\<&!]/.test(doc.title)) return doc.title;
  // One line, after a word: read as the text of one paragraph, never as a list, heading or quote.
  const tree = new Parser().parse(`x ${doc.title.replace(/[\r\n]+/g, " ")}`);
  let text = "";
  const walker = tree.walker();
  for (let step = walker.next(); step; step = walker.next()) {
    const { node, entering } = step;
    if (!entering) continue;
    if (node.type === "text" || node.type === "code" || node.type === "html_inline")
      text += node.literal ?? "";
    else if (node.type === "softbreak" || node.type === "linebreak") text += " ";
  }
  return text.slice(2).trim() || doc.title;
}

/** A title taken from a paragraph: the paragraph's text, cut between words past MAX_TITLE_LENGTH. */
export function titleFrom(text: string): string {
  if (text.length <= MAX_TITLE_LENGTH) return text;
  const cut = text.slice(0, MAX_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > MAX_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

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
 * Markdown: headings keep their level; each list item, quoted block and paragraph is a paragraph of
 * its own with its kind and what an export needs to rebuild the block (marker, nesting); code and
 * HTML blocks are paragraphs holding their Markdown as written. Inline markup is kept as written.
 */
export function splitMarkdown(content: string): Block[] {
  const text = boundedMarkdown(content.replace(/\r\n?/g, "\n"));
  const lines = text.split("\n");
  const blocks: Block[] = [];
  walkBlocks(blockParser().parse(text), { depth: 0, quote: 0 }, lines, blocks);
  return blocks;
}

/**
 * CommonMark's block parser alone: splitting needs the blocks, not their inline markup, and the
 * inline pass (emphasis and link delimiters) is where hostile input costs the most time.
 */
function blockParser(): Parser {
  const parser = new Parser();
  (parser as unknown as { processInlines: () => void }).processInlines = () => {};
  return parser;
}

interface Where {
  depth: number;
  quote: number;
  /** The marker of the list item whose first block comes next. */
  item?: { marker: string; ordered: boolean; start?: number };
}

/** Internal fields of commonmark.js nodes (pinned version): block text before the inline pass. */
type RawNode = Node & { _string_content?: string | null; _literal?: string | null };

function walkBlocks(parent: Node, where: Where, lines: string[], out: Block[]): void {
  let item = where.item;
  for (let node = parent.firstChild; node; node = node.next) {
    const here = { depth: where.depth, quote: where.quote, item };
    item = undefined;
    if (here.depth > MAX_MARKDOWN_NESTING || here.quote > MAX_MARKDOWN_NESTING) throw tooDeep();
    switch (node.type) {
      case "heading":
        push(out, here, "heading", blockText(node), node.level);
        break;
      case "paragraph":
        push(out, here, here.quote > 0 ? "quote" : "paragraph", blockText(node));
        break;
      case "code_block":
      case "html_block": {
        const [[first], [last]] = node.sourcepos;
        push(out, here, here.quote > 0 ? "quote" : "paragraph", lines.slice(first - 1, last).join("\n"));
        break;
      }
      case "block_quote":
        walkBlocks(node, { depth: here.depth, quote: here.quote + 1, item: here.item }, lines, out);
        break;
      case "list": {
        const data = node.listType === "ordered";
        if (here.depth + 1 > MAX_MARKDOWN_NESTING) throw tooDeep();
        let n = node.listStart ?? 1;
        for (let li = node.firstChild; li; li = li.next, n++) {
          const marker = data ? `${n}${node.listDelimiter === ")" ? ")" : "."}` : bulletOf(li, lines);
          const listItem = { marker, ordered: data, ...(data ? { start: node.listStart ?? 1 } : {}) };
          walkBlocks(li, { depth: here.depth + 1, quote: here.quote, item: listItem }, lines, out);
        }
        break;
      }
      default:
        // Thematic breaks carry no text to translate.
        break;
    }
  }
}

function push(out: Block[], where: Where, kind: Block["kind"], raw: string, level?: number): void {
  const source = raw.trim();
  if (!source) return;
  const block: Block = where.item
    ? { kind: kind === "heading" ? kind : "list-item", source, ...where.item }
    : { kind, source };
  if (level !== undefined) block.level = level;
  // A list item's own block sits at its list's depth; the item's other blocks one deeper.
  const depth = where.item ? where.depth - 1 : where.depth;
  if (depth > 0) block.depth = depth;
  if (where.quote > 0) block.quote = where.quote;
  out.push(block);
}

/** A paragraph's or heading's Markdown with each line's indentation dropped. */
function blockText(node: Node): string {
  const raw = (node as RawNode)._string_content ?? "";
  return raw
    .split("\n")
    .map((line) => line.trimStart())
    .join("\n");
}

/** The bullet ("-", "*", "+") a list item starts with, read from its line. */
function bulletOf(item: Node, lines: string[]): string {
  const [[line, column]] = item.sourcepos;
  const char = lines[line - 1]?.charAt(column - 1) ?? "-";
  return char === "*" || char === "+" ? char : "-";
}

function tooDeep(): ValidationError {
  return new ValidationError(
    `Lists and quotes nest at most ${MAX_MARKDOWN_NESTING} deep.`,
    { content: "nested too deeply" },
    "nested_too_deeply",
  );
}

/**
 * Refuses what would make the parser slow before it runs, in one linear pass: a line opening more
 * nested lists and quotes than MAX_MARKDOWN_NESTING (the parser's cost grows with the square of
 * that depth), and long runs of spaces inside a heading line (the parser strips a closing `#` run
 * with a backtracking expression), which are shortened to one space: a heading renders them as one.
 */
function boundedMarkdown(text: string): string {
  const lines = text.split("\n");
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] as string;
    let i = 0;
    let opened = 0;
    for (;;) {
      while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
      const c = line.charAt(i);
      if (c === ">") {
        i++;
      } else if ((c === "-" || c === "*" || c === "+") && /[ \t]|^$/.test(line.charAt(i + 1))) {
        i++;
      } else {
        let j = i;
        while (j - i < 9 && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
        const delimiter = line.charAt(j);
        if (j > i && (delimiter === "." || delimiter === ")") && /[ \t]|^$/.test(line.charAt(j + 1)))
          i = j + 1;
        else break;
      }
      if (++opened > MAX_MARKDOWN_NESTING) throw tooDeep();
    }
    if (line.charAt(i) === "#") lines[l] = line.slice(0, i) + collapseSpaces(line.slice(i));
  }
  return lines.join("\n");
}

/** Runs of spaces and tabs as one space; linear. */
function collapseSpaces(text: string): string {
  let out = "";
  let inRun = false;
  for (const char of text) {
    const space = char === " " || char === "\t";
    if (!space) out += char;
    else if (!inRun) out += " ";
    inRun = space;
  }
  return out;
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
  /**
   * A given title that the text's first paragraph repeats is not kept twice: for a person who types
   * a title above a pasted article (the page's form). The API keeps every paragraph it is sent.
   */
  dropRepeatedTitle?: boolean;
}

/** Whether two lines are the same text, whatever spaces they have. */
function sameLine(a: string, b: string): boolean {
  const squeeze = (s: string) => s.trim().split(/\s+/u).join(" ");
  return a.length < 2 * b.length + 100 && squeeze(a) === squeeze(b);
}

/** Builds a document from source text; the title becomes the first paragraph, of kind `title`. */
export function createDocument(input: NewDocument): Document {
  const content = input.content.normalize("NFC");
  // What no stored text may hold (PostgreSQL refused NUL with a 500, XLIFF and TMX cannot carry any of
  // it); line ends of any kind are the splitters' business.
  if (hasForbiddenCharacters(content.replace(/\r/g, "\n")) || hasForbiddenCharacters(input.title ?? ""))
    throw new ValidationError(
      "The source text contains control characters (other than tab and line ends) or U+FFFE/U+FFFF.",
      { content: "control characters", context: "source" },
      "control_characters",
    );
  const blocks = input.format === "markdown" ? splitMarkdown(content) : splitPlainText(content);
  let title = input.title?.normalize("NFC").trim();
  // A title typed above a text that starts with it (a pasted article) is one paragraph, not two.
  if (input.dropRepeatedTitle && title && blocks[0] && sameLine(blocks[0].source, title)) blocks.shift();
  if (!title) {
    const first = blocks.shift();
    if (!first)
      throw new ValidationError("The document has no text.", { content: "empty" }, "empty_document");
    title = first.source;
  }
  const paragraphTitle = title;
  title = titleFrom(title);
  if (blocks.length + 1 > MAX_PARAGRAPHS)
    throw new ValidationError(`A document has at most ${MAX_PARAGRAPHS} paragraphs.`, {
      content: "too many paragraphs",
    });
  const paragraphs: Paragraph[] = [
    { id: "p1", index: 0, kind: "title", source: paragraphTitle },
    ...blocks.map((b, i) => ({ id: `p${i + 2}`, index: i + 1, ...b })),
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
    format: input.format,
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
