/**
 * Live editors: 100 open editors (server-sent event streams, one per user) on one document, one save
 * fanned out to all. Measured against baselines of the same run: the p99 time from a save's start to
 * its arrival at every editor against the median round trip of the same save with nobody watching
 * (the server a child process, as `npm start`, so that the clients do not share its event loop); and
 * the server's heap per open editor against its heap per idle keep-alive connection.
 */

import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { openStream, type SseStream } from "../tests/sse.ts";
import { ms, type Row } from "./harness.ts";
import { startBenchServer } from "./server.ts";
import { startServer as startChild } from "./xml.ts";

const EDITORS = 100;
const SAVES = 20;
const PASSWORD = "bench-admin-password";
const DOC = "el-pais-trump-milei";

async function startServer() {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-live-"));
  const { base, child } = await startChild(dir);
  return {
    url: base,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function json(url: string, method: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

const gc = (() => {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
})();

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A raw socket that sends one GET and resolves at the first bytes of the answer, then keeps reading. */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      const lines = Object.entries({ Host: "127.0.0.1", Connection: "keep-alive", ...headers }).map(
        ([k, v]) => `${k}: ${v}`,
      );
      socket.write(`GET ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
    });
    socket.once("data", () => resolve(socket));
    socket.on("data", () => undefined);
    socket.once("error", reject);
  });
}

/**
 * The server's heap per open editor, in this process with a full GC before each reading; the clients
 * are bare sockets, the same for the baseline (idle keep-alive connections after one request).
 */
async function memoryPerEditor(): Promise<{ perEditor: number; perIdle: number }> {
  const server = await startBenchServer({ live: { maxPerUser: EDITORS } });
  try {
    const port = Number(new URL(server.url).port);
    const auth = { Authorization: `Bearer ${server.token}` };
    // Warm the routes once so that first-use allocations are not counted.
    (await rawGet(port, "/healthz", {})).destroy();
    const warm = await rawGet(port, `/api/v1/documents/${DOC}/translations/es/events`, auth);
    warm.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const start = heapAfterGc();
    const idle = await Promise.all(Array.from({ length: EDITORS }, () => rawGet(port, "/healthz", {})));
    const withIdle = heapAfterGc();
    for (const s of idle) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const before = heapAfterGc();
    const streams: net.Socket[] = [];
    for (let i = 0; i < EDITORS; i++)
      streams.push(await rawGet(port, `/api/v1/documents/${DOC}/translations/es/events`, auth));
    // Presence lists go out and settle before the reading.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = heapAfterGc();
    for (const s of streams) s.destroy();
    return { perEditor: (after - before) / EDITORS, perIdle: Math.max(1, withIdle - start) / EDITORS };
  } finally {
    await server.close();
  }
}

export async function presenceBenchmarks(): Promise<Row[]> {
  const server = await startServer();
  try {
    const admin = (
      await json(`${server.url}/api/v1/tokens`, "POST", { username: "admin", password: PASSWORD })
    ).token as string;
    const tokens: string[] = [];
    for (let i = 0; i < EDITORS; i++) {
      const username = `editor${i}`;
      await json(
        `${server.url}/api/v1/users`,
        "POST",
        { username, password: `${username}-pw`, role: "translator" },
        admin,
      );
      tokens.push(
        (await json(`${server.url}/api/v1/tokens`, "POST", { username, password: `${username}-pw` }))
          .token as string,
      );
    }

    // The baseline saves go to a language nobody watches, alternating with the watched saves so that
    // the machine's drift hits both alike.
    await json(`${server.url}/api/v1/documents/${DOC}/languages`, "POST", { lang: "fr" }, admin);
    const revisions = { es: 0, fr: 0 };
    const save = async (lang: "es" | "fr") => {
      const started = performance.now();
      const res = await json(
        `${server.url}/api/v1/documents/${DOC}/translations/${lang}/paragraphs/p2`,
        "PUT",
        { text: `Texto ${revisions[lang] + 1}`, baseRevision: revisions[lang] },
        admin,
      );
      revisions[lang] = res.revision as number;
      return { started, answered: performance.now() };
    };
    for (let i = 0; i < 3; i++) await save("fr");
    const alone: number[] = [];

    const streams: SseStream[] = [];
    for (const token of tokens)
      streams.push(
        await openStream(`${server.url}/api/v1/documents/${DOC}/translations/es/events`, {
          authorization: `Bearer ${token}`,
        }),
      );
    await Promise.all(streams.map((s) => s.next("presence", (d) => d.users.length === EDITORS, 30_000)));

    const delivery: number[] = [];
    for (let i = 0; i < SAVES; i++) {
      const quiet = await save("fr");
      alone.push(quiet.answered - quiet.started);
      const { started } = await save("es");
      const expected = revisions.es;
      await Promise.all(
        streams.map(async (s) => {
          await s.next("paragraph", (d) => d.revision === expected, 10_000);
          const event = s.events.findLast((e) => e.event === "paragraph") as { at: number };
          delivery.push(event.at - started);
        }),
      );
    }
    for (const s of streams) s.close();

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const p99 = sorted(delivery)[Math.floor(delivery.length * 0.99)] as number;
    const medianAlone = sorted(alone)[Math.floor(alone.length / 2)] as number;
    const { perEditor, perIdle } = await memoryPerEditor();
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    return [
      {
        benchmark: `one save fanned out to ${EDITORS} open editors (SSE), ${SAVES} saves`,
        measured: `p99 save start → event at each editor ${ms(p99)} (${delivery.length} deliveries)`,
        baseline: `a save's round trip in a language nobody watches, alternated: median ${ms(medianAlone)}`,
        ratio: p99 / medianAlone,
        // The 100 readers share one client process, whose own reading is part of every delivery time.
        goal: "≤ 10",
        ok: p99 / medianAlone <= 10,
      },
      {
        benchmark: `server memory per open editor (${EDITORS} streams, V8 heap after a full GC)`,
        measured: `${kb(perEditor)} per editor`,
        baseline: `${kb(perIdle)} per idle keep-alive connection (same raw-socket client)`,
        ratio: perEditor / perIdle,
        goal: "≤ 10",
        ok: perEditor / perIdle <= 10,
      },
    ];
  } finally {
    await server.stop();
  }
}
