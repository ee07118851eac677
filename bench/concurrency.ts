/**
 * The file store under load and at start-up: savers that arrive together share one write and one
 * fdatasync (group commit), and start-up reads each history's tail, not every history. And the
 * event loop while a 20 MB file is uploaded: its decoding is the parser thread's work.
 */

import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { pino } from "pino";
import { createApp } from "../server/app.ts";
import { loadConfig } from "../server/config.ts";
import { buildServices } from "../server/context.ts";
import { initializeStore, SEED_DOCUMENT_ID } from "../server/seed.ts";
import { FileStore } from "../server/storage/file-store.ts";
import type { TranslationEvent } from "../translations/translation.ts";
import { ms, type Row } from "./harness.ts";

const SAVERS = 8;
const SAVES_EACH = 40;
const DOCUMENTS = 300;
const REVISIONS = 3000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** A new data directory as a first start leaves it, with the services on top; `done` removes it. */
async function freshStore(env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-"));
  const store = await FileStore.open(dir);
  await store.setMeta({ version: 2 });
  const services = buildServices({
    store,
    config: loadConfig({ GLOSA_DATA_DIR: dir, NODE_ENV: "production", ...env }),
  });
  return {
    dir,
    store,
    services,
    async done() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Save latencies of `savers` translators each saving their own paragraph of one document in a loop. */
async function saveLatencies(savers: number): Promise<number[]> {
  const fresh = await freshStore();
  const { services } = fresh;
  const content = Array.from(
    { length: SAVERS + 1 },
    (_, i) => `Paragraph ${i} of the benchmark document.`,
  ).join("\n");
  const doc = await services.translations.create(
    { sourceLang: "en", format: "text", content, languages: ["es"] },
    "b",
  );
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: savers }, async (_, s) => {
      let base = 0;
      for (let i = 0; i < SAVES_EACH; i++) {
        const start = performance.now();
        const result = await services.translations.save(
          doc.id,
          "es",
          `p${s + 2}`,
          { text: `Texto ${i} del traductor ${s} ${"palabra ".repeat(30)}`, baseRevision: base },
          `t${s}`,
        );
        base = result.revision;
        if (i >= 3) samples.push(performance.now() - start);
      }
    }),
  );
  await fresh.done();
  return samples;
}

/** Milliseconds to open (and close) a store, best of a few runs. */
async function openTime(dir: string): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const store = await FileStore.open(dir);
    best = Math.min(best, performance.now() - start);
    await store.close();
  }
  return best;
}

