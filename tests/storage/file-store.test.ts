import { type ChildProcess, spawn } from "node:child_process";
import { appendFile, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileStore } from "../../server/storage/file-store.ts";
import { StoreCorruptError, StoreLockedError } from "../../server/storage/store.ts";
import { revisionEvent } from "../fixtures/records.ts";
import { tempDir } from "../helpers.ts";
import { storeContract } from "./contract.ts";

/** A document with a Spanish translation and no paragraphs: enough for log files to exist. */
const EMPTY_DOCUMENT = {
  id: "d",
  title: "t",
  slug: "t",
  sourceLang: "en",
  createdAt: "",
  createdBy: "",
  languages: ["es"],
  paragraphs: [],
};

/** What a crash leaves that a clean stop does not: no clean-stop marker, so start-up recovers. */
async function crashed(dir: string): Promise<void> {
  await rm(path.join(dir, "clean-stop.json"), { force: true });
}

/** A data directory as a first start leaves it: meta written before any data. */
async function initialisedDir(): Promise<string> {
  const dir = await tempDir();
  const s = await FileStore.open(dir);
  await s.setMeta({ version: 2, initializedAt: "2026-01-01T00:00:00.000Z" });
  await s.writeTerms([], [], { at: "a", actor: "glosa", action: "seed", object: "glossary" });
  await s.putUser({ username: "admin", role: "admin", passwordHash: "h", disabled: false, createdAt: "c" });
  await s.close();
  return dir;
}

storeContract(
  "FileStore",
  (dir) => FileStore.open(dir),
  () => tempDir(),
);

describe("FileStore on disk", () => {
  it("refuses a second owner of the data directory, and lets go on close", async () => {
    const dir = await tempDir();
    const a = await FileStore.open(dir);
    await expect(FileStore.open(dir)).rejects.toBeInstanceOf(StoreLockedError);
    await a.close();
    const b = await FileStore.open(dir);
    await b.close();
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "glosa.lock"), "999999999\n");
    const s = await FileStore.open(dir);
    await s.close();
  });

  it("stops on a corrupt JSON file, names it, and leaves it as it was", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "meta.json");
    await writeFile(file, '{"version": ');
    const error = await FileStore.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain(file);
    expect(await readFile(file, "utf8")).toBe('{"version": ');
    // The lock was released: fixing the file lets the store open.
    await writeFile(file, '{"version": 2}');
    await (await FileStore.open(dir)).close();
  });

  it("stops on a damaged line inside the glossary log, naming it", async () => {
    const dir = await initialisedDir();
    const file = path.join(dir, "glossary.jsonl");
    await appendFile(file, 'garbage\n{"tx":99,"put":[]}\n');
    await expect(FileStore.open(dir)).rejects.toThrow(file);
  });

  it("finds a damaged line inside a translation log when the history is first read, naming the file", async () => {
    const dir = await initialisedDir();
    const s = await FileStore.open(dir);
    await s.putDocument(EMPTY_DOCUMENT);
    await s.close();
    const log = path.join(dir, "translations", "d", "es.jsonl");
    await mkdir(path.dirname(log), { recursive: true });
    await writeFile(log, 'garbage\n{"type":"revision","pid":"p1","revision":1}\n');
    // Start-up reads each history's tail only, which is sound here.
    const again = await FileStore.open(dir);
    await expect(again.readTranslationEvents("d", "es")).rejects.toThrow(log);
    await expect(again.appendTranslationEvents("d", "es", [revisionEvent(2, "x")])).rejects.toThrow(log);
    expect(await readFile(log, "utf8")).toBe('garbage\n{"type":"revision","pid":"p1","revision":1}\n');
    await again.close();
  });

  it("stops at start-up on a damaged last line of a translation log", async () => {
    const dir = await initialisedDir();
    const log = path.join(dir, "translations", "d", "es.jsonl");
    await mkdir(path.dirname(log), { recursive: true });
    await writeFile(log, '{"type":"revision","pid":"p1","revision":1}\ngarbage\n');
    await crashed(dir);
    await expect(FileStore.open(dir)).rejects.toThrow(log);
  });

  it("drops a torn last line (a write that was never acknowledged) and keeps the rest", async () => {
    const dir = await initialisedDir();
    const s = await FileStore.open(dir);
    await s.putDocument(EMPTY_DOCUMENT);
    await s.appendTranslationEvents("d", "es", [revisionEvent(1, "a")]);
    await s.close();
    const log = path.join(dir, "translations", "d", "es.jsonl");
    await appendFile(log, '{"type":"revision","pid":"p1","rev');
    await crashed(dir);
    const again = await FileStore.open(dir);
    expect(await again.readTranslationEvents("d", "es")).toHaveLength(1);
    await again.appendTranslationEvents("d", "es", [revisionEvent(2, "b")]);
    expect((await again.readTranslationEvents("d", "es")).map((e) => e.revision)).toEqual([1, 2]);
    await again.close();
  });

  it("keeps secrets in files only the owner can read", async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.secret("session-secret", () => "x".repeat(64));
    expect((await stat(path.join(dir, "secrets", "session-secret"))).mode & 0o777).toBe(0o600);
    await s.close();
  });

  it("survives SIGKILL in the middle of writes with every acknowledged write", async () => {
    const dir = await tempDir();
    for (let round = 0; round < 6; round++) {
      const child: ChildProcess = spawn(
        process.execPath,
        ["--import", "tsx", "tests/fixtures/crash-writer.ts", dir],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      await new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (output.includes("ack ")) {
            clearInterval(poll);
            setTimeout(resolve, 50 + Math.random() * 250);
          } else if (Date.now() - started > 15_000) {
            clearInterval(poll);
            reject(new Error("writer did not start"));
          }
        }, 10);
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      const acked = [...output.matchAll(/ack (\d+)/g)].map((m) => Number(m[1]));
      const store = await FileStore.open(dir);
      const revisions = (await store.readTranslationEvents("doc", "es")).map((e) => e.revision);
      const terms = new Set((await store.listTerms()).map((t) => t.id));
      const audit = await store.listAudit(1_000_000);
      await store.close();
      expect(acked.length).toBeGreaterThan(0);
      for (const n of acked) expect(revisions).toContain(n);
      // Revisions are consecutive: no batch half-written, nothing in between.
      expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
      // Every batch that is there has its audit entry, and no entry lacks its batch.
      const batchEnds = audit
        .filter((e) => e.action === "translation.import")
        .map((e) => (e.details as { upTo: number }).upTo)
        .sort((a, b) => a - b);
      expect(batchEnds.at(-1) ?? 0).toBe(revisions.length);
      expect(new Set(batchEnds).size).toBe(batchEnds.length);
      for (const end of batchEnds) expect(revisions).toContain(end);
      const termEntries = audit
        .filter((e) => e.action === "term.create")
        .map((e) => e.object.slice("term:".length));
      expect(new Set(termEntries)).toEqual(terms);
    }
  }, 120_000);
});

