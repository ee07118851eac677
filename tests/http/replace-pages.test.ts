import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfFrom, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

describe("find and replace pages (no script)", () => {
  let t: TestApp;
  let doc: string;
  let editorToken: string;

  beforeAll(async () => {
    let tokens: { editor: string; translator: string };
    ({ t, tokens } = await makeAppWithTeam());
    editorToken = tokens.editor;
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({
        sourceLang: "en",
        format: "text",
        content: "Chainsaw <b>.\n\nChainsaws.",
        title: "Saws",
        languages: ["es"],
      });
    doc = created.body.id;
    for (const [pid, text] of [
      ["p1", "La motosierra <b>."],
      ["p2", "Las motosierras."],
    ])
      await request(t.app)
        .put(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}`)
        .set("Authorization", `Bearer ${tokens.translator}`)
        .send({ text, baseRevision: 0 });
  });
  afterAll(() => t.close());

  it("previews, applies the ticked boxes and undoes, as a translator, with forms only", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const editor = await tina.agent.get(`/documents/${doc}/es`);
    expect(editor.text).toContain(`href="/documents/${doc}/es/replace"`);
    const page = await tina.agent
      .get(`/documents/${doc}/es/replace`)
      .query({ find: "motosierra", replace: "sierra", inflections: "1" });
    expect(page.status).toBe(200);
    // Exact ticked, the other form not; the user text is escaped.
    expect(page.text).toMatch(/name="occurrences" value="[^"]+\/p1\/1\/3"[^>]*checked/);
    expect(page.text).toMatch(/name="occurrences" value="[^"]+\/p2\/1\/4"[^>]*>/);
    expect(page.text).not.toMatch(/value="[^"]+\/p2\/1\/4"[^>]*checked/);
    expect(page.text).toContain("<ins>sierras</ins>");
    const hostile = await tina.agent
      .get(`/documents/${doc}/es/replace`)
      .query({ find: 'x"><script>alert(1)</script>', replace: "<i>" });
    expect(hostile.text).not.toContain("<script>alert");
    const wordless = await tina.agent.get(`/documents/${doc}/es/replace`).query({ find: "¡¿" });
    expect(wordless.status).toBe(400);
    expect(wordless.text).toContain("Type a word to find.");
    expect(hostile.text).toContain('value="x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page.text).toContain("La <mark>motosierra</mark> &lt;b&gt;.");

    const applied = await tina.agent
      .post(`/documents/${doc}/es/replace`)
      .type("form")
      .send({
        _csrf: csrfFrom(page.text),
        lang: "es",
        find: "motosierra",
        replace: "sierra",
        inflections: "1",
        occurrences: [`${doc}/p1/1/3`, `${doc}/p2/1/4`],
      });
    expect(applied.status).toBe(200);
    expect(applied.text).toContain("2 paragraphs changed.");
    const undoAction = /action="([^"]+\/undo)"/.exec(applied.text)?.[1] as string;
    expect(undoAction).toMatch(new RegExp(`^/documents/${doc}/es/replace/batches/[\\w-]+/undo$`));
    const revisions = [...applied.text.matchAll(/name="revisions" value="([^"]+)"/g)].map((m) => m[1]);
    expect(revisions).toEqual([`${doc}/p1/2`, `${doc}/p2/2`]);
    const after = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es`)
      .set("Authorization", `Bearer ${editorToken}`);
    expect(after.body.paragraphs.slice(0, 2).map((p: { text: string }) => p.text)).toEqual([
      "La sierra <b>.",
      "Las sierras.",
    ]);

    const undone = await tina.agent
      .post(undoAction)
      .type("form")
      .send({ _csrf: csrfFrom(applied.text), lang: "es", revisions });
    expect(undone.status).toBe(200);
    expect(undone.text).toContain("Undone: 2 paragraphs restored.");
    const back = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es`)
      .set("Authorization", `Bearer ${editorToken}`);
    expect(back.body.paragraphs.slice(0, 2).map((p: { text: string }) => p.text)).toEqual([
      "La motosierra <b>.",
      "Las motosierras.",
    ]);
  });

  it("asks for a box, and refuses a form without its CSRF token", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const none = await tina.agent
      .post(`/documents/${doc}/es/replace`)
      .type("form")
      .send({ _csrf: tina.csrf, lang: "es", find: "motosierra", replace: "x" });
    expect(none.status).toBe(400);
    expect(none.text).toContain("Tick at least one occurrence");
    const forged = await tina.agent
      .post(`/documents/${doc}/es/replace`)
      .type("form")
      .send({ lang: "es", find: "motosierra", replace: "x", occurrences: `${doc}/p1/3/3` });
    expect(forged.status).toBe(403);
  });

  it("gives the cross-document page to editors and admins only, in Spanish too", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    expect((await tina.agent.get("/replace")).status).toBe(403);
    expect((await tina.agent.post("/replace").type("form").send({ _csrf: tina.csrf })).status).toBe(403);
    expect((await tina.agent.get("/")).text).not.toContain('href="/replace"');
    for (const [user, password] of [
      ["eddie", "eddie-password"],
      ["admin", undefined],
    ] as const) {
      const who = await signIn(t.app, user, password);
      const page = await who.agent
        .get("/replace")
        .query({ lang: "es", find: "motosierra", replace: "sierra", lng: "es" });
      expect(page.status).toBe(200);
      expect(page.text).toContain("Buscar y reemplazar");
      expect(page.text).toContain(">Saws</a>");
    }
    expect((await request(t.app).get("/replace")).status).toBeGreaterThanOrEqual(300);
  });
});
