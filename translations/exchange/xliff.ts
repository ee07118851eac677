/** XLIFF 2.0 export: one unit per paragraph, its id the paragraph id. */

import { create } from "xmlbuilder2";
import type { ExportInput } from "./select.ts";

export const XLIFF_2_NS = "urn:oasis:names:tc:xliff:document:2.0";

const SEGMENT_STATE = {
  untranslated: "initial",
  draft: "initial",
  translated: "translated",
  rejected: "translated",
  approved: "final",
} as const;

export function exportXliff(input: ExportInput): string {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(XLIFF_2_NS, "xliff", {
    version: "2.0",
    srcLang: input.document.sourceLang,
    trgLang: input.lang,
  });
  const file = root.ele("file", { id: "f1", original: input.document.id });
  for (const p of input.paragraphs) {
    const unit = file.ele("unit", { id: p.id, name: p.kind });
    const status = input.statuses.get(p.id) ?? "untranslated";
    const state = p.fromSource ? "initial" : input.status === "approved" ? "final" : SEGMENT_STATE[status];
    const segment = unit.ele("segment", { state });
    segment.ele("source", { "xml:space": "preserve" }).txt(p.source);
    if (!p.fromSource) segment.ele("target", { "xml:space": "preserve" }).txt(p.text);
  }
  return root.end({ prettyPrint: true });
}