describe("FileStore documents in memory", () => {
  const documentNumber = (i: number) => ({
    ...EMPTY_DOCUMENT,
    id: `doc${String(i).padStart(3, "0")}`,
    title: `Story ${i}`,
    createdAt: `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}.${String(i).padStart(3, "0")}Z`,
    paragraphs: [
      { id: "p1", index: 0, kind: "paragraph" as const, source: `Paragraph ${i} ${"x".repeat(1_000)}` },
    ],
  });

  it("keeps them within a size bound, least recently used out, and reads the others again from disk", async () => {
    const dir = await initialisedDir();
    let store = await FileStore.open(dir, { documentCacheBytes: 20_000 });
    const all = Array.from({ length: 60 }, (_, i) => documentNumber(i));
    for (const doc of all) await store.putDocument(doc);
    // 60 documents of ~2.7 KB each: far more than 20 KB.
    expect(store.cachedDocumentBytes).toBeGreaterThan(0);
    expect(store.cachedDocumentBytes).toBeLessThanOrEqual(20_000);
    expect(await store.getDocument("doc000")).toEqual(all[0]);
    expect(store.cachedDocumentBytes).toBeLessThanOrEqual(20_000);
    const page = await store.listDocumentsPage({ limit: 50 });
    expect(page.documents.map((d) => d.id)).toEqual(all.slice(0, 50).map((d) => d.id));
    await store.putDocument({ ...(all[0] as typeof EMPTY_DOCUMENT), title: "Rewritten" });
    expect((await store.getDocument("doc000"))?.title).toBe("Rewritten");
    expect(await store.listDocuments()).toHaveLength(60);
    expect(store.cachedDocumentBytes).toBeLessThanOrEqual(20_000);
    expect(await store.getDocument("nope")).toBeUndefined();
    await store.close();

    store = await FileStore.open(dir, { documentCacheBytes: 20_000 });
    expect((await store.listDocuments()).map((d) => d.title).sort()).toContain("Rewritten");
    expect(store.cachedDocumentBytes).toBeLessThanOrEqual(20_000);
    expect(await store.getDocument("doc059")).toEqual(all[59]);
    await store.close();
  });
});
