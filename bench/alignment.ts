/**
 * Source alignment: a 1,000-paragraph document against a version with 5 % of its paragraphs
 * edited, 1 % inserted and 1 % removed, aligned by content, against a plain `diffArrays` of the
 * two paragraph lists (which finds no edit, split or move). Goal: at most 3× the plain diff.
 */

import { diffArrays } from "diff";
import { alignParagraphs } from "../translations/alignment.ts";
import { compare, ms, type Row } from "./harness.ts";

const PARAGRAPHS = 1_000;

function sentence(seed: number, words: number): string {
  const vocabulary = [
    "the",
    "government",
    "announced",
    "spending",
    "cuts",
    "Milei",
    "Trump",
    "called",
    "on",
    "Tuesday",
    "president",
    "Argentina",
    "economy",
    "inflation",
    "week",
    "minister",
    "said",
    "opposition",
    "agreement",
    "chainsaw",
    "Casa",
    "Rosada",
    "IMF",
    "elected",
    "support",
  ];
  let x = seed;
  return Array.from({ length: words }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return vocabulary[x % vocabulary.length];
  }).join(" ");
}

export async function alignmentBenchmarks(): Promise<Row[]> {
  const old = Array.from({ length: PARAGRAPHS }, (_, i) => ({
    id: `p${i + 1}`,
    source: `${i}. ${sentence(i + 1, 40)}.`,
  }));
  const next: string[] = [];
  for (const [i, p] of old.entries()) {
    if (i % 100 === 50) continue; // 1 % removed
    if (i % 100 === 10) next.push(`New ${i}. ${sentence(i + 7_000, 35)}.`); // 1 % inserted
    // 5 % edited: a few words changed.
    next.push(i % 20 === 5 ? p.source.replace(/ (\w+) (\w+) /, " $1 corrected $2 ") : p.source);
  }
  const oldTexts = old.map((p) => p.source);
  const result = await compare(
    () => alignParagraphs(old, next),
    () => diffArrays(oldTexts, next),
    200,
  );
  const ratio = result.ratio;
  return [
    {
      benchmark: `align a ${PARAGRAPHS}-paragraph source: 5 % edited, 1 % inserted, 1 % removed`,
      measured: `${ms(result.a.median)} per alignment`,
      baseline: `diffArrays of the two paragraph lists: ${ms(result.b.median)}`,
      ratio,
      goal: "≤ 3",
      ok: ratio <= 3,
    },
  ];
}
