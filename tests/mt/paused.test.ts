/**
 * A provider paused by its circuit breaker is named as paused, with when it is tried again, not as
 * "could not translate": in the suggestions' `unavailable` list (`reason: "paused"`, `retryAfter`), and
 * as `503 mt_paused` with `Retry-After` when a pre-translation could only use paused providers.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";
import { type Stub, startStub } from "./stubs.ts";

const base = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;

describe("a machine translation provider paused after repeated failures", () => {
  let stub: Stub;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    stub = await startStub((req) => {
      if (req.path === "/languages") return { status: 200, body: [{ code: "en", targets: ["es"] }] };
      return { status: 500, body: { error: "down" } };
    });
    let tokens: { translator: string };
    ({ t, tokens } = await makeAppWithTeam({
      GLOSA_MT: "libretranslate",
      GLOSA_LIBRETRANSLATE_URL: stub.url,
    }));
    token = tokens.translator;
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it("is reported as paused with the seconds until it is tried again", async () => {
    const ask = () =>
      request(t.app).get(`${base}/paragraphs/p2/suggestions`).set("Authorization", `Bearer ${token}`);
    for (let i = 0; i < 3; i++) {
      const failed = await ask();
      expect(failed.status).toBe(200);
      expect(failed.body.unavailable).toEqual([{ source: "libretranslate", reason: "failed" }]);
    }
    const calls = stub.requests.length;
    const paused = await ask();
    expect(paused.status).toBe(200);
    expect(paused.body.unavailable).toHaveLength(1);
    const [entry] = paused.body.unavailable;
    expect(entry).toMatchObject({ source: "libretranslate", reason: "paused" });
    expect(entry.retryAfter).toBeGreaterThanOrEqual(1);
    expect(entry.retryAfter).toBeLessThanOrEqual(30);
    expect(Number(paused.headers["retry-after"])).toBe(entry.retryAfter);
    // Paused: the engine was not called.
    expect(stub.requests.length).toBe(calls);
    // The providers' list (and the settings page) say the same.
    const listed = await request(t.app).get("/api/v1/mt/providers").set("Authorization", `Bearer ${token}`);
    expect(listed.body.providers[0]).toMatchObject({ name: "libretranslate", circuit: "open" });
    expect(listed.body.providers[0].retryAfter).toBeGreaterThanOrEqual(1);
  });

  it("refuses a pre-translation with only paused providers: 503 mt_paused, Retry-After and the field", async () => {
    const res = await request(t.app)
      .post(`${base}/pretranslate`)
      .set("Authorization", `Bearer ${token}`)
      .send({});
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("mt_paused");
    expect(res.body.error.message).toMatch(
      /libretranslate is paused after repeated failures; trying again in \d+ s/,
    );
    const retryAfter = res.body.error.details.retryAfter;
    expect(res.body.error.details.provider).toBe("libretranslate");
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers["retry-after"])).toBe(retryAfter);
  });
});
