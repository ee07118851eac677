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
import { type GlossaryLimits, GlossaryService } from "../../server/services/glossary.ts";
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
async function services(stores: Store[], limits?: GlossaryLimits): Promise<(i: number) => GlossaryService> {
  const list = stores.map((s) => new GlossaryService(s, new AuditLog(s, () => new Date()), limits));
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

/**
 * Creates and imports at once with room for three more terms: each passes the check against what its
 * process holds, and the store lets exactly three in, whatever the mix.
 */
export async function raceRoom(...stores: [Store, ...Store[]]): Promise<void> {
  const held = (await stores[0].listTerms()).length;
  const service = await services(stores, { maxTerms: held + 3, maxImportTerms: 100 });
  const csv = (name: string) =>
    parseGlossaryCsv(`en,es\n${name} one,uno\n${name} two,dos\n`, { sourceLang: "en", targetLang: "es" });
  const results = await outcomes([
    ...Array.from({ length: 6 }, (_, i) => service(i).create(term(`room ${i}`), "eddie")),
    service(0).import(csv("room import a"), "eddie"),
    service(1).import(csv("room import b"), "eddie"),
  ]);
  const terms = await stores[0].listTerms();
  expect(terms.length).toBeLessThanOrEqual(held + 3);
  // Every refusal says the glossary is full; what was let in fills it but for what no write could take.
  expect(results.filter((r) => r !== "ok").every((r) => r === "glossary_full")).toBe(true);
  expect(terms.length).toBeGreaterThanOrEqual(held + 2);
  const audited = (await stores[0].listAudit(1000)).filter(
    (e) => e.action === "term.create" || e.action === "glossary.import",
  );
  expect(audited).toHaveLength(results.filter((r) => r === "ok").length);
  // A write that adds nothing is never refused, at the limit or past it.
  const [kept] = terms;
  if (kept) {
    await service(0).get(kept.id);
    await service(0).update(kept.id, { ...term(kept.source), description: "still here" }, "eddie");
  }
}

/**
 * A term updated and removed at once, in one process or two: the removal stands or the update does,
 * never an update that brings the removed term back; removed twice at once, it is removed once.
 */
export async function raceUpdateRemove(...stores: [Store, ...Store[]]): Promise<void> {
  const service = await services(stores);
  for (let round = 0; round < 4; round++) {
    const created = await service(0).create(term(`contested ${round}`), "eddie");
    for (let i = 0; i < stores.length; i++) await service(i).get(created.id);
    const results = await outcomes([
      service(round).remove(created.id, "eddie"),
      service(round + 1).update(
        created.id,
        { ...term(`contested ${round}`), description: "edited" },
        "eddie",
      ),
      service(round + 1).remove(created.id, "eddie"),
    ]);
    // One removal; the update either came first (ok) or found the term gone.
    expect(results.filter((r) => r === "ok").length).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r !== "ok").every((r) => r === "term_not_found")).toBe(true);
    expect((await stores[0].listTerms()).find((t) => t.id === created.id)).toBeUndefined();
    const removals = (await stores[0].listAudit(1000)).filter(
      (e) => e.action === "term.delete" && e.object === `term:${created.id}`,
    );
    expect(removals).toHaveLength(1);
  }
}
