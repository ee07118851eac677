/**
 * Review benchmarks: the review page of a 1,000-paragraph document where every paragraph changed,
 * against the editor page of the same paragraphs (no diffs); the diff of two 20,000-character
 * paragraphs; jsdiff (what Glosa uses) against diff-match-patch on the same inputs.
 */

import DiffMatchPatch from "diff-match-patch";
import { diffTexts } from "../translations/diff.ts";
import { ms, type Row, time } from "./harness.ts";
import { startBenchServer } from "./server.ts";

const PARAGRAPHS = 1_000;

function words(n: number, seed: number): string {
  const vocabulary = [
    "el",
    "gobierno",
    "motosierra",
    "Casa",
    "Rosada",
    "anunció",
    "medidas",
    "de",
    "gasto",
    "público",
    "canciller",
    "FMI",
    "la",
    "oposición",
    "kirchnerista",
    "purga",
    "semana",
    "Milei",
    "Trump",
    "acuerdo",
  ];
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return vocabulary[x % vocabulary.length];
  }).join(" ");
}

/** A revised version of a text: roughly one word in `every` replaced. */
function revise(text: string, every: number): string {
  return text
    .split(" ")
    .map((w, i) => (i % every === 3 ? `${w}s` : w))
    .join(" ");
}

export async function reviewBenchmarks(): Promise<Row[]> {
  const server = await startBenchServer();
  const headers = { Authorization: `Bearer ${server.token}`, "Content-Type": "application/json" };
  const content = Array.from(
    { length: PARAGRAPHS },
    (_, i) => `Paragraph ${i}: officials at the Casa Rosada said the chainsaw would reach every ministry.`,
  ).join("\n");
  const doc = (await (
    await fetch(`${server.url}/api/v1/documents`, {
      method: "POST",
      headers,
      body: JSON.stringify({ sourceLang: "en", format: "text", content, languages: ["es"] }),
    })
  ).json()) as { id: string };
  const { translations } = server.app.services;
  // Every paragraph approved once, then changed: the review page shows 1,000 diffs.
  for (let p = 1; p <= PARAGRAPHS; p++) {
    const first = words(30, p);
    await translations.save(doc.id, "es", `p${p}`, { text: first, baseRevision: 0 }, "admin");
    await translations.review(doc.id, "es", `p${p}`, { action: "approve", revision: 1 }, "admin");
    await translations.save(doc.id, "es", `p${p}`, { text: revise(first, 5), baseRevision: 1 }, "admin");
  }
  const get = (path: string) => async () => {
    const res = await fetch(`${server.url}${path}`, {
      headers: { Cookie: server.cookie, "X-Forwarded-Proto": "https" },
      redirect: "manual",
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.text();
  };
  const review = await time(get(`/documents/${doc.id}/es/review`), 10);
  const editor = await time(get(`/documents/${doc.id}/es`), 10);
  await server.close();

  const long = words(3300, 7).slice(0, 20_000);
  const longRevised = revise(long, 9).slice(0, 20_000);
  const ours = await time(() => diffTexts(long, longRevised), 20);
  const dmp = new DiffMatchPatch();
  const theirs = await time(() => {
    const d = dmp.diff_main(long, longRevised);
    dmp.diff_cleanupSemantic(d);
  }, 20);
  const unrelated = words(3300, 1).slice(0, 20_000);
  const bounded = await time(() => diffTexts(long, unrelated), 5);
  const dmpUnrelated = await time(() => dmp.diff_main(long, unrelated), 5);

  return [
    {
      benchmark: `Review page of a ${PARAGRAPHS.toLocaleString("en")}-paragraph document, every paragraph changed since approval (word diffs, glossary events)`,
      measured: `review page: ${ms(review.median)} median`,
      baseline: `editor page of the same paragraphs, no diffs: ${ms(editor.median)}`,
      ratio: review.median / editor.median,
    },
    {
      benchmark:
        "Word diff of two 20,000-character paragraphs (one word in nine changed): jsdiff, as Glosa runs it, vs diff-match-patch",
      measured: `jsdiff diffWordsWithSpace + readability pass: ${ms(ours.median)}`,
      baseline: `diff-match-patch diff_main + cleanupSemantic: ${ms(theirs.median)}`,
      ratio: ours.median / theirs.median,
    },
    {
      benchmark:
        "Diff of two unrelated 20,000-character paragraphs (the bound: answers 'too different' instead of blocking)",
      measured: `jsdiff with maxEditLength/timeout: ${ms(bounded.median)}`,
      baseline: `diff-match-patch, unbounded: ${ms(dmpUnrelated.median)}`,
      ratio: bounded.median / dmpUnrelated.median,
    },
  ];
}
