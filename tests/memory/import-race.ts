/**
 * Four imports of one TMX file at once into a store, through a memory whose parser answers all four
 * at the same moment (the race an attack found over HTTP: each import took the others' units for new).
 */

import { expect } from "vitest";
import { readTmx } from "../../memory/tmx.ts";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import type { ParsePool } from "../../server/parse-pool.ts";
import { MemoryService } from "../../server/services/memory.ts";
import type { Store } from "../../server/storage/store.ts";

const UNITS = 3_000;

const tmx = (first: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>${Array.from(
    { length: UNITS },
    (_, i) =>
      `<tu><tuv xml:lang="en"><seg>Race sentence ${first + i} about the harbour.</seg></tuv><tuv xml:lang="es"><seg>Frase ${first + i} sobre el puerto.</seg></tuv></tu>`,
  ).join("")}</body></tmx>`;

/**
 * Imports the same 3,000 units four times at once, through one memory per store given (several
 * stores on one database stand for several processes); checks the answers, the audit and the store.
 */
export async function raceImports(...stores: [Store, ...Store[]]): Promise<void> {
  const [store] = stores;
  const services = buildServices({ store, config: loadConfig({ GLOSA_LOG_LEVEL: "silent" }) });
  const read = await readTmx(tmx(0), "en", "es");
  // Every import's file read at once, so that their counts overlap as requests' do.
  const parse = { tmx: async () => read } as unknown as ParsePool;
  const memories = stores.map(
    (s) =>
      new MemoryService(s, services.audit, services.changes, services.translations, {
        followOtherProcesses: false,
        version: "test",
        now: () => new Date(),
        parse,
      }),
  );
  try {
    // Each memory's indexes read before the imports, as a process's are before it takes requests.
    await Promise.all(memories.map((m) => m.ready()));
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        (memories[i % memories.length] as MemoryService).importTmx("", "en", "es", "eddie"),
      ),
    );
    const created = results.map((r) => r.created);
    expect(created.reduce((a, b) => a + b, 0)).toBe(UNITS);
    for (const result of results) expect(result.created + result.unchanged).toBe(UNITS);
    const audit = (await store.listAudit(100))
      .filter((e) => e.action === "memory.import")
      .map((e) => (e.details as { created: number }).created);
    expect(audit.sort()).toEqual([...created].sort());
    expect(await store.listMemoryUnits()).toHaveLength(UNITS);
  } finally {
    for (const memory of memories) await memory.close();
    await services.memory.close();
    await services.parse.close();
  }
}
