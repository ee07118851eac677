import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { User } from "../../server/accounts/model.ts";
import { hashPassword } from "../../server/accounts/passwords.ts";
import type { GlosaApp } from "../../server/app.ts";
import { apiToken, csrfFrom, makeApp, signIn, type TestApp } from "../helpers.ts";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A failed sign-in through the page, optionally as if forwarded for another client. */
async function pageFailure(app: GlosaApp, username: string, forwardedFor?: string) {
  const agent = request.agent(app);
  const get = agent.get("/login");
  if (forwardedFor) get.set("X-Forwarded-For", forwardedFor);
  const page = await get;
  const post = agent
    .post("/login")
    .type("form")
    .send({ _csrf: csrfFrom(page.text), username, password: "Winter2026!" });
  if (forwardedFor) post.set("X-Forwarded-For", forwardedFor);
  return (await post).status;
}

const apiFailure = async (app: GlosaApp, username: string, forwardedFor?: string) => {
  const post = request(app).post("/api/v1/tokens");
  if (forwardedFor) post.set("X-Forwarded-For", forwardedFor);
  return (await post.send({ username, password: "Winter2026!" })).status;
};

// Each failed sign-in costs an Argon2 verification: generous timeouts for a busy machine.
describe("sign-in throttling", { timeout: 60_000 }, () => {
  it("one password sprayed over 30 usernames from one address is stopped after 20 failures", async () => {
    t = await makeApp();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push(await pageFailure(t.app, `user${i}`));
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // The right password for a real account is refused from that address too, until the window ends.
    expect(await apiFailure(t.app, "admin")).toBe(429);
  });

  it("the sign-in page and POST /api/v1/tokens share one counter per username", async () => {
    t = await makeApp();
    for (let i = 0; i < 3; i++) expect(await pageFailure(t.app, "admin")).toBe(401);
    for (let i = 0; i < 2; i++) expect(await apiFailure(t.app, "admin")).toBe(401);
    expect(await apiFailure(t.app, "admin")).toBe(429);
    expect(await pageFailure(t.app, "admin")).toBe(429);
    // The page says how long to wait and keeps the form, in the reader's language.
    const agent = request.agent(t.app);
    const form = await agent.get("/login?lng=es");
    const page = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(form.text), username: "admin", password: "x" });
    expect(page.status).toBe(429);
    expect(page.headers["retry-after"]).toMatch(/^\d+$/);
    expect(page.text).toMatch(/Demasiados intentos fallidos\. Espera \d+ minutos? y vuelve a intentarlo\./);
    expect(page.text).toContain('action="/login"');
    expect(page.text).toContain('value="admin"');
  });

  it("the page and the API share the per-address counter across usernames", async () => {
    t = await makeApp();
    for (let i = 0; i < 10; i++) expect(await pageFailure(t.app, `page${i}`)).toBe(401);
    for (let i = 0; i < 10; i++) expect(await apiFailure(t.app, `api${i}`)).toBe(401);
    expect(await apiFailure(t.app, "one-more")).toBe(429);
    expect(await pageFailure(t.app, "and-another")).toBe(429);
  });

  it("a client that is not the trusted proxy cannot escape by rotating X-Forwarded-For", async () => {
    // The proxy is at 192.0.2.10; the test client connects from loopback, so its header is ignored.
    t = await makeApp({ GLOSA_TRUST_PROXY: "192.0.2.10, 198.51.100.0/24" });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push(await apiFailure(t.app, `user${i}`, `203.0.113.${i + 1}`));
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });

  it("behind the trusted proxy, the forwarded client address is the one counted", async () => {
    t = await makeApp({ GLOSA_TRUST_PROXY: "on" });
    for (let i = 0; i < 20; i++) expect(await apiFailure(t.app, `user${i}`, "203.0.113.7")).toBe(401);
    expect(await apiFailure(t.app, "user-x", "203.0.113.7")).toBe(429);
    // Another client behind the same proxy is not punished for the first one.
    expect(await apiFailure(t.app, "user-y", "203.0.113.8")).toBe(401);
  });
});

describe("request rate limit per user", { timeout: 60_000 }, () => {
  const env = { GLOSA_REQUESTS_PER_MINUTE: "100" };

  it("15 signed-in translators behind one address, 60 requests each in a minute: none refused", {
    timeout: 90_000,
  }, async () => {
    t = await makeApp(env);
    const app = t.app;
    // The team is put in the store directly: one Argon2 hash for all, so the test times requests, not hashing.
    const passwordHash = await hashPassword("translator-password");
    const team = [];
    for (let i = 0; i < 15; i++) {
      const user = { username: `translator${i}`, role: "translator" as const, passwordHash, disabled: false };
      await t.store.putUser({ ...user, createdAt: new Date().toISOString() });
      const { token } = await app.services.accounts.issueToken(user as User, "office");
      team.push({ username: user.username, password: "translator-password", token });
    }
    // One listening server, as in production: supertest would otherwise start one per request.
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const started = Date.now();
    try {
      const refused = await Promise.all(
        team.map(async ({ username, password, token }) => {
          const agent = request.agent(server);
          const login = await agent.get("/login");
          const signedIn = await agent
            .post("/login")
            .type("form")
            .send({ _csrf: csrfFrom(login.text), username, password });
          expect(signedIn.status).toBe(303);
          let count = 0;
          for (let i = 0; i < 30; i++) {
            const api = await request(server)
              .get("/api/v1/documents")
              .set("Authorization", `Bearer ${token}`);
            // A page request that renders nothing (signed in, /login only redirects): the limit is what is timed.
            const page = await agent.get("/login?next=/account");
            for (const res of [api, page]) {
              expect([200, 303, 429]).toContain(res.status);
              if (res.status === 429) count++;
            }
          }
          return count;
        }),
      );
      expect(refused.reduce((a, b) => a + b, 0)).toBe(0);
      // All of it inside one window of the limit, or the test would prove nothing.
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("one user sending 120 requests in a minute is refused past 100, by token and by session alike", async () => {
    t = await makeApp(env);
    const app = t.app;
    const token = await apiToken(app);
    const { agent } = await signIn(app);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push(
        (await request(app).get("/api/v1/documents").set("Authorization", `Bearer ${token}`)).status,
      );
      statuses.push((await agent.get("/account")).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    const limited = await request(app).get("/api/v1/documents").set("Authorization", `Bearer ${token}`);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("120 anonymous requests from one address are refused past 100, pages and API together", async () => {
    t = await makeApp(env);
    const app = t.app;
    // Sign one person in first: their budget is their own.
    const { agent } = await signIn(app);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push((await request(app).get("/login")).status);
      statuses.push((await request(app).get("/api/v1/documents")).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    expect(statuses.slice(0, 90).every((s) => s !== 429)).toBe(true);
    expect((await request(app).get("/login")).status).toBe(429);
    expect(
      (await request(app).get("/api/v1/documents").set("Authorization", "Bearer glosa_nope")).status,
    ).toBe(429);
    // The signed-in person at the same address still works.
    expect((await agent.get("/account")).status).toBe(200);
  });
});
