import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

describe("POST /api/v1/glossary/check bounds its texts like a saved translation", () => {
  let t: TestApp;
  let translator: string;

  beforeAll(async () => {
    let tokens: { translator: string };
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_MAX_TEXT_LENGTH: "1000" }));
    translator = tokens.translator;
  });
  afterAll(() => t.close());

  const check = (body: object) =>
    request(t.app)
      .post("/api/v1/glossary/check")
      .set({ Authorization: `Bearer ${translator}` })
      .send({ sourceLang: "en", targetLang: "es", source: "Trump said.", target: "Trump dijo.", ...body });

  it("answers 400 for a source or a target longer than GLOSA_MAX_TEXT_LENGTH, and checks one at the bound", async () => {
    for (const field of ["source", "target"]) {
      const long = await check({ [field]: "a".repeat(1001) });
      expect(long.status).toBe(400);
      expect(long.body.error.code).toBe("invalid_fields");
      expect(Object.keys(long.body.error.details)).toEqual([field]);
      expect((await check({ [field]: "a".repeat(1000) })).status).toBe(200);
    }
  });

  it("answers a target of spaces at the bound with its findings", async () => {
    const res = await check({ source: "Trump said?", target: `Trump dijo${" ".repeat(980)}?` });
    expect(res.status).toBe(200);
    expect(res.body.findings.map((f: { key: string }) => f.key)).toContain("punctuation:space-before");
  });
});
