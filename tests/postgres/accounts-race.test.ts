import { afterAll, describe, it } from "vitest";
import { raceCreateUser, raceDisableReset, raceLastAdmins } from "../services/accounts-race.ts";
import { dropDatabases, onOneAndTwo } from "./database.ts";

afterAll(dropDatabases);

describe("account changes at once on PostgreSQL, in one process and in two", () => {
  it(
    "four creates of one username: one user, with its password, and one audit entry",
    () => onOneAndTwo(raceCreateUser),
    60_000,
  );

  it(
    "a disable and a password reset at once: the user stays disabled, with the new password",
    () => onOneAndTwo(raceDisableReset),
    60_000,
  );

  it("two admins demoting each other at once: one admin is left", () => onOneAndTwo(raceLastAdmins), 60_000);
});
