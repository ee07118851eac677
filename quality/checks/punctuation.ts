import { primaryLang } from "../../glossary/language.ts";
import {
  blankNonProse,
  finding,
  MOST_REPORTED,
  type QualityCheck,
  type QualityFinding,
  type QuoteStyle,
  sourceMemo,
} from "../finding.ts";

/** House quotation marks by language when an editor has set none: the RAE's «…» with “…” inside. */
export const DEFAULT_QUOTES: Record<string, QuoteStyle> = {
  es: { outer: ["«", "»"], inner: ["“", "”"] },
};

const PAIRS: [string, string][] = [
  ["«", "»"],
  ["“", "”"],
];

const SENTENCE_ENDS = new Set([".", "!", "?", "…", ":", ";"]);
const CLOSERS = /[\s"'»”’)\]*_]/u;

/**
 * True when the text, closing quotes and brackets aside, ends a sentence. Read from the end: an
 * expression anchored at `$` would be tried at every position of the paragraph.
 */
function endsSentence(text: string): boolean {
  let end = text.length;
  while (end > 0 && CLOSERS.test(text.charAt(end - 1))) end--;
  return end > 0 && SENTENCE_ENDS.has(text.charAt(end - 1));
}

/**
 * A run of spaces before : ; ? ! that end a phrase. Tried only where a run starts: from inside a
 * run, each position would read the rest of it again (a blanked URL is such a run).
 */
const SPACE_BEFORE_MARK = /(?<![ \u00a0])[ \u00a0]+(?=[:;?!](?:\s|$|[»”"]))/gu;

/** Whether the source ends a sentence, remembered: sources are read again at every save. */
const sourceEndsSentence = sourceMemo((source: string) => endsSentence(blankNonProse(source)));

/**
 * Punctuation a reader notices: Spanish ¿…? and ¡…! in pairs, quotation marks balanced and in
 * the house style, a full stop where the source has one, no space before : ; ? ! in Spanish.
 */
export const punctuation: QualityCheck = {
  code: "punctuation",
  severity: "error",
  run(context) {
    const text = blankNonProse(context.target);
    const lang = primaryLang(context.targetLang);
    const found: QualityFinding[] = [];
    if (lang === "es") found.push(...invertedMarks(this, text));
    found.push(...unbalancedQuotes(this, text));
    const style = context.settings.quoteStyle ?? DEFAULT_QUOTES[lang];
    if (style) found.push(...houseQuotes(this, text, style));
    if (sourceEndsSentence(context.source) && !endsSentence(text))
      found.push(
        finding(
          this,
          "final",
          "final",
          {},
          { start: context.target.length, end: context.target.length },
          "warning",
        ),
      );
    let spaces = 0;
    if (lang === "es" || lang === "en")
      for (const m of text.matchAll(SPACE_BEFORE_MARK)) {
        if (++spaces > MOST_REPORTED) break;
        found.push(
          finding(
            this,
            "space-before",
            "space_before",
            { mark: text.charAt(m.index + m[0].length) },
            { start: m.index, end: m.index + m[0].length + 1 },
            "warning",
          ),
        );
      }
    return found;
  },
};

/** ¿ and ¡ each closed by ? or ! (Spanish allows a mixed pair), and no closing mark without its opening one. */
function invertedMarks(check: QualityCheck, text: string): QualityFinding[] {
  const found: QualityFinding[] = [];
  const open: number[] = [];
  for (const m of text.matchAll(/[¿¡]|[?!]+/gu)) {
    if (m[0] === "¿" || m[0] === "¡") open.push(m.index);
    else if (open.length > 0) open.pop();
    else if (found.length < MOST_REPORTED) {
      const mark = m[0].charAt(0);
      found.push(
        finding(
          check,
          `open${mark}`,
          "missing_open",
          { mark: mark === "?" ? "¿" : "¡" },
          {
            start: m.index,
            end: m.index + m[0].length,
          },
        ),
      );
    }
  }
  for (const at of open.slice(0, MOST_REPORTED)) {
    const mark = text.charAt(at);
    found.push(
      finding(
        check,
        `close${mark}`,
        "missing_close",
        { mark: mark === "¿" ? "?" : "!" },
        { start: at, end: at + 1 },
      ),
    );
  }
  return found;
}

/** Curly and angle quotation marks in pairs, straight double quotes an even number. */
function unbalancedQuotes(check: QualityCheck, text: string): QualityFinding[] {
  const found: QualityFinding[] = [];
  for (const [open, close] of PAIRS) {
    const stack: number[] = [];
    if (!text.includes(open) && !text.includes(close)) continue;
    for (const m of text.matchAll(open === "«" ? /[«»]/g : /[“”]/g)) {
      const c = m[0];
      const i = m.index;
      if (c === open) stack.push(i);
      else if (c === close) {
        if (stack.length > 0) stack.pop();
        else if (found.length < MOST_REPORTED)
          found.push(
            finding(check, `quote${close}`, "unbalanced", { mark: close }, { start: i, end: i + 1 }),
          );
      }
    }
    for (const at of stack.slice(0, MOST_REPORTED))
      found.push(finding(check, `quote${open}`, "unbalanced", { mark: open }, { start: at, end: at + 1 }));
  }
  let straight = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) straight++;
  const last = text.lastIndexOf('"');
  if (straight % 2 === 1)
    found.push(finding(check, 'quote"', "unbalanced", { mark: '"' }, { start: last, end: last + 1 }));
  return found;
}

/** Quotation marks other than the house style's: straight ones, or the inner pair used outside. */
function houseQuotes(check: QualityCheck, text: string, style: QuoteStyle): QualityFinding[] {
  const found: QualityFinding[] = [];
  const [outerOpen, outerClose] = style.outer;
  const [innerOpen] = style.inner;
  const expected = `${outerOpen}…${outerClose}`;
  const straight = text.indexOf('"');
  if (straight >= 0)
    found.push(
      finding(check, "straight", "straight", { expected }, { start: straight, end: straight + 1 }, "warning"),
    );
  // Outside any outer pair, an inner opening mark (or any foreign curly pair) is the wrong style.
  let depth = 0;
  const foreign = new Set(["“", "«", "„", "‹"].filter((m) => m !== outerOpen && m !== innerOpen));
  for (const m of text.matchAll(/[«»“”„‹‚‘’]/g)) {
    const c = m[0];
    const i = m.index;
    if (c === outerOpen) depth++;
    else if (c === outerClose) depth = Math.max(0, depth - 1);
    else if ((c === innerOpen && depth === 0 && innerOpen !== outerOpen) || foreign.has(c)) {
      found.push(
        finding(check, "style", "style", { expected, mark: c }, { start: i, end: i + 1 }, "warning"),
      );
      break;
    }
  }
  return found;
}
