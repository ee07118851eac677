/**
 * Markdown export. Each translated paragraph must render back, with any CommonMark parser, as
 * exactly the stored text: whatever Markdown would read as markup is escaped, line breaks and
 * edge spaces are written as character references.
 */

import { stringify } from "yaml";
import type { ExportInput } from "./select.ts";

// Anywhere in a line: emphasis, code, links, images, autolinks and raw HTML, entities, escapes.
const INLINE = /[\\`*_[\]<>&~]/g;
// At the start of a line: headings, quotes, list items, thematic breaks, setext underlines.
const LINE_START = /^([#>+\-=])/;
const ORDERED = /^(\d{1,9})([.)])/;
// Parsers strip whitespace at the edges of a block, some of them any Unicode whitespace (NBSP too).
const EDGE_SPACE = /^\s+|\s+$/gu;

function reference(char: string): string {
  return `&#${char.codePointAt(0)};`;
}

/** Markdown source for one paragraph's text, on one line, that renders as exactly that text. */
export function escapeMarkdown(text: string, inHeading = false): string {
  let out = text.replace(INLINE, "\\$&");
  // In a heading a closing run of # would be dropped: escape them all.
  if (inHeading) out = out.replace(/#/g, "\\#");
  out = out.replace(LINE_START, "\\$1").replace(ORDERED, "$1\\$2");
  // Leading and trailing spaces would be stripped, and a line break would end the block or become a
  // hard break: write them as character references.
  out = out.replace(EDGE_SPACE, (spaces) => [...spaces].map(reference).join(""));
  return out.replace(/\r?\n/g, "&#10;");
}

/** YAML front matter written by a YAML library, so that any title is safe; long lines are not folded. */
function frontMatter(fields: Record<string, string | number>): string {
  return stringify(fields, { lineWidth: 0 });
}

/** The front matter and body of a translated document. */
export function exportMarkdown(input: ExportInput): string {
  const [title, ...rest] = input.paragraphs;
  const front = frontMatter({
    title: title?.text ?? input.document.title,
    lang: input.lang,
    source_lang: input.document.sourceLang,
    source_title: input.document.title,
    exported_at: input.exportedAt,
    paragraphs: input.paragraphs.length,
    approved: input.approved,
  });
  const blocks: string[] = [];
  const mark = (fromSource: boolean) => (fromSource ? "<!-- glosa: not translated, source text -->\n" : "");
  if (title) blocks.push(`${mark(title.fromSource)}# ${escapeMarkdown(title.text, true)}`);
  for (const p of rest) {
    if (p.kind === "heading") {
      const level = Math.min(6, Math.max(1, p.level ?? 2));
      blocks.push(`${mark(p.fromSource)}${"#".repeat(level)} ${escapeMarkdown(p.text, true)}`);
    } else {
      blocks.push(`${mark(p.fromSource)}${escapeMarkdown(p.text)}`);
    }
  }
  return `---\n${front}---\n\n${blocks.join("\n\n")}\n`;
}

/** Source and translation paragraph by paragraph, for proofreading. */
export function exportBilingualMarkdown(input: ExportInput): string {
  const blocks = input.paragraphs.map((p, i) => {
    const label = `**${i + 1}** · ${p.kind}${p.fromSource ? " · not translated" : ""}`;
    return `${label}\n\n> ${escapeMarkdown(p.source)}\n\n${escapeMarkdown(p.text)}`;
  });
  const front = frontMatter({
    title: input.document.title,
    lang: input.lang,
    source_lang: input.document.sourceLang,
    exported_at: input.exportedAt,
    paragraphs: input.paragraphs.length,
    approved: input.approved,
  });
  return `---\n${front}---\n\n${blocks.join("\n\n---\n\n")}\n`;
}
