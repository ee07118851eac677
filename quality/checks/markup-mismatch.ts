import { Parser } from "commonmark";
import { finding, type QualityCheck, type QualityFinding } from "../finding.ts";

const parser = new Parser();

/**
 * In a Markdown document, the links (by target), images, emphasis, code spans and inline HTML of
 * the source each present in the translation: a dropped link is an error, markup the source
 * lacks a warning. Read by CommonMark itself, so escaped or literal characters are not markup.
 */
export const markupMismatch: QualityCheck = {
  code: "markup-mismatch",
  severity: "error",
  run({ source, target, format }) {
    if (format !== "markdown") return [];
    if (!parsable(source) || !parsable(target)) return [];
    const want = inlineMarkup(source);
    if (want.size === 0 && !/[*_`<[]/.test(target)) return [];
    const have = inlineMarkup(target);
    const found: QualityFinding[] = [];
    for (const [item, count] of want) {
      if ((have.get(item) ?? 0) < count) found.push(finding(this, item, "missing", { item }));
    }
    for (const [item, count] of have) {
      if ((want.get(item) ?? 0) >= count) continue;
      const literal = item.slice(item.indexOf(" ") + 1);
      const at = target.indexOf(literal);
      found.push(
        finding(
          this,
          item,
          "extra",
          { item },
          at >= 0 ? { start: at, end: at + literal.length } : undefined,
          "warning",
        ),
      );
    }
    return found;
  },
};

/**
 * How many characters commonmark.js may read again for one text, beyond twice its length (ordinary
 * prose with links reads about half of it again). It reads a link's destination after each `](` up
 * to the next space, and an HTML comment, processing instruction, CDATA section or declaration after
 * each `<` up to its end, afresh at each one (cmark remembers; commonmark.js 0.31 does not):
 * thousands of unclosed ones cost the square of the text's length.
 */
const MOST_REREAD = 100_000;

/**
 * False when parsing the text could read it again past its bound: no prose holds that much
 * unclosed markup, and the check then has nothing it can say in time. One pass, from the left.
 */
export function parsable(text: string): boolean {
  const most = MOST_REREAD + 2 * text.length;
  let reread = 0;
  const next = new Map<string, number>();
  // Where `token` next occurs at or after `from`; from only grows, so each token is searched once.
  const nextAt = (token: string, from: number) => {
    let at = next.get(token) ?? -1;
    if (at < from && at !== text.length) {
      at = text.indexOf(token, from);
      if (at < 0) at = text.length;
      next.set(token, at);
    }
    return at;
  };
  if (!text.includes("](") && !text.includes("<")) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5d && text.charCodeAt(i + 1) === 0x28) reread += nextSpace(i, nextAt) - i;
    else if (c === 0x3c) reread += closerAfter(text, i, nextAt) - i;
    if (reread > most) return false;
  }
  return true;
}

/** What ends a link destination for commonmark.js (not a no-break space). */
const SPACES = [" ", "\n", "\t", "\r", "\f", "\v"];

function nextSpace(at: number, nextAt: (token: string, from: number) => number): number {
  return Math.min(...SPACES.map((space) => nextAt(space, at)));
}

/** Where what a `<` may open ends at the latest: a comment at `-->`, anything else at `>`. */
function closerAfter(text: string, at: number, nextAt: (token: string, from: number) => number): number {
  if (text.startsWith("<!--", at)) return nextAt("-->", at);
  if (text.startsWith("<?", at)) return nextAt("?>", at);
  if (text.startsWith("<![CDATA[", at)) return nextAt("]]>", at);
  return nextAt(">", at);
}

/** Each piece of inline markup of a text, named with what identifies it, and how often it occurs. */
function inlineMarkup(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const walker = parser.parse(text).walker();
  for (let step = walker.next(); step; step = walker.next()) {
    if (!step.entering) continue;
    const node = step.node;
    let item: string | undefined;
    if (node.type === "link") item = `link ${node.destination ?? ""}`;
    else if (node.type === "image") item = `image ${node.destination ?? ""}`;
    else if (node.type === "emph") item = "emphasis *";
    else if (node.type === "strong") item = "strong **";
    else if (node.type === "code") item = `code ${node.literal ?? ""}`;
    else if (node.type === "html_inline")
      item = `html ${(node.literal ?? "").replace(/\s.*$/s, "").toLowerCase()}`;
    if (item) counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}
