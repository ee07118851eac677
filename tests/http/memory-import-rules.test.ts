/**
 * What an attack over HTTP found in TMX import and "Fill exact matches": units holding control
 * characters were stored and then stopped a fill halfway (400, paragraph 1 filled, the rest not), and
 * a memory from English into English was accepted. (Imports at once: tests/memory/import-race.test.ts.)
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importedId } from "../../server/services/memory.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { makeAppWithTeam, signIn, type TestApp, tempDir } from "../helpers.ts";

const TMX = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>${body}</body></tmx>`;
const TU = (en: string, es: string) =>
  `<tu><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="es"><seg>${es}</seg></tuv></tu>`;

describe("TMX import rules over HTTP", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  const importApi = (xml: string, pair = "sourceLang=en&targetLang=es") =>
    request(t.app)
      .post(`/api/v1/memory/import?${pair}`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .set("Content-Type", "application/x-tmx+xml")
      .send(xml);
  const importPage = (
    session: Awaited<ReturnType<typeof signIn>>,
    xml: string,
    targetLang = "es",
    lng = "en",
  ) =>
    session.agent
      .post(`/memory/import?lng=${lng}`)
      .field("_csrf", session.csrf)
      .field("sourceLang", "en")
      .field("targetLang", targetLang)
      .attach("file", Buffer.from(xml), "memory.tmx");

  it("dates a unit whose changedate lies after the import at the import, so that it never sorts first for ever", async () => {
    const future = TMX(
      `<tu changedate="99991231T000000Z"><tuv xml:lang="en"><seg>The far future came early.</seg></tuv><tuv xml:lang="es"><seg>El futuro lejano llegó pronto.</seg></tuv></tu>` +
        `<tu changedate="20200102T030405Z"><tuv xml:lang="en"><seg>The past stays past.</seg></tuv><tuv xml:lang="es"><seg>El pasado sigue pasado.</seg></tuv></tu>`,
    );
    const before = new Date().toISOString();
    expect((await importApi(future)).status).toBe(200);
    const stored = await t.store.listMemoryUnits();
    const early = stored.find((u) => u.source === "The far future came early.")?.createdAt ?? "";
    expect(early >= before && early <= new Date().toISOString()).toBe(true);
    expect(stored.find((u) => u.source === "The past stays past.")?.createdAt).toBe(
      "2020-01-02T03:04:05.000Z",
    );
  });

  it("refuses a unit with control characters as a unit problem, stores the rest, and says it in both languages", async () => {
    const res = await importApi(
      TMX(
        TU("The storm closed the port.", "La tormenta cerró el puerto.") +
          TU("The storm closed the airport.", "La tormenta cerró&#x7F; el aeropuerto.") +
          TU("The storm closed the school.", "La tormenta cerró&#x85; la escuela."),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.errors).toMatchObject([
      { code: "tmx_segment_control_characters", params: { lang: "es" } },
      { code: "tmx_segment_control_characters", params: { lang: "es" } },
    ]);
    const stored = await t.store.listMemoryUnits();
    expect(stored.map((u) => u.source)).not.toContain("The storm closed the airport.");
    const hits = await request(t.app)
      .get("/api/v1/memory?sourceLang=en&targetLang=es&q=storm")
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(hits.body.hits.map((h: { source: string }) => h.source)).toEqual(["The storm closed the port."]);

    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const xml = TMX(TU("A bridge fell.", "Cayó&#x7F; un puente."));
    const english = await importPage(eddie, xml);
    expect(english.status).toBe(200);
    expect(english.text).toContain(
      "The es segment contains control characters, which a translation cannot hold.",
    );
    const spanish = await importPage(eddie, xml, "es", "es");
    expect(spanish.text).toContain(
      "El segmento en es tiene caracteres de control, que una traducción no puede contener.",
    );
  });

  it("counts every refused unit in the audit entry, though the answer lists 1,000 problems; no `updated`", async () => {
    const refused = Array.from(
      { length: 1_500 },
      (_, i) => `<tu><tuv xml:lang="en"><seg>Alone ${i}.</seg></tuv></tu>`,
    ).join("");
    const res = await importApi(
      TMX(
        TU("The mayor resigned.", "El alcalde dimitió.") +
          refused +
          TU("The mayor resigned.", "El alcalde dimitió."),
      ),
    );
    expect(res.status).toBe(200);
    // A unit is its pair and texts, and one held keeps its first origin: a TMX import updates nothing.
    expect(Object.keys(res.body).sort()).toEqual(["created", "errors", "unchanged"]);
    expect(res.body).toMatchObject({ created: 1, unchanged: 1 });
    expect(res.body.errors).toHaveLength(1_001);
    expect(res.body.errors.at(-1)).toMatchObject({ code: "tmx_more_skipped", params: { count: 500 } });
    const [entry] = (await t.store.listAudit(5)).filter((e) => e.action === "memory.import");
    expect(entry?.details).toEqual({ created: 1, unchanged: 1, errors: 1_500 });
  });

  it("says in both languages why a segment with codes and placeholder-shaped text was refused", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const xml = TMX(TU('Literal {1} beside <ph x="1">&lt;br/&gt;</ph> a code.', "Literal."));
    const english = await importPage(eddie, xml);
    expect(english.text).toContain("The en segment has inline codes and also text written like a code");
    const spanish = await importPage(eddie, xml, "es", "es");
    expect(spanish.text).toContain("El segmento en en tiene códigos en línea y también texto escrito como");
  });

  it("refuses a pair whose target is its source with 400, over the API and on the page, in both languages", async () => {
    const xml = TMX(TU("Same language.", "Same language."));
    for (const pair of ["sourceLang=en&targetLang=en", "sourceLang=en-US&targetLang=en-us"]) {
      const res = await importApi(xml, pair);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: "invalid_language",
        message: "The target language is the source language.",
      });
    }
    expect(await t.store.listMemoryUnits()).not.toContainEqual(
      expect.objectContaining({ sourceLang: "en", targetLang: "en" }),
    );
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const english = await importPage(eddie, xml, "en");
    expect(english.status).toBe(400);
    expect(english.text).toContain("The target language is the source language.");
    const spanish = await importPage(eddie, xml, "en", "es");
    expect(spanish.status).toBe(400);
    expect(spanish.text).toContain("El idioma de destino es el mismo que el de origen.");
  });
});

describe("Fill exact matches with a match no save takes", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  const long = `Texto largo ${"y más ".repeat(130)}fin.`;
  beforeAll(async () => {
    // A unit stored before imports refused control characters: the memory never offers it.
    const dir = await tempDir();
    const old = await FileStore.open(dir);
    await old.addMemoryUnits([
      {
        id: importedId("en", "es", "An old unit.", "Una unidad\u007f vieja."),
        sourceLang: "en",
        targetLang: "es",
        source: "An old unit.",
        target: "Una unidad\u007f vieja.",
        createdAt: "2026-01-01T00:00:00.000Z",
        createdBy: "eddie",
      },
    ]);
    await old.close();
    // This server saves at most 700 characters (the seed article's longest paragraph has 641): the long unit is a match no save takes.
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_MAX_TEXT_LENGTH: "700" }, { dir }));
  });
  afterAll(() => t.close());

  it("fills every paragraph it can, skips the rest, says so, and never offers the old unit", async () => {
    const api = { Authorization: `Bearer ${tokens.editor}` };
    const imported = await request(t.app)
      .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
      .set(api)
      .set("Content-Type", "application/x-tmx+xml")
      .send(TMX(TU("First one.", "Primero.") + TU("Second one.", long) + TU("Third one.", "Tercero.")));
    expect(imported.body).toMatchObject({ created: 3, errors: [] });
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set(api)
      .send({
        sourceLang: "en",
        format: "text",
        content: "First one.\n\nSecond one.\n\nThird one.\n\nAn old unit.",
        languages: ["es"],
      });
    const doc = created.body.id as string;

    for (const lng of ["en", "es"]) {
      const tina = await signIn(t.app, "tina", "tina-password");
      const filled = await tina.agent
        .post(`/documents/${doc}/es/fill-exact?lng=${lng}`)
        .type("form")
        .send({ _csrf: tina.csrf });
      expect(filled.status).toBe(303);
      const page = await tina.agent.get(`/documents/${doc}/es?lng=${lng}`);
      if (lng === "en") {
        expect(page.text).toContain("2 paragraphs were filled");
        expect(page.text).toContain("1 match was left out: its text cannot be saved as a translation");
      } else {
        // Nothing left to fill but the match no save takes, said again.
        expect(page.text).toContain("Se ha omitido 1 coincidencia: su texto no se puede guardar");
      }
    }
    const view = await request(t.app).get(`/api/v1/documents/${doc}/translations/es`).set(api);
    expect(view.body.paragraphs.map((p: { status: string }) => p.status)).toEqual([
      "draft",
      "untranslated",
      "draft",
      "untranslated",
    ]);
    const old = created.body.paragraphs[3].id as string;
    const offered = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es/paragraphs/${old}/suggestions`)
      .set(api);
    expect(offered.body.suggestions).toEqual([]);
  });
});
