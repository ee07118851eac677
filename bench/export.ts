/**
 * Export: a 1,000-paragraph document as Markdown and as XLIFF, against JSON.stringify of the same
 * texts; and the longest the event loop is held while an 11,500-paragraph document is exported in
 * slices, against the same timer idle.
 */

import { inSlices, joinSlices } from "../glossary/xml.ts";
import { createDocument } from "../translations/document.ts";
import { EXPORT_FORMATS } from "../translations/exchange/formats.ts";
import { selectForExport } from "../translations/exchange/select.ts";
import { buildState, type TranslationEvent } from "../translations/translation.ts";
import { blockDuring, ms, type Row, time } from "./harness.ts";

const PARAGRAPHS = 1_000;
const LONG_DOCUMENT = 11_500;

export async function exportBenchmarks(): Promise<Row[]> {
  return [...(await wholeFileBenchmarks()), ...(await sliceBenchmarks())];
}

function translatedDocument(paragraphs: number) {
  const sentences = [
    "Milei’s “chainsaw” approach — cutting *public spending* by 30% — was praised at CPAC.",
    "1. The IMF [International Monetary Fund] said: <no comment> & more_to_come",
    "El gobierno anunció nuevas medidas de gasto público en la Casa Rosada.",
  ];
  const content = Array.from({ length: paragraphs }, (_, i) => `${sentences[i % 3]} (${i})`).join("\n");
  const doc = createDocument({
    id: "bench",
    sourceLang: "en",
    format: "text",
    content,
    createdBy: "b",
    createdAt: "c",
  });
  const events: TranslationEvent[] = doc.paragraphs.map((p, i) => ({
    type: "revision",
    pid: p.id,
    revision: 1,
    text: `${sentences[(i + 1) % 3]} — traducido ${i}`,
    status: "translated",
    author: "b",
    createdAt: "c",
  }));
  return { doc, state: buildState(events), sentences };
}

async function wholeFileBenchmarks(): Promise<Row[]> {
  const { doc, state } = translatedDocument(PARAGRAPHS);
  const input = () =>
    selectForExport(doc, "es", state, {
      status: "latest",
      incomplete: "error",
      exportedAt: new Date().toISOString(),
    });
  const json = await time(
    () => JSON.stringify(input().paragraphs.map((p) => ({ id: p.id, source: p.source, text: p.text }))),
    30,
  );
  const whole = (id: "markdown" | "xliff") =>
    [...EXPORT_FORMATS[id].render(input(), { version: "bench" })].join("");
  const markdown = await time(() => whole("markdown"), 30);
  const xliff = await time(() => whole("xliff"), 30);
  return [
    {
      benchmark: `Markdown export of a ${PARAGRAPHS.toLocaleString("en")}-paragraph document (escaping, YAML front matter)`,
      measured: `Markdown: ${ms(markdown.median)}`,
      baseline: `JSON.stringify of the same texts: ${ms(json.median)}`,
      ratio: markdown.median / json.median,
    },
    {
      benchmark: `XLIFF 2.0 export of the same document (envelope by xmlbuilder2, units as strings)`,
      measured: `XLIFF: ${ms(xliff.median)}`,
      baseline: `JSON.stringify of the same texts: ${ms(json.median)}`,
      ratio: xliff.median / json.median,
    },
  ];
}

/** What a request for a long document's export does to every other request: the longest block. */
async function sliceBenchmarks(): Promise<Row[]> {
  const { doc, state } = translatedDocument(LONG_DOCUMENT);
  const input = selectForExport(doc, "es", state, {
    status: "latest",
    incomplete: "error",
    exportedAt: new Date().toISOString(),
  });
  const rows: Row[] = [];
  for (const id of ["xliff", "tmx", "bilingual"] as const)
    rows.push(
      await blockDuring(
        `Longest event-loop block during a ${LONG_DOCUMENT.toLocaleString("en")}-paragraph ${id} export, in slices / idle`,
        () => joinSlices(inSlices(EXPORT_FORMATS[id].render(input, { version: "bench" }))),
      ),
    );
  return rows;
}
