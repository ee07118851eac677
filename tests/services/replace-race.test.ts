/** The race of tests/services/replace-race.ts on the file store: a save checked but not yet on disk. */

import { afterAll, beforeAll, describe, it } from "vitest";
import { makeApp, type TestApp } from "../helpers.ts";
import { heldWhile, holdingDisk, raceSaveAgainstBatch } from "./replace-race.ts";

describe("find and replace racing a save on the file store", () => {
  const disk = holdingDisk();
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp({}, { disk });
  });
  afterAll(() => t.close());

  it("skips the paragraph saved first as changed and writes the rest, for apply and undo", async () => {
    await raceSaveAgainstBatch(t.app.services, t.store, (start) => heldWhile(disk, start));
  });
});
