/**
 * The hostile requests of tests/http/hostile-requests.ts sent to an app on PostgreSQL, which refused
 * NUL bytes and lone surrogates with a 500 (and a stack trace in development): the same answers as on
 * the file store, 404 for the path, 400 for the field, never a 500.
 */

import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type GlosaApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import { initializeStore } from "../../server/seed.ts";
import { Spellers } from "../../server/spelling.ts";
import { PgStore } from "../../server/storage/pg-store.ts";
import { ADMIN_PASSWORD, apiToken, signIn } from "../helpers.ts";
import {
  BODY_CASES,
  CONTROL,
  CONTROL_CASES,
  DOC,
  type HostileCase,
  PAGE_GETS,
  PATH_CASES,
  QUERY_CASES,
  translateP3,
  UNSTORABLE,
} from "../http/hostile-requests.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

let app: GlosaApp;
let store: PgStore;
let admin: string;

beforeAll(async () => {
  const url = await freshDatabase();
  // Development: where the 500s of the hostile run carried their stack.
  const config = loadConfig({
    NODE_ENV: "development",
    GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    GLOSA_LOG_LEVEL: "silent",
    GLOSA_RATE_LIMIT: "off",
    GLOSA_DATABASE_URL: url,
  });
  store = await PgStore.open(url);
  await initializeStore(store, buildServices({ store, config }), config);
  app = createApp({
    config,
    store,
    logger: pino({ level: "silent" }),
    sessionSecret: "s".repeat(40),
    spellers: Spellers.none(),
  });
  admin = await apiToken(app);
  await translateP3(app, admin);
}, 60_000);

afterAll(async () => {
  await app?.shutdown();
  await store?.close();
  await dropDatabases();
});

async function expectAnswers(cases: HostileCase[]) {
  for (const c of cases) {
    const res = await c.send(app, admin);
    expect(res.status, `${c.name}: ${res.text.slice(0, 200)}`).toBe(c.status);
    expect(res.body.error.code, c.name).toBe(c.code);
  }
}

describe("requests holding what no store can hold (PostgreSQL)", () => {
  it("answer 404 for a bad path segment", () => expectAnswers(PATH_CASES));
  it("answer 400 for a bad query value", () => expectAnswers(QUERY_CASES));
  it("answer 400 for a NUL or a lone surrogate in a body", () => expectAnswers(BODY_CASES));
  it("answer 400 for a control character in stored free text", () => expectAnswers(CONTROL_CASES));

  it("refuse such a token name (400), and leave the paragraph as it was", async () => {
    for (const name of [...UNSTORABLE, CONTROL]) {
      const res = await request(app)
        .post("/api/v1/tokens")
        .send({ username: "admin", password: ADMIN_PASSWORD, name });
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
    const revisions = await request(app)
      .get(`/api/v1/documents/${DOC}/translations/es/paragraphs/p3/revisions`)
      .set("Authorization", `Bearer ${admin}`);
    expect(revisions.body.revisions).toEqual([expect.objectContaining({ status: "translated" })]);
    expect(revisions.body.revisions[0].comment).toBeUndefined();
  });

  it("answer pages with 404 or 400, and a bad user name in a form path with 404", async () => {
    const session = await signIn(app);
    for (const [url, status] of PAGE_GETS) {
      const res = await session.agent.get(url);
      expect(res.status, url).toBe(status);
      expect(res.text, url).not.toContain("    at ");
    }
    for (const bad of ["%00", "%ED%A0%80"]) {
      const res = await session.agent
        .post(`/admin/users/${bad}`)
        .type("form")
        .send({ _csrf: session.csrf, action: "enable" });
      expect(res.status).toBe(404);
    }
  });
});
