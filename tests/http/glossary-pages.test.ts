import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

describe("glossary pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("searches, filters by language and sorts", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    const found = await agent.get("/glossary?q=sierra");
    expect(found.text.match(/<tr id="term-/g)).toHaveLength(1);
    expect(found.text).toContain(">chainsaw</a>");
    // Inflected, in either language: a plural finds its term (a trial searched "chainsaws").
    for (const q of ["chainsaws", "motosierras", "Chainsaws approach"]) {
      const inflected = await agent.get(`/glossary?q=${encodeURIComponent(q)}`);
      expect(inflected.text.match(/<tr id="term-/g) ?? [], q).toHaveLength(q.includes(" ") ? 0 : 1);
      if (!q.includes(" ")) expect(inflected.text).toContain(">chainsaw</a>");
    }
    const none = await agent.get("/glossary?lang=fr");
    expect(none.text).toContain("No term matches.");
    const sorted = await agent.get("/glossary?sort=target&lang=es");
    const sources = [...sorted.text.matchAll(/<th scope="row" lang="en"><a [^>]+>([^<]+)<\/a>/g)].map(
      (m) => m[1],
    );
    // By the Spanish target: canciller, Cancillería, Casa Blanca, Casa Rosada, ...
    expect(sources.slice(0, 4)).toEqual([
      "Foreign Minister",
      "Foreign Ministry",
      "White House",
      "Casa Rosada",
    ]);
    expect(sorted.text).not.toContain('href="/glossary/terms/new"');
  });

  it("lets an editor add a term, with validation that keeps what was typed", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const invalid = await agent
      .post("/glossary/terms")
      .type("form")
      .send({
        _csrf: csrf,
        sourceLang: "en",
        source: "lawmaker",
        targetLang: ["es", ""],
        targetText: ["", ""],
        targetForbidden: ["", ""],
      });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("A term to be translated needs at least one required translation.");
    expect(invalid.text).toContain('value="lawmaker"');
    const ok = await agent
      .post("/glossary/terms")
      .type("form")
      .send({
        _csrf: csrf,
        sourceLang: "en",
        source: "lawmaker",
        description: "Member of Congress",
        targetLang: ["es", "pt-BR"],
        targetText: ["legislador", "legislador"],
        targetForbidden: ["hacedor de leyes; congresista", ""],
      });
    expect(ok.status).toBe(303);
    const term = (await t.store.listTerms()).find((x) => x.source === "lawmaker");
    expect(term?.targets).toEqual({
      es: { text: "legislador", forbidden: ["hacedor de leyes", "congresista"] },
      "pt-BR": { text: "legislador", forbidden: [] },
    });
    // A do-not-translate term needs no target.
    const dnt = await agent.post("/glossary/terms").type("form").send({
      _csrf: csrf,
      sourceLang: "en",
      source: "X.com",
      doNotTranslate: "on",
      targetLang: "",
      targetText: "",
      targetForbidden: "",
    });
    expect(dnt.status).toBe(303);
  });

  it("after a target changes, lists the paragraphs that still use the old form", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    await tina.agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/paragraphs/p8`)
      .set("Accept", "application/json")
      .send({
        _csrf: tina.csrf,
        text: "Milei quiere aplicar su motosierra al gasto público",
        baseRevision: 0,
      });
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const chainsaw = (await t.store.listTerms()).find((x) => x.source === "chainsaw");
    const res = await eddie.agent.post(`/glossary/terms/${chainsaw?.id}`).type("form").send({
      _csrf: eddie.csrf,
      sourceLang: "en",
      source: "chainsaw",
      description: chainsaw?.description,
      targetLang: "es",
      targetText: "tijera",
      targetForbidden: "sierra mecánica",
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `/glossary/terms/${chainsaw?.id}?was=${encodeURIComponent("es:motosierra")}`,
    );
    const page = await eddie.agent.get(res.headers.location as string);
    expect(page.text).toContain("Previous target: motosierra (es)");
    expect(page.text).toContain(`/documents/${SEED_DOCUMENT_ID}/es#p-p8`);
    expect(page.text).toContain("<mark>motosierra</mark>");
  });

  it("asks before deleting: a confirmation page without JavaScript", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const purge = (await t.store.listTerms()).find((x) => x.source === "purge");
    const ask = await agent.post(`/glossary/terms/${purge?.id}/delete`).type("form").send({ _csrf: csrf });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("Delete the term “purge”?");
    expect((await t.store.listTerms()).some((x) => x.source === "purge")).toBe(true);
    const done = await agent
      .post(`/glossary/terms/${purge?.id}/delete`)
      .type("form")
      .send({ _csrf: csrf, confirm: "yes" });
    expect(done.status).toBe(303);
    expect((await t.store.listTerms()).some((x) => x.source === "purge")).toBe(false);
  });

  it("imports a CSV file in the browser and reports created, updated and failed rows", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const csv =
      "en,es,translatable,pos\nsenator,senador,yes,noun\nembargo,embargo,maybe,noun\nspokesperson,portavoz,yes,noun\n";
    const res = await agent
      .post("/glossary/import")
      .field("_csrf", csrf)
      .attach("file", Buffer.from(csv), "terms.csv");
    expect(res.status).toBe(200);
    expect(res.text).toContain("1 created, 1 updated, 0 unchanged, 1 not imported.");
    expect(res.text).toContain("line 3");
    expect(res.text).toContain("Columns not understood, ignored: pos");
    const broken = await agent
      .post("/glossary/import")
      .field("_csrf", csrf)
      .attach("file", Buffer.from('en,es\n"x,y\n'), "bad.csv");
    expect(broken.status).toBe(400);
    expect(broken.text).toContain("Nothing was imported");
  });

  it("shows a translator a term as text: its languages with a translation, flags, the whole note", async () => {
    const note = `${"Milei's emblem for cutting public spending. ".repeat(12)}\nKeep the metaphor.`;
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const added = await eddie.agent
      .post("/glossary/terms")
      .type("form")
      .send({
        _csrf: eddie.csrf,
        sourceLang: "en",
        source: "Pink House",
        description: note,
        caseSensitive: "on",
        targetLang: ["es", "fr", ""],
        targetText: ["Casa Rosada", "Maison Rose", ""],
        targetForbidden: ["Casa Rosa; Casa rosada", "", ""],
      });
    expect(added.status).toBe(303);
    const term = (await t.store.listTerms()).find((x) => x.source === "Pink House");
    const path = `/glossary/terms/${term?.id}`;
    const tina = await signIn(t.app, "tina", "tina-password");
    const en = (await tina.agent.get(path)).text;
    const view = /<section class="card term-view">([\s\S]*?)<\/section>/.exec(en)?.[1] ?? "";
    expect(view).toContain("<dt>Source language</dt><dd>English (en)</dd>");
    expect(view).toContain('<span class="flag">Aa case-sensitive</span>');
    expect(view).not.toContain("do not translate");
    // The note whole, as text.
    expect(view).toContain(`<dd class="term-note">${note.replaceAll("'", "&#39;")}</dd>`);
    expect(view).toContain('<dt>Spanish (es)</dt><dd><strong lang="es">Casa Rosada</strong>');
    expect(view).toContain('Don&#39;t use: <s lang="es">Casa Rosa, Casa rosada</s>');
    expect(view).toContain('<dt>French (fr)</dt><dd><strong lang="fr">Maison Rose</strong></dd>');
    // Nothing to type into, no empty language rows, nothing disabled (the header's forms aside).
    const main = en.slice(en.indexOf("<main"));
    expect(main).not.toMatch(/<(input|textarea|select|fieldset|form)\b/);
    expect(main).not.toContain("disabled");
    const es = (await tina.agent.get(`${path}?lng=es`)).text;
    expect(es).toContain("<dt>Idioma de origen</dt><dd>inglés (en)</dd>");
    expect(es).toContain("<h2>Traducciones obligatorias</h2>");
    expect(es).toContain('<dt>español (es)</dt><dd><strong lang="es">Casa Rosada</strong>');
    expect(es).toContain("No usar: <s");
    // Editors and admins keep the form, with its empty rows to add a language.
    for (const [who, password] of [
      ["eddie", "eddie-password"],
      ["admin", undefined],
    ] as const) {
      const { agent } = await signIn(t.app, who, password);
      const form = (await agent.get(path)).text;
      expect(form, who).toContain(`<form method="post" action="${path}"`);
      expect(form, who).toContain('<textarea name="description"');
      expect(form, who).toContain('name="targetLang" value=""');
      expect(form, who).not.toContain("term-view");
    }
  });

  it("keeps translators to reading", async () => {
    const { agent, csrf } = await signIn(t.app, "tina", "tina-password");
    expect((await agent.get("/glossary/terms/new")).status).toBe(403);
    const any = (await t.store.listTerms())[0];
    expect(
      (await agent.post(`/glossary/terms/${any?.id}`).type("form").send({ _csrf: csrf, source: "x" })).status,
    ).toBe(403);
    expect(
      (
        await agent
          .post(`/glossary/terms/${any?.id}/delete`)
          .type("form")
          .send({ _csrf: csrf, confirm: "yes" })
      ).status,
    ).toBe(403);
    const view = await agent.get(`/glossary/terms/${any?.id}`);
    expect(view.status).toBe(200);
    expect(view.text).not.toContain("<fieldset");
    expect((await request(t.app).get("/glossary/export?format=tbx")).status).toBe(303);
    const tbx = await agent.get("/glossary/export?format=tbx");
    expect(tbx.headers["content-type"]).toBe("application/x-tbx+xml; charset=utf-8");
  });
});
