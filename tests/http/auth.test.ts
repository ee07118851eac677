import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import {
  ADMIN_PASSWORD,
  apiToken,
  csrfFrom,
  makeApp,
  signIn,
  type TestApp,
  userWithRole,
} from "../helpers.ts";

const doc = `/documents/${SEED_DOCUMENT_ID}/es`;

/** Every state-changing browser route, with the lowest role allowed and a body that would pass. */
const MUTATING: { path: string; role: "translator" | "editor" | "admin"; body: Record<string, string> }[] = [
  { path: `${doc}/paragraphs/p2`, role: "translator", body: { text: "Hola", baseRevision: "0" } },
  { path: `${doc}/paragraphs/p2/check`, role: "translator", body: { text: "Hola" } },
  { path: `/documents/${SEED_DOCUMENT_ID}/languages`, role: "editor", body: { lang: "fr" } },
  { path: "/documents", role: "editor", body: { sourceLang: "en", content: "Hello" } },
  {
    path: "/admin/users",
    role: "admin",
    body: { username: "newbie", password: "password1", role: "translator" },
  },
  { path: "/admin/users/admin", role: "admin", body: { action: "role", role: "admin" } },
  { path: "/account/tokens", role: "translator", body: { name: "x" } },
  { path: "/account/tokens/nope/revoke", role: "translator", body: {} },
  { path: `${doc}/paragraphs/p2/review`, role: "editor", body: { action: "approve", revision: "1" } },
  { path: `${doc}/paragraphs/p2/revert`, role: "translator", body: { revision: "1" } },
  {
    path: `${doc}/paragraphs/p2/waive`,
    role: "translator",
    body: { termId: "x", code: "missing-term", reason: "r" },
  },
  { path: `${doc}/import`, role: "translator", body: {} },
  {
    path: "/glossary/terms",
    role: "editor",
    body: { sourceLang: "en", source: "x", targetLang: "es", targetText: "y" },
  },
  { path: "/glossary/terms/nope", role: "editor", body: { sourceLang: "en", source: "x" } },
  { path: "/glossary/terms/nope/delete", role: "editor", body: { confirm: "yes" } },
  { path: "/glossary/import", role: "editor", body: {} },
  {
    path: "/account/password",
    role: "translator",
    body: { current: "x", password: "yyyyyyyy", confirm: "yyyyyyyy" },
  },
];

