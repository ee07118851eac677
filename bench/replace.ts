/**
 * Find and replace and statistics benchmarks, in process on a real file store:
 * - preview across 20 documents × 200 paragraphs (4,000 translations) / the usage index's search
 *   (`services.usage.find`) of the same word over the same translations, which stops at its first hit
 *   per paragraph;
 * - applying one batch of 200 paragraphs (one store call, one audit entry, fsync'd) / 200 single saves;
 * - the finder on a hostile 200,000-character text (one letter and apostrophes) / on ordinary prose
 *   of the same length: linear, no backtracking;
 * - statistics over the 4,000 translations, cached (no history changed) / computed afresh.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../server/config.ts";
import { buildServices } from "../server/context.ts";
import { StatsService } from "../server/services/stats.ts";
import { FileStore } from "../server/storage/file-store.ts";
import { findOccurrences } from "../translations/replace.ts";
import type { RevisionEvent } from "../translations/translation.ts";
import { compare, ms, type Row, time, timeFresh } from "./harness.ts";

const DOCUMENTS = 20;
const PARAGRAPHS = 200;

function prose(seed: number): string {
  const words =
    "el gobierno anunció la motosierra para el gasto público y la oposición criticó las medidas de la Casa Rosada".split(
      " ",
    );
  let x = seed;
  return Array.from({ length: 30 }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return words[x % words.length];
  }).join(" ");
}

export async function replaceBenchmarks(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-replace-"));
  const config = loadConfig({ GLOSA_DATA_DIR: dir, GLOSA_LOG_LEVEL: "silent" });
  const store = await FileStore.open(dir);
  const services = buildServices({ store, config });
  const { translations, replace } = services;
  const docs: string[] = [];
  for (let d = 0; d < DOCUMENTS; d++) {
    const content = Array.from(
      { length: PARAGRAPHS },
      (_, i) => `Paragraph ${i} of the chainsaw story.`,
    ).join("\n");
    const doc = await translations.create(
      { sourceLang: "en", format: "text", content, languages: ["es"] },
      "admin",
    );
    docs.push(doc.id);
    const events: RevisionEvent[] = doc.paragraphs.map((p, i) => ({
      type: "revision",
      pid: p.id,
      revision: 1,
      text: `${prose(d * 1000 + i)} motosierra.`,
      status: "translated",
      author: i % 2 ? "tina" : "ana",
      createdAt: new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString(),
      ...(i % 3 === 0 ? { origin: "memory" as const } : {}),
    }));
    await store.appendTranslationEvents(doc.id, "es", events);
  }
  const rows: Row[] = [];

  const preview = () => replace.preview({ lang: "es" }, { find: "motosierra", replace: "tijera" });
  const usage = () => services.usage.find([{ lang: "es", text: "motosierra" }], 1_000_000);
  const search = await compare(preview, usage, 20);
  rows.push({
    benchmark: `find-and-replace preview, ${DOCUMENTS} documents × ${PARAGRAPHS} paragraphs / the usage index's search of the same word`,
    measured: `${ms(search.a.median)} (${(await preview()).occurrences.length} occurrences, capped at 1,000)`,
    baseline: ms(search.b.median),
    ratio: search.ratio,
    goal: "≤ 3",
    ok: search.ratio <= 3,
  });

  // A batch of 200 paragraphs (10 in each document) against 200 single saves of the same size.
  let word = ["motosierra", "tijera"];
  const batch = await timeFresh(
    async () => {
      const found = await replace.preview(
        { lang: "es" },
        { find: word[0] as string, replace: word[1] as string, inflections: false },
      );
      const chosen = found.occurrences.filter((o) => Number(o.pid.slice(1)) <= 10).map((o) => o.id);
      word = [word[1] as string, word[0] as string];
      return { found, chosen };
    },
    ({ found, chosen }) => replace.apply({ lang: "es" }, found.query, chosen, "eddie"),
    5,
    1,
  );
  let n = 0;
  const singles = await time(
    async () => {
      n++;
      for (const id of docs)
        for (let p = 1; p <= 10; p++) {
          const { translation } = await translations.paragraph(id, "es", `p${p}`);
          const latest = translation?.revisions.at(-1);
          await translations.save(
            id,
            "es",
            `p${p}`,
            { text: `${latest?.text} ${n}`, baseRevision: latest?.revision ?? 0 },
            "eddie",
          );
        }
    },
    3,
    1,
  );
  rows.push({
    benchmark: "applying one batch of 200 paragraphs in 20 documents (one audit entry) / 200 single saves",
    measured: ms(batch.median),
    baseline: ms(singles.median),
    ratio: batch.median / singles.median,
    goal: "≤ 1",
    ok: batch.median <= singles.median,
  });

  const hostile = "a'".repeat(100_000);
  const ordinary = prose(7)
    .repeat(Math.ceil(200_000 / prose(7).length))
    .slice(0, 200_000);
  const find = (text: string) => () =>
    findOccurrences({ find: "a'a a'a a'a", replace: "b", lang: "es" }, [
      { documentId: "d", pid: "p", revision: 1, text },
    ]);
  const redos = await compare(find(hostile), find(ordinary), 10);
  rows.push({
    benchmark: "finder on a hostile 200,000-character text / on ordinary prose of the same length",
    measured: ms(redos.a.median),
    baseline: ms(redos.b.median),
    ratio: redos.ratio,
    goal: "≤ 5 (linear)",
    ok: redos.ratio <= 5,
  });

  const cold = () => new StatsService(store, translations).compute("user", {});
  const warm = new StatsService(store, translations);
  await warm.compute("user", {});
  const stats = await compare(() => warm.compute("week", { lang: "es" }), cold, 10);
  rows.push({
    benchmark: `statistics over ${DOCUMENTS * PARAGRAPHS} translations, facts cached / computed afresh`,
    measured: ms(stats.a.median),
    baseline: ms(stats.b.median),
    ratio: stats.ratio,
    goal: "≤ 0.5",
    ok: stats.ratio <= 0.5,
  });

  await services.parse.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return rows;
}
