import { afterAll, describe, it } from "vitest";
import { PgStore } from "../../server/storage/pg-store.ts";
import { raceImports } from "../memory/import-race.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

afterAll(dropDatabases);

describe("TMX imports at once on PostgreSQL", () => {
  it("count each unit created once, in the answers and the audit", async () => {
    const store = await PgStore.open(await freshDatabase());
    try {
      await raceImports(store);
    } finally {
      await store.close();
    }
  }, 120_000);

  it("count each unit created once when two processes import the same file at once", async () => {
    const url = await freshDatabase();
    // Two stores on one database, each with its own pool, stand for two Glosa processes.
    const first = await PgStore.open(url);
    const second = await PgStore.open(url);
    try {
      await raceImports(first, second);
    } finally {
      await first.close();
      await second.close();
    }
  }, 120_000);
});
