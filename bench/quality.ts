/**
 * Quality checks: every check on a 1,000-paragraph translation against the glossary's checks alone
 * (same texts, nothing remembered), spelling a 100-word paragraph, what spelling adds to checking
 * one paragraph on save, the longest the event loop waits while a dictionary loads (in its
 * worker) and how much of the load's time the loop spent working, and every check on the slowest of
 * the hostile 200,000-character texts of the tests (long runs of spaces, `](` and `[a](b` repeated,
 * ...) against the same checks on ordinary prose of that length: linear, no backtracking.
 */

import { readFileSync } from "node:fs";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseGlossaryCsv } from "../glossary/csv.ts";
import { GlossaryIndex } from "../glossary/index-for-pair.ts";
import { QUALITY_CHECKS } from "../quality/checks/index.ts";
import type { Speller } from "../quality/finding.ts";
import { checkTranslation } from "../quality/run.ts";
import { Spellers } from "../server/spelling.ts";
import { hostileTexts, repeat } from "../tests/quality/helpers.ts";
import { splitPlainText } from "../translations/document.ts";
import { syntheticTerms } from "./glossary.ts";
import { ms, type Row, time, timeFresh } from "./harness.ts";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

function seed() {
  const terms = parseGlossaryCsv(read("../default-data/glossary-en-es.csv"), {
    sourceLang: "en",
    targetLang: "es",
  }).terms.map(({ term }, i) => ({ id: `seed${i}`, ...term }));
  const sources = splitPlainText(read("../default-data/article-trump-milei.txt")).map((b) => b.source);
  const targets = read("../tests/fixtures/quality/seed-article.es.txt").trim().split("\n");
  // A newsroom's glossary: the seed's terms among 10,000 others, as the glossary benchmarks use.
  return { terms: [...terms, ...syntheticTerms(10_000)], sources, targets };
}

