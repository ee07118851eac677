/**
 * The file store's batch across histories when the disk fails between two of them: what was
 * written stays written and says so in the audit log, what was not is not, and every history's
 * heads stay true so the next appends are checked against what is on disk.
 */

import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { type DiskWriter, REAL_DISK } from "../../server/storage/commit-log.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { RevisionConflictError, StorageUnavailableError } from "../../server/storage/store.ts";
import type { Document } from "../../translations/document.ts";
import { revisionEvent } from "../fixtures/records.ts";
import { tempDir } from "../helpers.ts";

const AUDIT = {
  at: "2026-01-01T00:00:00.000Z",
  actor: "eddie",
  action: "translation.replace",
  object: "batch:b",
};
const MARKER = Buffer.from("DISK-FAILS-HERE");

/** A disk that refuses any write holding the marker, half-writing it first as a real one can. */
const markedDisk: DiskWriter = {
  async write(handle, data, position) {
    if (!data.includes(MARKER)) return REAL_DISK.write(handle, data, position);
    await REAL_DISK.write(handle, data.subarray(0, Math.floor(data.length / 2)), position);
    throw Object.assign(new Error("EIO: i/o error"), { code: "EIO" });
  },
};

const doc = (id: string): Document => ({
  id,
  title: id,
  slug: id,
  sourceLang: "en",
  createdAt: "2026-01-01T00:00:00.000Z",
  createdBy: "eddie",
  languages: ["es"],
  paragraphs: [{ id: "p1", index: 0, kind: "title", source: "T" }],
});

describe("file store batch when the disk fails between histories", () => {
  it("keeps the histories written, records that the batch is incomplete, and writes none of the rest", async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir, { disk: markedDisk });
    try {
      for (const id of ["d1", "d2", "d3"]) await store.putDocument(doc(id));
      await store.appendTranslationEvents("d3", "es", [revisionEvent(1, "Tres")]);
      const failed = store.appendTranslationBatch(
        [
          { documentId: "d1", lang: "es", events: [revisionEvent(1, "Uno")] },
          { documentId: "d2", lang: "es", events: [revisionEvent(1, "DISK-FAILS-HERE")] },
          { documentId: "d3", lang: "es", events: [revisionEvent(2, "Tres bis")] },
        ],
        AUDIT,
      );
      await expect(failed).rejects.toBeInstanceOf(StorageUnavailableError);
      expect((await store.readTranslationEvents("d1", "es")).map((e) => e.revision)).toEqual([1]);
      expect(await store.readTranslationEvents("d2", "es")).toEqual([]);
      expect((await store.readTranslationEvents("d3", "es")).map((e) => e.revision)).toEqual([1]);
      const actions = (await store.listAudit(10)).map((e) => e.action);
      expect(actions).toContain("translation.replace");
      expect(actions).toContain("translation.batch_incomplete");
      // Heads are true to the disk: d1 is at 1, d2 and d3 where they were.
      await expect(store.appendTranslationEvents("d1", "es", [revisionEvent(1, "x")])).rejects.toBeInstanceOf(
        RevisionConflictError,
      );
      await store.appendTranslationEvents("d2", "es", [revisionEvent(1, "Dos")]);
      await store.appendTranslationEvents("d3", "es", [revisionEvent(2, "Tres bis")]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("puts the heads back when a later history conflicts, so nothing is half-checked", async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    try {
      for (const id of ["d1", "d2"]) await store.putDocument(doc(id));
      await store.appendTranslationEvents("d2", "es", [revisionEvent(1, "Dos")]);
      await expect(
        store.appendTranslationBatch(
          [
            { documentId: "d1", lang: "es", events: [revisionEvent(1, "Uno")] },
            { documentId: "d2", lang: "es", events: [revisionEvent(1, "Otra")] },
          ],
          AUDIT,
        ),
      ).rejects.toBeInstanceOf(RevisionConflictError);
      await store.appendTranslationEvents("d1", "es", [revisionEvent(1, "Uno")]);
      expect((await store.listAudit(10)).map((e) => e.action)).not.toContain("translation.replace");
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
