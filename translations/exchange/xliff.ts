/**
 * XLIFF 2.0 export: one unit per paragraph, its id the paragraph id. Each unit carries the revision
 * its target comes from as `glosa:revision` (the schema allows other namespaces' attributes on
 * `<unit>`), and the `<file>` the document's source version as `glosa:sourceVersion`, so importing the file later can tell work it did not see from work it replaces.
 */

import { create } from "xmlbuilder2";
import { ITEMS_HERE, literalAttribute, splitEnvelope, xmlAttribute, xmlText } from "../../glossary/xml.ts";
import type { ExportInput } from "./select.ts";

export const XLIFF_2_NS = "urn:oasis:names:tc:xliff:document:2.0";
/** Glosa's extension namespace in XLIFF files. */
export const GLOSA_XLIFF_NS = "urn:glosa:xliff";

const SEGMENT_STATE = {
  untranslated: "initial",
  draft: "initial",
  translated: "translated",
  // Turned down in review: needs translating again (subState says why, for tools that read it).
  rejected: "initial",
  approved: "final",
  outdated: "initial",
} as const;

// Characters XML 1.0 cannot carry, which XLIFF 2.0 writes as <cp hex="..."/>.
const NOT_XML = /([\uFFFE\uFFFF])/;

/** An inline-content element holding `text`, with <cp> for what XML cannot carry; empty, self-closed. */
function inline(name: string, text: string): string {
  if (!text) return `<${name} xml:space="preserve"/>`;
  let xml = `<${name} xml:space="preserve">`;
  // split() with a capturing group alternates text and the characters between it.
  for (const [i, part] of text.split(NOT_XML).entries())
    xml +=
      i % 2 === 1 ? `<cp hex="${(part.codePointAt(0) ?? 0).toString(16).toUpperCase()}"/>` : xmlText(part);
  return `${xml}</${name}>`;
}

/** The whole file as one string (tests, small exports). */
export function exportXliff(input: ExportInput): string {
  return [...xliffParts(input)].join("");
}

/**
 * The file a unit at a time (see `inSlices`): the envelope by xmlbuilder2, each unit as the string
 * xmlbuilder2 would write for it.
 */
export function* xliffParts(input: ExportInput): Generator<string> {
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
  // Pretty printing would indent mixed content (text beside a <cp>), changing the text: such a
  // file is written without it.
  const pretty = !input.paragraphs.some((p) => NOT_XML.test(p.source) || NOT_XML.test(p.text));
  if (input.paragraphs.length === 0) {
    yield root.end({ prettyPrint: pretty });
    return;
  }
  file.com(ITEMS_HERE);
  const { head, tail } = splitEnvelope(root.end({ prettyPrint: pretty }));
  const line = (depth: number) => (pretty ? `\n${"  ".repeat(depth)}` : "");
  yield head;
  for (const p of input.paragraphs) {
    const status = input.statuses.get(p.id) ?? "untranslated";
    const state = p.fromSource ? "initial" : input.status === "approved" ? "final" : SEGMENT_STATE[status];
    const rejected = !p.fromSource && input.status !== "approved" && status === "rejected";
    yield `${line(2)}<unit id="${xmlAttribute(p.id)}" name="${xmlAttribute(p.kind)}" glosa:revision="${p.revision}">` +
      `${line(3)}<segment state="${state}"${rejected ? ' subState="glosa:rejected"' : ""}>${line(4)}${inline("source", p.source)}` +
      (p.fromSource ? "" : `${line(4)}${inline("target", p.text)}`) +
      `${line(3)}</segment>${line(2)}</unit>`;
  }
  yield tail;
}
