/**
 * Numbers read from prose the way each language writes them: `15,000` (en) and `15.000` or
 * `15 000` (es) are one value, `2.5` and `2,5` another, `15 billion` and `15.000 millones` a
 * third. A written number may have more than one reading (`1,500` in Spanish text is 1.5 by the
 * RAE but 1500 in Mexico's usage): every reading is kept, and two numbers agree when any do.
 */

import { primaryLang } from "../glossary/language.ts";

export interface NumberToken {
  /** Every value the text can mean. */
  values: number[];
  start: number;
  end: number;
  /** Written out in words (`dos`), not digits. */
  spelled: boolean;
}

/** Languages that write the decimal point as `.` and group thousands with `,`, and never the other way. */
const POINT_DECIMAL = new Set(["en", "zh", "ja", "ko", "he", "th", "hi"]);

const SCALES: Record<string, Record<string, number>> = {
  en: { thousand: 1e3, million: 1e6, millions: 1e6, billion: 1e9, billions: 1e9, bn: 1e9, trillion: 1e12 },
  es: {
    mil: 1e3,
    millón: 1e6,
    millon: 1e6,
    millones: 1e6,
    "mil millones": 1e9,
    millardo: 1e9,
    millardos: 1e9,
    billón: 1e12,
    billones: 1e12,
  },
};

const WORDS: Record<string, Record<string, number>> = {
  en: {
    zero: 0,
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
    twenty: 20,
    hundred: 100,
    dozen: 12,
  },
  es: {
    cero: 0,
    uno: 1,
    una: 1,
    un: 1,
    dos: 2,
    tres: 3,
    cuatro: 4,
    cinco: 5,
    seis: 6,
    siete: 7,
    ocho: 8,
    nueve: 9,
    diez: 10,
    once: 11,
    doce: 12,
    veinte: 20,
    cien: 100,
    ciento: 100,
    docena: 12,
    mil: 1000,
  },
};

