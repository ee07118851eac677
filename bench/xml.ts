/**
 * Hostile XML must not freeze the server: while XML bombs are imported, `/healthz` keeps answering.
 * The server runs in its own process (as `npm start` runs it), so that the client's own work of
 * sending megabytes does not count against the server's event loop.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ms, type Row } from "./harness.ts";

const PASSWORD = "bench-admin-password";
const N = 40_000;
const XLIFF_IMPORT = "/api/v1/documents/el-pais-trump-milei/translations/es/import";
const tbx = (body: string) =>
  `<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>${body}</body></text></tbx>`;
const TMX_IMPORT = "/api/v1/memory/import?sourceLang=en&targetLang=es";
const tmx = (body: string) =>
  `<tmx version="1.4"><header creationtool="bench" creationtoolversion="1" segtype="paragraph" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>${body}</body></tmx>`;
const xliff = (target: string) =>
  `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="f1"><unit id="p1"><segment><source>Trump tells Milei: ‘You are my favorite president’ in first call since US election</source><target>${target}</target></segment></unit></file></xliff>`;

/** A DOCTYPE whose entities expand to `levels` powers of ten (billion laughs), in front of `root`. */
const laughs = (levels: number, root: string) =>
  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">${Array.from(
    { length: levels },
    (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
  ).join("")}]>${root.replace("%", `&l${levels};`)}`;
/** One large entity referenced many times (quadratic blowup): 100 KB × 50,000. */
const blowup = (root: string) =>
  `<?xml version="1.0"?><!DOCTYPE kaboom [<!ENTITY a "${"a".repeat(100_000)}">]>${root.replace("%", "&a;".repeat(50_000))}`;

/** Every kind of hostile XML, in each format Glosa imports: [url, content type, body, what]. */
function hostileXml(): [string, string, Buffer, string][] {
  const glossary = "/api/v1/glossary/import";
  const TBX = "application/x-tbx+xml";
  const XLIFF = "application/xliff+xml";
  const TMX = "application/x-tmx+xml";
  const tu = (seg: string) =>
    `<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="es"><seg>${seg}</seg></tuv></tu>`;
  const bombs: [string, string, string, string][] = [
    [glossary, TBX, tbx(`${"<a>".repeat(N)}${"</a>".repeat(N)}`), "TBX nested 40,000 deep"],
    [glossary, TBX, laughs(9, tbx("<p>%</p>")), "TBX billion laughs"],
    [glossary, TBX, blowup(tbx("<p>%</p>")), "TBX quadratic blowup"],
    [glossary, TBX, tbx(`<conceptEntry id="${"i".repeat(9_000_000)}"/>`), "TBX 9 MB attribute"],
    [XLIFF_IMPORT, XLIFF, xliff(`${'<pc id="1">'.repeat(N)}x${"</pc>".repeat(N)}`), "XLIFF nested <pc>"],
    [
      XLIFF_IMPORT,
      XLIFF,
      xliff(Array.from({ length: 200_000 }, (_, i) => `<pc id="${i}">palabras</pc>`).join("")),
      "XLIFF 200,000 elements",
    ],
    [XLIFF_IMPORT, XLIFF, xliff("x".repeat(9_000_000)), "XLIFF 9 MB of text"],
    [XLIFF_IMPORT, XLIFF, laughs(9, xliff("%")), "XLIFF billion laughs"],
    [XLIFF_IMPORT, XLIFF, xliff(`<pc id="${"i".repeat(9_000_000)}">x</pc>`), "XLIFF 9 MB attribute"],
    [TMX_IMPORT, TMX, tmx(tu(`${"<hi>".repeat(N)}${"</hi>".repeat(N)}`)), "TMX nested 40,000 deep"],
    [TMX_IMPORT, TMX, laughs(9, tmx(tu("%"))), "TMX billion laughs"],
    [TMX_IMPORT, TMX, blowup(tmx(tu("%"))), "TMX quadratic blowup"],
    [TMX_IMPORT, TMX, tmx(`<tu tuid="${"i".repeat(9_000_000)}"/>`), "TMX 9 MB attribute"],
  ];
  return bombs.map(([url, type, body, what]) => [url, type, Buffer.from(body), what]);
}

function call(base: string, method: string, url: string, headers: Record<string, string>, body?: Buffer) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(`${base}${url}`, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** `npm start` as a child process on a data directory, production mode, rate limits off. */
export async function startServer(dir: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      PORT: "0",
      GLOSA_DATA_DIR: dir,
      GLOSA_ADMIN_PASSWORD: PASSWORD,
      GLOSA_RATE_LIMIT: "off",
      GLOSA_LOG_LEVEL: "silent",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Glosa listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { base, child };
}

/** Pings /healthz every 10 ms until `work` settles: every answer's time, in ms. */
async function pingsDuring(base: string, work: Promise<unknown>): Promise<number[]> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const times: number[] = [];
  while (!done) {
    const sent = performance.now();
    await call(base, "GET", "/healthz", {});
    times.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await settled;
  return times.sort((a, b) => a - b);
}

export async function xmlBenchmarks(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-"));
  const { base, child } = await startServer(dir);
  try {
    const json = { "Content-Type": "application/json" };
    const tokenRes = await call(
      base,
      "POST",
      "/api/v1/tokens",
      json,
      Buffer.from(JSON.stringify({ username: "admin", password: PASSWORD })),
    );
    const token = (JSON.parse(tokenRes.text) as { token: string }).token;
    const bombs = hostileXml();
    const post = ([url, type, body]: [string, string, Buffer, string]) =>
      call(
        base,
        "POST",
        url,
        { Authorization: `Bearer ${token}`, "Content-Type": type, "Content-Length": String(body.length) },
        body,
      );
    if (process.env.GLOSA_BENCH_XML_EACH)
      for (const bomb of bombs) {
        const each = await pingsDuring(base, post(bomb));
        process.stdout.write(`${bomb[3]} (${bomb[2].length} bytes): slowest ${ms(each.at(-1) ?? 0)}\n`);
      }
    const started = performance.now();
    const busy = await pingsDuring(base, Promise.all(bombs.map(post)));
    // /healthz alone, pinged as long as the imports took: the slowest of more pings is slower, so
    // both windows are of one length.
    const lasted = Math.max(1500, performance.now() - started);
    const idle = await pingsDuring(base, new Promise((resolve) => setTimeout(resolve, lasted)));
    const idleSlowest = idle.at(-1) ?? 0;
    // Not XML, but the same question: 200,000 characters of Markdown that split into 40,000 list items.
    const markdown = Buffer.from(
      JSON.stringify({
        sourceLang: "en",
        format: "markdown",
        title: "Hostile",
        content: "1. a\n".repeat(40_000),
      }),
    );
    const split = await pingsDuring(
      base,
      call(
        base,
        "POST",
        "/api/v1/documents",
        { Authorization: `Bearer ${token}`, ...json, "Content-Length": String(markdown.length) },
        markdown,
      ),
    );
    const row = (what: string, during: string, times: number[]): Row => {
      const slowestOf = times.at(-1) ?? 0;
      return {
        benchmark: `Slowest /healthz answer while ${what} vs with the server idle`,
        measured: `during the ${during}: ${ms(slowestOf)} slowest of ${times.length} pings`,
        baseline: `idle: ${ms(idleSlowest)} slowest of ${idle.length} pings`,
        ratio: slowestOf / Math.max(idleSlowest, 1),
        goal: "slowest <= 100 ms",
        ok: slowestOf <= 100,
      };
    };
    return [
      row(
        `${bombs.length} XML bombs are imported at once (billion laughs, quadratic blowup, deep nesting, 200,000 elements, 9 MB texts and attributes; TBX, XLIFF and TMX)`,
        "imports",
        busy,
      ),
      row("a 200,000-character hostile Markdown document (40,000 list items) is created", "split", split),
    ];
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}
