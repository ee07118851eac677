/**
 * Two services on one store stand for two processes: each keeps its own cached states. A save is
 * decided on the cached state without asking the store for its version first (one round trip
 * fewer); a stale cache must still never win and never cause a false conflict.
 */

import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import type { TranslationService } from "../../server/services/translations.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { ConflictError } from "../../translations/errors.ts";
import { tempDir } from "../helpers.ts";

describe("TranslationService on a store another process writes to", () => {
  let dir: string;
  let store: FileStore;
  let a: TranslationService;
  let b: TranslationService;
  let versionReads: number;
  let docId: string;

  beforeEach(async () => {
    dir = await tempDir();
    store = await FileStore.open(dir);
    const config = loadConfig({ GLOSA_LOG_LEVEL: "silent" });
    a = buildServices({ store, config }).translations;
    b = buildServices({ store, config }).translations;
    const doc = await a.create(
      { sourceLang: "en", format: "text", content: "One.\n\nTwo.", languages: ["es"] },
      "admin",
    );
    docId = doc.id;
    const version = store.translationVersion.bind(store);
    versionReads = 0;
    store.translationVersion = (id, lang) => {
      versionReads++;
      return version(id, lang);
    };
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("saves on a cached state without reading the history's version first", async () => {
    await a.save(docId, "es", "p1", { text: "Uno.", baseRevision: 0 }, "admin");
    versionReads = 0;
    const saved = await a.save(docId, "es", "p1", { text: "Uno!", baseRevision: 1 }, "admin");
    expect(saved).toMatchObject({ revision: 2, created: true });
    expect(versionReads).toBe(0);
  });

  it("decides again when the cached state is stale: the other process's revision is the base", async () => {
    await a.save(docId, "es", "p1", { text: "Uno.", baseRevision: 0 }, "admin");
    await b.save(docId, "es", "p1", { text: "Uno, de B.", baseRevision: 1 }, "admin");
    // The client saw B's revision 2: not a conflict, though A's cache still says 1.
    const saved = await a.save(docId, "es", "p1", { text: "Uno, de A.", baseRevision: 2 }, "admin");
    expect(saved).toMatchObject({ revision: 3, created: true, text: "Uno, de A." });
    expect((await b.paragraph(docId, "es", "p1")).translation?.revisions).toHaveLength(3);
  });

  it("refuses a save on a base the other process moved past, and writes nothing", async () => {
    await a.save(docId, "es", "p1", { text: "Uno.", baseRevision: 0 }, "admin");
    await b.save(docId, "es", "p1", { text: "Uno, de B.", baseRevision: 1 }, "admin");
    await expect(
      a.save(docId, "es", "p1", { text: "Uno, de A.", baseRevision: 1 }, "admin"),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await a.paragraph(docId, "es", "p1")).translation?.revisions).toHaveLength(2);
  });

  it("answers a save of the text the other process already saved as that revision", async () => {
    await a.save(docId, "es", "p1", { text: "Uno.", baseRevision: 0 }, "admin");
    await b.save(docId, "es", "p1", { text: "Uno, de B.", baseRevision: 1 }, "admin");
    const saved = await a.save(docId, "es", "p1", { text: "Uno, de B.", baseRevision: 2 }, "admin");
    expect(saved).toMatchObject({ revision: 2, created: false, text: "Uno, de B." });
  });

  it("clears on a stale cache only what the other process left", async () => {
    await a.save(docId, "es", "p1", { text: "Uno.", baseRevision: 0 }, "admin");
    await b.clear(docId, "es", "p1", 1, "admin");
    const cleared = await a.clear(docId, "es", "p1", 2, "admin");
    expect(cleared).toMatchObject({ revision: 2, created: false });
  });
});
