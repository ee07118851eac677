/**
 * Which placeholders are inline codes: suggestions and concordance hits say how many codes each side
 * of a unit has, and the /memory page draws only those as tokens. A unit imported without codes whose
 * text holds "{1}" is text, in the API and on the page.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importTmxPage, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const TMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en"><seg>Type {1} where the reader's name goes in the letter</seg></tuv>
<tuv xml:lang="es"><seg>Escriba {1} donde va el nombre del lector en la carta</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> in the letter<ph x="2">&lt;br/&gt;</ph></seg></tuv>
<tuv xml:lang="es"><seg>Pulse <bpt i="1">&lt;b&gt;</bpt>Guardar<ept i="1">&lt;/b&gt;</ept> en la carta</seg></tuv></tu>
</body></tmx>`;

describe("memory code counts", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    expect((await importTmxPage(eddie, TMX)).status).toBe(200);
  });
  afterAll(() => t.close());

  const api = (token: string) => ({ Authorization: `Bearer ${token}` });

  it("names each side's code count in suggestions, and none for a unit imported without codes", async () => {
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set(api(tokens.editor))
      .send({
        sourceLang: "en",
        format: "text",
        content:
          "Letter\n\nType {1} where the reader's name goes in the letters\n\nPress Save in the letters",
        languages: ["es"],
      });
    expect(created.status).toBe(201);
    const [, literal, coded] = created.body.paragraphs as { id: string }[];
    const suggest = (pid: string) =>
      request(t.app)
        .get(`/api/v1/documents/${created.body.id}/translations/es/paragraphs/${pid}/suggestions`)
        .set(api(tokens.translator));
    const plain = (await suggest(literal?.id as string)).body.suggestions[0];
    expect(plain.text).toBe("Escriba {1} donde va el nombre del lector en la carta");
    expect(plain).not.toHaveProperty("sourceCodes");
    expect(plain).not.toHaveProperty("textCodes");
    const withCodes = (await suggest(coded?.id as string)).body.suggestions[0];
    expect(withCodes).toMatchObject({ sourceCodes: 3, textCodes: 2 });
  });

  it("names them in concordance hits too", async () => {
    const res = await request(t.app)
      .get("/api/v1/memory?sourceLang=en&targetLang=es&q=letter")
      .set(api(tokens.translator));
    expect(res.status).toBe(200);
    const hits = res.body.hits as { source: string; sourceCodes?: number; textCodes?: number }[];
    expect(hits).toHaveLength(2);
    const literal = hits.find((h) => h.source.startsWith("Type"));
    expect(literal).not.toHaveProperty("sourceCodes");
    expect(hits.find((h) => h.source.startsWith("Press"))).toMatchObject({ sourceCodes: 3, textCodes: 2 });
  });

  it("draws only real codes as tokens on the /memory page, in English and Spanish", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    for (const lng of ["en", "es"]) {
      const page = await tina.agent.get(`/memory?q=letter&sourceLang=en&targetLang=es&lng=${lng}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain("Type {1} where the reader&#39;s name goes in the <mark>letter</mark>");
      expect(page.text).toContain("Escriba {1} donde va el nombre del lector en la carta");
      expect(page.text.match(/class="memory-code/g)).toHaveLength(5);
    }
  });
});
