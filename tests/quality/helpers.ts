import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import { QUALITY_CHECKS } from "../../quality/checks/index.ts";
import type { QualityCode, QualityContext, QualityFinding, Speller } from "../../quality/finding.ts";
import { seedTerms } from "../glossary/seed.ts";

export const seedIndex = new GlossaryIndex(seedTerms(), "en", "es");

/** A speller that knows only the words it is given (and everything when given none). */
export function wordList(...words: string[]): Speller {
  const known = new Set(words.map((w) => w.toLowerCase()));
  return { correct: (word) => known.size === 0 || known.has(word.toLowerCase()) };
}

/** The findings of one check for an English source and its Spanish translation (or other pair). */
export function run(
  code: QualityCode,
  source: string,
  target: string,
  options: Partial<QualityContext> = {},
): QualityFinding[] {
  const check = QUALITY_CHECKS.find((c) => c.code === code);
  if (!check) throw new Error(code);
  return check.run({
    source,
    target,
    sourceLang: "en",
    targetLang: "es",
    kind: "paragraph",
    format: "text",
    settings: { checks: {} },
    knownWords: new Set(),
    ...options,
  });
}

/** Each finding as its key and the text it points at. */
export function spans(findings: QualityFinding[], target: string): [string, string | undefined][] {
  return findings.map((f) => [f.key, f.start === undefined ? undefined : target.slice(f.start, f.end)]);
}

/** `piece` again and again, cut to `length` characters. */
export function repeat(piece: string, length: number): string {
  return piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
}

/**
 * Texts of `length` characters that made an expression or a parser read them once per character
 * (or per piece): each check must read them in time proportional to their length.
 */
export function hostileTexts(length: number): Record<string, string> {
  return {
    "a run of spaces": `a${" ".repeat(length)}b`,
    "a run of no-break spaces": `a${"\u00a0".repeat(length)}b`,
    '"http://" repeated': repeat("http://", length),
    '"www." repeated': repeat("www.", length),
    '"<b>" repeated': repeat("<b>", length),
    '"[a](b" repeated': repeat("[a](b", length),
    '"[(](" repeated': repeat("[(](", length),
    '"](" repeated': repeat("](", length),
    '"](a \\"" repeated': repeat('](a "', length),
    '"@" then one long word': `@${"a".repeat(length)}`,
    '"a." repeated before an "@"': `${repeat("a.", length)}@`,
    '"a <!--" repeated': repeat("a <!--", length),
    '"a <?" repeated': repeat("a <?", length),
    '"a <!A " repeated': repeat("a <!A ", length),
    '"¿" repeated': repeat("¿", length),
    '"? " repeated': repeat("? ", length),
    '"«" repeated': repeat("«", length),
    '"a  " repeated': repeat("a  ", length),
    '"1 " repeated': repeat("1 ", length),
    '"dos 1 " repeated': repeat("dos 1 ", length),
    '"*a" repeated': repeat("*a", length),
  };
}
