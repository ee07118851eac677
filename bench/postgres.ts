/**
 * `npm run bench:postgres`: the PostgreSQL store on a fresh database (created and dropped here, on
 * GLOSA_BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres).
 *
 * - A save over HTTP (PUT, one statement: token, document, head check, revision, audit entry) against its floor:
 *   one HTTP round trip to the same server plus one bare INSERT ... RETURNING on the same database.
 * - Saves per second on distinct documents, two real Glosa processes against one.
 * - The documents page with 1,000 and with 10,000 documents (bench/documents.ts), run last: it fills
 *   the database.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { pino } from "pino";
import { createApp } from "../server/app.ts";
import { loadConfig } from "../server/config.ts";
import { buildServices } from "../server/context.ts";
import { initializeStore, SEED_DOCUMENT_ID } from "../server/seed.ts";
import { PgStore } from "../server/storage/pg-store.ts";
import { addDocuments, listRows, signInCookie } from "./documents.ts";
import { ms, type Row, report, time } from "./harness.ts";

const ADMIN_URL = process.env.GLOSA_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PASSWORD = "bench-admin-password";

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function tokenFor(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

function saver(url: string, token: string, docId: string, pid: string) {
  let base = 0;
  let n = 0;
  return async () => {
    const res = await fetch(`${url}/api/v1/documents/${docId}/translations/es/paragraphs/${pid}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: `Texto guardado ${n++} ${"palabra ".repeat(40)}`, baseRevision: base }),
    });
    if (res.status !== 200) throw new Error(`save answered ${res.status}: ${await res.text()}`);
    base = ((await res.json()) as { revision: number }).revision;
  };
}

/** Medians of several rounds, the measurements interleaved so that drift hits all alike. */
async function interleaved(
  runs: (() => Promise<unknown>)[],
  perRound: number,
  rounds = 5,
): Promise<number[]> {
  const medians: number[][] = runs.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (const [i, run] of runs.entries())
      medians[i]?.push((await time(run, perRound, r === 0 ? 5 : 0)).median);
  return medians.map((xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number);
}

/** A seeded Glosa app on the database, listening on a free port. */
async function seededServer(url: string, env: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: "production",
    GLOSA_RATE_LIMIT: "off",
    GLOSA_ADMIN_PASSWORD: PASSWORD,
    GLOSA_LOG_LEVEL: "silent",
    GLOSA_DATABASE_URL: url,
    ...env,
  });
  const store = await PgStore.open(url);
  await initializeStore(store, buildServices({ store, config }), config);
  const app = createApp({ config, store, logger: pino({ level: "silent" }), sessionSecret: "b".repeat(40) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { store, app, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Runs of each measured operation before the timing of a steady state. */
const WARM_UP = 2_000;

async function saveAgainstFloor(url: string): Promise<Row> {
  const { store, app, server, base } = await seededServer(url);
  const token = await tokenFor(base);

  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await pool.query("CREATE TABLE bench_rows (id bigserial PRIMARY KEY, text text NOT NULL)");
  const text = `Texto guardado ${"palabra ".repeat(40)}`;
  const insert = () => pool.query("INSERT INTO bench_rows (text) VALUES ($1) RETURNING id", [text]);
  const roundTrip = async () => (await fetch(`${base}/healthz`)).text();
  const runs = [saver(base, token, SEED_DOCUMENT_ID, "p2"), roundTrip, insert];
  // A running server's saves, not its first ones: each of the three warmed alike first. Timed after
  // 5 saves, a save measured V8 compiling its path (3.1 ms; 1.5 ms after 1,000 saves and 1.1–1.4 ms
  // after 3,000, its CPU still falling: 2026-11-26). The round trip and the INSERT fall too.
  for (const run of runs) for (let i = 0; i < WARM_UP; i++) await run();
  const [save, http, sql] = (await interleaved(runs, 40)) as [number, number, number];

  await pool.end();
  await new Promise((resolve) => server.close(resolve));
  await app.shutdown();
  await store.close();
  const ratio = save / (http + sql);
  return {
    benchmark:
      "PostgreSQL save over HTTP (token, document, head check, revision, audit entry: one statement) vs its floor",
    measured: `save: ${ms(save)} median`,
    baseline: `HTTP round trip ${ms(http)} + bare INSERT ... RETURNING ${ms(sql)}`,
    ratio,
    goal: "<= 2",
    ok: ratio <= 2,
  };
}

interface Running {
  url: string;
  child: ChildProcess;
}

async function startProcess(url: string): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      GLOSA_DATABASE_URL: url,
      GLOSA_ADMIN_PASSWORD: PASSWORD,
      GLOSA_RATE_LIMIT: "off",
      GLOSA_LOG_LEVEL: "silent",
      GLOSA_SESSION_SECRET: "s".repeat(40),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const listening = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Glosa listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`Glosa exited with ${code}: ${out}`)));
  });
  return { url: listening, child };
}

