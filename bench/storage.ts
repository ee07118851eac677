/**
 * Foundation benchmarks: a durable save must cost the same whatever the history, and not much
 * more than one fsync'd write of a 4 KB file.
 */

import { randomBytes } from "node:crypto";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../server/config.ts";
import { buildServices } from "../server/context.ts";
import { FileStore } from "../server/storage/file-store.ts";
import type { TranslationEvent } from "../translations/translation.ts";
import { compare, ms, type Row, time } from "./harness.ts";

const HISTORY = 10_000;

export async function storageBenchmarks(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-"));
  const store = await FileStore.open(dir);
  const config = loadConfig({ GLOSA_DATA_DIR: dir, NODE_ENV: "production" });
  const services = buildServices({ store, config });
  const content = Array.from({ length: 20 }, (_, i) => `Paragraph ${i} of the benchmark document.`).join(
    "\n",
  );
  const old = await services.translations.create(
    { sourceLang: "en", format: "text", content, languages: ["es"] },
    "bench",
  );
  const fresh = await services.translations.create(
    { sourceLang: "en", format: "text", content, languages: ["es"] },
    "bench",
  );

  // 10,000 earlier revisions of one paragraph, written in bulk.
  for (let start = 1; start <= HISTORY; start += 1000) {
    const batch: TranslationEvent[] = [];
    for (let r = start; r < start + 1000; r++)
      batch.push({
        type: "revision",
        pid: "p2",
        revision: r,
        text: `revision ${r} ${"texto ".repeat(40)}`,
        status: "translated",
        author: "bench",
        createdAt: new Date().toISOString(),
      });
    await store.appendTranslationEvents(old.id, "es", batch);
  }

  const revisions = new Map<string, number>([
    [old.id, HISTORY],
    [fresh.id, 0],
  ]);
  let n = 0;
  const save = (docId: string) => async () => {
    const base = revisions.get(docId) as number;
    const result = await services.translations.save(
      docId,
      "es",
      "p2",
      { text: `Texto guardado ${n++} ${"palabra ".repeat(40)}`, baseRevision: base },
      "bench",
    );
    revisions.set(docId, result.revision);
  };
  const history = await compare(save(old.id), save(fresh.id), 200);

  const block = randomBytes(4096);
  const bareFile = path.join(dir, "bare.bin");
  const bareWrite = async () => {
    const handle = await open(bareFile, "w");
    await handle.writeFile(block);
    await handle.sync();
    await handle.close();
  };
  const floor = await compare(save(fresh.id), bareWrite, 200);
  const bare = await time(bareWrite, 100);

  await store.close();
  await rm(dir, { recursive: true, force: true });
  return [
    {
      benchmark: `Durable save into a document with ${HISTORY.toLocaleString("en")} earlier revisions vs a fresh document`,
      measured: `with history: ${ms(history.a.median)} median`,
      baseline: `fresh document: ${ms(history.b.median)} median`,
      ratio: history.ratio,
      goal: "<= 1.5",
      ok: history.ratio <= 1.5,
    },
    {
      benchmark:
        "Durable save (revision + audit entry, both fdatasync'd) vs one bare fsync'd write of a 4 KB file",
      measured: `save: ${ms(floor.a.median)} median`,
      baseline: `4 KB write + fsync: ${ms(floor.b.median)} median (p99 ${ms(bare.p99)})`,
      ratio: floor.ratio,
      goal: "<= 3",
      ok: floor.ratio <= 3,
    },
  ];
}
