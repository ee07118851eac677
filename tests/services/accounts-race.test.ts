import { afterEach, describe, it } from "vitest";
import { FileStore } from "../../server/storage/file-store.ts";
import { tempDir } from "../helpers.ts";
import { raceCreateUser, raceDisableReset, raceLastAdmins } from "./accounts-race.ts";

describe("account changes at once on the file store", () => {
  let store: FileStore | undefined;
  const open = async () => {
    store = await FileStore.open(await tempDir());
    return store;
  };
  afterEach(async () => {
    await store?.close();
  });

  it("four creates of one username: one user, with its password, and one audit entry", async () => {
    await raceCreateUser(await open());
  });

  it("a disable and a password reset at once: the user stays disabled, with the new password", async () => {
    await raceDisableReset(await open());
  });

  it("two admins demoting each other at once: one admin is left", async () => {
    await raceLastAdmins(await open());
  });
});
