/**
 * A file the store creates must not outlive a first write that failed: a full disk that refuses a
 * document's creation must not leave an empty log that later stops start-up or breaks every list.
 */

import { readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileStore } from "../../server/storage/file-store.ts";
import { StorageUnavailableError, StoreCorruptError } from "../../server/storage/store.ts";
import { PLAIN_TERM, plainDocument, plainUser, revisionEvent } from "../fixtures/records.ts";
import { tempDir } from "../helpers.ts";
import { fillableDisk, onTmpfs } from "./disks.ts";

const AUDIT = { at: "2026-01-01T00:00:00.000Z", actor: "tina", action: "document.create", object: "x" };

/** Every file under `dir` with its size, directories left out. */
async function files(dir: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      found[path.relative(dir, file)] = (await stat(file)).size;
    }
  return found;
}

async function refused(write: Promise<unknown>): Promise<void> {
  await expect(write).rejects.toBeInstanceOf(StorageUnavailableError);
}

describe("a first write refused by a full disk", () => {
  it("leaves no file behind, for every file the store creates", async () => {
    const disk = fillableDisk();
    const dir = await tempDir();
    const store = await FileStore.open(dir, { disk });
    const before = await files(dir);
    disk.full = true;
    await refused(store.setMeta({ version: 2, initializedAt: "now" }));
    await refused(store.putUser(plainUser("t")));
    await refused(store.writeTerms([PLAIN_TERM], [], AUDIT));
    await refused(store.putDocument(plainDocument("d"), AUDIT));
    await refused(store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno")], AUDIT));
    await refused(
      store.putComment({
        id: "c1",
        documentId: "d",
        pid: "p1",
        scope: "source",
        lang: "es",
        author: "t",
        text: "why?",
        createdAt: "c",
        mentions: [],
        resolved: false,
        history: [],
      }),
    );
    await refused(
      store.addMemoryUnits([
        {
          id: "m1",
          sourceLang: "en",
          targetLang: "es",
          source: "a",
          target: "b",
          tool: "t",
          createdAt: "c",
          createdBy: "e",
        },
      ]),
    );
    await refused(store.putQualitySettings("es", { checks: {}, titleLimit: 90 }));
    await refused(store.setSession("s1", { data: {}, expires: Date.now() + 60_000 }));
    await refused(store.appendAudit(AUDIT));
    expect(await files(dir)).toEqual(before);

    // Space again: the same writes go through, and the store reads them back after a restart.
    disk.full = false;
    await store.setMeta({ version: 2 });
    await store.putDocument(plainDocument("d"), AUDIT);
    await store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno")], AUDIT);
    await store.close();
    const again = await FileStore.open(dir);
    expect((await again.listDocuments()).map((d) => d.id)).toEqual(["d"]);
    expect(await again.readTranslationEvents("d", "es")).toHaveLength(1);
    await again.close();
  });

  it("keeps accounts created by their first commit private to the owner", async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await store.putUser(plainUser("t"));
    await store.close();
    expect((await stat(path.join(dir, "accounts.jsonl"))).mode & 0o777).toBe(0o600);
  });
});

/** A data directory holding the document "kept", as a crash or a clean stop left it. */
async function dirWithOneDocument(stop: "a crash" | "a clean stop"): Promise<string> {
  const dir = await tempDir();
  const store = await FileStore.open(dir);
  await store.setMeta({ version: 2 });
  await store.putDocument(plainDocument("kept"), AUDIT);
  await store.close();
  if (stop === "a crash") await rm(path.join(dir, "clean-stop.json"));
  return dir;
}

describe("an empty document log, left by an earlier Glosa whose document creation was refused", () => {
  for (const stop of ["a crash", "a clean stop"] as const)
    it(`is removed, and logged, when the store starts after ${stop}`, async () => {
      const dir = await dirWithOneDocument(stop);
      await writeFile(path.join(dir, "documents", "never.jsonl"), "");

      const warnings: object[] = [];
      const again = await FileStore.open(dir, { warn: (details) => warnings.push(details) });
      expect((await again.listDocuments()).map((d) => d.id)).toEqual(["kept"]);
      expect(await again.getDocument("never")).toBeUndefined();
      expect(await again.listDocumentsPage({ limit: 10 })).toMatchObject({ documents: [{ id: "kept" }] });
      await expect(stat(path.join(dir, "documents", "never.jsonl"))).rejects.toThrow();
      expect(warnings).toEqual([{ file: path.join(dir, "documents", "never.jsonl") }]);
      // The id is free again: a document created with it is whole.
      await again.putDocument(plainDocument("never"), AUDIT);
      await again.close();
      const third = await FileStore.open(dir);
      expect((await third.listDocuments()).map((d) => d.id).sort()).toEqual(["kept", "never"]);
      await third.close();
    });

  it("is passed over, not removed, by a read-only store", async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    await store.setMeta({ version: 2 });
    await store.putDocument(plainDocument("kept"), AUDIT);
    await writeFile(path.join(dir, "documents", "never.jsonl"), "");
    const reader = await FileStore.open(dir, { readOnly: true });
    expect((await reader.listDocuments()).map((d) => d.id)).toEqual(["kept"]);
    await reader.close();
    expect((await stat(path.join(dir, "documents", "never.jsonl"))).size).toBe(0);
    await store.close();
  });

  for (const stop of ["a crash", "a clean stop"] as const)
    it(`is told apart from a damaged one, which still stops the store after ${stop}, naming it`, async () => {
      const dir = await dirWithOneDocument(stop);
      const damaged = path.join(dir, "documents", "damaged.jsonl");
      await writeFile(damaged, '{"tx":3,"document":{"id":"other"}}\n');
      const error = await (async () => {
        const again = await FileStore.open(dir);
        try {
          await again.listDocuments();
        } finally {
          await again.close();
        }
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect((error as Error).message).toContain(damaged);
      expect((await stat(damaged)).size).toBeGreaterThan(0);
    });
});

describe("documents created on a real, small tmpfs until it is full", () => {
  it("leave no empty log, and every acknowledged one is there after a clean stop and after a crash", async () => {
    await onTmpfs("400k", async (mount) => {
      const store = await FileStore.open(mount);
      await store.setMeta({ version: 2 });
      const acknowledged: string[] = [];
      let refusals = 0;
      for (let n = 0; n < 200 && refusals < 5; n++)
        try {
          await store.putDocument(plainDocument(`d${n}`, `${n} ${"x".repeat(8000)}`), AUDIT);
          acknowledged.push(`d${n}`);
        } catch (error) {
          expect(error).toBeInstanceOf(StorageUnavailableError);
          refusals++;
        }
      expect(refusals).toBeGreaterThan(0);
      const sizes = await files(path.join(mount, "documents"));
      expect(Object.keys(sizes).sort()).toEqual(acknowledged.map((id) => `${id}.jsonl`).sort());
      expect(Object.values(sizes).every((size) => size > 0)).toBe(true);
      await store.close().catch(() => undefined);

      for (const stop of ["a clean stop", "a crash"]) {
        if (stop === "a crash") await rm(path.join(mount, "clean-stop.json"), { force: true });
        const again = await FileStore.open(mount);
        expect((await again.listDocuments()).map((d) => d.id).sort()).toEqual([...acknowledged].sort());
        await again.close().catch(() => undefined);
      }

      // Full to the last page: the start is refused as a full disk, leaving no empty lock behind.
      await writeFile(path.join(mount, "filler"), Buffer.alloc(1024 * 1024)).catch(() => undefined);
      await expect(FileStore.open(mount)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(stat(path.join(mount, "glosa.lock"))).rejects.toThrow();
    });
  });
});
