import { afterAll, describe, it } from "vitest";
import {
  raceCreates,
  raceImports,
  raceRenames,
  raceRoom,
  raceUpdateRemove,
  raceVariants,
} from "../glossary/write-race.ts";
import { dropDatabases, onOneAndTwo } from "./database.ts";

afterAll(dropDatabases);

describe("glossary writes at once on PostgreSQL, in one process and in two", () => {
  it("eight creates of one source: one created, seven duplicates", () => onOneAndTwo(raceCreates), 60_000);

  it(
    "sources alike but for accents or case: one stands; case-sensitive ones differing in case all stand",
    () => onOneAndTwo(raceVariants),
    60_000,
  );

  it(
    "four imports of one CSV file count each term created once, in the answers and the audit",
    () => onOneAndTwo(raceImports),
    60_000,
  );

  it(
    "two terms renamed to one source: one rename stands, the other is a duplicate",
    () => onOneAndTwo(raceRenames),
    60_000,
  );

  it(
    "creates and imports at once with room for three: the store lets in three at most",
    () => onOneAndTwo(raceRoom),
    60_000,
  );

  it(
    "a term updated and removed at once: never brought back, removed once",
    () => onOneAndTwo(raceUpdateRemove),
    60_000,
  );
});
