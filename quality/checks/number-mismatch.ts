import { primaryLang } from "../../glossary/language.ts";
import { blankNonProse, finding, MOST_REPORTED, type QualityCheck, sourceMemo } from "../finding.ts";
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
    // Values in sets: a text of thousands of numbers on both sides is not compared pair by pair.
    let inTarget = valuesOf(target);
    // Numbers written out in words ("dos") are read only when digits alone leave one unmatched.
    if (source.some((s) => !agrees(s, inTarget))) {
      target = readNumbers(prose, context.targetLang);
      inTarget = valuesOf(target);
    }
    const inSource = valuesOf(source);
    const unused = target.filter((t) => !t.spelled && !agrees(t, inSource)).values();
    const seen = new Set<string>();
    const named = monthNamed(context.target, context.targetLang);
    return source.flatMap((number) => {
      const written = context.source.slice(number.start, number.end);
      if (agrees(number, inTarget) || seen.has(written) || seen.size >= MOST_REPORTED) return [];
      if (isDateMonth(context.source, number, named)) return [];
      seen.add(written);
      // Point at a number of the translation that matches nothing in the source: most likely the
      // one this number became.
      const other = unused.next().value;
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

function valuesOf(numbers: readonly NumberToken[]): Set<number> {
  return new Set(numbers.flatMap((n) => n.values));
}

/** True when any reading of `number` is among `values` (NaN agrees with NaN, as `includes` has it). */
function agrees(number: NumberToken, values: ReadonlySet<number>): boolean {
  return number.values.some((v) => values.has(v));
}

const MONTHS: Record<string, string[]> = {
  es: "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(" "),
  en: "january february march april may june july august september october november december".split(" "),
};

/**
 * The month of a date written with a slash (`9/11`, `11/9`), which a translation may name
 * (`11 de septiembre`) or write as Spanish news writes dates that name events (`11-S`, `23-F`).
 */
function isDateMonth(source: string, number: NumberToken, named: (month: number) => boolean): boolean {
  const month = number.values[0] as number;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  const isDigit = (at: number) => /\d/.test(source.charAt(at));
  const slashBefore = source.charAt(number.start - 1) === "/" && isDigit(number.start - 2);
  const slashAfter = source.charAt(number.end) === "/" && isDigit(number.end + 1);
  if (slashBefore === slashAfter) return false;
  return named(month);
}

/**
 * Whether the translation names a month, by number (1–12), each month looked for once: a source
 * of thousands of dates does not read the translation once per date.
 */
function monthNamed(target: string, targetLang: string): (month: number) => boolean {
  const answers = new Map<number, boolean>();
  let lower: string | undefined;
  return (month) => {
    let answer = answers.get(month);
    if (answer === undefined) {
      const name = MONTHS[primaryLang(targetLang)]?.[month - 1];
      lower ??= target.toLowerCase();
      answer =
        !!name &&
        (new RegExp(`(?<!\\p{L})${name}(?!\\p{L})`, "u").test(lower) ||
          new RegExp(`(?<!\\d)\\d{1,2}-${name.charAt(0).toUpperCase()}(?!\\p{L})`, "u").test(target));
      answers.set(month, answer);
    }
    return answer;
  };
}
