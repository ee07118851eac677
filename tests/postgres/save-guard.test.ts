/**
 * A save on PostgreSQL is one round trip: the process decides it on the API token's user and the
 * document as it last read them, and the append checks both in its own statement. Two apps on two
 * stores (two processes' worth of caches) on one database show that what one process changes (a
 * token revoked, a user disabled, a password reset, a document's languages) stops the other's
 * next save at once, and that every answer but a written save waits for a checked token.
 */

import pg from "pg";
import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { User } from "../../server/accounts/model.ts";
import { createApp, type GlosaApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import { initializeStore, SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { Spellers } from "../../server/spelling.ts";
import { PgStore } from "../../server/storage/pg-store.ts";
import { ADMIN_PASSWORD, apiToken, userWithRole } from "../helpers.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

interface Node {
  app: GlosaApp;
  store: PgStore;
}

let databaseUrl: string;
let a: Node;
let b: Node;
let adminToken: string;

async function node(url: string): Promise<Node> {
  const config = loadConfig({
    NODE_ENV: "test",
    GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    GLOSA_LOG_LEVEL: "silent",
    GLOSA_RATE_LIMIT: "off",
    GLOSA_DATABASE_URL: url,
  });
  const store = await PgStore.open(url);
  await initializeStore(store, buildServices({ store, config }), config);
  const app = createApp({
    config,
    store,
    logger: pino({ level: "silent" }),
    sessionSecret: "s".repeat(40),
    spellers: Spellers.none(),
  });
  return { app, store };
}

const path = (pid: string, doc = SEED_DOCUMENT_ID, lang = "es") =>
  `/api/v1/documents/${doc}/translations/${lang}/paragraphs/${pid}`;

async function head(on: Node, pid: string, doc = SEED_DOCUMENT_ID): Promise<number> {
  const res = await request(on.app)
    .get(`/api/v1/documents/${doc}/translations/es`)
    .set("Authorization", `Bearer ${adminToken}`);
  return (res.body.paragraphs as { id: string; revision: number }[]).find((p) => p.id === pid)
    ?.revision as number;
}

function save(on: Node, token: string, pid: string, text: string, baseRevision: number, doc?: string) {
  return request(on.app)
    .put(path(pid, doc))
    .set("Authorization", `Bearer ${token}`)
    .send({ text, baseRevision });
}

/** A translator whose token process B has already used for a save (so B knows it). */
async function knownTranslator(name: string, pid: string) {
  const { token } = await userWithRole(a.app, adminToken, name, "translator");
  const base = await head(b, pid);
  const first = await save(b, token, pid, `${name} primero`, base);
  expect(first.status).toBe(200);
  return { token, revision: first.body.revision as number };
}

async function adminUser(): Promise<User> {
  return (await a.app.services.accounts.get("admin")) as User;
}

beforeAll(async () => {
  databaseUrl = await freshDatabase();
  a = await node(databaseUrl);
  b = await node(databaseUrl);
  adminToken = await apiToken(a.app);
}, 60_000);

afterAll(async () => {
  for (const n of [a, b]) {
    await n?.app.shutdown();
    await n?.store.close();
  }
  await dropDatabases();
});

describe("a save decided on what a process knows, checked by the append", () => {
  it("refuses a token revoked in the other process at once", async () => {
    const { token, revision } = await knownTranslator("rita", "p1");
    const [record] = await a.app.services.accounts.listTokens("rita");
    await a.app.services.accounts.revokeToken(record?.id as string, await adminUser());
    const res = await save(b, token, "p1", "después de revocar", revision);
    expect(res.status).toBe(401);
    expect(await head(a, "p1")).toBe(revision);
  });

  it("refuses a user disabled in the other process, and again after they are enabled only with a token still valid", async () => {
    const { token, revision } = await knownTranslator("dora", "p2");
    await a.app.services.accounts.setDisabled("dora", true, "admin");
    expect((await save(b, token, "p2", "deshabilitada", revision)).status).toBe(401);
    expect(await head(a, "p2")).toBe(revision);
    await a.app.services.accounts.setDisabled("dora", false, "admin");
    const again = await save(b, token, "p2", "habilitada", revision);
    // Disabling moved sessionsValidAfter past the token: it stays refused.
    expect(again.status).toBe(401);
  });

  it("refuses a token whose user's password was reset in the other process", async () => {
    const { token, revision } = await knownTranslator("pablo", "p3");
    await a.app.services.accounts.setPassword("pablo", "a-new-password-for-pablo", "admin");
    expect((await save(b, token, "p3", "tras el cambio", revision)).status).toBe(401);
    expect(await head(a, "p3")).toBe(revision);
  });

  it("answers a revoked token 401 for a save with nothing to write, a bad body or a stale base", async () => {
    const { token, revision } = await knownTranslator("nora", "p4");
    const [record] = await a.app.services.accounts.listTokens("nora");
    await a.app.services.accounts.revokeToken(record?.id as string, await adminUser());
    // The text the paragraph already has: nothing to append, so nothing checks the token but this.
    expect((await save(b, token, "p4", "nora primero", revision)).status).toBe(401);
    expect(
      (await request(b.app).put(path("p4")).set("Authorization", `Bearer ${token}`).send({})).status,
    ).toBe(401);
    expect((await save(b, token, "p4", "viejo", revision - 1)).status).toBe(401);
    expect((await save(b, token, "nope", "sin párrafo", 0)).status).toBe(401);
  });

  it("follows a user's new role from the other process: still saves as the same person", async () => {
    const { token, revision } = await knownTranslator("eli", "p5");
    await a.app.services.accounts.setRole("eli", "editor", "admin");
    const res = await save(b, token, "p5", "como editora", revision);
    expect(res.status).toBe(200);
    expect(res.body.author).toBe("eli");
  });

  it("reads the document afresh when the other process changed it: a removed language is a 404", async () => {
    const created = await request(a.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${adminToken}`)
      .send({ sourceLang: "en", format: "text", content: "One.\n\nTwo.", languages: ["es", "fr"] });
    const doc = created.body.id as string;
    const first = await save(b, adminToken, "p1", "Uno.", 0, doc);
    expect(first.status).toBe(200);
    const removed = await request(a.app)
      .delete(`/api/v1/documents/${doc}/languages/es`)
      .set("Authorization", `Bearer ${adminToken}`);
    expect(removed.status).toBe(200);
    const res = await save(b, adminToken, "p1", "Uno otra vez.", first.body.revision, doc);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("language_not_found");
  });

  it("answers a conflict 409 across processes, with the other process's text", async () => {
    const base = await head(a, "p6");
    expect((await save(a, adminToken, "p6", "desde A", base)).status).toBe(200);
    const res = await save(b, adminToken, "p6", "desde B", base);
    expect(res.status).toBe(409);
    expect(res.body.current.text).toBe("desde A");
  });

  it("checks a save against a term another process added just before", async () => {
    const created = await request(a.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${adminToken}`)
      .send({ sourceLang: "en", format: "text", content: "The zebra runs.", languages: ["es"] });
    const doc = created.body.id as string;
    const first = await save(b, adminToken, "p1", "El caballo corre.", 0, doc);
    expect(first.body.qa).toEqual([]);
    const term = await request(a.app)
      .post("/api/v1/glossary/terms")
      .set("Authorization", `Bearer ${adminToken}`)
      .send({ sourceLang: "en", source: "zebra", targets: { es: { text: "cebra" } } });
    expect(term.status).toBe(201);
    const res = await save(b, adminToken, "p1", "El caballo corre deprisa.", first.body.revision, doc);
    expect(res.status).toBe(200);
    expect(res.body.qa.map((f: { code: string }) => f.code)).toContain("missing-term");
  });

  it("writes the save, its audit entry and the token's user in one statement", async () => {
    const base = await head(b, "p7");
    const res = await save(b, adminToken, "p7", "auditado", base);
    expect(res.status).toBe(200);
    const [entry] = await a.store.listAudit(1);
    expect(entry).toMatchObject({ actor: "admin", action: "translation.save" });
  });
});

describe("clear, review and revert: one guarded append as a save", () => {
  const post = (on: Node, token: string, pid: string, action: string, body: object) =>
    request(on.app)
      .post(`${path(pid)}/${action}`)
      .set("Authorization", `Bearer ${token}`)
      .send(body);

  /** An editor whose token process B knows, with a revision of `pid` saved through B. */
  async function knownEditor(name: string, pid: string) {
    const { token } = await userWithRole(a.app, adminToken, name, "editor");
    const first = await save(b, token, pid, `${name} primero`, await head(b, pid));
    expect(first.status).toBe(200);
    return { token, revision: first.body.revision as number };
  }

  /** The statements `work` sends, by their text. */
  async function statements(work: () => Promise<unknown>): Promise<string[]> {
    const query = vi.spyOn(pg.Pool.prototype, "query");
    try {
      await work();
      return query.mock.calls.map(([q]) => (typeof q === "string" ? q : (q as { text: string }).text));
    } finally {
      query.mockRestore();
    }
  }

  it("reads neither the token nor the document before the write", async () => {
    const { token, revision } = await knownEditor("clara", "p8");
    for (const [action, body, status] of [
      ["review", { action: "approve", revision }, 200],
      ["revert", { revision }, 201],
      ["clear", { baseRevision: revision + 1 }, 200],
    ] as const) {
      let res: request.Response | undefined;
      const sent = await statements(async () => {
        res = await post(b, token, "p8", action, body);
      });
      expect(res?.status, action).toBe(status);
      expect(
        sent.filter((q) => /glosa_guarded_append/.test(q)),
        action,
      ).toHaveLength(1);
      expect(
        sent.filter((q) => /FROM (tokens|users|documents)\b/.test(q)),
        action,
      ).toEqual([]);
    }
    const [entry] = await a.store.listAudit(1);
    expect(entry).toMatchObject({ actor: "clara", action: "translation.clear" });
    expect(await head(a, "p8")).toBe(revision + 2);
  });

  it("answers a token revoked in the other process 401, and writes nothing", async () => {
    const { token, revision } = await knownEditor("ramon", "p9");
    const [record] = await a.app.services.accounts.listTokens("ramon");
    await a.app.services.accounts.revokeToken(record?.id as string, await adminUser());
    expect((await post(b, token, "p9", "review", { action: "approve", revision })).status).toBe(401);
    expect((await post(b, token, "p9", "revert", { revision })).status).toBe(401);
    expect((await post(b, token, "p9", "clear", { baseRevision: revision })).status).toBe(401);
    expect(await head(a, "p9")).toBe(revision);
  });

  it("answers an editor made translator in the other process 403 for a review", async () => {
    const { token, revision } = await knownEditor("tomas", "p10");
    await a.app.services.accounts.setRole("tomas", "translator", "admin");
    const res = await post(b, token, "p10", "review", { action: "approve", revision });
    expect(res.status).toBe(403);
    // A translator may still clear: the append checks the role the action needs.
    expect((await post(b, token, "p10", "clear", { baseRevision: revision })).status).toBe(200);
  });

  it("answers a review of a revision that is not the latest 409, checked against the database", async () => {
    const { token, revision } = await knownEditor("luisa", "p11");
    expect((await save(a, adminToken, "p11", "desde A", revision)).status).toBe(200);
    const res = await post(b, token, "p11", "review", { action: "approve", revision });
    expect(res.status).toBe(409);
  });
});