// Digits with group separators (`,` `.` or a space before exactly three digits), an optional
// decimal part, then an optional ordinal or decade suffix. Not preceded by a letter or digit.
const NUMBER =
  /(?<![\p{L}\p{N}])\d+(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*(?:\.?[ºª°]|st|nd|rd|th|s\b)?/gu;

/**
 * The numbers of a text, in order, each with its readings in `lang`; with `spelled` false, only
 * those written in digits.
 */
export function readNumbers(text: string, lang: string, spelled = true): NumberToken[] {
  const primary = primaryLang(lang);
  const scales = SCALES[primary] ?? {};
  const tokens: NumberToken[] = [];
  if (!spelled && !/\d/.test(text)) return tokens;
  for (const m of text.matchAll(NUMBER)) {
    let raw = m[0];
    const start = m.index;
    // Most numbers end in a digit: no suffix to read.
    if (!isDigit(raw.charCodeAt(raw.length - 1))) {
      // A decade ("the 1990s") names no exact number: it is left out on both sides.
      if (/\ds$/.test(raw)) continue;
      raw = raw.replace(/(?:\.?[ºª°]|st|nd|rd|th)$/, "");
    }
    let values = readDigits(raw, POINT_DECIMAL.has(primary));
    let end = start + m[0].length;
    const scale = scaleAfter(text, end, scales);
    if (scale) {
      values = values.map((v) => round(v * scale.factor));
      end = scale.end;
    }
    const shortened = rangeEnd(text, start, raw, tokens[tokens.length - 1]);
    if (shortened !== undefined) values = [...values, shortened];
    tokens.push({ values, start, end, spelled: false });
  }
  if (!spelled) return tokens;
  // A scale word read with its digits ("3 mil millones") is not a number of its own. Both lists
  // are in text order: one walk along the digits finds the one each word could be inside.
  const digits = tokens.length;
  let at = 0;
  for (const n of spelledNumbers(text, primary, scales)) {
    while (at < digits && (tokens[at] as NumberToken).end <= n.start) at++;
    const t = tokens[at];
    if (!t || n.end <= t.start) tokens.push(n);
  }
  return tokens.sort((a, b) => a.start - b.start);
}

/**
 * The end of a range written short (`2018-19`, `2018/19`): a number right after a
 * dash or slash that follows a longer whole number also reads with that number's leading digits
 * (2019), so that `2018-19` and `2018-2019` agree. Scores (`1-0`, `3–2`) and dates (`9/11`) are
 * two numbers of the same length and stay as they are.
 */
function rangeEnd(
  text: string,
  start: number,
  raw: string,
  before: NumberToken | undefined,
): number | undefined {
  if (!before || !/^\d+$/.test(raw) || !/[-–/]/.test(text.charAt(start - 1)) || before.end !== start - 1)
    return undefined;
  const first = text.slice(before.start, before.end);
  if (!/^\d+$/.test(first) || first.length <= raw.length) return undefined;
  const full = Number(first.slice(0, first.length - raw.length) + raw);
  return full > Number(first) ? full : undefined;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

const ONLY_DIGITS = /^\d+$/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The readings of one run of digits and separators. */
function readDigits(raw: string, pointDecimal: boolean): number[] {
  if (ONLY_DIGITS.test(raw)) return [Number(raw)];
  const text = raw.replace(/[ \u00a0\u202f]/g, "");
  const seps = [...text.matchAll(/[.,]/g)].map((m) => m[0]);
  if (seps.length === 0) return [Number(text)];
  const distinct = new Set(seps);
  if (distinct.size === 2) {
    // Both marks: the last one is the decimal mark.
    const decimal = seps[seps.length - 1] as string;
    const group = decimal === "." ? "," : ".";
    return [Number(text.split(group).join("").replace(decimal, "."))];
  }
  const sep = seps[0] as string;
  const groups = text.split(sep);
  const grouped = groups.slice(1).every((g) => g.length === 3) && (groups[0]?.length ?? 0) <= 3;
  if (seps.length > 1) return grouped ? [Number(groups.join(""))] : [Number.NaN];
  const asGroup = Number(groups.join(""));
  const asDecimal = Number(text.replace(",", "."));
  if (!grouped) return [asDecimal];
  if (pointDecimal) return [sep === "," ? asGroup : asDecimal];
  return [asGroup, asDecimal];
}

/** A scale word after a number (`15 billion`, `15.000 millones`, `3 mil millones`). */
function scaleAfter(
  text: string,
  end: number,
  scales: Record<string, number>,
): { factor: number; end: number } | undefined {
  const rest = /^[ \u00a0]?(\p{L}+)(?:[ \u00a0](\p{L}+))?/u.exec(text.slice(end, end + 30));
  if (!rest?.[1]) return undefined;
  const one = rest[1].toLowerCase();
  const two = rest[2] ? `${one} ${rest[2].toLowerCase()}` : "";
  const both = two ? scales[two] : undefined;
  if (both) return { factor: both, end: end + (rest[0]?.length ?? 0) };
  const single = scales[one];
  if (single) return { factor: single, end: end + rest[0].indexOf(rest[1]) + rest[1].length };
  return undefined;
}

/** Small numbers written in words (`dos`, `two million`), with their scale. */
function spelledNumbers(text: string, primary: string, scales: Record<string, number>): NumberToken[] {
  const words = WORDS[primary];
  if (!words) return [];
  const tokens: NumberToken[] = [];
  for (const m of text.matchAll(/\p{L}+/gu)) {
    const value = words[m[0].toLowerCase()];
    if (value === undefined) continue;
    const end = m.index + m[0].length;
    const scale = scaleAfter(text, end, scales);
    tokens.push({
      values: [scale ? value * scale.factor : value],
      start: m.index,
      end: scale ? scale.end : end,
      spelled: true,
    });
  }
  return tokens;
}
