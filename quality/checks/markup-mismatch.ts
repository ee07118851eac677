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