async function stopProcess(p: Running): Promise<void> {
  const exited = new Promise((resolve) => p.child.once("exit", resolve));
  p.child.kill("SIGTERM");
  await exited;
}

/** CPU seconds a process has used so far (utime + stime in /proc/<pid>/stat, 100 ticks a second). */
async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // a backend that ended meanwhile
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat), every session's work included. */
async function machineTicks(): Promise<{ busy: number; total: number }> {
  const cpu = (await readFile("/proc/stat", "utf8")).split("\n")[0]?.split(/\s+/).slice(1).map(Number) ?? [];
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

/** The server processes of this database's connections (the Glosa processes' pools). */
async function backends(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/**
 * Where the cores went while `work` ran, in CPU seconds per second of wall time: each Glosa
 * process, this process (the clients), this database's PostgreSQL backends, and how busy the whole
 * machine was (other sessions' work included).
 */
async function cpuDuring<T>(url: string, processes: Running[], work: () => Promise<T>) {
  const pids = () => [...processes.map((p) => p.child.pid as number), process.pid];
  const before = await Promise.all(pids().map(cpuSeconds));
  const servers = await backends(url);
  const serversBefore = await Promise.all(servers.map(cpuSeconds));
  const machineBefore = await machineTicks();
  const start = performance.now();
  const result = await work();
  const wall = (performance.now() - start) / 1000;
  const after = await Promise.all(pids().map(cpuSeconds));
  const serversAfter = await Promise.all(servers.map(cpuSeconds));
  const machine = await machineTicks();
  const share = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x - (b[i] ?? 0), 0) / wall;
  const glosa = processes.map((_, i) => ((after[i] ?? 0) - (before[i] ?? 0)) / wall);
  const clients = ((after.at(-1) ?? 0) - (before.at(-1) ?? 0)) / wall;
  const postgres = share(serversAfter, serversBefore);
  const busy = (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total);
  const described = `CPU s/s: Glosa ${glosa.map((g) => g.toFixed(2)).join(" + ")}, clients ${clients.toFixed(2)}, PostgreSQL ${postgres.toFixed(2)}; machine ${(busy * 100).toFixed(0)} % busy, load ${loadavg()[0]?.toFixed(1)}`;
  return { result, described };
}

/** Saves per second from `clients` savers, each on its own document, spread over the processes. */
async function throughput(
  processes: Running[],
  token: string,
  docs: string[],
  seconds: number,
): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let saves = 0;
  await Promise.all(
    docs.map(async (doc, i) => {
      const p = processes[i % processes.length] as Running;
      // Each document's history starts where the last run left it.
      const first = await fetch(`${p.url}/api/v1/documents/${doc}/translations/es`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      let base =
        ((await first.json()) as { paragraphs: { revision: number }[] }).paragraphs[0]?.revision ?? 0;
      const run = async () => {
        const res = await fetch(`${p.url}/api/v1/documents/${doc}/translations/es/paragraphs/p1`, {
          method: "PUT",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: JSON.stringify({
            text: `Texto ${randomBytes(4).toString("hex")} ${"palabra ".repeat(40)}`,
            baseRevision: base,
          }),
        });
        if (res.status !== 200) throw new Error(`save answered ${res.status}`);
        base = ((await res.json()) as { revision: number }).revision;
      };
      while (performance.now() < until) {
        await run();
        saves++;
      }
    }),
  );
  return saves / seconds;
}

async function twoProcessesAgainstOne(url: string): Promise<Row> {
  const one = await startProcess(url);
  const token = await tokenFor(one.url);
  const docs: string[] = [];
  for (let i = 0; i < 16; i++) {
    const res = await fetch(`${one.url}/api/v1/documents`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        sourceLang: "en",
        format: "text",
        content: Array.from({ length: 20 }, (_, j) => `Paragraph ${j} of document ${i}.`).join("\n\n"),
        languages: ["es"],
      }),
    });
    docs.push(((await res.json()) as { id: string }).id);
  }
  await throughput([one], token, docs, 2);
  const single = await cpuDuring(url, [one], () => throughput([one], token, docs, 8));
  const two = await startProcess(url);
  await throughput([one, two], token, docs, 2);
  const double = await cpuDuring(url, [one, two], () => throughput([one, two], token, docs, 8));
  await Promise.all([stopProcess(one), stopProcess(two)]);
  const ratio = double.result / single.result;
  return {
    benchmark: "Saves per second on 16 distinct documents (16 clients): two Glosa processes vs one",
    measured: `two processes: ${double.result.toFixed(0)} saves/s (${double.described})`,
    baseline: `one process: ${single.result.toFixed(0)} saves/s (${single.described})`,
    ratio,
    goal: ">= 1.6",
    ok: ratio >= 1.6,
  };
}

