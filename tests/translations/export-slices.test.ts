import { describe, expect, it } from "vitest";
import { create } from "xmlbuilder2";
import { inSlices, joinSlices, literalAttribute, literalText } from "../../glossary/xml.ts";
import { EXPORT_FORMAT_IDS, EXPORT_FORMATS } from "../../translations/exchange/formats.ts";
import type { ExportedParagraph, ExportInput } from "../../translations/exchange/select.ts";
import { exportTmx } from "../../translations/exchange/tmx.ts";
import { exportXliff, GLOSA_XLIFF_NS, XLIFF_2_NS } from "../../translations/exchange/xliff.ts";

// The XLIFF and TMX exports as xmlbuilder2 wrote them element by element, before they were written a
// unit at a time: the new writers must give the same bytes.
const STATE = {
  untranslated: "initial",
  draft: "initial",
  translated: "translated",
  rejected: "initial",
  approved: "final",
  outdated: "initial",
} as const;

function xmlbuilderXliff(input: ExportInput): string {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(XLIFF_2_NS, "xliff", {
    version: "2.0",
    srcLang: input.document.sourceLang,
    trgLang: input.lang,
    "xmlns:glosa": GLOSA_XLIFF_NS,
  });
  const file = root
    .ele("file", { id: "f1", original: literalAttribute(input.document.id) })
    .att(GLOSA_XLIFF_NS, "glosa:sourceVersion", String(input.document.version ?? 1));
  const inline = (element: ReturnType<typeof create>, text: string) => {
    for (const [i, part] of text.split(/([\uFFFE\uFFFF])/).entries()) {
      if (i % 2 === 1) element.ele("cp", { hex: (part.codePointAt(0) ?? 0).toString(16).toUpperCase() });
      else if (part) element.txt(literalText(part));
    }
  };
  for (const p of input.paragraphs) {
    const unit = file
      .ele("unit", { id: p.id, name: p.kind })
      .att(GLOSA_XLIFF_NS, "glosa:revision", String(p.revision));
    const status = input.statuses.get(p.id) ?? "untranslated";
    const state = p.fromSource ? "initial" : input.status === "approved" ? "final" : STATE[status];
    const rejected = !p.fromSource && input.status !== "approved" && status === "rejected";
    const segment = unit.ele("segment", { state, ...(rejected ? { subState: "glosa:rejected" } : {}) });
    inline(segment.ele("source", { "xml:space": "preserve" }), p.source);
    if (!p.fromSource) inline(segment.ele("target", { "xml:space": "preserve" }), p.text);
  }
  const mixed = input.paragraphs.some(
    (p) => /[\uFFFE\uFFFF]/.test(p.source) || /[\uFFFE\uFFFF]/.test(p.text),
  );
  return root.end({ prettyPrint: !mixed });
}

function xmlbuilderTmx(input: ExportInput, version: string): string {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("tmx", { version: "1.4" });
  root.ele("header", {
    creationtool: "Glosa",
    creationtoolversion: version,
    segtype: "paragraph",
    "o-tmf": "Glosa",
    adminlang: "en",
    srclang: input.document.sourceLang,
    datatype: "plaintext",
    creationdate: "20260101T000000Z",
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

const paragraph = (id: string, source: string, text: string, fromSource = false): ExportedParagraph => ({
  id,
  kind: id === "p1" ? "title" : "paragraph",
  source,
  text,
  fromSource,
  revision: fromSource ? 0 : 3,
});

function input(paragraphs: ExportedParagraph[], status: "latest" | "approved" = "latest"): ExportInput {
  return {
    document: {
      id: `doc "&" <1>`,
      slug: "doc",
      title: "Doc",
      sourceLang: "en",
      format: "text",
      version: 2,
      paragraphs: [],
      createdBy: "t",
      createdAt: "2026-01-01T00:00:00.000Z",
    } as unknown as ExportInput["document"],
    lang: "es",
    paragraphs,
    approved: 0,
    exportedAt: "2026-01-01T00:00:00.000Z",
    status,
    statuses: new Map([
      ["p1", "approved"],
      ["p2", "draft"],
    ]),
  } as ExportInput;
}

const tricky = [
  paragraph("p1", `Tom &amp; Jerry <b> "q"\r\nnext\tline`, "Tom y Jerry & <i>"),
  paragraph("p2", "", ""),
  paragraph("p3", "untranslated & left", "untranslated & left", true),
];

function many(n: number): ExportedParagraph[] {
  return Array.from({ length: n }, (_, i) =>
    paragraph(`p${i + 1}`, `Source ${i} & more.`, `Texto ${i} y más.`, i % 9 === 0),
  );
}

describe("document exports written a unit at a time", () => {
  it("write the same XLIFF and TMX bytes as xmlbuilder2 did", () => {
    for (const case_ of [
      input(tricky),
      input(tricky, "approved"),
      input([paragraph("p1", "a\uFFFEb", "c")]),
      input([]),
      input([paragraph("p1", "only source", "only source", true)]),
      input(many(40)),
    ]) {
      expect(exportXliff(case_)).toBe(xmlbuilderXliff(case_));
      expect(exportTmx(case_, "9.9")).toBe(xmlbuilderTmx(case_, "9.9"));
    }
  });

  it.each(EXPORT_FORMAT_IDS)("%s gives the event loop back between slices of a long document", async (id) => {
    const big = input(many(11_500));
    const whole = [...EXPORT_FORMATS[id].render(big, { version: "1" })].join("");
    const order: string[] = [];
    setImmediate(() => order.push("timer"));
    const pieces: string[] = [];
    for await (const piece of inSlices(EXPORT_FORMATS[id].render(big, { version: "1" }))) {
      pieces.push(piece);
      order.push("piece");
    }
    expect(order.indexOf("timer")).toBeGreaterThan(-1);
    expect(order.indexOf("timer")).toBeLessThan(order.lastIndexOf("piece"));
    expect(pieces.join("")).toBe(whole);
    expect(await joinSlices(inSlices([]))).toBe("");
  });
});
