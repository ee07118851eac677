import { finding, type QualityCheck } from "../finding.ts";

/**
 * A translation that is its source unchanged. Paragraphs made only of names and numbers
 * ("Pedro Sánchez", "Real Madrid 2 - Barcelona 1") are the same in every language and pass.
 */
export const identicalToSource: QualityCheck = {
  code: "identical-to-source",
  severity: "warning",
  run({ source, target }) {
    // Most translations differ from the first word on: no need to normalise the whole of both.
    const first = /\S+/;
    if (first.exec(source)?.[0].toLowerCase() !== first.exec(target)?.[0].toLowerCase()) return [];
    if (squeeze(source) !== squeeze(target) || namesOnly(source)) return [];
    return [finding(this, "same", "same", {}, { start: 0, end: target.length })];
  },
};

function squeeze(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

/** No word of four letters or more that starts in lower case: names, numbers and short particles only. */
function namesOnly(text: string): boolean {
  return !/(?<!\p{L})\p{Ll}\p{L}{3,}/u.test(text);
}
