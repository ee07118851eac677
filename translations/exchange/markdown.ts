/**
 * Markdown export. For a plain-text document each translated paragraph must render back, with any
 * CommonMark parser, as exactly the stored text: whatever Markdown would read as markup is escaped,
 * line breaks and edge spaces are written as character references. For a Markdown document a
 * translation is Markdown: its inline markup is written as is, inside the block the source had
 * (heading, list item, quote), and only what would change that block is escaped.
 */

import { stringify } from "yaml";
import type { ExportedParagraph, ExportInput } from "./select.ts";

// Anywhere in a line: emphasis, code, links, images, autolinks and raw HTML, entities, escapes.
const INLINE = /[\\`*_[\]<>&~]/g;
// At the start of a line: headings, quotes, list items, thematic breaks, setext underlines.
const LINE_START = /^([#>+\-=])/;
const ORDERED = /^(\d{1,9})([.)])/;
// Parsers strip whitespace at the edges of a block, some of them any Unicode whitespace (NBSP too).
// Tested one character at a time: `/\s+$/` retries every run of spaces to its end, quadratic time.
const SPACE = /\s/u;

/** Markdown source for one paragraph's text, on one line, that renders as exactly that text. */
export function escapeMarkdown(text: string, inHeading = false): string {
  let out = text.replace(INLINE, "\\$&");
  // In a heading a closing run of # would be dropped: escape them all.
  if (inHeading) out = out.replace(/#/g, "\\#");
  out = out.replace(LINE_START, "\\$1").replace(ORDERED, "$1\\$2");
  // Leading and trailing spaces would be stripped, and a line break would end the block or become a
  // hard break: write them as character references.
  out = referenceEdgeSpaces(out);
  return out.replace(/\r?\n/g, "&#10;");
}

/** Leading and trailing whitespace as character references; linear in the text's length. */
function referenceEdgeSpaces(text: string): string {
  let start = 0;
  while (start < text.length && SPACE.test(text.charAt(start))) start++;
  if (start === text.length) return references(text);
  let end = text.length;
  while (end > start && SPACE.test(text.charAt(end - 1))) end--;
  if (start === 0 && end === text.length) return text;
  return references(text.slice(0, start)) + text.slice(start, end) + references(text.slice(end));
}

/** Whitespace as character references (every whitespace character is in the BMP: one unit each). */
function references(spaces: string): string {
  let out = "";
  for (let i = 0; i < spaces.length; i++) out += `&#${spaces.charCodeAt(i)};`;
  return out;
}

/** YAML front matter written by a YAML library, so that any title is safe; long lines are not folded. */
function frontMatter(fields: Record<string, string | number>): string {
  return stringify(fields, { lineWidth: 0 });
}

