import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { importTmxPage, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

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
    importTmxPage(session, file);

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
    const said = await tina.agent.get("/memory?q=said%20no&sourceLang=en&targetLang=es");
    expect(said.text).toContain("<mark>said no</mark>");
    expect(said.text).not.toContain("/glossary/terms/new");
    const forEditor = await eddie.agent.get("/memory?q=said%20no&sourceLang=en&targetLang=es");
    expect(forEditor.text).toContain(
      "/glossary/terms/new?sourceLang=en&source=said%20no&targetLang=es&target=",
    );
    const form = await eddie.agent.get(
      "/glossary/terms/new?sourceLang=en&source=said%20no&targetLang=es&target=",
    );
    expect(form.text).toContain('name="source" value="said no"');
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
    // A search for a code's number finds no placeholder; the labels follow the language.
    const byNumber = await eddie.agent.get("/memory?q=1&sourceLang=en&targetLang=es");
    expect(byNumber.text).not.toContain("<mark>1</mark>");
    expect(byNumber.text).not.toContain("Save draft");
    const inSpanish = await eddie.agent.get("/memory?q=save%20draft&sourceLang=en&targetLang=es&lng=es");
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
    // Post/Redirect/Get: the editor says what was filled, once; a reload does not post again.
    expect(filled.status).toBe(303);
    expect(filled.headers.location).toBe(`/documents/${doc}/es`);
    const after = await tina.agent.get(filled.headers.location as string);
    expect(after.text).toContain("1 paragraph was filled");
    expect((await tina.agent.get(filled.headers.location as string)).text).not.toContain("was filled");
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
  /** A TMX file of `count` units whose source says `text` and a number. */
  const manyUnits = (count: number, text: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
<body>${Array.from(
      { length: count },
      (_, i) =>
        `<tu><tuv xml:lang="en"><seg>${text} number ${i + 1}.</seg></tuv><tuv xml:lang="es"><seg>Traducción ${i + 1}.</seg></tuv></tu>`,
    ).join("")}</body></tmx>`;

  it("says the concordance shows the first 50 hits when there may be more, in English and Spanish", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    expect((await importAs(eddie, manyUnits(51, "The zebra crossing"))).status).toBe(200);
    expect((await importAs(eddie, manyUnits(50, "The quokka smiled"))).status).toBe(200);
    const tina = await signIn(t.app, "tina", "tina-password");
    const admin = await signIn(t.app);
    for (const session of [tina, eddie, admin]) {
      const many = await session.agent.get("/memory?q=zebra&sourceLang=en&targetLang=es&lng=en");
      expect(many.text).toContain("First 50 hits; there may be more");
      expect(many.text.match(/<li class="card">/g)).toHaveLength(50);
      const manyEs = await session.agent.get("/memory?q=zebra&sourceLang=en&targetLang=es&lng=es");
      expect(manyEs.text).toContain("Primeros 50 resultados; puede haber más");
      // Exactly 50: all of them, said as such.
      const all = await session.agent.get("/memory?q=quokka&sourceLang=en&targetLang=es&lng=en");
      expect(all.text).toContain(">50 hits<");
      expect(all.text).not.toContain("there may be more");
      const allEs = await session.agent.get("/memory?q=quokka&sourceLang=en&targetLang=es&lng=es");
      expect(allEs.text).toContain(">50 resultados<");
    }
  });

  it("links a hit whose phrase already is a term to it instead of offering to add it, and never adds a hit found only in the translation", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const tina = await signIn(t.app, "tina", "tina-password");
    const admin = await signIn(t.app);
    const terms = await request(t.app)
      .get("/api/v1/glossary")
      .set({ Authorization: `Bearer ${tokens.editor}` });
    const casa = (terms.body.terms as { id: string; source: string }[]).find(
      (x) => x.source === "Casa Rosada",
    );
    expect(casa).toBeDefined();
    for (const [session, lng, label] of [
      [tina, "en", "In the glossary"],
      [eddie, "en", "In the glossary"],
      [admin, "es", "En el glosario"],
      [eddie, "es", "En el glosario"],
    ] as const) {
      // Any case, any accents: the duplicate rule the glossary refuses a new term by.
      const page = await session.agent.get(`/memory?q=CASA%20rosada&sourceLang=en&targetLang=es&lng=${lng}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<a href="/glossary/terms/${casa?.id}">${label}</a>`);
      expect(page.text).not.toContain("/glossary/terms/new");
      // "dijo" is only in the translation: nothing to make a term's source of.
      const target = await session.agent.get(`/memory?q=dijo&sourceLang=en&targetLang=es&lng=${lng}`);
      expect(target.text).toContain("<mark>dijo</mark>");
      expect(target.text).not.toContain("/glossary/terms/new");
    }
  });

  it("fills exact matches with a redirect for every role, in Spanish too, and says when there was nothing to fill", async () => {
    const api = { Authorization: `Bearer ${tokens.editor}` };
    const seed = await request(t.app).get(`/api/v1/documents/${SEED_DOCUMENT_ID}`).set(api);
    const p = seed.body.paragraphs[3] as { id: string; source: string };
    await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${p.id}`)
      .set(api)
      .send({ text: "Párrafo cuatro.", baseRevision: 0 });
    for (const [username, password] of [
      ["tina", "tina-password"],
      ["eddie", "eddie-password"],
      ["admin", undefined],
    ] as const) {
      const created = await request(t.app)
        .post("/api/v1/documents")
        .set(api)
        .send({
          sourceLang: "en",
          format: "text",
          content: `Title for ${username}\n\n${p.source}`,
          languages: ["es"],
        });
      const doc = created.body.id as string;
      const session = await signIn(t.app, username, password);
      const post = (lng: string) =>
        session.agent
          .post(`/documents/${doc}/es/fill-exact?lng=${lng}`)
          .type("form")
          .send({ _csrf: session.csrf });
      const first = await post("es");
      expect(first.status).toBe(303);
      const page = await session.agent.get(first.headers.location as string);
      expect(page.text).toContain("Se ha rellenado 1 párrafo como borrador desde la memoria");
      const again = await post("en");
      expect(again.status).toBe(303);
      const nothing = await session.agent.get(again.headers.location as string);
      expect(nothing.text).toContain("nothing was filled");
    }
  });
});

describe("an empty file chosen in an import form", () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("says the file is empty, naming it, not that no file was chosen (memory and glossary, English and Spanish)", async () => {
    const admin = await signIn(t.app);
    const memory = await importTmxPage(admin, "");
    expect(memory.status).toBe(400);
    expect(memory.text).toContain("memory.tmx is empty: choose a TMX file that holds units.");
    const glossary = await admin.agent
      .post("/glossary/import?lng=es")
      .field("_csrf", admin.csrf)
      .attach("file", Buffer.alloc(0), "términos.csv");
    expect(glossary.text).toContain(
      "términos.csv está vacío: elige un archivo CSV o TBX que tenga términos.",
    );
    // No file at all (the interface is Spanish since ?lng=es): the form's own request.
    const none = await admin.agent
      .post("/memory/import")
      .field("_csrf", admin.csrf)
      .field("sourceLang", "en")
      .field("targetLang", "es")
      .attach("file", Buffer.alloc(0), "");
    expect(none.text).toContain("Elige un archivo TMX para importar.");
  });
});
