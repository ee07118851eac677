import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../server/services/accounts.ts";
import { apiToken, makeApp, signIn, type TestApp, userWithRole } from "../helpers.ts";

/** A reset, a password change or a disable ends sessions and API tokens alike. */
describe("ending a user's access", () => {
  let t: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await makeApp();
    adminToken = await apiToken(t.app);
  });
  afterAll(() => t.close());

  const statusWith = async (token: string) =>
    (await request(t.app).get("/api/v1/documents").set("Authorization", `Bearer ${token}`)).status;

  it("an admin's password reset ends the user's API tokens as well as their sessions", async () => {
    const rosa = await userWithRole(t.app, adminToken, "rosa", "translator");
    const session = await signIn(t.app, "rosa", "rosa-password");
    expect(await statusWith(rosa.token)).toBe(200);
    const admin = await signIn(t.app);
    const reset = await admin.agent
      .post("/admin/users/rosa")
      .type("form")
      .send({ _csrf: admin.csrf, action: "password", password: "fresh-password-1" });
    expect(reset.status).toBe(303);
    expect(await statusWith(rosa.token)).toBe(401);
    expect((await session.agent.get("/")).status).toBe(303);
    expect(await t.store.listTokens("rosa")).toEqual([]);
    // The new password gives new tokens that work.
    expect(await statusWith(await apiToken(t.app, "rosa", "fresh-password-1"))).toBe(200);
  });

  it("changing one's own password ends one's API tokens", async () => {
    const omar = await userWithRole(t.app, adminToken, "omar", "translator");
    const { agent, csrf } = await signIn(t.app, "omar", "omar-password");
    const changed = await agent.post("/account/password").type("form").send({
      _csrf: csrf,
      current: "omar-password",
      password: "omar-new-password",
      confirm: "omar-new-password",
    });
    expect(changed.status).toBe(303);
    expect(await statusWith(omar.token)).toBe(401);
  });

  it("disabling a user ends their API tokens, and enabling them again does not bring them back", async () => {
    const dina = await userWithRole(t.app, adminToken, "dina", "translator");
    const admin = await signIn(t.app);
    const set = (action: string, confirm?: string) =>
      admin.agent
        .post("/admin/users/dina")
        .type("form")
        .send({ _csrf: admin.csrf, action, ...(confirm ? { confirm } : {}) });
    // Asked first: without the confirmation nothing changes, and the page asks.
    const asked = await set("disable");
    expect(asked.status).toBe(200);
    expect(asked.text).toContain("Disable dina?");
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect(await statusWith(dina.token)).toBe(200);
    expect((await set("disable", "yes")).status).toBe(303);
    expect(await statusWith(dina.token)).toBe(401);
    // The page says what was done, not only that the user changed.
    expect((await admin.agent.get("/admin/users")).text).toContain(
      "dina is disabled: signed out everywhere, their API tokens ended.",
    );
    expect((await set("enable")).status).toBe(303);
    expect(await statusWith(dina.token)).toBe(401);
    const page = (await admin.agent.get("/admin/users")).text;
    expect(page).toContain("dina can sign in again.");
    // Disable is offered on every row but the admin's own (the server refuses it there).
    expect(page).toContain('action="/admin/users/dina" class="inline" data-confirm=');
    expect(page).not.toMatch(/action="\/admin\/users\/admin" class="inline" data-confirm=/);
  });

  it("a token issued before the reset is refused even if it was left in the store", async () => {
    const lena = await userWithRole(t.app, adminToken, "lena", "translator");
    const [record] = await t.store.listTokens("lena");
    if (!record) throw new Error("no token stored");
    await t.app.services.accounts.setPassword("lena", "lena-new-password", "admin");
    // As if the process had died between saving the user and deleting the tokens.
    await t.store.putToken({ ...record, hash: hashToken(lena.token) });
    expect(await statusWith(lena.token)).toBe(401);
  });
});
