/**
 * XLIFF 2.0 export: one unit per paragraph, its id the paragraph id. Each unit carries the revision
 * its target comes from as `glosa:revision` (the schema allows other namespaces' attributes on
 * `<unit>`), and the `<file>` the document's source version as `glosa:sourceVersion`, so importing the file later can tell work it did not see from work it replaces.
 */

import { create } from "xmlbuilder2";
import { literalAttribute, literalText } from "../../glossary/xml.ts";
import type { ExportInput } from "./select.ts";

export const XLIFF_2_NS = "urn:oasis:names:tc:xliff:document:2.0";
/** Glosa's extension namespace in XLIFF files. */
export const GLOSA_XLIFF_NS = "urn:glosa:xliff";

const SEGMENT_STATE = {
  untranslated: "initial",
  draft: "initial",
  translated: "translated",
  rejected: "translated",
  approved: "final",
  outdated: "initial",
} as const;

// Characters XML 1.0 cannot carry, which XLIFF 2.0 writes as <cp hex="..."/>.
const NOT_XML = /([\uFFFE\uFFFF])/;

/** Appends `text` to an inline-content element, with <cp> for what XML cannot carry. */
function inline(element: ReturnType<typeof create>, text: string): void {
  // split() with a capturing group alternates text and the characters between it.
  for (const [i, part] of text.split(NOT_XML).entries()) {
    if (i % 2 === 1) element.ele("cp", { hex: (part.codePointAt(0) ?? 0).toString(16).toUpperCase() });
    else if (part) element.txt(literalText(part));
  }
}

export function exportXliff(input: ExportInput): string {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(XLIFF_2_NS, "xliff", {
    version: "2.0",
    srcLang: input.document.sourceLang,
    trgLang: input.lang,
    "xmlns:glosa": GLOSA_XLIFF_NS,
  });
  // The source version the units were exported from: an import made against an older one reports
  // the units whose source changed since instead of applying them.
  const file = root
    .ele("file", { id: "f1", original: literalAttribute(input.document.id) })
    .att(GLOSA_XLIFF_NS, "glosa:sourceVersion", String(input.document.version ?? 1));
  for (const p of input.paragraphs) {
    const unit = file
      .ele("unit", { id: p.id, name: p.kind })
      .att(GLOSA_XLIFF_NS, "glosa:revision", String(p.revision));
    const status = input.statuses.get(p.id) ?? "untranslated";
    const state = p.fromSource ? "initial" : input.status === "approved" ? "final" : SEGMENT_STATE[status];
    const segment = unit.ele("segment", { state });
    inline(segment.ele("source", { "xml:space": "preserve" }), p.source);
    if (!p.fromSource) inline(segment.ele("target", { "xml:space": "preserve" }), p.text);
  }
  // Pretty printing would indent mixed content (text beside a <cp>), changing the text: such a
  // file is written without it.
  const mixed = input.paragraphs.some((p) => NOT_XML.test(p.source) || NOT_XML.test(p.text));
  return root.end({ prettyPrint: !mixed });
}