describe("accounts and security", () => {
  let t: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await makeApp();
    adminToken = await apiToken(t.app);
    await userWithRole(t.app, adminToken, "tina", "translator");
    await userWithRole(t.app, adminToken, "eddie", "editor");
    await userWithRole(t.app, adminToken, "tom", "translator");
  });
  afterAll(() => t.close());

  it("hashes passwords with Argon2id at the OWASP parameters", async () => {
    const admin = await t.store.getUser("admin");
    expect(admin?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(admin?.passwordHash).not.toContain(ADMIN_PASSWORD);
  });

  it("issues a new session id at sign-in (no fixation) and a safe cookie", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const before = (page.headers["set-cookie"] as unknown as string[]).find((c) =>
      c.startsWith("glosa.sid="),
    );
    expect(before).toMatch(/HttpOnly/);
    expect(before).toMatch(/SameSite=Lax/);
    const res = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), username: "admin", password: ADMIN_PASSWORD });
    const after = (res.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("glosa.sid="));
    expect(after).toBeDefined();
    expect(after?.split(";")[0]).not.toBe(before?.split(";")[0]);
  });

  it("signs out for real: the old session no longer works", async () => {
    const { agent, csrf } = await signIn(t.app);
    expect((await agent.post("/logout").type("form").send({ _csrf: csrf })).status).toBe(303);
    expect((await agent.get("/")).status).toBe(303);
  });

  it("follows only local next targets", async () => {
    for (const next of [
      "//evil.example",
      "https://evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "/%0d%0aSet-Cookie:x",
    ]) {
      const agent = request.agent(t.app);
      const page = await agent.get("/login");
      const res = await agent
        .post("/login")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), username: "admin", password: ADMIN_PASSWORD, next });
      expect(res.status).toBe(303);
      expect(res.headers.location?.startsWith("/")).toBe(true);
      expect(res.headers.location?.startsWith("//")).toBe(false);
      expect(res.headers.location).not.toContain("evil");
    }
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const res = await agent
      .post("/login")
      .type("form")
      .send({
        _csrf: csrfFrom(page.text),
        username: "admin",
        password: ADMIN_PASSWORD,
        next: "/glossary?q=a",
      });
    expect(res.headers.location).toBe("/glossary?q=a");
  });

  it("throttles sign-in after 5 failures for a username and address, with Retry-After; a success resets it", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const csrf = csrfFrom(page.text);
    const attempt = (password: string) =>
      agent.post("/login").type("form").send({ _csrf: csrf, username: "tom", password });
    for (let i = 0; i < 4; i++) expect((await attempt("wrong-password")).status).toBe(401);
    expect((await attempt("tom-password")).status).toBe(303);
    const again = request.agent(t.app);
    const p2 = await again.get("/login");
    const c2 = csrfFrom(p2.text);
    for (let i = 0; i < 5; i++)
      expect(
        (await again.post("/login").type("form").send({ _csrf: c2, username: "tom", password: "nope-nope" }))
          .status,
      ).toBe(401);
    const blocked = await again
      .post("/login")
      .type("form")
      .send({ _csrf: c2, username: "tom", password: "tom-password" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    // Another username from the same address is not affected.
    expect(
      (
        await again
          .post("/login")
          .type("form")
          .send({ _csrf: c2, username: "tina", password: "tina-password" })
      ).status,
    ).toBe(303);
  });

  it("throttles token requests the same way", async () => {
    for (let i = 0; i < 5; i++)
      expect(
        (await request(t.app).post("/api/v1/tokens").send({ username: "ghost", password: "wrong" })).status,
      ).toBe(401);
    const res = await request(t.app).post("/api/v1/tokens").send({ username: "ghost", password: "wrong" });
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBeDefined();
    expect(res.body.error.code).toBe("rate_limited");
  });

  describe("every mutating browser route", () => {
    for (const route of MUTATING) {
      it(`POST ${route.path}: 401 signed out, 403 without CSRF token${route.role !== "translator" ? ", 403 for a lower role" : ""}`, async () => {
        expect((await request(t.app).post(route.path).type("form").send(route.body)).status).toBe(401);
        const { agent, csrf } = await signIn(t.app, "admin");
        expect((await agent.post(route.path).type("form").send(route.body)).status).toBe(403);
        expect(
          (
            await agent
              .post(route.path)
              .type("form")
              .send({ ...route.body, _csrf: "forged" })
          ).status,
        ).toBe(403);
        expect(csrf).toBeTruthy();
        if (route.role !== "translator") {
          const low = await signIn(
            t.app,
            route.role === "admin" ? "eddie" : "tina",
            route.role === "admin" ? "eddie-password" : "tina-password",
          );
          expect(
            (
              await low.agent
                .post(route.path)
                .type("form")
                .send({ ...route.body, _csrf: low.csrf })
            ).status,
          ).toBe(403);
        }
      });

      it(`POST ${route.path}: 403 for a multipart or text/plain body without the CSRF token`, async () => {
        const { agent, csrf } = await signIn(t.app, "admin");
        const multipart = agent.post(route.path).field("x", "y");
        for (const [name, value] of Object.entries(route.body)) multipart.field(name, value);
        const res = await multipart;
        expect(res.status).toBe(403);
        expect(res.text).toContain("did not come from Glosa");
        // A same-site form with enctype=text/plain can spell out a token, but it is never read from there.
        const plain = await agent
          .post(route.path)
          .set("Content-Type", "text/plain")
          .send(new URLSearchParams({ ...route.body, _csrf: csrf }).toString());
        expect(plain.status).toBe(403);
      });
    }
  });

  it("a multipart POST without the token creates no API token and revokes none", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    const mine = await apiToken(t.app, "tina", "tina-password");
    const before = await t.store.listTokens("tina");
    const created = await agent.post("/account/tokens").field("name", "planted");
    expect(created.status).toBe(403);
    const revoked = await agent.post(`/account/tokens/${before[0]?.id}/revoke`).field("x", "y");
    expect(revoked.status).toBe(403);
    expect(await t.store.listTokens("tina")).toEqual(before);
    expect(
      (await request(t.app).get("/api/v1/documents").set("Authorization", `Bearer ${mine}`)).status,
    ).toBe(200);
  });

  it("sign-in and sign-out refuse multipart bodies without the token", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    expect((await agent.post("/logout").field("x", "y")).status).toBe(403);
    expect((await agent.get("/")).status).toBe(200);
    const login = await request(t.app)
      .post("/login")
      .field("username", "admin")
      .field("password", ADMIN_PASSWORD);
    expect(login.status).toBe(403);
  });

  it("revoked tokens stop working at once", async () => {
    const token = await apiToken(t.app, "tina", "tina-password");
    expect(
      (await request(t.app).get("/api/v1/documents").set("Authorization", `Bearer ${token}`)).status,
    ).toBe(200);
    const { agent, csrf } = await signIn(t.app, "tina", "tina-password");
    const account = await agent.get("/account");
    const ids = [...account.text.matchAll(/\/account\/tokens\/([^/]+)\/revoke/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids)
      expect(
        (await agent.post(`/account/tokens/${id}/revoke`).type("form").send({ _csrf: csrf })).status,
      ).toBe(303);
    const res = await request(t.app).get("/api/v1/documents").set("Authorization", `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });

  it("stores only token hashes", async () => {
    const token = await apiToken(t.app);
    const tokens = await t.store.listTokens("admin");
    expect(tokens.every((k) => k.hash !== token && /^[0-9a-f]{64}$/.test(k.hash))).toBe(true);
  });

  it("lets an admin create, re-role, reset and disable users, all audited", async () => {
    const { agent, csrf } = await signIn(t.app);
    const created = await agent
      .post("/admin/users")
      .type("form")
      .send({ _csrf: csrf, username: "rita", password: "rita-password", role: "translator" });
    expect(created.status).toBe(303);
    expect(
      (
        await agent
          .post("/admin/users/rita")
          .type("form")
          .send({ _csrf: csrf, action: "role", role: "editor" })
      ).status,
    ).toBe(303);
    expect((await t.store.getUser("rita"))?.role).toBe("editor");
    const rita = await signIn(t.app, "rita", "rita-password");
    expect(
      (
        await agent
          .post("/admin/users/rita")
          .type("form")
          .send({ _csrf: csrf, action: "disable", confirm: "yes" })
      ).status,
    ).toBe(303);
    // Disabling ends her session and her sign-ins, each saying why (tests/http/account-disabled.test.ts).
    expect((await rita.agent.get("/")).status).toBe(403);
    expect(
      (await request(t.app).post("/api/v1/tokens").send({ username: "rita", password: "rita-password" }))
        .status,
    ).toBe(403);
    const audit = await t.store.listAudit(50);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(["user.create", "user.role", "user.disable"]),
    );
    expect(audit.find((e) => e.action === "user.create" && e.object === "user:rita")?.actor).toBe("admin");
    const page = await agent.get("/admin/audit");
    expect(page.text).toContain("user:rita");
    // Actions read as sentences, in the reader's language, with the stable code beside them.
    expect(page.text).toContain("Disabled a user");
    expect((await agent.get("/admin/audit?lng=es")).text).toContain("Desactivó un usuario");
  });

  it("keeps translators out of the admin pages and editor-only forms", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    expect((await agent.get("/admin/users")).status).toBe(403);
    expect((await agent.get("/admin/audit")).status).toBe(403);
    expect((await agent.get("/documents/new")).status).toBe(403);
    const home = await agent.get("/");
    expect(home.text).not.toContain("/admin/users");
    expect(home.text).not.toContain("/documents/new");
  });

  it("lets people change their own password, which ends their other sessions", async () => {
    await userWithRole(t.app, adminToken, "paula", "translator");
    const first = await signIn(t.app, "paula", "paula-password");
    const second = await signIn(t.app, "paula", "paula-password");
    const wrong = await first.agent
      .post("/account/password")
      .type("form")
      .send({ _csrf: first.csrf, current: "bad", password: "new-password-1", confirm: "new-password-1" });
    expect(wrong.status).toBe(400);
    const ok = await first.agent.post("/account/password").type("form").send({
      _csrf: first.csrf,
      current: "paula-password",
      password: "new-password-1",
      confirm: "new-password-1",
    });
    expect(ok.status).toBe(303);
    expect((await second.agent.get("/")).status).toBe(303);
    await signIn(t.app, "paula", "new-password-1");
  });

  it("never writes passwords or tokens to the audit log", async () => {
    const text = JSON.stringify(await t.store.listAudit(1000));
    expect(text).not.toContain("password1");
    expect(text).not.toContain("glosa_");
  });
});

describe("request rate limit", () => {
  it("answers 429 with Retry-After past the limit, for the API and pages alike, and not when lifted", async () => {
    const t = await makeApp({ GLOSA_REQUESTS_PER_MINUTE: "3" });
    for (let i = 0; i < 3; i++) expect((await request(t.app).get("/api/v1/documents")).status).toBe(401);
    const api = await request(t.app).get("/api/v1/documents");
    expect(api.status).toBe(429);
    expect(api.headers["retry-after"]).toBeDefined();
    expect(api.body.error.code).toBe("rate_limited");
    expect((await request(t.app).get("/login")).status).toBe(429);
    await t.close();
    const off = await makeApp({ GLOSA_REQUESTS_PER_MINUTE: "3", GLOSA_RATE_LIMIT: "off" });
    for (let i = 0; i < 6; i++) expect((await request(off.app).get("/login")).status).toBe(200);
    await off.close();
  });
});

describe("production mode", () => {
  it("marks the session cookie Secure and hides error details", async () => {
    const t = await makeApp({ NODE_ENV: "production", GLOSA_TRUST_PROXY: "on" });
    const res = await request(t.app).get("/login").set("X-Forwarded-Proto", "https");
    const cookie = (res.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("glosa.sid="));
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    // Over plain HTTP a production server sends no session cookie at all.
    const plain = await request(t.app).get("/login");
    expect(plain.headers["set-cookie"] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^glosa\.sid=/)]),
    );
    expect(res.headers["strict-transport-security"]).toBeDefined();
    await t.close();
  });
});
