/**
 * Review benchmarks: the review page of a 1,000-paragraph document where every paragraph changed,
 * against the editor page of the same paragraphs (no diffs), first view and repeat view; the diff of
 * two 20,000-character paragraphs; jsdiff (what Glosa uses) against diff-match-patch on the same
 * inputs. `diffTexts` remembers its results, so every timed diff gets a pair no earlier call has
 * seen; the remembered figure stands beside it, labelled.
 */

import DiffMatchPatch from "diff-match-patch";
import { diffTexts } from "../translations/diff.ts";
import { ms, type Row, time, timeFresh } from "./harness.ts";
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

/** A 1,000-paragraph document, every paragraph approved once and then changed: 1,000 diffs to show. */
async function changedDocument(server: Awaited<ReturnType<typeof startBenchServer>>, seed: number) {
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
  for (let p = 1; p <= PARAGRAPHS; p++) {
    const first = words(30, seed * 10_000 + p);
    await translations.save(doc.id, "es", `p${p}`, { text: first, baseRevision: 0 }, "admin");
    await translations.review(doc.id, "es", `p${p}`, { action: "approve", revision: 1 }, "admin");
    await translations.save(doc.id, "es", `p${p}`, { text: revise(first, 5), baseRevision: 1 }, "admin");
  }
  return doc.id;
}

export async function reviewBenchmarks(): Promise<Row[]> {
  const server = await startBenchServer();
  const get = (path: string) => async () => {
    const res = await fetch(`${server.url}${path}`, {
      headers: { Cookie: server.cookie, "X-Forwarded-Proto": "https" },
      redirect: "manual",
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.text();
  };
  // First views: each sample the first view of a document of its own (nothing remembered for it:
  // diffs, highlights, findings); templates and code warmed on a document of their own beforehand.
  const warmup = await changedDocument(server, 0);
  await get(`/documents/${warmup}/es/review`)();
  await get(`/documents/${warmup}/es`)();
  const reviewFirst = await timeFresh(
    (i) => changedDocument(server, 100 + i),
    (id) => get(`/documents/${id}/es/review`)(),
    3,
    0,
  );
  const editorFirst = await timeFresh(
    (i) => changedDocument(server, 200 + i),
    (id) => get(`/documents/${id}/es`)(),
    3,
    0,
  );
  // Repeat views of one document: what a reviewer paging back and forth sees.
  const doc = await changedDocument(server, 1);
  const review = await time(get(`/documents/${doc}/es/review`), 10);
  const editor = await time(get(`/documents/${doc}/es`), 10);
  await server.close();

  // Fresh pairs: diffTexts remembers results, so each call gets a text no earlier call has seen.
  const pair = (i: number) => {
    const long = words(3300, 1000 + i).slice(0, 20_000);
    return {
      long,
      revised: revise(long, 9).slice(0, 20_000),
      unrelated: words(3300, 5000 + i).slice(0, 20_000),
    };
  };
  const ours = await timeFresh(pair, (p) => diffTexts(p.long, p.revised), 20);
  const dmp = new DiffMatchPatch();
  const theirs = await timeFresh(
    pair,
    (p) => {
      const d = dmp.diff_main(p.long, p.revised);
      dmp.diff_cleanupSemantic(d);
    },
    20,
  );
  const same = pair(0);
  diffTexts(same.long, same.revised);
  const remembered = await time(() => diffTexts(same.long, same.revised), 20);
  const bounded = await timeFresh(pair, (p) => diffTexts(p.long, p.unrelated), 5, 1);
  const dmpUnrelated = await timeFresh(pair, (p) => dmp.diff_main(p.long, p.unrelated), 5, 1);

  return [
    {
      benchmark: `Review page of a ${PARAGRAPHS.toLocaleString("en")}-paragraph document, every paragraph changed since approval (word diffs, glossary events): first view`,
      measured: `review page, first view of each of 3 documents: ${ms(reviewFirst.median)} median`,
      baseline: `editor page, first view of each of 3 other documents: ${ms(editorFirst.median)}`,
      ratio: reviewFirst.median / editorFirst.median,
    },
    {
      benchmark: "The same review page, repeat view (diffs and highlights remembered)",
      measured: `review page, repeat view: ${ms(review.median)} median`,
      baseline: `editor page of the same paragraphs, repeat view: ${ms(editor.median)}`,
      ratio: review.median / editor.median,
    },
    {
      benchmark:
        "Word diff of two 20,000-character paragraphs (one word in nine changed): jsdiff, as Glosa runs it, vs diff-match-patch",
      measured: `jsdiff diffWordsWithSpace + readability pass, a new pair each run: ${ms(ours.median)} (remembered, the same pair again: ${ms(remembered.median)})`,
      baseline: `diff-match-patch diff_main + cleanupSemantic: ${ms(theirs.median)}`,
      ratio: ours.median / theirs.median,
    },
    {
      benchmark:
        "Diff of two unrelated 20,000-character paragraphs (the bound: answers 'too different' instead of blocking)",
      measured: `jsdiff with maxEditLength/timeout, a new pair each run: ${ms(bounded.median)}`,
      baseline: `diff-match-patch, unbounded: ${ms(dmpUnrelated.median)}`,
      ratio: bounded.median / dmpUnrelated.median,
    },
  ];
}
