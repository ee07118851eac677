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
});
