/**
 * Glossary matching: a 10,000-term glossary against a 1,000-paragraph document, against the naive
 * approach (one regular expression per term) in the same run; how the cost grows from 100 to
 * 100,000 terms; the matching of a document against the time of one durable save; and the longest
 * the event loop is held by a 20,000-term TBX export, a 19,000-row import's plan and a pair's index
 * build, each made in slices, against the same timer idle.
 */

import { parseGlossaryCsv } from "../glossary/csv.ts";
import { planImport } from "../glossary/exchange.ts";
import { GlossaryIndex } from "../glossary/index-for-pair.ts";
import { Lexicon } from "../glossary/lexicon.ts";
import { PhraseMatcher } from "../glossary/matcher.ts";
import { tbxChunks } from "../glossary/tbx.ts";
import type { Term } from "../glossary/term.ts";
import { joinSlices } from "../glossary/xml.ts";
import { blockDuring, ms, type Row, time, timeFresh } from "./harness.ts";
import { startBenchServer } from "./server.ts";

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

  // Glosa: one pass per paragraph over its words, whatever the number of terms. The matcher is
  // built inside the measurement on a lexicon of its own, anew each run, so every word of the
  // document is found, folded and stemmed in the run: nothing is remembered between runs.
  const phrases10k = terms10k.map((t) => ({ text: t.source, caseSensitive: false, ref: t.id }));
  const fresh = () => new PhraseMatcher("en", phrases10k, { lexicon: new Lexicon("en", true) });
  const ours = await time(() => {
    const matcher = fresh();
    for (const p of paragraphs) matcher.find(p);
  }, 5);
  const buildOnly = await time(fresh, 5);
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
    measured: `Glosa (word trie over stems, one pass), matcher built and every word read in the run: ${ms(ours.median)} (of which building the matcher ${ms(buildOnly.median)})`,
    baseline: `one regular expression per term over the document: ${ms(naive.median)}`,
    ratio: naive.median / ours.median,
    goal: ">= 50 (times faster)",
    ok: naive.median / ours.median >= 50,
  });

  // Growth: a 1,000-paragraph document against 100 to 100,000 terms; the scan measured. A lexicon
  // remembers each word it has read as written, so every run gets a matcher on a lexicon of its own,
  // built before the run and outside its measurement: every word of the document is read and folded
  // in the run (Snowball stems stay memoised process-wide, as in the server).
  const scans: { count: number; median: number }[] = [];
  for (const count of [100, 1_000, 10_000, 100_000]) {
    const terms = count === 10_000 ? terms10k : syntheticTerms(count, 3);
    const phrases = terms.map((t) => ({ text: t.source, caseSensitive: false, ref: t.id }));
    const docFor = syntheticDocument(1_000, terms, 4);
    const t = await timeFresh(
      () => new PhraseMatcher("en", phrases, { lexicon: new Lexicon("en", true) }),
      (matcher) => {
        for (const p of docFor) matcher.find(p);
      },
      5,
    );
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

  // The whole document against one save. A save measured two ways in the same run: the durable
  // save itself (the service call: revision and audit entry fsync'd), and a save as a translator
  // makes it (a PUT through createApp on loopback: session-less token auth, validation, the durable
  // save, the glossary check of the new text and the JSON answer).
  const server = await startBenchServer();
  const doc = await server.app.services.translations.create(
    { sourceLang: "en", format: "text", content: "Title\nParagraph", languages: ["es"] },
    "admin",
  );
  let revision = 0;
  const durable = await time(async () => {
    revision = (
      await server.app.services.translations.save(
        doc.id,
        "es",
        "p2",
        { text: `Texto ${revision}`, baseRevision: revision },
        "admin",
      )
    ).revision;
  }, 200);
  const request = await time(async () => {
    const res = await fetch(`${server.url}/api/v1/documents/${doc.id}/translations/es/paragraphs/p2`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${server.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: `Texto ${revision}`, baseRevision: revision }),
    });
    revision = ((await res.json()) as { revision: number }).revision;
  }, 200);
  await server.close();

  // The matcher as an index holds it (built once per glossary version, outside the measurement).
  // Source texts are remembered as word numbers the first time any index reads them, and every
  // later index walks those numbers; "not remembered" reads and stems every word, as the very first
  // reading of a document does.
  const remembered = new PhraseMatcher("en", phrases10k, { remember: true });
  const warm = await time(() => {
    for (const p of paragraphs) remembered.find(p);
  }, 30);
  // Read word by word: a matcher on a lexicon of its own for each run (built outside the measurement),
  // since a lexicon remembers every word it has read.
  const cold = await timeFresh(
    () => new PhraseMatcher("en", phrases10k, { lexicon: new Lexicon("en", true) }),
    (passing) => {
      for (const p of paragraphs) passing.find(p);
    },
    10,
  );
  const index = await time(() => new GlossaryIndex(terms10k, "en", "es"), 5);
  rows.push({
    benchmark: "Matching the whole 1,000-paragraph document against 10,000 terms vs one save",
    measured: `whole document, words remembered: ${ms(warm.median)}; read word by word: ${ms(cold.median)}; building the index once per glossary version: ${ms(index.median)}`,
    baseline: `one save request (PUT over HTTP): ${ms(request.median)}; the durable save alone (in-process): ${ms(durable.median)} (whole document remembered / durable save: ${(warm.median / durable.median).toFixed(2)})`,
    ratio: warm.median / request.median,
    goal: "<= 0.5 (well under one save)",
    ok: warm.median / request.median <= 0.5,
  });
  rows.push(...(await blockBenchmarks()));
  return rows;
}

/** What a large glossary's export, import and index build do to every other request: the longest block. */
async function blockBenchmarks(): Promise<Row[]> {
  const terms = syntheticTerms(20_000, 7);
  const csv = `en,es\n${Array.from({ length: 19_000 }, (_, i) => `term${i} alpha,objetivo${i}`).join("\n")}\n`;
  const parsed = parseGlossaryCsv(csv, { sourceLang: "en", targetLang: "es" });
  return [
    await blockDuring("Longest event-loop block during a 20,000-term TBX export, in slices / idle", () =>
      joinSlices(tbxChunks(terms, "es")),
    ),
    await blockDuring(
      "Longest event-loop block while a 19,000-row CSV import is checked (planImport) / idle",
      () => planImport(terms, parsed),
    ),
    await blockDuring(
      "Longest event-loop block while a 20,000-term pair index is built with every matcher / idle",
      () => GlossaryIndex.build(terms, "en", "es"),
    ),
  ];
}
