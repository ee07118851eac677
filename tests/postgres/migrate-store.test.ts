import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { copyStore, StoreNotEmptyError } from "../../server/storage/copy-store.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { PgStore } from "../../server/storage/pg-store.ts";
import type { Store } from "../../server/storage/store.ts";
import { PLAIN_TERM, plainDocument, revisionEvent } from "../fixtures/records.ts";
import { tempDir } from "../helpers.ts";
import { dirWithDuplicates } from "../storage/legacy-duplicates.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

afterAll(dropDatabases);

const AUDIT = { at: "2026-01-01T00:00:00.000Z", actor: "tina", action: "translation.save", object: "x" };

/** A data directory with some of everything, including the history of a language no longer listed. */
async function filledDir(): Promise<string> {
  const dir = await tempDir();
  const s = await FileStore.open(dir);
  await s.setMeta({ version: 2, initializedAt: "2026-01-01T00:00:00.000Z" });
  await s.putUser(
    { username: "admin", role: "admin", passwordHash: "h", disabled: false, createdAt: "c" },
    AUDIT,
  );
  await s.putToken({ id: "k", username: "admin", hash: "abc", name: "n", createdAt: "c" }, AUDIT);
  await s.writeTerms([PLAIN_TERM, { ...PLAIN_TERM, id: "t2", source: "two" }], [], AUDIT);
  await s.putDocument(plainDocument("d"));
  for (let n = 1; n <= 30; n++)
    await s.appendTranslationEvents("d", "es", [revisionEvent(n, `t${n}`)], AUDIT);
  await s.appendTranslationEvents(
    "d",
    "es",
    [{ type: "review", pid: "p1", revision: 30, action: "approve", author: "e", createdAt: "c" }],
    AUDIT,
  );
  await s.appendTranslationEvents("d", "fr", [revisionEvent(1, "un")], AUDIT);
  await s.putComment(
    {
      id: "c1",
      documentId: "d",
      pid: "p1",
      scope: "source",
      lang: "es",
      author: "admin",
      text: "now",
      createdAt: "c",
      mentions: [],
      resolved: false,
      history: [{ text: "before", action: "edit", by: "admin", at: "c" }],
    },
    AUDIT,
  );
  await s.addMemoryUnits(
    [
      {
        id: "m1",
        sourceLang: "en",
        targetLang: "es",
        source: "chainsaw",
        target: "motosierra",
        tool: "OmegaT",
        createdAt: "c",
        createdBy: "e",
      },
    ],
    () => AUDIT,
  );
  await s.putQualitySettings("es", { checks: { spelling: { enabled: false } }, titleLimit: 90 });
  await s.addAcceptedWords("es", ["cambiario"]);
  await s.close();
  return dir;
}

async function snapshot(store: Store) {
  return {
    meta: await store.getMeta(),
    users: await store.listUsers(),
    tokens: await store.listTokens(),
    terms: await store.listTerms(),
    documents: await store.listDocuments(),
    es: await store.readTranslationEvents("d", "es"),
    fr: await store.readTranslationEvents("d", "fr"),
    audit: await store.listAudit(1000),
    comments: await store.listComments("d"),
    memory: await store.listMemoryUnits(),
    quality: await store.readQuality(),
  };
}

describe("copying a store", () => {
  it("moves a data directory into PostgreSQL and back, losing nothing", async () => {
    const dir = await filledDir();
    const url = await freshDatabase();
    const file = await FileStore.open(dir);
    const pg = await PgStore.open(url);
    const counts = await copyStore(file, pg);
    expect(counts).toEqual({
      users: 1,
      tokens: 1,
      terms: 2,
      documents: 1,
      histories: 2,
      events: 32,
      audit: 37,
      comments: 1,
      sourceVersions: 0,
      memoryUnits: 1,
    });
    const original = await snapshot(file);
    expect(await snapshot(pg)).toEqual(original);
    await file.close();

    const back = await FileStore.open(await tempDir());
    await copyStore(pg, back);
    expect(await snapshot(back)).toEqual(original);
    await back.close();
    await pg.close();
  });

  it("stops at duplicate terms the source holds from before the rule was the store's, naming both", async () => {
    const file = await FileStore.open(await dirWithDuplicates());
    const pg = await PgStore.open(await freshDatabase());
    await expect(copyStore(file, pg)).rejects.toThrow(/"Café" \(a\) and "cafe" \(b\): delete or rename one/);
    await Promise.all([file.close(), pg.close()]);
  });

  it("refuses a target that holds data, writing nothing into it", async () => {
    const url = await freshDatabase();
    const pg = await PgStore.open(url);
    await pg.writeTerms([PLAIN_TERM], [], AUDIT);
    const file = await FileStore.open(await filledDir());
    await expect(copyStore(file, pg)).rejects.toBeInstanceOf(StoreNotEmptyError);
    expect(await pg.listUsers()).toEqual([]);
    await Promise.all([file.close(), pg.close()]);
  });

  it("runs as npm run migrate-store -- --from <dir> --to <url>", async () => {
    const dir = await filledDir();
    const url = await freshDatabase();
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "server/cli/migrate-store.ts", "--from", dir, "--to", url],
      {
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("32 events");
    const again = spawnSync(
      process.execPath,
      ["--import", "tsx", "server/cli/migrate-store.ts", "--from", dir, "--to", url],
      {
        encoding: "utf8",
      },
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("is not empty");
  });

  it("copies a document's kept source versions too", async () => {
    const dir = await filledDir();
    const file = await FileStore.open(dir);
    const doc = await file.getDocument("d");
    if (!doc) throw new Error("no document");
    const v2 = { ...doc, version: 2, title: "T2" };
    const record = (d: typeof doc, version: number) => ({
      documentId: d.id,
      version,
      title: d.title,
      paragraphs: d.paragraphs,
      createdAt: "2026-01-02T00:00:00.000Z",
      createdBy: "ed",
    });
    await file.updateDocumentSource(v2, [record(doc, 1), record(v2, 2)], 1, AUDIT);
    const pg = await PgStore.open(await freshDatabase());
    const counts = await copyStore(file, pg);
    expect(counts.sourceVersions).toBe(2);
    expect(await pg.listSourceVersions("d")).toEqual(await file.listSourceVersions("d"));
    expect((await pg.getDocument("d"))?.version).toBe(2);
    await Promise.all([file.close(), pg.close()]);
  });
});
