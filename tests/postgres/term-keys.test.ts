/**
 * Migration 021: terms stored before the database kept the duplicate rule get their keys at the
 * next start-up; a duplicate stored back then keeps none, stays readable, and is checked when edited.
 */

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PgStore } from "../../server/storage/pg-store.ts";
import { DuplicateTermError } from "../../server/storage/store.ts";
import { PLAIN_TERM } from "../fixtures/records.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

afterAll(dropDatabases);

const term = (id: string, source: string, caseSensitive = false) => ({
  ...PLAIN_TERM,
  id,
  source,
  caseSensitive,
});

describe("the terms' duplicate keys on PostgreSQL (migration 021)", () => {
  it("are filled at start-up for terms stored before it, all but a duplicate of an earlier one", async () => {
    const url = await freshDatabase();
    await (await PgStore.open(url)).close();
    // The database as it was before 021, holding what processes checking only their memory let in.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("DELETE FROM schema_migrations WHERE version = 21");
      await client.query("ALTER TABLE terms DROP COLUMN exact_key, DROP COLUMN folded_key");
      const old = [term("a", "Café"), term("b", "cafe"), term("c", "US", true), term("d", "us", true)];
      for (const t of old)
        await client.query("INSERT INTO terms (id, data) VALUES ($1, $2)", [t.id, JSON.stringify(t)]);
    } finally {
      await client.end();
    }

    // Two processes starting at once: one applies 021 and fills the keys, the other waits for it.
    const [first, second] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    try {
      expect((await first.listTerms()).map((t) => t.id)).toEqual(["a", "b", "c", "d"]);
      await expect(first.writeTerms([term("e", "CAFÉ")])).rejects.toMatchObject({
        term: { id: "e" },
        held: { id: "a" },
      });
      await expect(second.writeTerms([term("f", "us", true)])).rejects.toBeInstanceOf(DuplicateTermError);
      // The duplicate kept from before is checked when edited, and can be removed.
      await expect(second.writeTerms([{ ...term("b", "cafe"), description: "x" }])).rejects.toMatchObject({
        held: { id: "a" },
      });
      await first.writeTerms([], ["b"]);
      await first.writeTerms([term("g", "Nato")]);
      await expect(second.writeTerms([term("h", "NATO")])).rejects.toBeInstanceOf(DuplicateTermError);
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);
});
