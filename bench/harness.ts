/** Timing helpers: medians over repeated runs, reported as ratios against a baseline in the same run. */

import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface Timing {
  /** Median milliseconds per operation. */
  median: number;
  p99: number;
  runs: number;
}

export async function time(
  run: () => unknown | Promise<unknown>,
  runs: number,
  warmup = Math.min(5, runs),
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)] as number,
    p99: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))] as number,
    runs,
  };
}

/**
 * As `time`, with an input prepared before each run and outside its measurement: for work whose
 * result the code remembers, each run gets an input no earlier run has seen.
 */
export async function timeFresh<T>(
  prepare: (i: number) => T | Promise<T>,
  run: (input: T) => unknown | Promise<unknown>,
  runs: number,
  warmup = Math.min(3, runs),
): Promise<Timing> {
  let i = 0;
  for (let w = 0; w < warmup; w++) await run(await prepare(i++));
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const input = await prepare(i++);
    const start = performance.now();
    await run(input);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)] as number,
    p99: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))] as number,
    runs,
  };
}

/**
 * A full garbage collection now. Called before each single timing that is compared with another, so
 * that neither pays for the garbage the work before it left (a one-shot measurement right after a
 * large page otherwise collects that page's garbage on its own clock).
 */
export const collectGarbage = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/** Alternates the two measurements so that drift in the machine hits both alike. */
export async function compare(
  a: () => unknown | Promise<unknown>,
  b: () => unknown | Promise<unknown>,
  runs: number,
  rounds = 5,
): Promise<{ a: Timing; b: Timing; ratio: number }> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    as.push((await time(a, Math.ceil(runs / rounds), r === 0 ? 3 : 0)).median);
    bs.push((await time(b, Math.ceil(runs / rounds), r === 0 ? 3 : 0)).median);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const ta = { median: median(as), p99: Math.max(...as), runs };
  const tb = { median: median(bs), p99: Math.max(...bs), runs };
  return { a: ta, b: tb, ratio: ta.median / tb.median };
}

export interface Row {
  benchmark: string;
  measured: string;
  baseline: string;
  ratio: number;
  goal?: string;
  ok?: boolean;
}

export const ms = (n: number) => `${n < 1 ? n.toFixed(3) : n.toFixed(2)} ms`;

export function report(rows: Row[]): void {
  for (const row of rows) {
    const verdict = row.ok === undefined ? "" : row.ok ? "  ok" : "  MISSED";
    process.stdout.write(
      `\n${row.benchmark}\n  ${row.measured}\n  baseline: ${row.baseline}\n  ratio: ${row.ratio.toFixed(2)}${row.goal ? ` (goal ${row.goal})` : ""}${verdict}\n`,
    );
  }
}

/**
 * The longest the event loop was held while `work` ran, and the longest while idle for as long (the
 * same 5 ms timer, the machine's own noise): a row's ratio is the first over the second, with the goal
 * on the block itself (the project's standard: nothing holds other requests more than ~50 ms).
 */
export async function blockDuring(
  benchmark: string,
  work: () => Promise<unknown>,
  goalMs = 50,
): Promise<Row> {
  const { longestStallDuring } = await import("../tests/helpers.ts");
  const busy = await longestStallDuring(work);
  const idle = await longestStallDuring(() => new Promise((resolve) => setTimeout(resolve, busy.elapsed)));
  return {
    benchmark,
    measured: `longest block ${ms(busy.stall)} (work took ${ms(busy.elapsed)})`,
    baseline: `idle for as long: ${ms(idle.stall)}`,
    ratio: busy.stall / idle.stall,
    goal: `block <= ${goalMs} ms`,
    ok: busy.stall <= goalMs,
  };
}
