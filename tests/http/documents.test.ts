import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiToken, makeApp, signIn, type TestApp, userWithRole } from "../helpers.ts";

describe("documents in the browser", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    await userWithRole(t.app, await apiToken(t.app), "eddie", "editor");
  });
  afterAll(() => t.close());

  it("creates a document from pasted text with a title and a target language", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const res = await agent
      .post("/documents")
      .field("_csrf", csrf)
      .field("title", "Nota breve")
      .field("sourceLang", "EN")
      .field("targetLang", "pt-br")
      .field("format", "text")
      .field("content", "First paragraph.\n\nSecond one.");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/documents\/[^/]+\/pt-BR$/);
    const page = await agent.get(res.headers.location as string);
    expect(page.text.match(/<article class="para /g)).toHaveLength(3);
    expect(page.text).toContain("Nota breve");
  });

  it("keeps a typed title once when the pasted text starts with it", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const res = await agent
      .post("/documents")
      .field("_csrf", csrf)
      .field("title", "Milei habla con Trump")
      .field("sourceLang", "es")
      .field("targetLang", "en")
      .field("content", "Milei habla con Trump\n\nPrimer párrafo.");
    expect(res.status).toBe(303);
    const doc = await t.store.getDocument((res.headers.location as string).split("/")[2] as string);
    expect(doc?.paragraphs.map((p) => p.source)).toEqual(["Milei habla con Trump", "Primer párrafo."]);
  });

  it("creates a document from an uploaded Markdown file, headings kept as headings", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const md = "# Milei en Florida\n\nPrimer *párrafo*.\n\n## Contexto\n\nSegundo.\n";
    const res = await agent
      .post("/documents")
      .field("_csrf", csrf)
      .field("sourceLang", "es")
      .field("targetLang", "en")
      .attach("file", Buffer.from(`\uFEFF${md}`), "nota.md");
    expect(res.status).toBe(303);
    const id = (res.headers.location as string).split("/")[2] as string;
    const doc = await t.store.getDocument(id);
    expect(doc?.paragraphs.map((p) => [p.kind, p.level, p.source])).toEqual([
      ["title", undefined, "Milei en Florida"],
      ["paragraph", undefined, "Primer *párrafo*."],
      ["heading", 2, "Contexto"],
      ["paragraph", undefined, "Segundo."],
    ]);
  });

  it("refuses an empty document and a bad language, keeping the form", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const empty = await agent
      .post("/documents")
      .field("_csrf", csrf)
      .field("sourceLang", "en")
      .field("content", "   ");
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Text: paste the text, or choose a .txt or .md file.");
    const lang = await agent
      .post("/documents")
      .field("_csrf", csrf)
      .field("sourceLang", "not a tag")
      .field("content", "Hello");
    expect(lang.status).toBe(400);
    expect(lang.text).toContain("Source language: “not a tag” is not a language tag.");
    const noCsrf = await agent.post("/documents").field("sourceLang", "en").field("content", "Hello");
    expect(noCsrf.status).toBe(403);
  });

  it("names the wrong field, links its problem to it and focuses the first one, keeping what was typed", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const several = await agent
      .post("/documents")
      .field("_csrf", csrf)
      .field("sourceLang", "en")
      .field("targetLang", "es, fr")
      .field("content", "Hello.");
    expect(several.status).toBe(400);
    expect(several.text).toContain(
      '<input id="new-targetLang" name="targetLang" value="es, fr" maxlength="35" size="8" aria-invalid="true" aria-describedby="new-targetLang-error" autofocus>',
    );
    expect(several.text).toMatch(
      /<span class="field-error" id="new-targetLang-error">Target language: one language here, and “es, fr” is several\./,
    );
    expect(several.text).toContain('<a href="#new-targetLang">Target language:');
    expect(several.text).toContain("Hello.</textarea>");
    expect(several.text).not.toContain("That is not a valid language tag");
    // Two wrong fields: both said, the first on the page focused.
    const two = await agent
      .post("/documents?lng=es")
      .field("_csrf", csrf)
      .field("sourceLang", "inglés")
      .field("targetLang", "xx-!!")
      .field("content", " ");
    expect(two.status).toBe(400);
    expect(two.text).toContain("Idioma de origen: «inglés» no es una etiqueta de idioma.");
    expect(two.text).toContain("Idioma de destino: «xx-!!» no es una etiqueta de idioma.");
    expect(two.text).toContain("Texto: pega el texto o elige un archivo .txt o .md.");
    expect(two.text.match(/ autofocus/g)).toHaveLength(1);
    expect(two.text).toMatch(/id="new-sourceLang"[^>]*aria-invalid="true"[^>]*autofocus/);
    expect(two.text).toMatch(/id="new-content"[^>]*aria-describedby="new-content-error"/);
  });

  it("adds a target language (any BCP 47 tag) and switches to it", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const res = await agent
      .post("/documents/el-pais-trump-milei/languages")
      .type("form")
      .send({ _csrf: csrf, lang: "ES-ar" });
    expect(res.headers.location).toBe("/documents/el-pais-trump-milei/es-AR");
    const page = await agent.get("/documents/el-pais-trump-milei/es-AR");
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/documents/el-pais-trump-milei/es"');
    // es-AR falls back to the Spanish glossary targets.
    expect(page.text).toMatch(/title="→ motosierra"/);
    const bad = await agent
      .post("/documents/el-pais-trump-milei/languages")
      .type("form")
      .send({ _csrf: csrf, lang: "not a tag" });
    expect(bad.status).toBe(303);
    const after = await agent.get(bad.headers.location as string);
    expect(after.text).toContain("is not a language tag Glosa can use");
  });

  it("clears a translation explicitly, as a revision, and saves without JavaScript", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const saved = await agent
      .post("/documents/el-pais-trump-milei/es/paragraphs/p2")
      .type("form")
      .send({ _csrf: csrf, text: "Hola", baseRevision: "0", intent: "save" });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe("/documents/el-pais-trump-milei/es#p-p3");
    const cleared = await agent
      .post("/documents/el-pais-trump-milei/es/paragraphs/p2")
      .type("form")
      .send({ _csrf: csrf, text: "Hola", baseRevision: "1", intent: "clear" });
    expect(cleared.status).toBe(303);
    const revisions = (await t.app.services.translations.paragraph("el-pais-trump-milei", "es", "p2"))
      .translation?.revisions;
    expect(revisions?.map((r) => [r.revision, r.text, r.status])).toEqual([
      [1, "Hola", "translated"],
      [2, "", "untranslated"],
    ]);
    const stale = await agent
      .post("/documents/el-pais-trump-milei/es/paragraphs/p2")
      .type("form")
      .send({ _csrf: csrf, text: "Adiós", baseRevision: "1", intent: "save" });
    expect(stale.status).toBe(409);
    // The revision in the way is eddie's own: not "someone else's" (tests/http/own-save.test.ts).
    expect(stale.text).toContain("You saved this paragraph after this page was opened");
    expect(stale.text).toContain("Adiós");
    const empty = await agent
      .post("/documents/el-pais-trump-milei/es/paragraphs/p3")
      .type("form")
      .send({ _csrf: csrf, text: "  ", baseRevision: "0" });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("The translation is empty");
    // The same refusal in the reader's language.
    const spanish = await agent
      .post("/documents/el-pais-trump-milei/es/paragraphs/p3?lng=es")
      .type("form")
      .send({ _csrf: csrf, text: "  ", baseRevision: "0" });
    expect(spanish.text).toContain("La traducción está vacía. Para quitar una traducción, usa Borrar.");
  });
});
