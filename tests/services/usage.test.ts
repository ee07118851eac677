/**
 * The term page's "still uses the old form" search (UsageIndex) holds current texts, not
 * histories; it reads a history once, follows this process's saves through the change feed, and
 * reads a history again only when its version moved otherwise.
 */

import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChangeFeed } from "../../server/changes.ts";
import { UsageIndex } from "../../server/services/usage.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { createDocument, type Document } from "../../translations/document.ts";
import { revisionEvent } from "../fixtures/records.ts";
import { tempDir } from "../helpers.ts";

describe("UsageIndex", () => {
  let dir: string;
  let store: FileStore;
  let changes: ChangeFeed;
  let reads: number;
  let versionCalls: number;
  const docs: Document[] = [];

  beforeEach(async () => {
    dir = await tempDir();
    store = await FileStore.open(dir);
    changes = new ChangeFeed();
    reads = 0;
    versionCalls = 0;
    const read = store.readTranslationEvents.bind(store);
    store.readTranslationEvents = (d, l) => {
      reads++;
      return read(d, l);
    };
    const versions = store.translationVersions.bind(store);
    store.translationVersions = (pairs) => {
      versionCalls++;
      return versions(pairs);
    };
    docs.length = 0;
    for (let i = 0; i < 3; i++) {
      const doc = createDocument({
        id: `d${i}`,
        sourceLang: "en",
        format: "text",
        content: `Title ${i}\n\nThe chainsaw reaches the ministry.`,
        createdBy: "a",
        createdAt: `2026-01-0${i + 1}T00:00:00.000Z`,
        languages: ["es", "fr"],
      });
      await store.putDocument(doc);
      docs.push(doc);
      // A long history of one paragraph: 40 revisions of about 2,000 characters each.
      for (let r = 1; r <= 40; r++)
        await store.appendTranslationEvents(doc.id, "es", [
          revisionEvent(r, `${"relleno ".repeat(250)} motosierra ${r}`, { pid: "p2" }),
        ]);
    }
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A save through the store, announced on the feed as TranslationService announces its own. */
  async function save(doc: Document, revision: number, text: string) {
    const events = [revisionEvent(revision, text, { pid: "p2" })];
    const version = await store.appendTranslationEvents(doc.id, "es", events);
    changes.translation({ document: doc, lang: "es", events, version });
  }

  it("finds current texts using a form, holding current texts only, reading each history once", async () => {
    const usage = new UsageIndex(store, changes);
    const hits = await usage.find([{ lang: "es", text: "motosierra" }]);
    expect(hits.map((h) => `${h.document.id}/${h.paragraph.id}`)).toEqual(["d0/p2", "d1/p2", "d2/p2"]);
    expect(hits[0]?.text).toContain("motosierra 40");
    expect(reads).toBe(3);
    // Three current texts of ~2,000 characters, not 120 revisions.
    expect(usage.chars).toBeLessThan(3 * 2_100);

    reads = 0;
    versionCalls = 0;
    await usage.find([{ lang: "es", text: "motosierra" }]);
    expect(reads).toBe(0);
    // The versions of the three Spanish histories, in one call.
    expect(versionCalls).toBe(1);
  });

  it("follows this process's saves without a read, and rereads a history another writer moved", async () => {
    const usage = new UsageIndex(store, changes);
    await usage.find([{ lang: "es", text: "motosierra" }]);
    reads = 0;
    await save(docs[0] as Document, 41, "La tijera llega al ministerio.");
    const after = await usage.find([{ lang: "es", text: "motosierra" }]);
    expect(after.map((h) => h.document.id)).toEqual(["d1", "d2"]);
    expect(reads).toBe(0);
    // Not announced on this feed: another process, as far as this one knows.
    await store.appendTranslationEvents("d1", "es", [revisionEvent(41, "Nada aquí.", { pid: "p2" })]);
    expect((await usage.find([{ lang: "es", text: "motosierra" }])).map((h) => h.document.id)).toEqual([
      "d2",
    ]);
    expect(reads).toBe(1);
  });

  it("keeps within its character budget, least recently used out", async () => {
    const usage = new UsageIndex(store, changes, 2_500);
    await usage.find([{ lang: "es", text: "motosierra" }]);
    expect(usage.chars).toBeLessThanOrEqual(2_500);
    expect((await usage.find([{ lang: "es", text: "motosierra" }])).length).toBe(3);
  });
});
