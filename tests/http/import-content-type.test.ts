/**
 * An import takes a file: sent as JSON it is `415 unsupported_media_type` whether or not the body
 * parses (hostile run 7, finding 10: a TMX file labelled application/json answered 400 malformed_json).
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

const IMPORTS = [
  ["editor", "/api/v1/glossary/import"],
  ["editor", "/api/v1/memory/import?sourceLang=en&targetLang=es"],
  ["translator", `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/import`],
] as const;

describe("imports sent as JSON", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_RATE_LIMIT: "off" }));
  });
  afterAll(() => t.close());

  for (const [role, url] of IMPORTS) {
    it(`answer 415 for ${url.split("?")[0]}, parsable or not (${role} and admin); a stranger 401`, async () => {
      for (const token of [tokens[role], tokens.admin]) {
        for (const [type, body] of [
          ["application/json", '<tmx version="1.4"/>'],
          ["application/json; charset=utf-8", '{"file": "en,es\\nchainsaw,motosierra"}'],
        ]) {
          const res = await request(t.app)
            .post(url)
            .set("Authorization", `Bearer ${token}`)
            .set("Content-Type", type as string)
            .send(body);
          expect(res.status, `${type} ${body}`).toBe(415);
          expect(res.body.error.code).toBe("unsupported_media_type");
        }
      }
      const stranger = await request(t.app).post(url).set("Content-Type", "application/json").send("<tmx/>");
      expect(stranger.status).toBe(401);
    });
  }

  it("still answers 400 malformed_json for a route that takes JSON", async () => {
    const res = await request(t.app)
      .post("/api/v1/glossary/terms")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .set("Content-Type", "application/json")
      .send("<tmx/>");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("malformed_json");
  });
});
