/**
 * GET /api/v1/session: who is calling and, for a browser session, its CSRF token. A page opened under
 * a session that has ended reads the new session's token here after its user signed in again in
 * another tab, and saves without a reload.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { csrfFrom, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const API = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;

describe("GET /api/v1/session", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  for (const [username, password, role] of [
    ["tina", "tina-password", "translator"],
    ["eddie", "eddie-password", "editor"],
    ["admin", undefined, "admin"],
  ] as const) {
    it(`answers ${username} (${role}) with the session's CSRF token, not cached and not readable cross-site`, async () => {
      const who = password ? await signIn(t.app, username, password) : await signIn(t.app);
      const res = await who.agent.get("/api/v1/session").set("Origin", "https://evil.example");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ username, role, csrfToken: who.csrf });
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    });
  }

  it("gives a page whose session ended the new session's token, which saves where the old one is refused", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const oldToken = tina.csrf;
    // Signed out in another tab: the page's calls are 401.
    await tina.agent.post("/logout").type("form").send({ _csrf: oldToken });
    const ended = await tina.agent.get("/api/v1/session");
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe("unauthorized");
    // Signed in again in that tab, with the same cookie jar: a new session, a new token.
    const login = await tina.agent.get("/login");
    const signedIn = await tina.agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(login.text), username: "tina", password: "tina-password", next: "/" });
    expect(signedIn.status).toBe(303);
    const body = { text: "Milei habló con Trump.", baseRevision: 0 };
    const stale = await tina.agent.put(`${API}/paragraphs/p3`).set("X-CSRF-Token", oldToken).send(body);
    expect(stale.status).toBe(403);
    expect(stale.body.error.code).toBe("invalid_csrf_token");
    const session = await tina.agent.get("/api/v1/session");
    expect(session.status).toBe(200);
    expect(session.body.username).toBe("tina");
    expect(session.body.csrfToken).not.toBe(oldToken);
    const saved = await tina.agent
      .put(`${API}/paragraphs/p3`)
      .set("X-CSRF-Token", session.body.csrfToken)
      .send(body);
    expect(saved.status).toBe(200);
    expect(saved.body.author).toBe("tina");
  });

  it("answers a bearer token with its user and no CSRF token, and starts no session", async () => {
    const res = await request(t.app).get("/api/v1/session").set("Authorization", `Bearer ${tokens.editor}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ username: "eddie", role: "editor" });
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("refuses a caller without a session or with a bad token with 401, and a disabled user's session with 403", async () => {
    const anonymous = await request(t.app).get("/api/v1/session");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("unauthorized");
    expect(anonymous.body.csrfToken).toBeUndefined();
    const bad = await request(t.app).get("/api/v1/session").set("Authorization", "Bearer nope");
    expect(bad.status).toBe(401);
    await request(t.app)
      .post("/api/v1/users")
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({ username: "dora", password: "dora-password", role: "translator" })
      .expect(201);
    const dora = await signIn(t.app, "dora", "dora-password");
    await t.app.services.accounts.setDisabled("dora", true, "admin");
    const disabled = await dora.agent.get("/api/v1/session");
    expect(disabled.status).toBe(403);
    expect(disabled.body.error.code).toBe("account_disabled");
    expect(disabled.body.csrfToken).toBeUndefined();
  });
});