export async function qualityBenchmarks(): Promise<Row[]> {
  const { terms, sources, targets } = seed();
  // Spanish's dictionary, loaded while the event loop's delay is watched.
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const busyBefore = performance.eventLoopUtilization();
  const started = performance.now();
  const speller = (await new Spellers("/nonexistent-bench-dir").ready("es")) as Speller;
  const loadMs = performance.now() - started;
  // The share of the load the event loop spent working, not waiting (it loads in a worker).
  const loopBusy = performance.eventLoopUtilization(busyBefore).utilization;
  delay.disable();

  const paragraphs = Array.from({ length: 1000 }, (_, i) => ({
    source: sources[i % sources.length] as string,
    target: targets[i % targets.length] as string,
    kind: i === 0 ? "title" : "paragraph",
  }));
  let generation = 0;
  // A fresh index and a distinct text each run: neither side answers from what it remembered.
  const fresh = () => {
    generation++;
    const index = new GlossaryIndex(terms, "en", "es");
    // Built once per glossary version, like the index itself: not part of checking the document.
    index.vocabulary();
    return {
      index,
      rows: paragraphs.map((p) => ({ ...p, target: `${p.target} ${generation}` })),
    };
  };
  const glossaryRun = ({ index, rows }: ReturnType<typeof fresh>) => {
    for (const p of rows) index.check(p.source, p.target);
  };
  const everythingRun = ({ index, rows }: ReturnType<typeof fresh>) => {
    for (const p of rows)
      checkTranslation({
        source: p.source,
        target: p.target,
        kind: p.kind,
        format: "text",
        index,
        settings: { checks: {} },
        acceptedWords: new Set(),
        speller,
      });
  };
  // Rounds alternate the two, so that the load of a shared machine weighs on both alike.
  const glossaryRounds: number[] = [];
  const everythingRounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    glossaryRounds.push((await timeFresh(fresh, glossaryRun, 3, round === 0 ? 2 : 0)).median);
    everythingRounds.push((await timeFresh(fresh, everythingRun, 3, round === 0 ? 2 : 0)).median);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const glossaryOnly = { median: median(glossaryRounds) };
  const everything = { median: median(everythingRounds) };

  // A 100-word paragraph of the seed translation, a different word order each run.
  const words = targets.join(" ").split(/\s+/);
  const spelling = QUALITY_CHECKS.find((c) => c.code === "spelling");
  if (!spelling) throw new Error("no spelling check");
  const hundred = (i: number) => words.slice(i % 400, (i % 400) + 100).join(" ");
  const spell = await timeFresh(
    (i) => hundred(i),
    (text) =>
      spelling.run({
        source: "",
        target: text,
        sourceLang: "en",
        targetLang: "es",
        kind: "paragraph",
        format: "text",
        settings: { checks: {} },
        knownWords: new Set(),
        speller,
      }),
    300,
  );
  // What spelling adds to checking one saved paragraph: every check with and without it.
  const index = new GlossaryIndex(terms, "en", "es");
  const one = (i: number, withSpeller: boolean) =>
    checkTranslation({
      source: sources[10] as string,
      target: `${targets[10]} ${i}`,
      kind: "paragraph",
      format: "text",
      index,
      settings: { checks: {} },
      acceptedWords: new Set(),
      ...(withSpeller ? { speller } : {}),
    });
  const withSpelling = await timeFresh(
    (i) => i,
    (i) => one(i, true),
    300,
  );
  const withoutSpelling = await timeFresh(
    (i) => i + 1e6,
    (i) => one(i, false),
    300,
  );
  const added = withSpelling.median - withoutSpelling.median;

  // Every check, the Markdown one included, with the text as source and translation, a fresh
  // ending each run (sources and the last blanked text are remembered).
  const LONG = 200_000;
  let runs = 0;
  const checkAll = (text: string) => () => {
    const target = `${text} ${++runs}`;
    for (const check of QUALITY_CHECKS)
      check.run({
        source: `${text} ${runs}.`,
        target,
        sourceLang: "en",
        targetLang: "es",
        kind: "paragraph",
        format: "markdown",
        settings: { checks: {} },
        knownWords: new Set(),
        speller,
      });
  };
  const ordinaryText = repeat(`${targets.join(" [enlace](https://example.com/a) ")} `, LONG);
  const ordinary = await time(checkAll(ordinaryText), 5, 1);
  let slowest = { name: "", median: 0 };
  for (const [name, text] of Object.entries(hostileTexts(LONG))) {
    const hostile = await time(checkAll(text), 1, 1);
    if (hostile.median > slowest.median) slowest = { name, median: hostile.median };
  }
  const longestWait = delay.max / 1e6;

  return [
    {
      benchmark: "all checks, 1,000-paragraph translation / the glossary's checks alone",
      measured: ms(everything.median),
      baseline: ms(glossaryOnly.median),
      ratio: everything.median / glossaryOnly.median,
      goal: "≤ 3",
      ok: everything.median / glossaryOnly.median <= 3,
    },
    {
      benchmark: "spelling a 100-word Spanish paragraph, p50 (goal < 2 ms)",
      measured: ms(spell.median),
      baseline: "2 ms",
      ratio: spell.median / 2,
      goal: "< 1",
      ok: spell.median < 2,
    },
    {
      benchmark: "what spelling adds to checking one saved paragraph (goal ≤ 5 ms)",
      measured: ms(added),
      baseline: `${ms(withoutSpelling.median)} without it`,
      ratio: added / 5,
      goal: "≤ 1",
      ok: added <= 5,
    },
    {
      benchmark: `longest event-loop wait while the Spanish dictionary loads (${Math.round(loadMs)} ms in all)`,
      measured: ms(longestWait),
      baseline: "50 ms",
      ratio: longestWait / 50,
      goal: "≤ 1",
      ok: longestWait <= 50,
    },
    {
      benchmark: "event loop busy while the Spanish dictionary loads / the load's time",
      measured: `${Math.round(loopBusy * loadMs)} ms`,
      baseline: `${Math.round(loadMs)} ms`,
      ratio: loopBusy,
      goal: "≤ 0.1",
      ok: loopBusy <= 0.1,
    },
    {
      benchmark: `every check on the slowest hostile 200,000-character text (${slowest.name}) / on ordinary prose of the same length`,
      measured: ms(slowest.median),
      baseline: ms(ordinary.median),
      ratio: slowest.median / ordinary.median,
      goal: "≤ 5 (linear)",
      ok: slowest.median / ordinary.median <= 5,
    },
  ];
}
