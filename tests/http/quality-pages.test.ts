import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

describe("the quality Settings page (no JavaScript)", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("is for editors and admins: translators get 403 and no link", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    expect((await tina.agent.get("/quality")).status).toBe(403);
    expect((await tina.agent.get("/")).text).not.toContain('href="/quality"');
    const post = await tina.agent
      .post("/quality/es/words")
      .type("form")
      .send({ _csrf: tina.csrf, word: "cambiario" });
    expect(post.status).toBe(403);
    for (const [user, password] of [
      ["eddie", "eddie-password"],
      ["admin", undefined],
    ] as const) {
      const { agent } = await signIn(t.app, user, password);
      const page = await agent.get("/quality?lang=es");
      expect(page.status).toBe(200);
      expect(page.text).toContain('href="/quality"');
      expect(page.text).toContain("«…» “…”");
    }
  });

  it("saves a language's settings from the form and redirects, audited", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const res = await agent.post("/quality/es").type("form").send({
      _csrf: csrf,
      "number-mismatch": "on",
      "number-mismatch.severity": "warning",
      punctuation: "on",
      "punctuation.severity": "error",
      quoteStyle: "curly",
      titleLimit: "90",
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/quality?lang=es");
    const settings = await t.store.readQuality();
    expect(settings.settings.es).toMatchObject({
      checks: { "number-mismatch": { severity: "warning" }, spelling: { enabled: false } },
      quoteStyle: { outer: ["“", "”"], inner: ["‘", "’"] },
      titleLimit: 90,
    });
    const page = await agent.get("/quality?lang=es");
    expect(page.text).toContain("Quality settings for es saved.");
    expect(page.text).toMatch(/<option value="curly" selected>/);
    expect((await t.store.listAudit(1))[0]).toMatchObject({ action: "quality.settings", actor: "eddie" });
    const bad = await agent.post("/quality/es").type("form").send({ _csrf: csrf, titleLimit: "5" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("title limit is 20 to 1000");
    const noCsrf = await agent.post("/quality/es").type("form").send({ titleLimit: "100" });
    expect(noCsrf.status).toBe(403);
  });

  it("adds a word to the dictionary and goes back where the form came from", async () => {
    const { agent, csrf } = await signIn(t.app, "admin");
    const back = "/documents/el-pais-trump-milei/translations/es";
    const res = await agent
      .post("/quality/es/words")
      .type("form")
      .send({ _csrf: csrf, word: "Cambiario", return: back });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(back);
    expect((await t.store.readQuality()).words.es).toEqual(["cambiario"]);
    const offsite = await agent
      .post("/quality/es/words")
      .type("form")
      .send({ _csrf: csrf, word: "interanual", return: "//evil.example/" });
    expect(offsite.headers.location).toBe("/quality?lang=es");
    const bad = await agent.post("/quality/es/words").type("form").send({ _csrf: csrf, word: "two words" });
    expect(bad.status).toBe(303);
    expect((await agent.get("/quality?lang=es")).text).toContain("An accepted word is one word of letters");
    const page = await agent.get("/quality?lang=es");
    expect(page.text).toContain("<li>cambiario</li>");
  });

  it("lists approved paragraphs with errors on the approved-only export page", async () => {
    // The default severities: an earlier test changed them.
    await t.store.putQualitySettings("es", { checks: {} });
    const doc = `/api/v1/documents/${SEED_DOCUMENT_ID}`;
    const pid = (
      await request(t.app)
        .get(doc)
        .set({ Authorization: `Bearer ${tokens.admin}` })
    ).body.paragraphs[10].id;
    const path = `${doc}/translations/es/paragraphs/${pid}`;
    const saved = await request(t.app)
      .put(path)
      .set({ Authorization: `Bearer ${tokens.translator}` })
      .send({
        text: "El FMI aportaría unos 16.000 millones de dólares, además de los 44.000 millones prestados en 2018.",
        baseRevision: 0,
      });
    expect(saved.body.qa.map((f: { code: string }) => f.code)).toContain("number-mismatch");
    const approved = await request(t.app)
      .post(`${path}/review`)
      .set({ Authorization: `Bearer ${tokens.editor}` })
      .send({ action: "approve", revision: saved.body.revision });
    expect(approved.status).toBe(200);
    const { agent } = await signIn(t.app, "eddie", "eddie-password");
    const page = await agent.get(
      `/documents/${SEED_DOCUMENT_ID}/es/export?status=approved&incomplete=source`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain("1 approved paragraph has errors:");
    expect(page.text).toContain(
      "The number 15 billion of the source reads “16.000 millones” in the translation.",
    );
    const latest = await agent.get(
      `/documents/${SEED_DOCUMENT_ID}/es/export?status=latest&incomplete=source`,
    );
    expect(latest.text).not.toContain("approved paragraph has errors");
  });

  it("waives a number finding from the waiver page (no JavaScript), by its key", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const base = `/documents/${SEED_DOCUMENT_ID}/es`;
    const doc = await request(t.app)
      .get(`/api/v1/documents/${SEED_DOCUMENT_ID}`)
      .set({ Authorization: `Bearer ${tokens.admin}` });
    const pid = doc.body.paragraphs[4].id;
    const saved = await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${pid}`)
      .set({ Authorization: `Bearer ${tokens.translator}` })
      .send({
        text: "Los funcionarios no entendían por qué habló con más de 60 líderes mundiales.",
        baseRevision: 0,
      });
    expect(saved.body.qa.map((f: { key?: string }) => f.key)).toContain("number-mismatch:70");
    const page = await tina.agent.get(`${base}/paragraphs/${pid}/waive`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="number-mismatch number-mismatch:70"');
    const ok = await tina.agent.post(`${base}/paragraphs/${pid}/waive`).type("form").send({
      _csrf: tina.csrf,
      finding: "number-mismatch number-mismatch:70",
      reason: "La fuente corrigió la cifra",
    });
    expect(ok.status).toBe(303);
    const view = await request(t.app)
      .get(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`)
      .set({ Authorization: `Bearer ${tokens.editor}` });
    expect(view.body.paragraphs[4].qa.map((f: { code: string }) => f.code)).not.toContain("number-mismatch");
    const events = await t.store.readTranslationEvents(SEED_DOCUMENT_ID, "es");
    expect(events.at(-1)).toMatchObject({
      type: "waiver",
      termId: "",
      key: "number-mismatch:70",
      code: "number-mismatch",
    });
  });
});
