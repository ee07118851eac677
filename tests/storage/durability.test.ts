/**
 * What the file store promises when the disk fails or the process dies between two writes:
 * a failed write changes nothing and is never acknowledged, the store decides conflicts, and a
 * change never exists without its audit entry.
 */

import { execFileSync } from "node:child_process";
import { appendFile, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DiskWriter } from "../../server/storage/commit-log.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { StorageUnavailableError, StoreCorruptError } from "../../server/storage/store.ts";
import { PLAIN_TERM, plainDocument, plainUser, revisionEvent } from "../fixtures/records.ts";
import { tempDir } from "../helpers.ts";
import { fillableDisk, onTmpfs } from "./disks.ts";

const AUDIT = { at: "2026-01-01T00:00:00.000Z", actor: "tina", action: "translation.save", object: "x" };

async function openFresh(disk?: DiskWriter) {
  const dir = await tempDir();
  const store = await FileStore.open(dir, disk ? { disk } : {});
  await store.setMeta({ version: 2, initializedAt: "2026-01-01T00:00:00.000Z" });
  await store.putUser(plainUser("tina"));
  await store.writeTerms([], [], { ...AUDIT, action: "seed" });
  return { dir, store };
}

describe("a full disk", () => {
  it("refuses an append, leaves the history as it was, and takes the next append whole", async () => {
    const disk = fillableDisk();
    const { dir, store } = await openFresh(disk);
    const log = path.join(dir, "translations", "d", "es.jsonl");
    await store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno")], AUDIT);
    const before = await readFile(log);

    disk.full = true;
    await expect(
      store.appendTranslationEvents("d", "es", [revisionEvent(2, "dos ".repeat(500))], AUDIT),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await readFile(log)).toEqual(before);

    disk.full = false;
    await store.appendTranslationEvents("d", "es", [revisionEvent(2, "dos")], AUDIT);
    await store.close();

    const again = await FileStore.open(dir);
    expect(
      (await again.readTranslationEvents("d", "es")).map((e) => (e.type === "revision" ? e.text : "")),
    ).toEqual(["uno", "dos"]);
    await again.close();
  });

  it("never lets a refused glossary write appear later, in memory or on disk", async () => {
    const disk = fillableDisk();
    const { dir, store } = await openFresh(disk);
    disk.full = true;
    await expect(store.writeTerms([{ ...PLAIN_TERM, id: "lost" }], [], AUDIT)).rejects.toBeInstanceOf(
      StorageUnavailableError,
    );
    disk.full = false;
    await store.writeTerms([{ ...PLAIN_TERM, id: "kept" }], [], AUDIT);
    expect((await store.listTerms()).map((t) => t.id)).toEqual(["kept"]);
    await store.close();
    const again = await FileStore.open(dir);
    expect((await again.listTerms()).map((t) => t.id)).toEqual(["kept"]);
    expect((await again.listAudit(10)).filter((e) => e.action === "translation.save")).toHaveLength(1);
    await again.close();
  });

  it("fails every append queued behind a failed one: none is written after a gap", async () => {
    const disk = fillableDisk();
    const { dir, store } = await openFresh(disk);
    await store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno")], AUDIT);
    disk.full = true;
    const racing = [2, 3, 4].map((n) =>
      store.appendTranslationEvents("d", "es", [revisionEvent(n, `t${n}`)], AUDIT).then(
        () => "ok",
        (e: unknown) => (e as Error).name,
      ),
    );
    const first = await racing[0];
    disk.full = false;
    const results = [first, ...(await Promise.all(racing.slice(1)))];
    expect(results[0]).toBe("StorageUnavailableError");
    await store.close();
    const again = await FileStore.open(dir);
    const revisions = (await again.readTranslationEvents("d", "es")).map((e) => e.revision);
    expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
    await again.close();
  });

  it("on a real tmpfs, where this machine lets the test mount one", async () => {
    await onTmpfs("400k", async (mount) => {
      const store = await FileStore.open(mount);
      await store.setMeta({ version: 2, initializedAt: "now" });
      await store.putUser(plainUser("t"));
      await store.writeTerms([], [], AUDIT);
      let acknowledged = 0;
      let refused = 0;
      for (let n = 1; n <= 400; n++) {
        try {
          await store.appendTranslationEvents(
            "d",
            "es",
            [revisionEvent(acknowledged + 1, `${n} ${"x".repeat(2000)}`)],
            AUDIT,
          );
          acknowledged++;
        } catch (error) {
          expect(error).toBeInstanceOf(StorageUnavailableError);
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(0);
      await store.close().catch(() => undefined);
      // Still full: a start that needs to write (to complete the audit index) says the disk is full,
      // not that the data is damaged, and changes no log.
      const logBefore = await readFile(path.join(mount, "translations", "d", "es.jsonl"));
      const early = await FileStore.open(mount).catch((error: unknown) => error);
      if (early instanceof FileStore) await early.close().catch(() => undefined);
      else expect(early).toBeInstanceOf(StorageUnavailableError);
      expect(await readFile(path.join(mount, "translations", "d", "es.jsonl"))).toEqual(logBefore);
      // Space freed (the disk grown, as an operator would): every acknowledged save is there and the store starts.
      execFileSync("mount", ["-o", "remount,size=2m", mount], { stdio: "ignore" });
      const again = await FileStore.open(mount);
      expect(await again.readTranslationEvents("d", "es")).toHaveLength(acknowledged);
      await again.appendTranslationEvents("d", "es", [revisionEvent(acknowledged + 1, "after")], AUDIT);
      await again.close();
    });
  });
});

// The conflict and atomicity tests every adapter must pass are in contract.ts.
describe("the store decides conflicts", () => {
  it("commits appends that arrive together with fewer writes than appends", async () => {
    const disk = fillableDisk();
    const { store } = await openFresh(disk);
    const before = disk.writes;
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.appendTranslationEvents("d", "es", [revisionEvent(1, `t${i}`, { pid: `p${i}` })], AUDIT),
      ),
    );
    // One for the first, then one for everything that queued behind it (plus the audit index).
    expect(disk.writes - before).toBeLessThanOrEqual(5);
    expect(await store.readTranslationEvents("d", "es")).toHaveLength(8);
    await store.close();
  });
});

