/**
 * The race of tests/services/replace-race.ts on PostgreSQL: a save committed after the batch read
 * its states. The same answer as the file store's: the paragraph skipped as changed, the rest written.
 */

import { afterAll, describe, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import { PgStore } from "../../server/storage/pg-store.ts";
import { raceSaveAgainstBatch } from "../services/replace-race.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

afterAll(dropDatabases);

describe("find and replace racing a save on PostgreSQL", () => {
  it("skips the paragraph saved first as changed and writes the rest, for apply and undo", async () => {
    const store = await PgStore.open(await freshDatabase());
    const services = buildServices({ store, config: loadConfig({ GLOSA_LOG_LEVEL: "silent" }) });
    try {
      await raceSaveAgainstBatch(services, store, async (start) => {
        await start();
        return { done: Promise.resolve() };
      });
    } finally {
      await services.parse.close();
      await store.close();
    }
  });
});
