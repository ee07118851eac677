/** Export: a 1,000-paragraph document as Markdown and as XLIFF, against JSON.stringify of the same texts. */

import { createDocument } from "../translations/document.ts";
import { EXPORT_FORMATS } from "../translations/exchange/formats.ts";
import { selectForExport } from "../translations/exchange/select.ts";
import { buildState, type TranslationEvent } from "../translations/translation.ts";
import { ms, type Row, time } from "./harness.ts";

const PARAGRAPHS = 1_000;

export async function exportBenchmarks(): Promise<Row[]> {
  const sentences = [
    "Milei’s “chainsaw” approach — cutting *public spending* by 30% — was praised at CPAC.",
    "1. The IMF [International Monetary Fund] said: <no comment> & more_to_come",
    "El gobierno anunció nuevas medidas de gasto público en la Casa Rosada.",
  ];
  const content = Array.from({ length: PARAGRAPHS }, (_, i) => `${sentences[i % 3]} (${i})`).join("\n");
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
  const state = buildState(events);
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
  const markdown = await time(() => EXPORT_FORMATS.markdown.render(input(), { version: "bench" }), 30);
  const xliff = await time(() => EXPORT_FORMATS.xliff.render(input(), { version: "bench" }), 30);
  return [
    {
      benchmark: `Markdown export of a ${PARAGRAPHS.toLocaleString("en")}-paragraph document (escaping, YAML front matter)`,
      measured: `Markdown: ${ms(markdown.median)}`,
      baseline: `JSON.stringify of the same texts: ${ms(json.median)}`,
      ratio: markdown.median / json.median,
    },
    {
      benchmark: `XLIFF 2.0 export of the same document (xmlbuilder2)`,
      measured: `XLIFF: ${ms(xliff.median)}`,
      baseline: `JSON.stringify of the same texts: ${ms(json.median)}`,
      ratio: xliff.median / json.median,
    },
  ];
}
