/** TMX 1.4b export: the document's translation memory, one tu per translated paragraph. */

import { create } from "xmlbuilder2";
import { ITEMS_HERE, splitEnvelope, xmlAttribute, xmlText } from "../../glossary/xml.ts";
import type { ExportInput } from "./select.ts";

/** TMX dates are UTC in the basic ISO 8601 form: 20261125T180000Z. */
function tmxDate(iso: string): string {
  return `${iso.replace(/[-:]/g, "").replace(/\.\d+/, "").slice(0, 15)}Z`;
}

/** The whole file as one string (tests, small exports). */
export function exportTmx(input: ExportInput, version: string): string {
  return [...tmxParts(input, version)].join("");
}

/** The file a unit at a time (see `inSlices`), each <tu> as the string xmlbuilder2 would write. */
export function* tmxParts(input: ExportInput, version: string): Generator<string> {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("tmx", { version: "1.4" });
  root.ele("header", {
    creationtool: "Glosa",
    creationtoolversion: version,
    segtype: "paragraph",
    "o-tmf": "Glosa",
    adminlang: "en",
    srclang: input.document.sourceLang,
    datatype: "plaintext",
    creationdate: tmxDate(input.exportedAt),
  });
  const body = root.ele("body");
  const translated = input.paragraphs.filter((p) => !p.fromSource);
  if (translated.length === 0) {
    yield root.end({ prettyPrint: true });
    return;
  }
  body.com(ITEMS_HERE);
  const { head, tail } = splitEnvelope(root.end({ prettyPrint: true }));
  const line = (depth: number) => `\n${"  ".repeat(depth)}`;
  const tuv = (lang: string, text: string) =>
    `${line(3)}<tuv xml:lang="${xmlAttribute(lang)}">${line(4)}${text ? `<seg>${xmlText(text)}</seg>` : "<seg/>"}${line(3)}</tuv>`;
  yield head;
  for (const p of translated)
    yield `${line(2)}<tu tuid="${xmlAttribute(`${input.document.id}-${p.id}`)}">` +
      `${tuv(input.document.sourceLang, p.source)}${tuv(input.lang, p.text)}${line(2)}</tu>`;
  yield tail;
}
