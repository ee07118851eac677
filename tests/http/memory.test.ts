import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp, textOf } from "../helpers.ts";

const SEED = `/api/v1/documents/${SEED_DOCUMENT_ID}`;

const TMX = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT" adminlang="en" srclang="en" datatype="plaintext"/>
<body>${body}</body></tmx>`;
const TU = (en: string, es: string) =>
  `<tu changedate="20250102T030405Z"><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="es-ES"><seg>${es}</seg></tuv></tu>`;

describe("translation memory API", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  let sources: { id: string; source: string }[];
  const as = (role: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[role]}` });

  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_IMPORT_LIMIT: "200000" }));
    sources = (await request(t.app).get(SEED).set(as("translator"))).body.paragraphs;
  });
  afterAll(() => t.close());

  const save = (doc: string, pid: string, text: string, extra: object = {}) =>
    request(t.app)
      .put(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}`)
      .set(as("translator"))
      .send({ text, baseRevision: 0, ...extra });
  const suggestions = (doc: string, pid: string, query = "") =>
    request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}/suggestions${query}`)
      .set(as("translator"));

  async function newDocument(paragraphs: string[]): Promise<string> {
    const res = await request(t.app)
      .post("/api/v1/documents")
      .set(as("editor"))
      .send({ sourceLang: "en", format: "text", content: paragraphs.join("\n\n"), languages: ["es"] });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it("suggests a saved translation at once in another document, 100 for the same source, never the paragraph's own", async () => {
    const p = sources[3] as { id: string; source: string };
    expect((await save(SEED_DOCUMENT_ID, p.id, "Traducción del párrafo cuatro.")).status).toBe(200);
    const approve = await request(t.app)
      .post(`${SEED}/translations/es/paragraphs/${p.id}/review`)
      .set(as("editor"))
      .send({ action: "approve", revision: 1 });
    expect(approve.status).toBe(200);
    const doc = await newDocument(["A title", p.source, `${p.source.replace(/\.$/, "")} again.`]);
    const { body: fresh } = await request(t.app).get(`/api/v1/documents/${doc}`).set(as("translator"));
    const [, same, near] = fresh.paragraphs as { id: string }[];

    const res = await suggestions(doc, (same as { id: string }).id);
    expect(res.status).toBe(200);
    expect(res.body.suggestions[0]).toMatchObject({
      origin: "memory",
      score: 100,
      source: p.source,
      text: "Traducción del párrafo cuatro.",
      approved: true,
      document: { id: SEED_DOCUMENT_ID },
      sourceDiff: [{ op: "equal", text: p.source }],
    });
    const fuzzy = await suggestions(doc, (near as { id: string }).id);
    expect(fuzzy.body.suggestions[0].score).toBeLessThan(100);
    expect(fuzzy.body.suggestions[0].score).toBeGreaterThanOrEqual(70);
    expect(fuzzy.body.suggestions[0].sourceDiff.some((c: { op: string }) => c.op === "insert")).toBe(true);

    const own = await suggestions(SEED_DOCUMENT_ID, p.id);
    expect(
      own.body.suggestions.filter((s: { document?: { id: string } }) => s.document?.id === SEED_DOCUMENT_ID),
    ).toEqual([]);
  });

  it("leaves out drafts, and leaves matches under ?min= out; refuses a bad min", async () => {
    const doc = await newDocument(["Only drafts are saved for this sentence here."]);
    const { body } = await request(t.app).get(`/api/v1/documents/${doc}`).set(as("translator"));
    const pid = body.paragraphs[0].id;
    await save(doc, pid, "Solo un borrador.", { status: "draft" });
    const other = await newDocument(["Only drafts are saved for this sentence here."]);
    const { body: otherBody } = await request(t.app).get(`/api/v1/documents/${other}`).set(as("translator"));
    const res = await suggestions(other, otherBody.paragraphs[0].id);
    expect(res.body.suggestions).toEqual([]);
    // Each refusal says what is wrong with the number, in range or not a number at all.
    for (const [min, said] of [
      ["10", "at least 50"],
      ["-1", "at least 50"],
      ["101", "at most 100"],
      ["1000", "at most 100"],
      ["abc", "not a whole number from 50 to 100"],
      ["7.5", "not a whole number from 50 to 100"],
    ]) {
      const refused = await suggestions(other, otherBody.paragraphs[0].id, `?min=${min}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual({ min: said });
    }
    expect((await request(t.app).get(`${SEED}/translations/es/paragraphs/p1/suggestions`)).status).toBe(401);
    expect((await suggestions(SEED_DOCUMENT_ID, "nope")).status).toBe(404);
  });

  it("imports TMX (editor and admin), answers created/unchanged/errors, and finds the units", async () => {
    const body = TMX(
      TU("The chainsaw plan was announced.", "Se anunció el plan motosierra.") +
        TU("The Casa Rosada said nothing.", "La Casa Rosada no dijo nada.") +
        `<tu><tuv xml:lang="en"><seg>No Spanish here.</seg></tuv></tu>`,
    );
    const post = (role: keyof typeof tokens, xml: string, type = "application/x-tmx+xml") =>
      request(t.app)
        .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
        .set(as(role))
        .set("Content-Type", type)
        .send(xml);
    expect((await post("translator", body)).status).toBe(403);
    const first = await post("editor", body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 2, unchanged: 0 });
    expect(first.body.errors).toHaveLength(1);
    const again = await post("admin", body);
    expect(again.body).toMatchObject({ created: 0, unchanged: 2 });

    const hits = await request(t.app)
      .get("/api/v1/memory?sourceLang=en&targetLang=es&q=MOTOSIERRA")
      .set(as("translator"));
    expect(hits.status).toBe(200);
    expect(hits.body.hits).toHaveLength(1);
    expect(hits.body.hits[0]).toMatchObject({ source: "The chainsaw plan was announced.", approved: false });
    expect(hits.body.hits[0].targetHits).toEqual([[19, 29]]);
    const audit = await request(t.app).get("/api/v1/audit").set(as("admin"));
    if (audit.status === 200) expect(JSON.stringify(audit.body)).toContain("memory.import");

    const doc = await newDocument(["The chainsaw plan was announced."]);
    const { body: fresh } = await request(t.app).get(`/api/v1/documents/${doc}`).set(as("translator"));
    const res = await suggestions(doc, fresh.paragraphs[0].id);
    expect(res.body.suggestions[0]).toMatchObject({ score: 100, text: "Se anunció el plan motosierra." });
  });

  it("refuses bad TMX with 400 and imports nothing, a DOCTYPE too, and a body that is not TMX with 415", async () => {
    const post = (xml: string, type = "application/x-tmx+xml") =>
      request(t.app)
        .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
        .set(as("editor"))
        .set("Content-Type", type)
        .send(xml);
    const broken = await post(`${TMX(TU("Unique broken unit.", "Unidad rota."))}<oops>`);
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("invalid_tmx");
    const doctype = await post(
      `<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x "boom">]>${TMX(TU("Unique doctype unit.", "&x;"))}`.replace(
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        "",
      ),
    );
    expect(doctype.status).toBe(400);
    expect(doctype.body.error.message).toMatch(/DOCTYPE/);
    expect((await post("<xliff/>")).status).toBe(400);
    expect((await post(TMX(""), "text/plain")).status).toBe(415);
    const bad = await request(t.app)
      .post("/api/v1/memory/import?sourceLang=&targetLang=es")
      .set(as("editor"))
      .set("Content-Type", "application/x-tmx+xml")
      .send(TMX(""));
    expect(bad.status).toBe(400);
    const none = await request(t.app)
      .get("/api/v1/memory?sourceLang=en&targetLang=es&q=Unique")
      .set(as("translator"));
    expect(none.body.hits).toEqual([]);
  });

  it("exports the pair's memory as TMX for editors only", async () => {
    expect(
      (await request(t.app).get("/api/v1/memory/export?sourceLang=en&targetLang=es").set(as("translator")))
        .status,
    ).toBe(403);
    const res = await textOf(
      request(t.app).get("/api/v1/memory/export?sourceLang=en&targetLang=es").set(as("editor")),
    );
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-tmx+xml; charset=utf-8");
    expect(res.text).toContain('creationtool="OmegaT"');
    expect(res.text).toContain("Traducción del párrafo cuatro.");
    expect(res.text).toContain('<prop type="x-glosa-approved">true</prop>');
    // A language into itself is no pair a memory holds: refused, as its import is, not an empty file.
    const same = await request(t.app)
      .get("/api/v1/memory/export?sourceLang=en&targetLang=en")
      .set(as("editor"));
    expect(same.status).toBe(400);
    expect(same.body.error.code).toBe("invalid_language");
  });

  it("offers a text once when two units read the same once their numbers are put in", async () => {
    const imported = await request(t.app)
      .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
      .set(as("editor"))
      .set("Content-Type", "application/x-tmx+xml")
      .send(
        TMX(
          TU(
            "The fund lent Ecuador 20 million dollars last week.",
            "El fondo prestó 20 millones de dólares a Ecuador la semana pasada.",
          ) +
            TU(
              "The fund lent Ecuador 30 million dollars last week.",
              "El fondo prestó 30 millones de dólares a Ecuador la semana pasada.",
            ),
        ),
      );
    expect(imported.body.created).toBe(2);
    const doc = await newDocument(["Loans", "The fund lent Ecuador 40 million dollars last week."]);
    const found = (await suggestions(doc, "p2")).body.suggestions as { text: string; score: number }[];
    const texts = found.map((s) => s.text);
    expect(texts).toContain("El fondo prestó 40 millones de dólares a Ecuador la semana pasada.");
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("offers a paragraph of one sentence that sentence's translation from a longer paragraph", async () => {
    const doc = await newDocument([
      "Markets",
      "The peso fell against the dollar on Monday. Investors waited for the central bank's decision.",
    ]);
    expect(
      (
        await save(
          doc,
          "p2",
          "El peso cayó frente al dólar el lunes. Los inversores esperaron la decisión del banco central.",
        )
      ).status,
    ).toBe(200);
    const other = await newDocument(["Markets again", "Investors waited for the central bank's decision."]);
    const [first] = (await suggestions(other, "p2")).body.suggestions;
    expect(typeof first.updatedAt).toBe("string");
    expect(first.assembled[0].updatedAt).toBe(first.updatedAt);
    expect(first).toMatchObject({
      origin: "memory",
      score: 99,
      text: "Los inversores esperaron la decisión del banco central.",
      // Where it came from, as a whole match says it.
      document: { id: doc, title: "Markets" },
      paragraphId: "p2",
      approved: false,
      assembled: [
        {
          source: "Investors waited for the central bank's decision.",
          text: "Los inversores esperaron la decisión del banco central.",
          document: { id: doc, title: "Markets" },
          approved: false,
        },
      ],
    });
  });

  it("concordance wants a query and both languages", async () => {
    for (const query of [
      "sourceLang=en&targetLang=es",
      "sourceLang=en&q=x",
      `sourceLang=en&targetLang=es&q=${"x".repeat(201)}`,
    ])
      expect((await request(t.app).get(`/api/v1/memory?${query}`).set(as("translator"))).status).toBe(400);
    expect((await request(t.app).get("/api/v1/memory?sourceLang=en&targetLang=es&q=x")).status).toBe(401);
  });
});
