import { primaryLang } from "../../glossary/language.ts";
import { blankNonProse, finding, type QualityCheck, sourceMemo } from "../finding.ts";
import { type NumberToken, readNumbers } from "../numbers.ts";

/** A number of the source is missing from the translation or has another value there. */
export const numberMismatch: QualityCheck = {
  code: "number-mismatch",
  severity: "error",
  run(context) {
    const source = sourceNumbers(`${context.sourceLang}\u0000${context.source}`);
    if (source.length === 0) return [];
    const prose = blankNonProse(context.target);
    let target = readNumbers(prose, context.targetLang, false);
    // Numbers written out in words ("dos") are read only when digits alone leave one unmatched.
    if (source.some((s) => !target.some((t) => agree(s, t)))) target = readNumbers(prose, context.targetLang);
    const unused = target.filter((t) => !t.spelled && !source.some((s) => agree(s, t)));
    const seen = new Set<string>();
    return source.flatMap((number) => {
      const written = context.source.slice(number.start, number.end);
      if (target.some((t) => agree(number, t)) || seen.has(written)) return [];
      if (isDateMonth(context.source, number, context.target, context.targetLang)) return [];
      seen.add(written);
      // Point at a number of the translation that matches nothing in the source: most likely the
      // one this number became.
      const other = unused.shift();
      return [
        finding(
          this,
          String(number.values[0]),
          other ? "different" : "missing",
          { number: written, ...(other ? { found: context.target.slice(other.start, other.end) } : {}) },
          other,
        ),
      ];
    });
  },
};

/**
 * Clock times ("7:30 p.m.", "9am", "18:45"): a translation may write them on the 24-hour clock
 * ("19.30"), so they are not compared.
 */
const TIME =
  /(?<![\p{L}\p{N}])\d{1,2}(?::\d{2})?\s?[ap]\.?\s?m\.?(?!\p{L})|(?<![\p{N}.,])\d{1,2}:\d{2}(?!\d)/giu;

const sourceNumbers = sourceMemo((key: string) => {
  const at = key.indexOf("\u0000");
  const text = blankNonProse(key.slice(at + 1)).replace(TIME, (m) => " ".repeat(m.length));
  return readNumbers(text, key.slice(0, at), false);
});

function agree(a: NumberToken, b: NumberToken): boolean {
  return a.values.some((v) => b.values.includes(v));
}

const MONTHS: Record<string, string[]> = {
  es: "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(" "),
  en: "january february march april may june july august september october november december".split(" "),
};

/**
 * The month of a date written with a slash (`9/11`, `11/9`), which a translation may name
 * (`11 de septiembre`) or write as Spanish news writes dates that name events (`11-S`, `23-F`).
 */
function isDateMonth(source: string, number: NumberToken, target: string, targetLang: string): boolean {
  const month = number.values[0] as number;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  const isDigit = (at: number) => /\d/.test(source.charAt(at));
  const slashBefore = source.charAt(number.start - 1) === "/" && isDigit(number.start - 2);
  const slashAfter = source.charAt(number.end) === "/" && isDigit(number.end + 1);
  if (slashBefore === slashAfter) return false;
  const name = MONTHS[primaryLang(targetLang)]?.[month - 1];
  if (!name) return false;
  const lower = target.toLowerCase();
  return (
    new RegExp(`(?<!\\p{L})${name}(?!\\p{L})`, "u").test(lower) ||
    new RegExp(`(?<!\\d)\\d{1,2}-${name.charAt(0).toUpperCase()}(?!\\p{L})`, "u").test(target)
  );
}
