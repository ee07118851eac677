/**
 * Who is asking comes before what they sent: an unauthenticated request is 401 whatever its body
 * (malformed JSON, too large, wrong type), so that the body is not read for a stranger and the answer
 * says nothing about the route's limits. Sign-in (`POST /api/v1/tokens`, the sign-in page) still reads
 * its body first, because the credentials are in it.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { ADMIN_PASSWORD, apiToken, makeApp, signIn, type TestApp } from "../helpers.ts";

const PARA = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p2`;
const BODY_LIMIT = 2048;
const big = JSON.stringify({ text: "x".repeat(BODY_LIMIT * 2), baseRevision: 0 });

describe("authentication before the body", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeApp({ GLOSA_BODY_LIMIT: String(BODY_LIMIT) });
    token = await apiToken(t.app);
  });
  afterAll(() => t.close());

  const unauthenticated = [
    ["no credentials", {}],
    ["an unknown token", { Authorization: "Bearer nope" }],
    ["a malformed Authorization header", { Authorization: "Basic abc" }],
  ] as const;

  for (const [who, headers] of unauthenticated) {
    it(`answers 401 to malformed JSON with ${who}`, async () => {
      for (const [method, path] of [
        ["put", PARA],
        ["post", "/api/v1/documents"],
        ["post", "/api/v1/users"],
        ["patch", "/api/v1/comments/x"],
        ["post", "/api/v1/nowhere"],
      ] as const) {
        const res = await request(t.app)
          [method](path)
          .set(headers)
          .set("Content-Type", "application/json")
          .send("{not json");
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.error.code).toBe("unauthorized");
      }
    });

    it(`answers 401, not 413, to an oversized body with ${who}`, async () => {
      const res = await request(t.app)
        .put(PARA)
        .set(headers)
        .set("Content-Type", "application/json")
        .send(big);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    });

    it(`answers 401, not 415, to a body of the wrong type with ${who}`, async () => {
      const res = await request(t.app).put(PARA).set(headers).set("Content-Type", "text/plain").send("hola");
      expect(res.status).toBe(401);
    });
  }

  it("still answers 400 malformed_json and 413 to a signed-in caller", async () => {
    const bad = await request(t.app)
      .put(PARA)
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/json")
      .send("{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("malformed_json");
    const large = await request(t.app)
      .put(PARA)
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/json")
      .send(big);
    expect(large.status).toBe(413);
    expect(large.body.error.code).toBe("payload_too_large");
  });

  it("reads the body of a session call after the session and its CSRF header", async () => {
    const { agent, csrf } = await signIn(t.app);
    const noToken = await agent.put(PARA).set("Content-Type", "application/json").send("{not json");
    expect(noToken.status).toBe(403);
    const bad = await agent
      .put(PARA)
      .set("X-CSRF-Token", csrf)
      .set("Content-Type", "application/json")
      .send("{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("malformed_json");
    const saved = await agent
      .put(PARA)
      .set("X-CSRF-Token", csrf)
      .send({ text: "Hola desde la sesión", baseRevision: 0 });
    expect(saved.status).toBe(200);
  });

  it("keeps sign-in by body: POST /api/v1/tokens reads its JSON first", async () => {
    const ok = await request(t.app)
      .post("/api/v1/tokens")
      .send({ username: "admin", password: ADMIN_PASSWORD });
    expect(ok.status).toBe(201);
    const bad = await request(t.app)
      .post("/api/v1/tokens")
      .set("Content-Type", "application/json")
      .send("{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("malformed_json");
    const large = await request(t.app)
      .post("/api/v1/tokens")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ username: "admin", password: "x".repeat(BODY_LIMIT * 2) }));
    expect(large.status).toBe(413);
  });

  it("answers a signed-out page post 401 whatever its body, and the sign-in form still works", async () => {
    for (const [type, body] of [
      ["application/json", "{not json"],
      ["application/x-www-form-urlencoded", `text=${"x".repeat(BODY_LIMIT * 2)}`],
    ] as const) {
      const res = await request(t.app)
        .post(`/documents/${SEED_DOCUMENT_ID}/es/paragraphs/p2`)
        .set("Content-Type", type)
        .set("Accept", "application/json")
        .send(body);
      expect(res.status, type).toBe(401);
    }
    const { agent, csrf } = await signIn(t.app);
    const out = await agent.post("/logout").type("form").send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/login");
  });
});
