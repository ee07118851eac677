import { readdir } from "node:fs/promises";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DatabaseUnavailableError, PgStore } from "../../server/storage/pg-store.ts";
import { StorageUnavailableError } from "../../server/storage/store.ts";
import { storeContract } from "../storage/contract.ts";
import { ADMIN_URL, dropDatabases, freshDatabase } from "./database.ts";

afterAll(dropDatabases);

storeContract("PgStore", (url) => PgStore.open(url), freshDatabase);

async function tables(url: string, query: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(query)).rows;
  } finally {
    await client.end();
  }
}

describe("PgStore", () => {
  it("applies each migration once, even when processes start together", async () => {
    const url = await freshDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PgStore.open(url)));
    await Promise.all(stores.map((s) => s.close()));
    const again = await PgStore.open(url);
    await again.close();
    const applied = await tables(url, "SELECT version, name FROM schema_migrations ORDER BY version");
    // Every file in migrations/, once each (the list grows as areas add theirs).
    const files = (await readdir(new URL("../../server/storage/migrations/", import.meta.url))).sort();
    expect(applied).toEqual(files.map((name) => ({ version: Number.parseInt(name, 10), name })));
    expect(applied.slice(0, 4).map((m) => (m as { name: string }).name)).toEqual([
      "001_initial.sql",
      "002_append_function.sql",
      "003_document_versions.sql",
      "004_documents_page.sql",
    ]);
  });

  it("tells another store's subscribers a message as it was sent, quotes and backslashes included", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    try {
      const heard: unknown[] = [];
      b.pubsub.subscribe((message) => heard.push(message));
      await (b.pubsub as { ready(): Promise<void> }).ready();
      const message = { t: "paragraph", text: "It's a \\ 'quoted' \"text\" — ¿sí? $$ E'x'" };
      await a.pubsub.publish(message);
      await expect.poll(() => heard, { timeout: 5000 }).toEqual([message]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("sends the messages published within a few milliseconds in one statement, in order", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    const query = vi.spyOn(pg.Pool.prototype, "query");
    try {
      const heard: unknown[] = [];
      b.pubsub.subscribe((message) => heard.push(message));
      await (b.pubsub as { ready(): Promise<void> }).ready();
      query.mockClear();
      const messages = [
        { t: "memory", n: 1 },
        { t: "paragraph", n: 2 },
        { t: "memory", n: 3 },
      ];
      // From separate turns, as the saves of several editors arrive: one transaction still.
      const sent: Promise<void>[] = [];
      for (const m of messages) {
        sent.push(a.pubsub.publish(m));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await Promise.all(sent);
      expect(query).toHaveBeenCalledTimes(1);
      await expect.poll(() => heard, { timeout: 5000 }).toEqual(messages);
    } finally {
      query.mockRestore();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("sends the messages still gathering when the store closes", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    try {
      const heard: unknown[] = [];
      b.pubsub.subscribe((message) => heard.push(message));
      await (b.pubsub as { ready(): Promise<void> }).ready();
      void a.pubsub.publish({ t: "last" });
      await a.close();
      await expect.poll(() => heard, { timeout: 5000 }).toEqual([{ t: "last" }]);
    } finally {
      await b.close();
    }
  });

  it("names the problem when the database cannot be reached", async () => {
    const closed = new URL(ADMIN_URL);
    closed.port = "1";
    const error = await PgStore.open(closed.toString(), { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(/connection was refused/);
    expect((error as Error).message).toContain("GLOSA_DATABASE_URL");
  });

  it("names a database that does not exist, and never prints the password", async () => {
    const missing = new URL(ADMIN_URL);
    missing.pathname = "/glosa_no_such_database";
    missing.password = "s3cret-pass";
    const error = await PgStore.open(missing.toString()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toContain("glosa_no_such_database");
    expect((error as Error).message).not.toContain("s3cret-pass");
  });

  it("refuses a URL that is not a PostgreSQL URL", async () => {
    await expect(PgStore.open("mysql://localhost/x")).rejects.toThrow(/postgres:\/\//);
  });

  it("answers StorageUnavailableError (HTTP 503), not a crash, when the database goes away", async () => {
    const url = await freshDatabase();
    const store = await PgStore.open(url);
    await store.putUser({
      username: "u",
      role: "editor",
      passwordHash: "h",
      disabled: false,
      createdAt: "c",
    });
    const name = new URL(url).pathname.slice(1);
    await tables(ADMIN_URL, `DROP DATABASE ${name} WITH (FORCE)`);
    await expect(store.getUser("u")).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(
      store.appendTranslationEvents("d", "es", [
        {
          type: "revision",
          pid: "p1",
          revision: 1,
          text: "x",
          status: "translated",
          author: "u",
          createdAt: "c",
        },
      ]),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    await store.close();
  });

  it("keeps documents it read, and reads one again once another store changed it", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    const doc = {
      id: "d",
      title: "First",
      slug: "first",
      sourceLang: "en",
      createdAt: "c",
      createdBy: "u",
      languages: ["es"],
      paragraphs: [{ id: "p1", index: 0, kind: "title" as const, source: "First" }],
    };
    await a.putDocument(doc);
    await a.putDocument({ ...doc, id: "e" });
    expect((await a.getDocument("d"))?.title).toBe("First");
    expect((await a.listDocuments()).map((d) => d.title)).toEqual(["First", "First"]);
    await b.putDocument({ ...doc, title: "Second" });
    expect((await a.getDocument("d"))?.title).toBe("Second");
    await b.putDocument({ ...doc, id: "e", title: "Third" });
    expect((await a.listDocuments()).map((d) => d.title)).toEqual(["Second", "Third"]);
    expect(await a.getDocument("nope")).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it("sees what another store on the same database wrote, and its conflicts", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    const event = (n: number, text: string) => ({
      type: "revision" as const,
      pid: "p1",
      revision: n,
      text,
      status: "translated" as const,
      author: "u",
      createdAt: "c",
    });
    await a.appendTranslationEvents("d", "es", [event(1, "uno")]);
    expect(await b.translationVersion("d", "es")).toBe(await a.translationVersion("d", "es"));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).appendTranslationEvents("d", "es", [event(2, `t${i}`)]),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await b.readTranslationEvents("d", "es")).map((e) => e.revision)).toEqual([1, 2]);
    await Promise.all([a.close(), b.close()]);
  });
});
