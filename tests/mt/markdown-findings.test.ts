/**
 * A machine suggestion for a paragraph of a Markdown document is checked as a saved translation of it
 * would be: markup the engine broke is said with the suggestion, not found only once it is saved.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";
import { type Stub, startStub } from "./stubs.ts";

describe("machine suggestions in a Markdown document", () => {
  let stub: Stub;
  let t: TestApp;
  let tokens: { translator: string; editor: string };

  beforeAll(async () => {
    // An engine that loses the bold's opening marker, as Apertium did with "**Trump** told Milei hello.".
    stub = await startStub((req) => {
      if (req.path === "/languages") return { status: 200, body: [{ code: "en", targets: ["es"] }] };
      const q = (req.body as { q: string | string[] }).q;
      const out = (Array.isArray(q) ? q : [q]).map((s) => s.replace("**Trump**", "Trump**"));
      return { status: 200, body: { translatedText: Array.isArray(q) ? out : out[0] } };
    });
    ({ t, tokens } = await makeAppWithTeam({
      GLOSA_MT: "libretranslate",
      GLOSA_LIBRETRANSLATE_URL: stub.url,
    }));
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it("carries a markup finding with the suggestion, as the save would", async () => {
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({
        sourceLang: "en",
        format: "markdown",
        content: "**Trump** told Milei hello.",
        languages: ["es"],
      });
    expect(created.status).toBe(201);
    const pid = (created.body.paragraphs as { id: string }[]).at(-1)?.id as string;
    const asked = await request(t.app)
      .get(`/api/v1/documents/${created.body.id}/translations/es/paragraphs/${pid}/suggestions`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(asked.status).toBe(200);
    const mt = (asked.body.suggestions as { origin: string; text: string; qa?: { code: string }[] }[]).find(
      (s) => s.origin === "mt",
    );
    expect(mt?.text).toContain("Trump**");
    expect(mt?.qa?.map((f) => f.code)).toContain("markup-mismatch");
  });
});