// What would open another block at the start of a line of a Markdown translation: a heading, quote,
// list item, thematic break or setext underline. Written escaped, the line stays text of its block.
const BLOCK_START = /^(?:[#>=]|[-+*](?=[ \t]|$)|[-_*](?=[ \t]*[-_*][ \t]*[-_*])|\d{1,9}[.)](?=[ \t]|$))/;

/** One line of a Markdown translation, as written except for what would open another block. */
function markdownLine(line: string): string {
  const text = line.trimStart();
  const opener = BLOCK_START.exec(text)?.[0];
  if (!opener) return text;
  // "1." is escaped on its delimiter ("1\."), any other opener on its first character.
  const at = /^\d/.test(opener) ? opener.length - 1 : 0;
  return `${text.slice(0, at)}\\${text.slice(at)}`;
}

/** A Markdown document's blocks, each rebuilt around its translated text. */
function* markdownBody(input: ExportInput): Generator<string> {
  const [title, ...rest] = input.paragraphs;
  // Width of each open list level's marker: an item's content and continuation lines are
  // indented past every enclosing marker.
  const widths: number[] = [];
  let previous: ExportedParagraph | undefined;
  const flag = (p: ExportedParagraph) => (p.fromSource ? " <!-- glosa: not translated, source text -->" : "");
  if (title) yield `# ${headingText(title.text)}${flag(title)}`;
  for (const p of rest) {
    const depth = p.depth ?? 0;
    const quote = "> ".repeat(p.quote ?? 0);
    const indent = " ".repeat(widths.slice(0, depth).reduce((a, b) => a + b, 0));
    let first: string;
    let continuation: string;
    if (p.kind === "heading") {
      const level = Math.min(6, Math.max(1, p.level ?? 2));
      first = `${quote}${indent}${"#".repeat(level)} `;
      continuation = "";
    } else if (p.kind === "list-item" && p.marker) {
      widths[depth] = p.marker.length + 1;
      widths.length = depth + 1;
      first = `${quote}${indent}${p.marker} `;
      continuation = `${quote}${indent}${" ".repeat(p.marker.length + 1)}`;
    } else {
      first = `${quote}${indent}`;
      continuation = first;
    }
    const body =
      p.kind === "heading"
        ? headingText(p.text)
        : p.text
            .split("\n")
            .filter((line) => line.trim())
            .map(markdownLine)
            .join(`\n${continuation}`);
    yield `${separator(previous, p)}${first}${body}${flag(p)}`;
    previous = p;
  }
}

/** A heading's text on one line (a heading cannot span lines), a closing run of `#` escaped. */
function headingText(text: string): string {
  // Runs of spaces render as one in a heading; written as one, no parser backtracks over them.
  const line = text
    .split(/[ \t\n]+/)
    .filter(Boolean)
    .join(" ");
  if (!line.endsWith("#")) return line;
  let run = line.length;
  while (run > 0 && line.charAt(run - 1) === "#") run--;
  return `${line.slice(0, run)}\\${line.slice(run)}`;
}

/**
 * What goes between two blocks: a blank line, but a quote stays open across it (a line of `>`),
 * and the items of a list and their nested blocks follow each other line by line, as a tight list.
 */
function separator(previous: ExportedParagraph | undefined, next: ExportedParagraph): string {
  if (!previous) return "\n\n";
  const quote = Math.min(previous.quote ?? 0, next.quote ?? 0);
  if (quote > 0) return `\n${">".repeat(quote)}\n`;
  const inList = (p: ExportedParagraph) => p.kind === "list-item" || (p.depth ?? 0) > 0;
  return inList(previous) && inList(next) ? "\n" : "\n\n";
}

function frontMatterOf(input: ExportInput): string {
  return frontMatter({
    title: input.paragraphs[0]?.text ?? input.document.title,
    lang: input.lang,
    source_lang: input.document.sourceLang,
    source_title: input.document.title,
    exported_at: input.exportedAt,
    paragraphs: input.paragraphs.length,
    approved: input.approved,
  });
}

/** The front matter and body of a translated document. */
export function exportMarkdown(input: ExportInput): string {
  return [...markdownParts(input)].join("");
}

/** The same a paragraph at a time (see `inSlices`). */
export function* markdownParts(input: ExportInput): Generator<string> {
  yield `---\n${frontMatterOf(input)}---\n\n`;
  if (input.document.format === "markdown") yield* markdownBody(input);
  else {
    const mark = (fromSource: boolean) => (fromSource ? "<!-- glosa: not translated, source text -->\n" : "");
    for (const [i, p] of input.paragraphs.entries()) {
      const between = i === 0 ? "" : "\n\n";
      if (i === 0) yield `${mark(p.fromSource)}# ${escapeMarkdown(p.text, true)}`;
      else if (p.kind === "heading") {
        const level = Math.min(6, Math.max(1, p.level ?? 2));
        yield `${between}${mark(p.fromSource)}${"#".repeat(level)} ${escapeMarkdown(p.text, true)}`;
      } else yield `${between}${mark(p.fromSource)}${escapeMarkdown(p.text)}`;
    }
  }
  yield "\n";
}

/** Source and translation paragraph by paragraph, for proofreading. */
export function exportBilingualMarkdown(input: ExportInput): string {
  return [...bilingualParts(input)].join("");
}

/** The same a paragraph at a time (see `inSlices`). */
export function* bilingualParts(input: ExportInput): Generator<string> {
  const front = frontMatter({
    title: input.document.title,
    lang: input.lang,
    source_lang: input.document.sourceLang,
    exported_at: input.exportedAt,
    paragraphs: input.paragraphs.length,
    approved: input.approved,
  });
  yield `---\n${front}---\n\n`;
  for (const [i, p] of input.paragraphs.entries()) {
    const label = `**${i + 1}** · ${p.kind}${p.fromSource ? " · not translated" : ""}`;
    yield `${i === 0 ? "" : "\n\n---\n\n"}${label}\n\n> ${escapeMarkdown(p.source)}\n\n${escapeMarkdown(p.text)}`;
  }
  yield "\n";
}
