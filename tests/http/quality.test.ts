import { readFileSync } from "node:fs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { Spellers } from "../../server/spelling.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const DOC = `/api/v1/documents/${SEED_DOCUMENT_ID}`;
const SETTINGS = "/api/v1/quality/settings/es";
const WORDS = "/api/v1/quality/words/es";
const spanish = readFileSync(new URL("../fixtures/quality/seed-article.es.txt", import.meta.url), "utf8")
  .trim()
  .split("\n");

describe("quality checks over HTTP", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  let pids: string[];

  beforeAll(async () => {
    const spellers = new Spellers();
    ({ t, tokens } = await makeAppWithTeam({}, { spellers }));
    await spellers.ready("es");
    const doc = await request(t.app).get(DOC).set(as(tokens.admin));
    pids = doc.body.paragraphs.map((p: { id: string }) => p.id);
  }, 60_000);
  afterAll(() => t.close());

  const check = (target: string, token = tokens.translator, extra: object = {}) =>
    request(t.app)
      .post("/api/v1/glossary/check")
      .set(as(token))
      .send({ sourceLang: "en", targetLang: "es", source: "approximately $15 billion.", target, ...extra });

  it("takes the names the article writes elsewhere for names, not misspellings, in a save's findings", async () => {
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set(as(tokens.admin))
      .send({
        sourceLang: "en",
        format: "text",
        content:
          "Milei calls Donald Trump\n\nThe leader had waited a week.\n\nHis spokesman, Adorni, said so.",
        languages: ["es"],
      });
    expect(created.status).toBe(201);
    const second = created.body.paragraphs[1].id as string;
    // The second paragraph's source names nobody; the title and the last paragraph do.
    const saved = await request(t.app)
      .put(`/api/v1/documents/${created.body.id}/translations/es/paragraphs/${second}`)
      .set(as(tokens.translator))
      .send({
        text: "Milei esperaba desde hacía una semana hablar con Donald Trump y con adorni.",
        baseRevision: 0,
      });
    expect(saved.status).toBe(200);
    const spelling = (saved.body.qa as { code: string; key: string }[]).filter((f) => f.code === "spelling");
    // A name written in lower case is still a misspelling.
    expect(spelling.map((f) => f.key)).toEqual(["spelling:adorni"]);
  });

  it("returns the new findings with their spans from POST /glossary/check, in every role", async () => {
    for (const token of [tokens.translator, tokens.editor, tokens.admin]) {
      const res = await check("unos 16.000 milones de dólares.", token);
      expect(res.status).toBe(200);
      expect(res.body.findings).toEqual([
        {
          code: "number-mismatch",
          severity: "error",
          key: "number-mismatch:15000000000",
          message: "The number 15 billion of the source reads “16.000” in the translation.",
          start: 5,
          end: 11,
        },
        {
          code: "spelling",
          severity: "warning",
          key: "spelling:milones",
          message: "Unknown word: “milones”.",
          start: 12,
          end: 19,
        },
      ]);
    }
    expect((await check("unos 15.000 millones de dólares.")).body.findings).toEqual([]);
    const es = await request(t.app)
      .post("/api/v1/glossary/check?lng=es")
      .set(as(tokens.translator))
      .send({ sourceLang: "en", targetLang: "es", source: "Why?", target: "Por qué?" });
    expect(es.body.findings[0]).toMatchObject({
      code: "punctuation",
      message: "Falta el signo de apertura ¿.",
    });
    // A ratio in the reader's own way of writing numbers: 0,04, not "0.0".
    const short = await request(t.app)
      .post("/api/v1/glossary/check?lng=es")
      .set(as(tokens.translator))
      .send({ sourceLang: "en", targetLang: "es", source: "word ".repeat(50).trim(), target: "Sí." });
    expect(short.body.findings.find((f: { code: string }) => f.code === "length")?.message).toBe(
      "La traducción es mucho más corta que el original (×0,012).",
    );
  });

  it("finds nothing in the clean Spanish translation of the seed article, saved paragraph by paragraph", async () => {
    for (const [i, pid] of pids.entries()) {
      const res = await request(t.app)
        .put(`${DOC}/translations/es/paragraphs/${pid}`)
        .set(as(tokens.translator))
        .send({ text: spanish[i], baseRevision: 0 });
      expect(res.status).toBe(200);
      expect(res.body.qa).toEqual([]);
    }
    const view = await request(t.app).get(`${DOC}/translations/es`).set(as(tokens.translator));
    expect(view.body.paragraphs.flatMap((p: { qa: unknown[] }) => p.qa)).toEqual([]);
  });

  it("answers a save with the findings of every check, a title over its limit included", async () => {
    const title = `${spanish[0]} y la motosierra de Milei`;
    const res = await request(t.app)
      .put(`${DOC}/translations/es/paragraphs/${pids[0]}`)
      .set(as(tokens.translator))
      .send({ text: title, baseRevision: 1 });
    expect(res.status).toBe(200);
    expect(res.body.qa).toEqual([
      expect.objectContaining({ code: "length", key: "length:title", start: 110, end: title.length }),
    ]);
  });

  it("lets editors and admins change a language's settings, audited; translators read them", async () => {
    const read = await request(t.app).get(SETTINGS).set(as(tokens.translator));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      lang: "es",
      checks: {
        "number-mismatch": { enabled: true, severity: "error" },
        spelling: { enabled: true, severity: "warning" },
      },
      quoteStyle: { outer: ["«", "»"], inner: ["“", "”"] },
      titleLimit: 110,
      acceptedWords: [],
    });
    expect(
      (await request(t.app).put(SETTINGS).set(as(tokens.translator)).send({ titleLimit: 90 })).status,
    ).toBe(403);
    expect((await request(t.app).put(SETTINGS).send({ titleLimit: 90 })).status).toBe(401);
    for (const bad of [
      { titleLimit: 5 },
      { checks: { spelling: { severity: "fatal" } } },
      { quoteStyle: { outer: ["«"] } },
    ]) {
      const res = await request(t.app).put(SETTINGS).set(as(tokens.editor)).send(bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_fields");
    }
    const off = await request(t.app)
      .put(SETTINGS)
      .set(as(tokens.editor))
      .send({ checks: { "number-mismatch": { enabled: false } }, titleLimit: 150 });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ checks: { "number-mismatch": { enabled: false } }, titleLimit: 150 });
    expect((await check("unos 16.000 millones de dólares.")).body.findings).toEqual([]);
    const milder = await request(t.app)
      .put(SETTINGS)
      .set(as(tokens.admin))
      .send({ checks: { "number-mismatch": { enabled: true, severity: "warning" } } });
    expect(milder.body.titleLimit).toBe(150);
    expect((await check("unos 16.000 millones de dólares.")).body.findings).toEqual([
      expect.objectContaining({ code: "number-mismatch", severity: "warning" }),
    ]);
    const audit = await t.store.listAudit(5);
    expect(audit.filter((e) => e.action === "quality.settings").map((e) => e.actor)).toEqual([
      "admin",
      "eddie",
    ]);
    await request(t.app)
      .put(SETTINGS)
      .set(as(tokens.admin))
      .send({ checks: { "number-mismatch": { severity: "error" } } });
  });

  it("adds a word to the language's dictionary from a finding (editor), never flagged again", async () => {
    expect((await check("unos 15.000 millones de dólares cambiarios.")).body.findings).toEqual([
      expect.objectContaining({ key: "spelling:cambiarios" }),
    ]);
    expect(
      (await request(t.app).post(WORDS).set(as(tokens.translator)).send({ word: "cambiario" })).status,
    ).toBe(403);
    expect((await request(t.app).post(WORDS).send({ word: "cambiario" })).status).toBe(401);
    for (const word of ["two words", "", "x".repeat(65), "<b>"]) {
      const res = await request(t.app).post(WORDS).set(as(tokens.editor)).send({ word });
      expect(res.status).toBe(400);
    }
    const added = await request(t.app).post(WORDS).set(as(tokens.editor)).send({ word: "Cambiario" });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ lang: "es", word: "cambiario" });
    expect((await check("unos 15.000 millones de dólares cambiarios.")).body.findings).toEqual([]);
    expect((await request(t.app).get(SETTINGS).set(as(tokens.translator))).body.acceptedWords).toEqual([
      "cambiario",
    ]);
    expect((await t.store.listAudit(1))[0]).toMatchObject({ action: "quality.accept_word", actor: "eddie" });
  });

  it("waives another check's finding by its key; a glossary code still needs its term", async () => {
    const pid = pids[10] as string;
    const path = `${DOC}/translations/es/paragraphs/${pid}`;
    const text = (spanish[10] as string).replace("15.000 millones", "16.000 millones");
    const saved = await request(t.app).put(path).set(as(tokens.translator)).send({ text, baseRevision: 1 });
    const finding = saved.body.qa[0];
    expect(finding).toMatchObject({ code: "number-mismatch", key: "number-mismatch:15000000000" });
    const noKey = await request(t.app)
      .post(`${path}/waivers`)
      .set(as(tokens.translator))
      .send({ code: "number-mismatch", reason: "Corrected figure" });
    expect(noKey.status).toBe(400);
    const waived = await request(t.app)
      .post(`${path}/waivers`)
      .set(as(tokens.translator))
      .send({ code: "number-mismatch", key: finding.key, reason: "The IMF revised the figure" });
    expect(waived.status).toBe(201);
    expect(waived.body).toMatchObject({ key: finding.key, code: "number-mismatch", qa: [] });
    const view = await request(t.app).get(`${DOC}/translations/es`).set(as(tokens.editor));
    expect(view.body.paragraphs[10].qa).toEqual([]);
  });

  it("renders the editor with each finding's span and word for the page's script, and Add to dictionary only for editors", async () => {
    const pid = pids[2] as string;
    const text = (spanish[2] as string).replace("conversación", "conversacion");
    const path = `${DOC}/translations/es/paragraphs/${pid}`;
    const current = await request(t.app).get(`${DOC}/translations/es`).set(as(tokens.translator));
    const base = current.body.paragraphs[2].revision;
    const saved = await request(t.app)
      .put(path)
      .set(as(tokens.translator))
      .send({ text, baseRevision: base });
    expect(saved.body.qa).toEqual([
      expect.objectContaining({ code: "spelling", key: "spelling:conversacion" }),
    ]);
    const start = text.indexOf("conversacion");
    const { agent } = await signIn(t.app, "eddie", "eddie-password");
    const page = await agent.get(`/documents/${SEED_DOCUMENT_ID}/es`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      `data-code="spelling" data-start="${start}" data-end="${start + 12}" data-word="conversacion"`,
    );
    expect(page.text).toContain('data-can-configure="true"');
    const tina = await signIn(t.app, "tina", "tina-password");
    expect((await tina.agent.get(`/documents/${SEED_DOCUMENT_ID}/es`)).text).toContain(
      'data-can-configure="false"',
    );
  });
});
