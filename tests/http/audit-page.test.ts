/** The admin audit page reads the log a page at a time (issue 12) and shows details for people. */

import { readFileSync } from "node:fs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "../../server/accounts/model.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

describe("GET /admin/audit", () => {
  let t: TestApp;

  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
    for (let i = 0; i < 120; i++)
      await t.store.appendAudit({
        at: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString(),
        actor: "eddie",
        action: "translation.import",
        object: `document:doc${String(i).padStart(3, "0")}/es`,
        details: { updated: i, errors: 0, lang: "es", tags: ["a", "b"] },
      });
  });
  afterAll(() => t.close());

  const objects = (html: string) => [...html.matchAll(/title="document:(doc\d+)\/es"/g)].map((m) => m[1]);

  it("shows the newest 50 entries, and the older ones a page at a time through the pager", async () => {
    const { agent } = await signIn(t.app);
    const first = await agent.get("/admin/audit");
    expect(first.status).toBe(200);
    const docs = (from: number) =>
      Array.from({ length: 50 }, (_, i) => `doc${String(from - i).padStart(3, "0")}`);
    expect(objects(first.text)).toEqual(docs(119));
    expect(first.text).not.toContain('rel="prev"');
    const next = /rel="next" href="([^"]+)"/.exec(first.text)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toMatch(/^\/admin\/audit\?after=/);
    const second = await agent.get(next as string);
    expect(objects(second.text)).toEqual(docs(69));
    const previous = /rel="prev" href="([^"]+)"/.exec(second.text)?.[1]?.replaceAll("&amp;", "&");
    expect(objects((await agent.get(previous as string)).text)).toEqual(objects(first.text));
  });

  it("shows details as readable pairs, not JSON, in the reader's language", async () => {
    const { agent } = await signIn(t.app);
    const page = (await agent.get("/admin/audit")).text;
    expect(page).not.toContain("{&#34;updated");
    expect(page).not.toContain('{"updated');
    expect(page).toContain("<dt>Updated</dt><dd>119</dd>");
    expect(page).toContain("<dt>tags</dt><dd>a, b</dd>");
    expect((await agent.get("/admin/audit?lng=es")).text).toContain("<dt>Actualizados</dt><dd>119</dd>");
  });

  it("labels every action and translates stored codes in Spanish, the action's code only in a title", async () => {
    await t.store.appendAudit({
      at: new Date(Date.UTC(2031, 0, 1)).toISOString(),
      actor: "tina",
      action: "translation.save",
      object: "document:doc-x/es/p2",
      details: { revision: 2, status: "translated", origin: "mt" },
    });
    await t.store.appendAudit({
      at: new Date(Date.UTC(2031, 0, 2)).toISOString(),
      actor: "admin",
      action: "user.create",
      object: "user:rita",
      details: { role: "editor" },
    });
    const { agent } = await signIn(t.app);
    const es = (await agent.get("/admin/audit?lng=es")).text;
    expect(es).toContain('<span title="translation.save">Guardó una traducción</span>');
    expect(es).toContain("<dt>Estado</dt><dd>traducido</dd>");
    expect(es).toContain("<dt>Procedencia</dt><dd>traducción automática</dd>");
    expect(es).toContain("<dt>Rol</dt><dd>editor</dd>");
    expect(es).not.toMatch(/<code[^>]*>translation\.save<\/code>/);
    expect(es).not.toContain("<dd>translated</dd>");
    const en = (await agent.get("/admin/audit?lng=en")).text;
    expect(en).toContain('<span title="translation.save">Saved a translation</span>');
    expect(en).toContain("<dt>Status</dt><dd>translated</dd>");
  });

  it("labels a find and replace and its undo in the reader's language", async () => {
    await t.store.appendAudit({
      at: "2026-11-26T20:00:00.000Z",
      actor: "eddie",
      action: "translation.replace_undo",
      object: "batch:b2",
      details: {
        undoes: "b1",
        lang: "es",
        revisions: 3,
        reviewsRestored: 1,
        documents: ["el-pais-trump-milei"],
      },
    });
    await t.store.appendAudit({
      at: "2026-11-26T20:01:00.000Z",
      actor: "eddie",
      action: "translation.replace",
      object: "batch:b3",
      details: { find: "presidente", replace: "mandatario", lang: "es", revisions: 2 },
    });
    const { agent } = await signIn(t.app);
    const page = (await agent.get("/admin/audit?lng=es")).text;
    for (const label of [
      "<dt>Buscar</dt><dd>presidente</dd>",
      "<dt>Reemplazar por</dt><dd>mandatario</dd>",

      "<dt>Versiones guardadas</dt><dd>3</dd>",
      "<dt>Decisiones de revisión restauradas</dt><dd>1</dd>",
    ])
      expect(page).toContain(label);
    // The batch an undo undoes is the action's own ("Undid a find and replace"): no id shown; a batch's
    // documents by their titles.
    expect(page).not.toContain("<dd>b1</dd>");
    expect(page).toMatch(/<dt>Documentos<\/dt><dd>Trump tells Milei[^<]*<\/dd>/);
    expect(page).not.toContain("<dd>el-pais-trump-milei</dd>");
  });

  it("labels a pre-translation's providers by their names and leaves its job id out, in both languages", async () => {
    await t.store.appendAudit({
      at: new Date(Date.UTC(2033, 0, 1)).toISOString(),
      actor: "tina",
      action: "translation.pretranslate",
      object: "document:el-pais-trump-milei/es",
      // As the pre-translation job writes them (server/mt/pretranslate.ts).
      details: { job: "CjhNqum-1EVy", providers: { apertium: 4, deepl: 1 }, filled: 5, skipped: 0 },
    });
    const { agent } = await signIn(t.app);
    const es = (await agent.get("/admin/audit?lng=es")).text;
    expect(es).toContain("<dt>Proveedores</dt><dd>Apertium: 4; DeepL: 1</dd>");
    expect(es).toContain("<dt>Rellenados</dt><dd>5</dd>");
    const en = (await agent.get("/admin/audit?lng=en")).text;
    expect(en).toContain("<dt>Providers</dt><dd>Apertium: 4; DeepL: 1</dd>");
    for (const page of [es, en]) {
      expect(page).not.toContain("CjhNqum-1EVy");
      expect(page).not.toMatch(/<dt>(job|providers)<\/dt>/);
    }
  });

  it("has a label in English and in Spanish for every detail key an audit entry is written with", () => {
    // Each key of the details the services hand to audit.entry (server/services), spreads included.
    const written = [
      ...["role", "name", "source", "file", "created", "updated", "unchanged", "errors", "conflicts"],
      ...["fromVersion", "version", "edited", "added", "removed", "paragraphs", "lang", "documents"],
      ...["revisions", "reviewsRestored", "find", "replace", "revision", "status", "origin", "revertOf"],
      ...["title", "key", "code", "providers", "filled", "skipped", "settings", "word", "scope", "text"],
    ];
    for (const lang of ["en", "es"]) {
      const labels = JSON.parse(readFileSync(`locales/${lang}/translation.json`, "utf8")).audit.detail;
      expect(
        written.filter((key) => !labels[key]),
        lang,
      ).toEqual([]);
    }
  });

  it("has a label in English and in Spanish for every action the log records", () => {
    for (const lang of ["en", "es"]) {
      const labels = JSON.parse(readFileSync(`locales/${lang}/translation.json`, "utf8")).audit_actions;
      const missing = AUDIT_ACTIONS.filter((action) => !labels[action.replaceAll(".", "_")]);
      expect(missing, lang).toEqual([]);
    }
  });

  it("names what an entry was done to as people read it, linked, its stored code only in a title", async () => {
    const seed = "el-pais-trump-milei";
    const entries = [
      { action: "translation.save", object: `document:${seed}/es/p3`, details: { revision: 1 } },
      {
        action: "comment.create",
        object: `document:${seed}/es/p3`,
        details: { comment: "c-7f3a9", text: "¿Seguro?" },
      },
      { action: "document.create", object: "document:gone-doc", details: { title: "Gone" } },
      { action: "term.update", object: "term:t42", details: { source: "motosierra", termId: "t42" } },
      { action: "memory.import", object: "en>es", details: { created: 3 } },
      { action: "quality.accept_word", object: "quality:es", details: { word: "Milei" } },
      { action: "token.create", object: "token:tk1", details: { name: "CI" } },
      { action: "user.role", object: "user:rita", details: { role: "editor", lang: "es" } },
    ];
    for (const [i, e] of entries.entries())
      await t.store.appendAudit({
        at: new Date(Date.UTC(2032, 0, 1, 0, i)).toISOString(),
        actor: "admin",
        ...e,
      });
    const { agent } = await signIn(t.app);
    const en = (await agent.get("/admin/audit?lng=en")).text;
    const title = "Trump tells Milei";
    expect(en).toMatch(
      new RegExp(
        `<a href="/documents/${seed}/es/paragraphs/p3" title="document:${seed}/es/p3">“[^”]*${title}[^”]*” in Spanish, ¶3</a>`,
      ),
    );
    expect(en).toContain('<a href="/documents/gone-doc" title="document:gone-doc">Document “gone-doc”</a>');
    expect(en).toContain('<a href="/glossary/terms/t42" title="term:t42">Glossary term “motosierra”</a>');
    expect(en).toContain('<a href="/memory" title="en&gt;es">Translation memory, English → Spanish</a>');
    expect(en).toContain('<a href="/quality" title="quality:es">Quality checks for Spanish</a>');
    expect(en).toContain('<span title="token:tk1">API token “CI”</span>');
    expect(en).toContain('<span title="user:rita">User rita</span>');
    // The object names the comment and the term: their ids are not shown as details; a language is named.
    expect(en).not.toContain("c-7f3a9</dd>");
    expect(en).not.toContain("<dd>t42</dd>");
    expect(en).toContain("<dd>¿Seguro?</dd>");
    expect(en).toContain("<dt>Language</dt><dd>Spanish</dd>");
    expect(en).not.toMatch(/<code>(document|term|user):/);
    const es = (await agent.get("/admin/audit?lng=es")).text;
    expect(es).toMatch(new RegExp(`«[^»]*${title}[^»]*» en español, ¶3</a>`));
    expect(es).toContain("Memoria de traducción, inglés → español</a>");
    expect(es).toContain("<dt>Idioma</dt><dd>español</dd>");
  });

  it("answers 400 for a cursor no page handed out", async () => {
    const { agent } = await signIn(t.app);
    expect((await agent.get("/admin/audit?after=bogus")).status).toBe(400);
    expect((await agent.get(`/admin/audit?before=${"x".repeat(50)}`)).status).toBe(400);
  });

  it("is for admins only", async () => {
    for (const [username, status] of [
      ["tina", 403],
      ["eddie", 403],
    ] as const) {
      const { agent } = await signIn(t.app, username, `${username}-password`);
      expect((await agent.get("/admin/audit")).status).toBe(status);
    }
    const anonymous = await request(t.app).get("/admin/audit");
    expect(anonymous.status).toBe(303);
  });
});
