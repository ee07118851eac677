/**
 * What any stored text may hold, terms and translations alike: every export (TBX, XLIFF, TMX) must
 * stay well-formed XML and re-import, so what XML 1.0 cannot carry is refused on the way in.
 */

// C0 and C1 controls other than tab and newline, lone surrogates, and the noncharacters U+FFFE and
// U+FFFF (excluded from XML's Char production). One character class: linear on any input.
const FORBIDDEN_CHARS = /[^\P{Cc}\t\n]|\p{Cs}|[\uFFFE\uFFFF]/u;

/** True when the text holds a character no stored text may hold (see FORBIDDEN_CHARS). */
export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN_CHARS.test(text);
}