describe("a change and its audit entry", () => {
  it("are one write: a commit whose audit entry never reached the index is indexed at start-up", async () => {
    const { dir, store } = await openFresh();
    await store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno")], AUDIT);
    await store.close();
    // A crash right after the commit, before the index: the commit is there, the index lacks it,
    // and there is no clean-stop marker.
    await rm(path.join(dir, "clean-stop.json"));
    const log = path.join(dir, "translations", "d", "es.jsonl");
    await appendFile(
      log,
      `${JSON.stringify({ tx: 1000, audit: { ...AUDIT, action: "translation.import" }, events: [revisionEvent(2, "dos")] })}\n`,
    );
    const again = await FileStore.open(dir);
    expect((await again.listAudit(1))[0]?.action).toBe("translation.import");
    await again.appendTranslationEvents("d", "es", [revisionEvent(3, "tres")], AUDIT);
    await again.close();
    await rm(path.join(dir, "clean-stop.json"));
    const third = await FileStore.open(dir);
    const actions = (await third.listAudit(100)).map((e) => e.action);
    expect(actions.filter((a) => a === "translation.import")).toHaveLength(1);
    expect(actions.filter((a) => a === "translation.save")).toHaveLength(2);
    await third.close();
  });
});

describe("a clean stop", () => {
  it("lets the next start skip recovery, and a torn line is still never appended after", async () => {
    const { dir, store } = await openFresh();
    await store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno")], AUDIT);
    await store.close();
    expect(JSON.parse(await readFile(path.join(dir, "clean-stop.json"), "utf8")).tx).toBeGreaterThan(0);
    // Bytes that no crash could have left after a clean stop: appending must still not follow them.
    await appendFile(path.join(dir, "translations", "d", "es.jsonl"), '{"tx":99,"ev');
    const again = await FileStore.open(dir);
    await expect(stat(path.join(dir, "clean-stop.json"))).rejects.toThrow();
    await again.appendTranslationEvents("d", "es", [revisionEvent(2, "dos")], AUDIT);
    expect(await again.readTranslationEvents("d", "es")).toHaveLength(2);
    await again.close();
  });
});

describe("a data directory missing a file it must have", () => {
  it("is refused when meta.json is gone but data is there, rather than seeded again", async () => {
    const { dir, store } = await openFresh();
    await store.close();
    await rm(path.join(dir, "meta.json"));
    const error = await FileStore.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain("meta.json");
  });

  it("is refused when the glossary or the accounts are gone from an initialised directory", async () => {
    for (const file of ["glossary.jsonl", "accounts.jsonl"]) {
      const { dir, store } = await openFresh();
      await store.close();
      await rm(path.join(dir, file));
      await expect(FileStore.open(dir)).rejects.toThrow(path.join(dir, file));
    }
  });
});

describe("a data directory of the first layout", () => {
  it("is converted: whole-file accounts, glossary and documents become logs, nothing lost", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "meta.json"), JSON.stringify({ version: 1, initializedAt: "then" }));
    await writeFile(
      path.join(dir, "accounts.json"),
      JSON.stringify({
        users: [{ username: "admin", role: "admin", passwordHash: "h", disabled: false, createdAt: "c" }],
        tokens: [],
      }),
    );
    await writeFile(path.join(dir, "glossary.json"), JSON.stringify({ terms: [PLAIN_TERM] }));
    await mkdir(path.join(dir, "documents"));
    const doc = plainDocument("d");
    await writeFile(path.join(dir, "documents", "d.json"), JSON.stringify(doc));
    await mkdir(path.join(dir, "translations", "d"), { recursive: true });
    await writeFile(
      path.join(dir, "translations", "d", "es.jsonl"),
      `${JSON.stringify(revisionEvent(1, "uno"))}\n`,
    );
    await writeFile(path.join(dir, "audit.jsonl"), `${JSON.stringify({ ...AUDIT, action: "old" })}\n`);

    const store = await FileStore.open(dir);
    expect(await store.getUser("admin")).toMatchObject({ role: "admin" });
    expect((await store.listTerms()).map((t) => t.id)).toEqual(["t"]);
    expect(await store.getDocument("d")).toEqual(doc);
    await store.appendTranslationEvents("d", "es", [revisionEvent(2, "dos")], AUDIT);
    expect(
      (await store.readTranslationEvents("d", "es")).map((e) => (e.type === "revision" ? e.text : "")),
    ).toEqual(["uno", "dos"]);
    expect((await store.getMeta())?.version).toBe(2);
    await store.close();
    await expect(stat(path.join(dir, "glossary.json"))).rejects.toThrow();
    const again = await FileStore.open(dir);
    expect((await again.listAudit(10)).map((e) => e.action)).toEqual(["translation.save", "old"]);
    await again.close();
  });
});