/**
 * What a list page asks of the store for its summaries: the versions of 50 document × language
 * histories, in one batched query against one query per pair (as every page did before), run on
 * the pool's connections as the page ran them (all at once).
 */
async function versionsOfAPage(url: string): Promise<Row> {
  const store = await PgStore.open(url);
  try {
    const pairs = Array.from({ length: 50 }, (_, i) => ({
      document: `bench${String(i).padStart(6, "0")}`,
      lang: "es",
    }));
    const [batched, each] = (await interleaved(
      [
        () => store.translationVersions(pairs),
        () => Promise.all(pairs.map((p) => store.translationVersion(p.document, p.lang))),
      ],
      40,
    )) as [number, number];
    const ratio = batched / each;
    return {
      benchmark:
        "Versions of a page's 50 histories: one batched query (translationVersions) vs one query per pair",
      measured: `batched: ${ms(batched)} median`,
      baseline: `50 queries: ${ms(each)}`,
      ratio,
      goal: "< 0.5",
      ok: ratio < 0.5,
    };
  } finally {
    await store.close();
  }
}

async function documentsList(url: string): Promise<Row[]> {
  const { store, app, server, base } = await seededServer(url, { GLOSA_TRUST_PROXY: "on" });
  try {
    return await listRows(
      "PostgreSQL",
      (from, to) => addDocuments(store, from, to),
      base,
      await signInCookie(base, PASSWORD),
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await app.shutdown();
    await store.close();
  }
}

const name = `glosa_bench_${randomBytes(6).toString("hex")}`;
await admin(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
try {
  const parts: Record<string, () => Promise<Row | Row[]>> = {
    save: () => saveAgainstFloor(url.toString()),
    processes: () => twoProcessesAgainstOne(url.toString()),
    documents: () => documentsList(url.toString()),
    versions: () => versionsOfAPage(url.toString()),
  };
  // GLOSA_BENCH_ONLY=save,processes runs those parts alone (while working on one of them).
  const only = process.env.GLOSA_BENCH_ONLY?.split(",");
  const rows: Row[] = [];
  for (const [part, run] of Object.entries(parts))
    if (!only || only.includes(part)) rows.push(...[await run()].flat());
  process.stdout.write("\n### postgres\n");
  report(rows);
} finally {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
