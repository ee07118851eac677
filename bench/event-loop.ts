/**
 * The event loop while the server reads big files and big source updates, and while it starts: no
 * parse, decode or plan of user text may hold it more than ~50 ms (issues #11, #12, #13). Each
 * figure is the longest block during the work against the longest during as long a time idle in
 * the same run (the machine's own noise: other sessions, GC of the bench itself).
 *
 * Files are sent by curl, another process, so that only the server's work is on this event loop.
 */

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { pino } from "pino";
import { createApp } from "../server/app.ts";
import { loadConfig } from "../server/config.ts";
import { buildServices } from "../server/context.ts";
import { initializeStore } from "../server/seed.ts";
import { FileStore } from "../server/storage/file-store.ts";
import { ms, type Row } from "./harness.ts";

const ROUNDS = 3;
const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The longest the event loop was held while `work` ran, in milliseconds. */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

/** A request made ready (curl started, waiting), and the function that sends it. */
type Ready = () => Promise<unknown>;

/**
 * The longest block while a request prepared by `prepare` runs, median of rounds, and during as long
 * a time idle. Starting curl is outside the measurement: forking this large process took 70 ms once.
 */
async function blockVsIdle(prepare: () => Promise<Ready>, rounds = ROUNDS) {
  const busy: number[] = [];
  const idle: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const send = await prepare();
    const started = performance.now();
    busy.push(await longestBlock(send));
    const took = performance.now() - started;
    idle.push(await longestBlock(() => new Promise((resolve) => setTimeout(resolve, took))));
  }
  return { busy: median(busy), idle: median(idle), worst: Math.max(...busy) };
}

/**
 * curl started and waiting for a line on its standard input; the function sends the request and
 * gives the body, failing unless the status is one of `ok`.
 */
async function heldCurl(args: string[], ok = ["200"]): Promise<() => Promise<string>> {
  const child = spawn("sh", ["-c", 'read _ && exec curl -s -w "\n%{http_code}" "$@"', "sh", ...args]);
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const closed = new Promise((resolve) => child.once("close", resolve));
  await new Promise((resolve) => child.once("spawn", resolve));
  return async () => {
    child.stdin.end("go\n");
    await closed;
    const status = out.slice(out.lastIndexOf("\n") + 1);
    if (!ok.includes(status)) throw new Error(`curl ${args.at(-1)} answered ${status}: ${out.slice(0, 300)}`);
    return out.slice(0, out.lastIndexOf("\n"));
  };
}

/** A curl run: its stdout, and a failure unless the status is one of `ok`. */
const curl = async (args: string[], ok = ["200"]) => (await heldCurl(args, ok))();

