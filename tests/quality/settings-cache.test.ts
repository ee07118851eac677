import { afterEach, describe, expect, it } from "vitest";
import { AuditLog } from "../../server/services/audit.ts";
import { GlossaryService } from "../../server/services/glossary.ts";
import { QualityService } from "../../server/services/quality.ts";
import { Spellers } from "../../server/spelling.ts";
import type { Store, StorePubSub } from "../../server/storage/store.ts";
import { makeApp, type TestApp } from "../helpers.ts";

/** Processes sharing one store, as on PostgreSQL: one message hub and a count of version reads. */
function sharedStore(store: Store) {
  const listeners = new Set<(message: unknown) => void>();
  const pubsub: StorePubSub = {
    async publish(message) {
      for (const listener of listeners) listener(structuredClone(message));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready: async () => {},
  };
  const counts = { versionReads: 0 };
  const shared = new Proxy(store, {
    get(target, property) {
      if (property === "pubsub") return pubsub;
      if (property === "qualityVersion")
        return () => {
          counts.versionReads++;
          return target.qualityVersion();
        };
      // A copy, as a database gives (the file store hands out the records it keeps).
      if (property === "readQuality") return async () => structuredClone(await target.readQuality());
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { shared, counts, listeners };
}

function qualityService(store: Store) {
  const audit = new AuditLog(store, () => new Date());
  return new QualityService(
    store,
    new GlossaryService(store, audit, { maxTerms: 1000, maxImportTerms: 1000 }),
    audit,
    Spellers.none(),
  );
}

const doc = { sourceLang: "en", format: "text" as const };
const paragraph = { id: "p", index: 0, kind: "paragraph" as const, source: "The same text." };

describe("quality settings on a store shared by processes", () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it("are read once, not on every check, and a change made by another process applies at its next check", async () => {
    t = await makeApp();
    const { shared, counts } = sharedStore(t.store);
    const a = qualityService(shared);
    const b = qualityService(shared);
    const codes = async () => (await b.checker(doc, "es"))(paragraph, "The same text.").map((f) => f.code);
    expect(await codes()).toContain("identical-to-source");
    await new Promise((resolve) => setImmediate(resolve));
    const before = counts.versionReads;
    for (let i = 0; i < 100; i++) await codes();
    // Read once per RECHECK_MS at most (a slow machine may cross one), not once per check.
    expect(counts.versionReads - before).toBeLessThanOrEqual(1);

    await a.putSettings("es", { checks: { "identical-to-source": { enabled: false } } }, "admin");
    expect(await codes()).not.toContain("identical-to-source");
    await a.acceptWord("es", "kirchnerismo", "admin");
    expect((await b.records()).words.es).toEqual(["kirchnerismo"]);
  });

  it("read the version again after a second without a word from the others (a lost NOTIFY)", async () => {
    t = await makeApp();
    const { shared, listeners } = sharedStore(t.store);
    const b = qualityService(shared);
    expect((await b.settings("es")).checks).toEqual({});
    await new Promise((resolve) => setImmediate(resolve));
    expect((await b.settings("es")).checks).toEqual({});
    // Written by another process whose message never arrived.
    listeners.clear();
    await qualityService(t.store).putSettings("es", { checks: { length: { enabled: false } } }, "admin");
    expect((await b.settings("es")).checks).toEqual({});
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await b.settings("es")).checks).toEqual({ length: { enabled: false } });
  });
});
