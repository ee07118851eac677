import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const TMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="en"><seg>The Casa Rosada &lt;b&gt; said no.</seg></tuv><tuv xml:lang="es"><seg>La Casa Rosada dijo que no.</seg></tuv></tu></body></tmx>`;

describe("translation memory pages", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  /** The import form posted by a signed-in person. */
  const importAs = (session: Awaited<ReturnType<typeof signIn>>, file: string) =>
    session.agent
      .post("/memory/import")
      .field("_csrf", session.csrf)
      .field("sourceLang", "en")
      .field("targetLang", "es")
      .attach("file", Buffer.from(file), "memory.tmx");

  it("imports TMX from the page for editors, not translators, and searches it without scripts", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const refused = await importAs(tina, TMX);
    expect(refused.status).toBe(403);
    const page = await tina.agent.get("/memory");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('action="/memory/import"');

    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const imported = await importAs(eddie, TMX);
    expect(imported.status).toBe(200);
    expect(imported.text).toContain("Units added: 1");
    const bad = await importAs(eddie, "<tmx>");
    expect(bad.status).toBe(400);
    const noToken = await eddie.agent
      .post("/memory/import")
      .field("sourceLang", "en")
      .attach("file", Buffer.from(TMX), "memory.tmx");
    expect(noToken.status).toBe(403);

    const found = await tina.agent.get("/memory?q=casa%20rosada&sourceLang=en&targetLang=es");
    expect(found.status).toBe(200);
    expect(found.text).toContain("<mark>Casa Rosada</mark>");
    // Text from the file is escaped.
    expect(found.text).toContain("&lt;b&gt;");
    expect(found.text).not.toContain("<b>");
    // Only someone who may edit the glossary is offered to add the hit to it.
    expect(found.text).not.toContain("/glossary/terms/new");
    const forEditor = await eddie.agent.get("/memory?q=casa%20rosada&sourceLang=en&targetLang=es");
    expect(forEditor.text).toContain(
      "/glossary/terms/new?sourceLang=en&source=Casa%20Rosada&targetLang=es&target=Casa%20Rosada",
    );
    const form = await eddie.agent.get(
      "/glossary/terms/new?sourceLang=en&source=Casa%20Rosada&targetLang=es&target=Casa%20Rosada",
    );
    expect(form.text).toContain('name="source" value="Casa Rosada"');
    expect((await tina.agent.get("/memory/export?sourceLang=en&targetLang=es")).status).toBe(403);
    const exported = await eddie.agent.get("/memory/export?sourceLang=en&targetLang=es").buffer(true);
    expect(exported.status).toBe(200);
    expect(String(exported.text ?? exported.body)).toContain('creationtool="Trados"');
  });

  it("shows an imported unit's inline codes as tokens in the concordance, not as placeholder text", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const withCodes = TMX.replace(
      "<seg>The Casa Rosada &lt;b&gt; said no.</seg>",
      '<seg>Press <bpt i="1">&lt;b&gt;</bpt>Save draft<ept i="1">&lt;/b&gt;</ept> now.<ph x="2">&lt;br/&gt;</ph></seg>',
    ).replace(
      "<seg>La Casa Rosada dijo que no.</seg>",
      '<seg>Pulse <bpt i="1">&lt;b&gt;</bpt>Guardar borrador<ept i="1">&lt;/b&gt;</ept>.</seg>',
    );
    expect((await importAs(eddie, withCodes)).status).toBe(200);
    const found = await eddie.agent.get("/memory?q=save%20draft&sourceLang=en&targetLang=es");
    expect(found.status).toBe(200);
    expect(found.text).toContain(
      'Press <span class="memory-code memory-code-start" role="img" aria-label="tag 1" title="tag 1">1</span>' +
        '<mark>Save draft</mark><span class="memory-code memory-code-end" role="img" aria-label="end of tag 1" title="end of tag 1">1</span>' +
        ' now.<span class="memory-code" role="img" aria-label="code 3" title="code 3">3</span>',
    );
    expect(found.text).toContain('aria-label="end of tag 1"');
    expect(found.text).not.toMatch(/\{\/?\d+\/?\}/);
    // A search for a code's number marks no part of a placeholder, and the labels follow the language.
    const inSpanish = await eddie.agent.get("/memory?q=1&sourceLang=en&targetLang=es&lng=es");
    expect(inSpanish.text).not.toContain("<mark>1</mark>");
    expect(inSpanish.text).toContain('aria-label="fin de la etiqueta 1"');
  });

  it("fills exact matches as drafts from the memory, never as translated, for a translator", async () => {
    const api = (token: string) => ({ Authorization: `Bearer ${token}` });
    const seed = await request(t.app)
      .get(`/api/v1/documents/${SEED_DOCUMENT_ID}`)
      .set(api(tokens.translator));
    const p = seed.body.paragraphs[2] as { id: string; source: string };
    await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${p.id}`)
      .set(api(tokens.translator))
      .send({ text: "Párrafo tres.", baseRevision: 0 });
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set(api(tokens.editor))
      .send({ sourceLang: "en", format: "text", content: `Fresh title\n\n${p.source}`, languages: ["es"] });
    const doc = created.body.id as string;
    const tina = await signIn(t.app, "tina", "tina-password");
    const editor = await tina.agent.get(`/documents/${doc}/es`);
    expect(editor.text).toContain(`action="/documents/${doc}/es/fill-exact"`);
    const filled = await tina.agent
      .post(`/documents/${doc}/es/fill-exact`)
      .type("form")
      .send({ _csrf: tina.csrf });
    expect(filled.status).toBe(200);
    expect(filled.text).toContain("1 paragraph was filled");
    const view = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es`)
      .set(api(tokens.translator));
    const statuses = view.body.paragraphs.map((x: { status: string }) => x.status);
    expect(statuses).toEqual(["untranslated", "draft"]);
    const pid = created.body.paragraphs[1].id;
    const revisions = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}/revisions`)
      .set(api(tokens.translator));
    expect(revisions.body.revisions[0]).toMatchObject({
      text: "Párrafo tres.",
      origin: "memory",
      status: "draft",
    });
    expect((await request(t.app).post(`/documents/${doc}/es/fill-exact`)).status).not.toBe(200);
  });
});