async function startUp(): Promise<{ full: number; empty: number; bytes: number }> {
  const emptyDir = await mkdtemp(path.join(tmpdir(), "glosa-bench-"));
  await (await FileStore.open(emptyDir)).close();
  const { dir, store, services } = await freshStore();
  const content = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} of a benchmark document.`).join("\n");
  let bytes = 0;
  for (let d = 0; d < DOCUMENTS; d++) {
    const doc = await services.translations.create(
      { sourceLang: "en", format: "text", content, languages: ["es"] },
      "b",
    );
    const heads = new Map<string, number>();
    for (let start = 0; start < REVISIONS; start += 1000) {
      const batch: TranslationEvent[] = [];
      for (let r = start; r < start + 1000; r++) {
        const pid = `p${2 + (r % 29)}`;
        const revision = (heads.get(pid) ?? 0) + 1;
        heads.set(pid, revision);
        const text = `revisión ${r} ${"texto ".repeat(12)}`;
        bytes += text.length + 120;
        batch.push({
          type: "revision",
          pid,
          revision,
          text,
          status: "translated",
          author: "b",
          createdAt: "2026-01-01T00:00:00.000Z",
        });
      }
      await store.appendTranslationEvents(doc.id, "es", batch, {
        at: "2026-01-01T00:00:00.000Z",
        actor: "b",
        action: "translation.import",
        object: `document:${doc.id}/es`,
      });
    }
  }
  await store.close();
  const full = await openTime(dir);
  const empty = await openTime(emptyDir);
  await rm(dir, { recursive: true, force: true });
  await rm(emptyDir, { recursive: true, force: true });
  return { full, empty, bytes };
}

/** Median ms of a term edit (update of one term, with its duplicate check) in a glossary of `size` terms. */
async function termEdit(size: number): Promise<number> {
  const fresh = await freshStore({ GLOSA_MAX_TERMS: "100000" });
  const { glossary } = fresh.services;
  for (let start = 0; start < size; start += 10_000) {
    const rows = Array.from(
      { length: Math.min(10_000, size - start) },
      (_, i) => `palabra${start + i} clave,término${start + i}`,
    );
    await glossary.importCsv(`en,es\n${rows.join("\n")}\n`, { sourceLang: "en", targetLang: "es" }, "b");
  }
  const term = (await glossary.list())[0];
  if (!term) throw new Error("no term");
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    await glossary.update(
      term.id,
      { ...term, targets: { es: { text: `término editado ${i}`, forbidden: [] } } },
      "b",
    );
    if (i >= 10) samples.push(performance.now() - start);
  }
  await fresh.done();
  return median(samples);
}

/** The longest the event loop was held (ms) while `work` ran. */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await work();
  histogram.disable();
  return histogram.max / 1e6;
}

/**
 * An XLIFF import of a 20 MB file (its bulk an XML comment of accented text, which the parser
 * skips), sent as bytes over HTTP to an app in this process, against the same time idle.
 */
async function uploadStall(): Promise<{ upload: number; idle: number; bytes: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-"));
  const store = await FileStore.open(dir);
  const config = loadConfig({
    GLOSA_DATA_DIR: dir,
    NODE_ENV: "production",
    GLOSA_RATE_LIMIT: "off",
    GLOSA_ADMIN_PASSWORD: "bench-admin-password",
    GLOSA_IMPORT_LIMIT: String(32 * 1024 * 1024),
  });
  await initializeStore(store, buildServices({ store, config }), config);
  const app = createApp({ config, store, logger: pino({ level: "silent" }), sessionSecret: "s".repeat(40) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const token = (
      (await (
        await fetch(`${base}/api/v1/tokens`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ username: "admin", password: "bench-admin-password" }),
        })
      ).json()) as { token: string }
    ).token;
    const doc = { id: SEED_DOCUMENT_ID };
    const filler = "Párrafo con eñes, acentos y comillas «así». ".repeat(Math.ceil(20e6 / 46));
    const body = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><!-- ${filler} --><xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="${doc.id}"><unit id="p1"><segment><source>Trump tells Milei: ‘You are my favorite president’ in first call since US election</source><target>Trump a Milei: «Eres mi presidente favorito»</target></segment></unit></file></xliff>`,
    );
    // Sent by curl, another process, so that only the server's work is on this event loop.
    const file = path.join(dir, "upload.xlf");
    await writeFile(file, body);
    const url = `${base}/api/v1/documents/${doc.id}/translations/es/import`;
    const send = async () => {
      const curl = spawn("curl", [
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-H",
        `Authorization: Bearer ${token}`,
        "-H",
        "Content-Type: application/xliff+xml",
        "--data-binary",
        `@${file}`,
        url,
      ]);
      let status = "";
      curl.stdout.on("data", (chunk: Buffer) => {
        status += chunk.toString();
      });
      await new Promise((resolve) => curl.once("close", resolve));
      if (status !== "200") throw new Error(`import answered ${status}`);
    };
    await send(); // the parser thread's start (it loads tsx) is not the upload's
    const uploads: number[] = [];
    const idles: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      uploads.push(await longestBlock(send));
      const took = performance.now() - started;
      idles.push(await longestBlock(() => new Promise((resolve) => setTimeout(resolve, took))));
    }
    return { upload: median(uploads), idle: median(idles), bytes: body.length };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await app.shutdown();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function concurrencyBenchmarks(): Promise<Row[]> {
  // Both timed on code already run: the first of them ran the save path cold (V8 compiles it as it goes).
  await saveLatencies(SAVERS);
  await saveLatencies(1);
  const one = median(await saveLatencies(1));
  const eight = median(await saveLatencies(SAVERS));
  const start = await startUp();
  const small = await termEdit(100);
  const large = await termEdit(50_000);
  const stall = await uploadStall();
  const groupRatio = eight / one;
  const startRatio = start.full / start.empty;
  return [
    {
      benchmark: `Longest event-loop block during a ${(stall.bytes / 1e6).toFixed(0)} MB XLIFF upload (API) vs as long idle`,
      measured: `upload: ${ms(stall.upload)} longest block (median of 5)`,
      baseline: `idle: ${ms(stall.idle)}`,
      ratio: stall.upload / stall.idle,
      // The standard every other event-loop row is held to (README): no block past 50 ms. A ratio to
      // an idle loop of 2-4 ms fails on any machine noise, whatever the upload does.
      goal: "block <= 50 ms",
      ok: stall.upload <= 50,
    },
    {
      benchmark: `${SAVERS} concurrent savers on one document (file store, durable saves) vs one saver alone`,
      measured: `${SAVERS} savers: ${ms(eight)} p50 per save`,
      baseline: `one saver: ${ms(one)} p50 per save`,
      ratio: groupRatio,
      goal: "<= 3",
      ok: groupRatio <= 3,
    },
    {
      benchmark: "A term edit (durable write + duplicate check) in a glossary of 50,000 terms vs one of 100",
      measured: `50,000 terms: ${ms(large)} median`,
      baseline: `100 terms: ${ms(small)} median`,
      ratio: large / small,
      goal: "<= 1.5",
      ok: large / small <= 1.5,
    },
    {
      benchmark: `File store start-up with ${DOCUMENTS} documents × ${REVISIONS.toLocaleString("en")} revisions (${Math.round(start.bytes / 1e6)} MB of history) vs an empty store`,
      measured: `${ms(start.full)} to open`,
      baseline: `empty store: ${ms(start.empty)} to open`,
      ratio: startRatio,
      goal: "<= 1.5",
      ok: startRatio <= 1.5,
    },
  ];
}