/** A server on a fresh data directory, in this process, with an API token and a signed-in browser's cookies. */
async function benchServer(env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-"));
  const store = await FileStore.open(dir);
  const password = "bench-admin-password";
  const config = loadConfig({
    GLOSA_DATA_DIR: dir,
    // Not "production": its session cookie is Secure, which curl does not send over plain HTTP.
    NODE_ENV: "test",
    GLOSA_RATE_LIMIT: "off",
    GLOSA_ADMIN_PASSWORD: password,
    GLOSA_IMPORT_LIMIT: String(32 * MB),
    GLOSA_BODY_LIMIT: String(8 * MB),
    ...env,
  });
  await initializeStore(store, buildServices({ store, config }), config);
  const app = createApp({ config, store, logger: pino({ level: "silent" }), sessionSecret: "s".repeat(40) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = JSON.parse(
    await curl(
      [
        "-H",
        "Content-Type: application/json",
        "-d",
        JSON.stringify({ username: "admin", password }),
        `${base}/api/v1/tokens`,
      ],
      ["201", "200"],
    ),
  ).token as string;
  const jar = path.join(dir, "cookies");
  const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const login = await curl(["-c", jar, "-b", jar, `${base}/login`]);
  await curl(
    [
      "-c",
      jar,
      "-b",
      jar,
      "--data-urlencode",
      `_csrf=${csrfIn(login)}`,
      "-d",
      "username=admin",
      "--data-urlencode",
      `password=${password}`,
      `${base}/login`,
    ],
    ["302", "303"],
  );
  const csrf = csrfIn(await curl(["-c", jar, "-b", jar, `${base}/`]));
  return {
    dir,
    base,
    app,
    /** A file written to the data directory, to be sent by curl. */
    async file(name: string, body: string | Buffer): Promise<string> {
      const file = path.join(dir, name);
      await writeFile(file, body);
      return file;
    },
    /** The API called with the token; `file` is sent as the body. Ready to send: call what it gives. */
    api(
      method: string,
      url: string,
      type: string,
      file: string,
      ok?: string[],
    ): Promise<() => Promise<string>> {
      return heldCurl(
        [
          "-X",
          method,
          "-H",
          `Authorization: Bearer ${token}`,
          "-H",
          `Content-Type: ${type}`,
          "--data-binary",
          `@${file}`,
          `${base}${url}`,
        ],
        ok,
      );
    },
    /** A page's form posted with a file, as a signed-in browser would. Ready to send: call what it gives. */
    form(
      url: string,
      fields: Record<string, string>,
      file: string,
      ok = ["200", "303"],
    ): Promise<() => Promise<string>> {
      const args = ["-c", jar, "-b", jar, "-F", `_csrf=${csrf}`];
      for (const [key, value] of Object.entries(fields)) args.push("-F", `${key}=${value}`);
      args.push("-F", `file=@${file}`, `${base}${url}`);
      return heldCurl(args, ok);
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await app.shutdown();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** About `bytes` of accented prose, as many characters as fit. */
const prose = (bytes: number) => "Párrafo con eñes, acentos y comillas «así». ".repeat(Math.ceil(bytes / 46));

/** A glossary CSV of 10,000 terms, each with a long description: about 21 MB. */
function glossaryCsv(): string {
  const description = prose(1900).slice(0, 1900).replaceAll(",", ";");
  const rows = Array.from({ length: 10_000 }, (_, i) => `term ${i},término ${i},"${description} ${i}"`);
  return `en,es,description\n${rows.join("\n")}\n`;
}

/** A TBX file of 2,000 terms whose bulk is an XML comment: about 21 MB. */
function glossaryTbx(): string {
  const entries = Array.from(
    { length: 2000 },
    (_, i) =>
      `<conceptEntry id="c${i}"><langSec xml:lang="en"><termSec><term>entry ${i}</term></termSec></langSec><langSec xml:lang="es"><termSec><term>entrada ${i}</term></termSec></langSec></conceptEntry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?><!-- ${prose(21e6)} --><tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>bench</p></sourceDesc></fileDesc></tbxHeader><text><body>${entries.join("")}</body></text></tbx>`;
}

/** A TMX file of 50,000 units of about 400 bytes each: about 21 MB. */
function memoryTmx(): string {
  const sentence = prose(180).slice(0, 180);
  const units = Array.from(
    { length: 50_000 },
    (_, i) =>
      `<tu><tuv xml:lang="en"><seg>Unit ${i}: the minister said the vote would come on Tuesday.</seg></tuv><tuv xml:lang="es"><seg>Unidad ${i}: ${sentence}</seg></tuv></tu>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>${units.join("\n")}</body></tmx>`;
}

/** An article of 10,000 paragraphs of about 2 KB each: about 21 MB. */
function bigArticle(): string {
  const body = prose(2000).slice(0, 2000);
  return Array.from({ length: 10_000 }, (_, i) => `Paragraph ${i}. ${body}`).join("\n\n");
}

/** Longest blocks while 20+ MB glossary, memory and document files are uploaded, each against idle. */
async function uploads(): Promise<Row[]> {
  const s = await benchServer();
  try {
    const files = {
      csv: await s.file("glossary.csv", glossaryCsv()),
      tbx: await s.file("glossary.tbx", glossaryTbx()),
      tmx: await s.file("memory.tmx", memoryTmx()),
      doc: await s.file("article.txt", bigArticle()),
    };
    const size = async (file: string) => `${((await readFile(file)).length / 1e6).toFixed(0)} MB`;
    const cases: [string, () => Promise<Ready>][] = [
      [
        `${await size(files.csv)} glossary CSV, 10,000 terms (API)`,
        () => s.api("POST", "/api/v1/glossary/import", "text/csv", files.csv),
      ],
      [
        `${await size(files.tbx)} TBX, 2,000 terms (API)`,
        () => s.api("POST", "/api/v1/glossary/import", "application/x-tbx+xml", files.tbx),
      ],
      [
        `${await size(files.tmx)} TMX, 50,000 units (API)`,
        () =>
          s.api(
            "POST",
            "/api/v1/memory/import?sourceLang=en&targetLang=es",
            "application/x-tmx+xml",
            files.tmx,
          ),
      ],
      [`${await size(files.csv)} glossary CSV (page form)`, () => s.form("/glossary/import", {}, files.csv)],
      [
        `${await size(files.tmx)} TMX (page form)`,
        () => s.form("/memory/import", { sourceLang: "en", targetLang: "es" }, files.tmx),
      ],
      [
        `${await size(files.doc)} document of 10,000 paragraphs (page form)`,
        () => s.form("/documents", { sourceLang: "en", targetLang: "es" }, files.doc),
      ],
    ];
    const rows: Row[] = [];
    // GLOSA_BENCH_CASES=TBX,document picks cases by a word of their names.
    const picked = process.env.GLOSA_BENCH_CASES?.split(",");
    for (const [name, prepare] of cases) {
      if (picked && !picked.some((word) => name.includes(word))) continue;
      let measured: Awaited<ReturnType<typeof blockVsIdle>>;
      try {
        await (await prepare())(); // the parser thread's start, and a first import's writes, are not the upload's
        measured = await blockVsIdle(prepare);
      } catch (error) {
        // One refused upload (a parse past its deadline on a busy machine) does not hide the others.
        const message = (error as Error).message.slice(0, 200);
        rows.push({
          benchmark: `Upload of a ${name}`,
          measured: `failed: ${message}`,
          baseline: "",
          ratio: 0,
          goal: "",
          ok: false,
        });
        continue;
      }
      const { busy, idle, worst } = measured;
      process.stderr.write(`${name}: ${ms(busy)} (idle ${ms(idle)})\n`);
      rows.push({
        benchmark: `Longest event-loop block during a ${name} vs as long idle`,
        measured: `upload: ${ms(busy)} (median of ${ROUNDS}; worst ${ms(worst)})`,
        baseline: `idle: ${ms(idle)}`,
        ratio: busy / idle,
        goal: "<= 50 ms",
        ok: busy <= 50,
      });
    }
    return rows;
  } finally {
    // A failure above is the one to report, not a thread ended by the shutdown.
    await s.close().catch(() => undefined);
  }
}

const PARAGRAPHS = 10_000;

/** Version `v` of a 10,000-paragraph article: each version edits 5 %, inserts 1 % and removes 1 % of the one before. */
function articleVersion(v: number): string {
  const out: string[] = [];
  for (let i = 0; i < PARAGRAPHS; i++) {
    const base = `Paragraph ${i} of the long article, in which the minister says the vote comes on Tuesday.`;
    // Each version touches other paragraphs: 5 % edited, 1 % removed, 1 % inserted.
    const slot = (i + v * 7) % 100;
    if (slot < 5) out.push(base.replace("Tuesday", `Wednesday (version ${v})`));
    else if (slot === 5) continue;
    else out.push(base);
    if (slot === 6) out.push(`A paragraph new in version ${v}, after paragraph ${i}.`);
  }
  return out.join("\n\n");
}

/** Longest blocks during a 10,000-paragraph source update, dry run and applied, against idle. */
async function sourceUpdate(): Promise<Row[]> {
  const s = await benchServer();
  try {
    const created = JSON.parse(
      await (
        await s.api(
          "POST",
          "/api/v1/documents",
          "application/json",
          await s.file(
            "create.json",
            JSON.stringify({
              sourceLang: "en",
              format: "text",
              content: articleVersion(0),
              languages: ["es", "fr"],
            }),
          ),
          ["201"],
        )
      )(),
    ) as { id: string };
    let version = 1;
    const body = async (v: number) =>
      s.file(`v${v}.json`, JSON.stringify({ format: "text", content: articleVersion(v), baseVersion: v }));
    const url = `/api/v1/documents/${created.id}/source`;
    const dryRuns = [await body(1)];
    const dryRun = () => s.api("PUT", `${url}?dryRun=true`, "application/json", dryRuns[0] as string);
    await (await dryRun())();
    const preview = await blockVsIdle(dryRun);
    // Each apply is the next version; its body is written before the measurement.
    const applies: number[] = [];
    const idles: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      const send = await s.api("PUT", url, "application/json", await body(version));
      const started = performance.now();
      const block = await longestBlock(send);
      version++;
      const took = performance.now() - started;
      if (round === 0) continue; // the first apply writes version 1's record too
      applies.push(block);
      idles.push(await longestBlock(() => new Promise((resolve) => setTimeout(resolve, took))));
    }
    const apply = { busy: median(applies), idle: median(idles), worst: Math.max(...applies) };
    return [
      ["dry run", preview],
      ["applied", apply],
    ].map(([what, r]) => {
      const { busy, idle, worst } = r as typeof apply;
      return {
        benchmark: `Longest event-loop block during a ${PARAGRAPHS.toLocaleString("en")}-paragraph source update (API, ${what}: 5 % edited, 1 % inserted, 1 % removed) vs as long idle`,
        measured: `${what}: ${ms(busy)} (median of ${ROUNDS}; worst ${ms(worst)})`,
        baseline: `idle: ${ms(idle)}`,
        ratio: busy / idle,
        goal: "<= 50 ms",
        ok: busy <= 50,
      };
    });
  } finally {
    // A failure above is the one to report, not a thread ended by the shutdown.
    await s.close().catch(() => undefined);
  }
}

/** The slowest /healthz answer, polled every 20 ms (one at a time) for `ms` milliseconds. */
async function slowestHealth(base: string, ms: number): Promise<number> {
  let slowest = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const started = performance.now();
    const res = await fetch(`${base}/healthz`);
    await res.arrayBuffer();
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return slowest;
}

/**
 * `npm start` as a process of its own on `dir`: the slowest /healthz during its first 3 s after it
 * listens, against the slowest during 3 s a little later, once it has settled.
 */
async function startUpHealth(dir: string, port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, ...env, GLOSA_DATA_DIR: dir, PORT: String(port), GLOSA_RATE_LIMIT: "off" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Glosa listening")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`glosa exited with ${code}: ${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const starting = await slowestHealth(base, 3000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const settled = await slowestHealth(base, 3000);
    return { starting, settled };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

/** Start-up with the seed (a first start) and again on the same directory, with Apertium when installed. */
async function startUp(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-"));
  const apertium = await readFile("/usr/bin/apertium").then(
    () => true,
    () => false,
  );
  const env: Record<string, string> = {
    GLOSA_ADMIN_PASSWORD: "bench-admin-password",
    ...(apertium ? { GLOSA_MT: "apertium" } : {}),
  };
  const port = Number(process.env.GLOSA_BENCH_PORT ?? 4331);
  try {
    const rows: Row[] = [];
    for (const start of ["first start (seeding)", "second start"]) {
      const r = await startUpHealth(dir, port, env);
      rows.push({
        benchmark: `Slowest /healthz during the first 3 s after listening, ${start}${apertium ? ", Apertium on" : ""} vs 3 s once settled`,
        measured: `starting: ${ms(r.starting)}`,
        baseline: `settled: ${ms(r.settled)}`,
        ratio: r.starting / r.settled,
        goal: "<= 50 ms",
        ok: r.starting <= 50,
      });
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function eventLoopBenchmarks(): Promise<Row[]> {
  const only = process.env.GLOSA_BENCH_ONLY?.split(",");
  const rows: Row[] = [];
  if (!only || only.includes("uploads")) rows.push(...(await uploads()));
  if (!only || only.includes("source")) rows.push(...(await sourceUpdate()));
  if (!only || only.includes("start")) rows.push(...(await startUp()));
  return rows;
}
