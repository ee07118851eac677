/** `npm run bench`: every benchmark, each a ratio against a baseline measured in the same run. */

import { alignmentBenchmarks } from "./alignment.ts";
import { concurrencyBenchmarks } from "./concurrency.ts";
import { documentsBenchmarks } from "./documents.ts";
import { editorBenchmarks } from "./editor.ts";
import { eventLoopBenchmarks } from "./event-loop.ts";
import { exportBenchmarks } from "./export.ts";
import { glossaryBenchmarks } from "./glossary.ts";
import { type Row, report } from "./harness.ts";
import { memoryBenchmarks } from "./memory.ts";
import { mtBenchmarks } from "./mt.ts";
import { presenceBenchmarks } from "./presence.ts";
import { qualityBenchmarks } from "./quality.ts";
import { replaceBenchmarks } from "./replace.ts";
import { reviewBenchmarks } from "./review.ts";
import { storageBenchmarks } from "./storage.ts";
import { xmlBenchmarks } from "./xml.ts";

const suites: [string, () => Promise<Row[]>][] = [
  ["storage", storageBenchmarks],
  ["concurrency", concurrencyBenchmarks],
  ["documents", documentsBenchmarks],
  ["editor", editorBenchmarks],
  ["review", reviewBenchmarks],
  ["glossary", glossaryBenchmarks],
  ["export", exportBenchmarks],
  ["xml", xmlBenchmarks],
  ["presence", presenceBenchmarks],
  ["memory", memoryBenchmarks],
  ["replace", replaceBenchmarks],
  ["alignment", alignmentBenchmarks],
  ["mt", mtBenchmarks],
  ["quality", qualityBenchmarks],
  ["event-loop", eventLoopBenchmarks],
];
const only = process.argv[2];
let missed = 0;
/** A full garbage collection, when node runs with --expose-gc (`npm run bench` does). */
const collect = (globalThis as { gc?: () => void }).gc;
for (const [name, suite] of suites) {
  if (only && only !== name) continue;
  // Each suite starts on a collected heap: the memory suite's 100,000-unit corpora and linear scans
  // left gigabytes of garbage, whose collection then fell inside a later suite's timings (a 480 ms
  // pause in the middle of an upload whose own longest block is 16-25 ms when run alone).
  for (let i = 0; i < 2; i++) {
    collect?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.stdout.write(`\n### ${name}\n`);
  const rows = await suite();
  report(rows);
  missed += rows.filter((r) => r.ok === false).length;
}
process.stdout.write(`\n${missed === 0 ? "All goals met." : `${missed} goal(s) missed.`}\n`);
