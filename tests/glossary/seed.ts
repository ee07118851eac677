import { readFileSync } from "node:fs";
import { parseGlossaryCsv } from "../../glossary/csv.ts";
import type { Term } from "../../glossary/term.ts";
import { splitPlainText } from "../../translations/document.ts";

export const seedCsv = readFileSync(
  new URL("../../default-data/glossary-en-es.csv", import.meta.url),
  "utf8",
);
export const seedArticle = readFileSync(
  new URL("../../default-data/article-trump-milei.txt", import.meta.url),
  "utf8",
);
export const seedParagraphs = splitPlainText(seedArticle).map((b) => b.source);

/** The seed glossary as terms, ids taken from the English source. */
export function seedTerms(): Term[] {
  return parseGlossaryCsv(seedCsv, { sourceLang: "en", targetLang: "es" }).terms.map(({ term }) => ({
    id: term.source,
    ...term,
  }));
}
