/** TMX 1.4b export: the document's translation memory, one tu per translated paragraph. */

import { create } from "xmlbuilder2";
import { literalAttribute, literalText } from "../../glossary/xml.ts";
import type { ExportInput } from "./select.ts";

/** TMX dates are UTC in the basic ISO 8601 form: 20261125T180000Z. */
function tmxDate(iso: string): string {
  return `${iso.replace(/[-:]/g, "").replace(/\.\d+/, "").slice(0, 15)}Z`;
}

export function exportTmx(input: ExportInput, version: string): string {
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
  for (const p of input.paragraphs) {
    if (p.fromSource) continue;
    const tu = body.ele("tu", { tuid: literalAttribute(`${input.document.id}-${p.id}`) });
    tu.ele("tuv", { "xml:lang": input.document.sourceLang }).ele("seg").txt(literalText(p.source));
    tu.ele("tuv", { "xml:lang": input.lang }).ele("seg").txt(literalText(p.text));
  }
  return root.end({ prettyPrint: true });
}
