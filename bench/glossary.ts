/**
 * Glossary matching: a 10,000-term glossary against a 1,000-paragraph document, against the naive
 * approach (one regular expression per term) in the same run; how the cost grows from 100 to
 * 100,000 terms; and the matching of a document against the time of one durable save.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GlossaryIndex } from "../glossary/index-for-pair.ts";
import { PhraseMatcher } from "../glossary/matcher.ts";
import type { Term } from "../glossary/term.ts";
import { loadConfig } from "../server/config.ts";
import { buildServices } from "../server/context.ts";
import { FileStore } from "../server/storage/file-store.ts";
import { ms, type Row, time } from "./harness.ts";

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "re",
  "tu",
  "sa",
  "ne",
  "po",
  "di",
  "ra",
  "ve",
  "zo",
  "chi",
  "gal",
  "ten",
  "mor",
];

function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function word(random: () => number): string {
  const n = 2 + Math.floor(random() * 3);
  return Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join("");
}

export function syntheticTerms(count: number, seed = 1): Term[] {
  const random = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 1 + Math.floor(random() * 3) }, () => word(random));
    return {
      id: `t${i}`,
      sourceLang: "en",
      source: words.join(" "),
      description: "",
      translatable: true,
      caseSensitive: false,
      targets: { es: { text: `${words.join(" ")}o`, forbidden: [] } },
    };
  });
}

export function syntheticDocument(paragraphs: number, terms: Term[], seed = 2): string[] {
  const random = rng(seed);
  const filler = [
    "the",
    "government",
    "said",
    "that",
    "in",
    "a",
    "statement",
    "on",
    "Tuesday",
    "and",
    "more",
  ];
  return Array.from({ length: paragraphs }, () => {
    const parts: string[] = [];
    for (let k = 0; k < 40; k++) {
      if (random() < 0.15) parts.push((terms[Math.floor(random() * terms.length)] as Term).source);
      else parts.push(filler[Math.floor(random() * filler.length)] as string);
    }
    return `${parts.join(" ")}.`;
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function glossaryBenchmarks(): Promise<Row[]> {
  const rows: Row[] = [];
  const terms10k = syntheticTerms(10_000);
  const paragraphs = syntheticDocument(1_000, terms10k);

  // Glosa: one pass per paragraph over its tokens, whatever the number of terms. The index is
  // built inside the measurement, and built anew each run so nothing is remembered between runs.
  const ours = await time(() => {
    const index = new GlossaryIndex(terms10k, "en", "es");
    for (const p of paragraphs) index.match(p);
  }, 5);
  const buildOnly = await time(() => new GlossaryIndex(terms10k, "en", "es"), 5);
  // The naive way: one case-insensitive whole-word regular expression per term, over the document
  // (the expressions compiled beforehand, outside the measurement).
  const document = paragraphs.join("\n");
  const regexes = terms10k.map(
    (t) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(t.source)}(?![\\p{L}\\p{N}])`, "giu"),
  );
  const naive = await time(
    () => {
      let found = 0;
      for (const re of regexes) for (const _ of document.matchAll(re)) found++;
      return found;
    },
    3,
    1,
  );
  rows.push({
    benchmark: "Matching a 10,000-term glossary against a 1,000-paragraph document",
    measured: `Glosa (token trie, stemmed, one pass), index built in the run: ${ms(ours.median)} (of which the index ${ms(buildOnly.median)})`,
    baseline: `one regular expression per term over the document: ${ms(naive.median)}`,
    ratio: naive.median / ours.median,
    goal: ">= 50 (times faster)",
    ok: naive.median / ours.median >= 50,
  });

  // Growth: a 1,000-paragraph document against 100 to 100,000 terms; the matcher built once
  // (as the server keeps it per glossary version), the scan measured.
  const scans: { count: number; median: number }[] = [];
  for (const count of [100, 1_000, 10_000, 100_000]) {
    const terms = count === 10_000 ? terms10k : syntheticTerms(count, 3);
    const matcher = new PhraseMatcher(
      "en",
      terms.map((t) => ({ text: t.source, caseSensitive: false, ref: t.id })),
    );
    const docFor = syntheticDocument(1_000, terms, 4);
    const t = await time(() => {
      for (const p of docFor) matcher.find(p);
    }, 5);
    scans.push({ count, median: t.median });
  }
  const first = scans[0] as { median: number };
  const lastScan = scans.at(-1) as { median: number };
  rows.push({
    benchmark: "How scanning a 1,000-paragraph document grows with the glossary size",
    measured: scans.map((s) => `${s.count.toLocaleString("en")} terms: ${ms(s.median)}`).join("; "),
    baseline: `100 terms: ${ms(first.median)}`,
    ratio: lastScan.median / first.median,
  });

  // Against one durable save.
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-g-"));
  const store = await FileStore.open(dir);
  const services = buildServices({
    store,
    config: loadConfig({ GLOSA_DATA_DIR: dir, NODE_ENV: "production" }),
  });
  const doc = await services.translations.create(
    { sourceLang: "en", format: "text", content: "Title\nParagraph", languages: ["es"] },
    "b",
  );
  let revision = 0;
  const save = await time(async () => {
    revision = (
      await services.translations.save(
        doc.id,
        "es",
        "p2",
        { text: `Texto ${revision}`, baseRevision: revision },
        "b",
      )
    ).revision;
  }, 100);
  await store.close();
  await rm(dir, { recursive: true, force: true });
  const matcher10k = new PhraseMatcher(
    "en",
    terms10k.map((t) => ({ text: t.source, caseSensitive: false, ref: t.id })),
  );
  const whole = await time(() => {
    for (const p of paragraphs) matcher10k.find(p);
  }, 10);
  rows.push({
    benchmark: "Scanning the whole 1,000-paragraph document against 10,000 terms vs one durable save",
    measured: `whole document: ${ms(whole.median)} (one paragraph, as a save or a keystroke check does: ${ms(whole.median / paragraphs.length)})`,
    baseline: `one durable save: ${ms(save.median)}`,
    ratio: whole.median / save.median,
  });
  return rows;
}
