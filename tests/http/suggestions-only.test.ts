/** `GET .../suggestions?only=memory|mt`: the memory's matches or the machine's suggestions alone (docs/api.md). */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";
import { libreHandler, type Stub, startStub } from "../mt/stubs.ts";

const base = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;

describe("suggestions from one kind of source", () => {
  let stub: Stub;
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    stub = await startStub(libreHandler());
    ({ t, tokens } = await makeAppWithTeam({
      GLOSA_MT: "libretranslate",
      GLOSA_LIBRETRANSLATE_URL: stub.url,
    }));
    // ¶2's source translated in another document: the memory holds a 100 % match of ¶2 (a unit of
    // ¶2 itself would be the paragraph's own, left out).
    const paragraphs = (
      await request(t.app)
        .get(`/api/v1/documents/${SEED_DOCUMENT_ID}`)
        .set("Authorization", `Bearer ${tokens.translator}`)
    ).body.paragraphs as { id: string; source: string }[];
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ sourceLang: "en", format: "text", content: paragraphs[1]?.source, languages: ["es"] });
    expect(created.status).toBe(201);
    const saved = await request(t.app)
      .put(`/api/v1/documents/${created.body.id}/translations/es/paragraphs/${created.body.paragraphs[0].id}`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: "Una traducción guardada.", baseRevision: 0 });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  const ask = (query: string) =>
    request(t.app)
      .get(`${base}/paragraphs/p2/suggestions${query}`)
      .set("Authorization", `Bearer ${tokens.translator}`);
  const origins = (body: { suggestions: { origin: string }[] }) => body.suggestions.map((s) => s.origin);

  it("gives both by default, the memory's alone, or the machine's alone", async () => {
    const both = await ask("");
    expect(both.status).toBe(200);
    expect(origins(both.body)).toEqual(["memory", "mt"]);
    const asked = stub.requests.filter((r) => r.path === "/translate").length;

    const memory = await ask("?only=memory");
    expect(memory.status).toBe(200);
    expect(origins(memory.body)).toEqual(["memory"]);
    expect(memory.body.unavailable).toBeUndefined();
    // The engine is not asked for the memory's matches.
    expect(stub.requests.filter((r) => r.path === "/translate")).toHaveLength(asked);

    const mt = await ask("?only=mt");
    expect(mt.status).toBe(200);
    expect(origins(mt.body)).toEqual(["mt"]);
  });

  it("refuses another value", async () => {
    const res = await ask("?only=glossary");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_fields");
  });
});
