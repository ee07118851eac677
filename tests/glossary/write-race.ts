/**
 * Glossary writes racing each other (attack finding 1: concurrent creates, imports and renames each
 * passed the duplicate check against what their process held, and the glossary kept duplicates).
 * One GlossaryService per store given: several stores on one database stand for several processes.
 * Every check runs all its writes at once, with each service's glossary read first, as a serving
 * process's is.
 */

import { expect } from "vitest";
import { parseGlossaryCsv } from "../../glossary/csv.ts";
import type { TermInput } from "../../glossary/term.ts";
import { AuditLog } from "../../server/services/audit.ts";
import { GlossaryService } from "../../server/services/glossary.ts";
import type { Store } from "../../server/storage/store.ts";
import { GlosaError } from "../../translations/errors.ts";

const term = (source: string, caseSensitive = false): TermInput => ({
  sourceLang: "en",
  source,
  description: "",
  translatable: true,
  caseSensitive,
  targets: { es: { text: `es ${source}`, forbidden: [] } },
});

/** One service per store, its glossary read, round-robin over the stores. */
async function services(stores: Store[]): Promise<(i: number) => GlossaryService> {
  const list = stores.map((s) => new GlossaryService(s, new AuditLog(s, () => new Date())));
  for (const service of list) await service.list();
  return (i) => list[i % list.length] as GlossaryService;
}

/** Each settled write as "ok" or its error code. */
async function outcomes(writes: Promise<unknown>[]): Promise<string[]> {
  return (await Promise.allSettled(writes)).map((r) =>
    r.status === "fulfilled" ? "ok" : r.reason instanceof GlosaError ? r.reason.code : String(r.reason),
  );
}

const sorted = (values: string[]) => [...values].sort();

/** Eight creates of one source at once: one is created, seven are told it is a duplicate. */
export async function raceCreates(...stores: [Store, ...Store[]]): Promise<void> {
  const service = await services(stores);
  const settled = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) => service(i).create(term("race summit"), "eddie")),
  );
  const created = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value.id] : []));
  expect(created).toHaveLength(1);
  // Each refusal is a sequential duplicate's answer, naming the term that stands.
  for (const r of settled)
    if (r.status === "rejected")
      expect(r.reason).toMatchObject({ code: "duplicate_term", details: { termId: created[0] } });
  expect((await stores[0].listTerms()).filter((t) => t.source === "race summit")).toHaveLength(1);
}

/**
 * Sources the duplicate rule folds alike (accents and case, for case-insensitive terms) at once: one
 * stands. Case-sensitive terms that differ in case are not duplicates and all stand, also at once.
 */
export async function raceVariants(...stores: [Store, ...Store[]]): Promise<void> {
  const service = await services(stores);
  const folded = ["cafe con leche", "Café con leche", "CAFÉ CON LECHE", "café con leche"];
  const results = await outcomes(folded.map((s, i) => service(i).create(term(s), "eddie")));
  expect(sorted(results)).toEqual(["duplicate_term", "duplicate_term", "duplicate_term", "ok"]);
  const kept = ["NATO", "Nato", "nato"];
  expect(await outcomes(kept.map((s, i) => service(i).create(term(s, true), "eddie")))).toEqual([
    "ok",
    "ok",
    "ok",
  ]);
  // A case-insensitive "Summït" is the same term as a case-sensitive "Summit", whichever comes first.
  const both = await outcomes([
    service(0).create(term("Summit", true), "eddie"),
    service(1).create(term("Summït", false), "eddie"),
  ]);
  expect(sorted(both)).toEqual(["duplicate_term", "ok"]);
  const sources = (await stores[0].listTerms()).map((t) => t.source);
  expect(sources.filter((s) => folded.includes(s))).toHaveLength(1);
  expect(sources.filter((s) => kept.includes(s)).sort()).toEqual(["NATO", "Nato", "nato"]);
  expect(sources.filter((s) => s === "Summit" || s === "Summït")).toHaveLength(1);
}

const ROWS = 100;

/**
 * Four imports of one 100-row CSV at once, on a store with no import before: each term is created
 * once, in the answers and the audit.
 */
export async function raceImports(...stores: [Store, ...Store[]]): Promise<void> {
  const service = await services(stores);
  const csv = `en,es\n${Array.from({ length: ROWS }, (_, i) => `import row ${i},fila ${i}`).join("\n")}\n`;
  const parsed = parseGlossaryCsv(csv, { sourceLang: "en", targetLang: "es" });
  const results = await Promise.all([0, 1, 2, 3].map((i) => service(i).import(parsed, "eddie")));
  expect(results.reduce((sum, r) => sum + r.created, 0)).toBe(ROWS);
  for (const result of results) {
    expect(result.created + result.unchanged).toBe(ROWS);
    expect(result.errors).toEqual([]);
  }
  const audit = (await stores[0].listAudit(1000))
    .filter((e) => e.action === "glossary.import")
    .map((e) => (e.details as { created: number }).created);
  expect(sorted(audit.map(String))).toEqual(sorted(results.map((r) => String(r.created))));
  expect((await stores[0].listTerms()).filter((t) => t.source.startsWith("import row "))).toHaveLength(ROWS);
}

/** Two terms renamed to one new source at once: one rename stands, the other is a duplicate. */
export async function raceRenames(...stores: [Store, ...Store[]]): Promise<void> {
  const service = await services(stores);
  const first = await service(0).create(term("rename one"), "eddie");
  const second = await service(0).create(term("rename two"), "eddie");
  // Each service sees both terms before the renames, as a process that served them does.
  for (let i = 0; i < stores.length; i++) await service(i).get(second.id);
  const results = await outcomes([
    service(0).update(first.id, term("Renamed Term"), "eddie"),
    service(1).update(second.id, term("renamed term"), "eddie"),
  ]);
  expect(sorted(results)).toEqual(["duplicate_term", "ok"]);
  const sources = (await stores[0].listTerms()).map((t) => t.source.toLowerCase());
  expect(sources.filter((s) => s === "renamed term")).toHaveLength(1);
}
