/**
 * Imported units keep where they came from (tool, person, each side's regional language) through an
 * export, and a regional target language (es-AR) reads its language's memory (es) too.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, memoryExport, type TestApp } from "../helpers.ts";

const TMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT" adminlang="en" srclang="en-US" datatype="plaintext"/>
<body><tu creationid="maria" creationtool="OmegaT"><tuv xml:lang="en-US"><seg>The chainsaw plan reached every ministry in Buenos Aires.</seg></tuv><tuv xml:lang="es-AR"><seg>El plan motosierra llegó a cada ministerio de Buenos Aires.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>The vote comes on Tuesday.</seg></tuv><tuv xml:lang="es"><seg>La votación es el martes.</seg></tuv></tu></body></tmx>`;

describe("imported units' origin, and regional languages", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    const imported = await request(t.app)
      .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .set("Content-Type", "application/x-tmx+xml")
      .send(TMX);
    expect(imported.body).toMatchObject({ created: 2, errors: [] });
  });
  afterAll(() => t.close());

  it("exports a unit with its tool, its author and its languages as the file wrote them", async () => {
    const { text: body } = await memoryExport(t.app, tokens.editor);
    const unit = body.slice(
      body.indexOf("<tu ", body.indexOf("chainsaw") - 400),
      body.indexOf("</tu>", body.indexOf("chainsaw")),
    );
    expect(unit).toContain('creationtool="OmegaT"');
    expect(unit).toContain('creationid="maria"');
    expect(unit).toContain('<tuv xml:lang="en-US">');
    expect(unit).toContain('<tuv xml:lang="es-AR">');
    // A unit written with the pair's own languages keeps them.
    expect(body).toMatch(/<tuv xml:lang="es"><seg>La votación es el martes.<\/seg>/);
  });

  it("suggests and finds the language's units for a document in one of its regions", async () => {
    const doc = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({
        sourceLang: "en",
        format: "text",
        content: "Ministries\n\nThe chainsaw plan reached every ministry in Buenos Aires.",
        languages: ["es-AR"],
      });
    const suggestions = await request(t.app)
      .get(`/api/v1/documents/${doc.body.id}/translations/es-AR/paragraphs/p2/suggestions`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(suggestions.status).toBe(200);
    expect(suggestions.body.suggestions[0]).toMatchObject({
      origin: "memory",
      score: 100,
      text: "El plan motosierra llegó a cada ministerio de Buenos Aires.",
    });
    const found = await request(t.app)
      .get("/api/v1/memory?sourceLang=en&targetLang=es-AR&q=motosierra")
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(found.status).toBe(200);
    expect(JSON.stringify(found.body)).toContain("El plan motosierra");
  });
});
