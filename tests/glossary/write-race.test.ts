import { afterEach, describe, it } from "vitest";
import { FileStore } from "../../server/storage/file-store.ts";
import { tempDir } from "../helpers.ts";
import { raceCreates, raceImports, raceRenames, raceVariants } from "./write-race.ts";

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
});
