/**
 * Account changes racing each other, on one store or several on one database (several processes).
 * Each check used to pass against what its request read before the write: two creates of one
 * username both answered 201 and the second password stood; a password reset hashing while the user
 * was disabled wrote the user back enabled; two admins demoting each other left no admin. The store
 * decides now, so every store gives the answers one after another would.
 */

import { expect } from "vitest";
import { verifyPassword } from "../../server/accounts/passwords.ts";
import { AccountService } from "../../server/services/accounts.ts";
import { AuditLog } from "../../server/services/audit.ts";
import type { Store } from "../../server/storage/store.ts";
import { GlosaError } from "../../translations/errors.ts";

function services(stores: Store[]): (i: number) => AccountService {
  const list = stores.map((s) => new AccountService(s, new AuditLog(s, () => new Date()), () => new Date()));
  return (i) => list[i % list.length] as AccountService;
}

async function outcomes(writes: Promise<unknown>[]): Promise<string[]> {
  return (await Promise.allSettled(writes)).map((r) =>
    r.status === "fulfilled" ? "ok" : r.reason instanceof GlosaError ? r.reason.code : String(r.reason),
  );
}

/** Four creates of one username at once, each with its own password: one stands, as written. */
export async function raceCreateUser(...stores: [Store, ...Store[]]): Promise<void> {
  const service = services(stores);
  const passwords = [0, 1, 2, 3].map((i) => `password-number-${i}`);
  const results = await outcomes(
    passwords.map((password, i) =>
      service(i).create({ username: "maria", password, role: "translator" }, "admin"),
    ),
  );
  expect([...results].sort()).toEqual(["ok", "username_taken", "username_taken", "username_taken"]);
  const stored = await stores[0].getUser("maria");
  const winner = passwords[results.indexOf("ok")] as string;
  expect(await verifyPassword(stored?.passwordHash ?? "", winner)).toBe(true);
  const created = (await stores[0].listAudit(100)).filter((e) => e.action === "user.create");
  expect(created).toHaveLength(1);
}

/**
 * A user disabled while their password is reset (the reset hashes for a while first): both stand,
 * whichever writes last; the user stays disabled, with the new password, and no token left.
 */
export async function raceDisableReset(...stores: [Store, ...Store[]]): Promise<void> {
  const service = services(stores);
  const user = await service(0).create(
    { username: "rosa", password: "rosa-first-password", role: "editor" },
    "admin",
  );
  await service(0).issueToken(user, "laptop");
  const results = await outcomes([
    service(0).setPassword("rosa", "rosa-second-password", "admin"),
    service(1).setDisabled("rosa", true, "admin"),
  ]);
  expect(results).toEqual(["ok", "ok"]);
  const stored = await stores[0].getUser("rosa");
  expect(stored?.disabled).toBe(true);
  expect(await verifyPassword(stored?.passwordHash ?? "", "rosa-second-password")).toBe(true);
  expect(await stores[0].listTokens("rosa")).toEqual([]);
}

/** Two admins taking the role from each other at once: one is left admin. */
export async function raceLastAdmins(...stores: [Store, ...Store[]]): Promise<void> {
  const service = services(stores);
  for (const name of ["ada", "bea"])
    await service(0).create({ username: name, password: `${name}-long-password`, role: "admin" }, "setup");
  // Only these two can administer: the seeded admin, where there is one, is disabled.
  for (const other of await stores[0].listUsers())
    if (other.role === "admin" && other.username !== "ada" && other.username !== "bea")
      await service(0).setDisabled(other.username, true, "ada");
  const results = await outcomes([
    service(0).setRole("bea", "editor", "ada"),
    service(1).setRole("ada", "translator", "bea"),
  ]);
  expect([...results].sort()).toEqual(["last_admin", "ok"]);
  const admins = (await stores[0].listUsers()).filter((u) => u.role === "admin" && !u.disabled);
  expect(admins).toHaveLength(1);
  // Nor disabled, the last one.
  const last = admins[0]?.username as string;
  expect(await outcomes([service(1).setDisabled(last, true, "someone")])).toEqual(["last_admin"]);
}
