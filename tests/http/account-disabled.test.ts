/**
 * An account disabled by an admin (trial): its open session and its sign-in say so, rather than
 * "your session has ended" and then "wrong username or password" to someone who tries again and again.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { csrfFrom, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const API = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;

describe("a disabled account", () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  const setDisabled = async (disabled: boolean) => {
    const admin = await signIn(t.app);
    const res = await admin.agent
      .post("/admin/users/tina")
      .type("form")
      .send({ _csrf: admin.csrf, action: disabled ? "disable" : "enable", confirm: "yes" });
    expect(res.status).toBeLessThan(400);
    expect((await t.store.getUser("tina"))?.disabled).toBe(disabled);
  };
  const signInForm = async (password: string, lng = "en") => {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get(`/login?lng=${lng}`)).text);
    return agent.post(`/login?lng=${lng}`).type("form").send({ _csrf: csrf, username: "tina", password });
  };

  it("is refused as disabled in its open session, at sign-in and for a token, and comes back only by signing in", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    await setDisabled(true);
    const body = { text: "El líder argentino esperaba.", baseRevision: 0 };
    // Every request of the session says so, the first and the ones after it.
    for (let i = 0; i < 2; i++) {
      const save = await tina.agent.put(`${API}/paragraphs/p2`).set("X-CSRF-Token", tina.csrf).send(body);
      expect(save.status, JSON.stringify(save.body)).toBe(403);
      expect(save.body.error.code).toBe("account_disabled");
    }
    const page = await tina.agent.get(`/documents/${SEED_DOCUMENT_ID}/es?lng=es`);
    expect(page.status).toBe(403);
    expect(page.text).toContain("Esta cuenta está desactivada");

    // Signing in with the right password says so; a wrong one says what it always said.
    const right = await signInForm("tina-password");
    expect(right.status).toBe(403);
    expect(right.text).toContain("This account is disabled. Ask an admin to enable it again.");
    expect(right.text).not.toContain("Wrong username or password");
    const wrong = await signInForm("not-her-password");
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("Wrong username or password");
    expect(wrong.text).not.toContain("disabled");
    const token = await request(t.app)
      .post("/api/v1/tokens")
      .send({ username: "tina", password: "tina-password" });
    expect(token.status).toBe(403);
    expect(token.body.error.code).toBe("account_disabled");

    // Enabled again, the old session stays signed out; signing in works.
    await setDisabled(false);
    expect((await tina.agent.get("/api/v1/documents")).status).toBe(401);
    const again = await signIn(t.app, "tina", "tina-password");
    expect((await again.agent.get("/api/v1/documents")).status).toBe(200);
  });
});
