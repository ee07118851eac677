import { afterEach, describe, it } from "vitest";
import { FileStore } from "../../server/storage/file-store.ts";
import { tempDir } from "../helpers.ts";
import {
  raceCreates,
  raceImports,
  raceRenames,
  raceRoom,
  raceUpdateRemove,
  raceVariants,
} from "./write-race.ts";

describe("glossary writes at once on the file store", () => {
  let store: FileStore | undefined;
  const open = async () => {
    store = await FileStore.open(await tempDir());
    return store;
  };
  afterEach(async () => {
    await store?.close();
  });

  it("eight creates of one source: one created, seven duplicates", async () => {
    await raceCreates(await open());
  });

  it("sources alike but for accents or case: one stands; case-sensitive ones differing in case all stand", async () => {
    await raceVariants(await open());
  });

  it("four imports of one CSV file count each term created once, in the answers and the audit", async () => {
    await raceImports(await open());
  });

  it("two terms renamed to one source: one rename stands, the other is a duplicate", async () => {
    await raceRenames(await open());
  });

  it("creates and imports at once with room for three: the store lets in three at most", async () => {
    await raceRoom(await open());
  });

  it("a term updated and removed at once: never brought back, removed once", async () => {
    await raceUpdateRemove(await open());
  });
});
