/**
 * Placeholders of inline codes in a memory text (memory/tmx.ts): `{1}`, `{/1}` and `{2/}`. They are
 * markup, not words: matching skips them and a number substituted into a text never lands in one.
 */

/** One placeholder; global, so use it with `matchAll`, `replace` or `split`. */
export const PLACEHOLDER = /\{(\/?)(\d{1,5})(\/?)\}/g;

/** Whether a text holds a placeholder. */
export const hasPlaceholder = (text: string) => mayHavePlaceholders(text) && ONE_PLACEHOLDER.test(text);
const ONE_PLACEHOLDER = new RegExp(PLACEHOLDER.source);

/**
 * Stands for a placeholder the TMX reader made, in the text of the file around it: no placeholder
 * runs across it, so text of the file shaped like one is told from the reader's own.
 */
export const PLACEHOLDER_MASK = "\uE000";

/** Whether a text may hold a placeholder: the cheap test before the expression. */
export const mayHavePlaceholders = (text: string) => text.includes("{");

/** UTF-16 ranges [start, end) of a text's placeholders. */
export function placeholderRanges(text: string): [number, number][] {
  if (!mayHavePlaceholders(text)) return [];
  return [...text.matchAll(PLACEHOLDER)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * UTF-16 ranges [start, end) of the placeholders that stand for one of a side's `codes` (how many
 * inline codes the side has): `{n}` is code n only when the side has n codes or more. A text without
 * codes (a document's translation, a unit imported without inline codes, a machine translation) has
 * none: a `{1}` in it is its own text, and is shown and inserted as written.
 */
export function codeRanges(text: string, codes: number): [number, number][] {
  if (codes <= 0) return [];
  return placeholderRanges(text).filter(([start, end]) => {
    const digits = /\d+/.exec(text.slice(start, end))?.[0];
    return Number(digits) <= codes;
  });
}

/**
 * `edit` applied to the text with each placeholder masked by a character that is no digit, letter
 * or space, then the placeholders put back in order.
 */
export function outsidePlaceholders(text: string, edit: (masked: string) => string): string {
  if (!mayHavePlaceholders(text)) return edit(text);
  const held: string[] = [];
  const masked = text.replace(PLACEHOLDER, (m) => {
    held.push(m);
    return MASK;
  });
  if (held.length === 0) return edit(text);
  let next = 0;
  return edit(masked).replace(MASK_ALL, () => held[next++] ?? "");
}

const MASK = "\uE000";
const MASK_ALL = /\uE000/g;
