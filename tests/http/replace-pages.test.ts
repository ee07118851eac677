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
    // The glossary requires "motosierra" for "chainsaw" (the second paragraph's source, not the
    // title's): that replacement says it takes it away, the title's says nothing.
    expect(page.text.split("Glossary: “chainsaw” must be translated as “motosierra”").length - 1).toBe(1);
    const hostile = await tina.agent
      .get(`/documents/${doc}/es/replace`)
      .query({ find: 'x"><script>alert(1)</script>', replace: "<i>" });
    expect(hostile.text).not.toContain("<script>alert");
    // A replacement the text already reads offers nothing to tick and says so, in either language.
    const same = await tina.agent
      .get(`/documents/${doc}/es/replace`)
      .query({ find: "motosierra", replace: "motosierra", inflections: "1" });
    // The exact word and its plural (which the inflection keeps) both read as they would be written.
    expect(same.text).toContain("2 places already read “motosierra”: nothing to change there.");
    expect(same.text).not.toMatch(/name="occurrences" value="[^"]+\/p1\//);
    const api = await request(t.app)
      .post("/api/v1/replace/preview")
      .set("Authorization", `Bearer ${editorToken}`)
      .send({ lang: "es", documentId: doc, find: "motosierra", replace: "motosierra", inflections: false });
    expect(api.body).toMatchObject({ occurrences: [], unchanged: 1 });
    const sameEs = await (await signIn(t.app, "tina", "tina-password")).agent
      .get(`/documents/${doc}/es/replace`)
      .set("Accept-Language", "es")
      .query({ find: "motosierra", replace: "motosierra" });
    expect(sameEs.text).toContain("En 1 lugar ya dice «motosierra»: ahí no hay nada que cambiar.");
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

  it("lists the latest batches with who, when and how many, and undoes one from the list while it still applies", async () => {
    const api = (path: string) => request(t.app).get(path).set("Authorization", `Bearer ${editorToken}`);
    const translation = async () =>
      (await api(`/api/v1/documents/${doc}/translations/es`)).body.paragraphs as {
        id: string;
        text: string;
        revision: number;
      }[];
    const before = await translation();
    const preview = await request(t.app)
      .post("/api/v1/replace/preview")
      .set("Authorization", `Bearer ${editorToken}`)
      .send({ lang: "es", documentId: doc, find: "motosierra", replace: "tijera" });
    const applied = await request(t.app)
      .post("/api/v1/replace/apply")
      .set("Authorization", `Bearer ${editorToken}`)
      .send({
        lang: "es",
        documentId: doc,
        find: "motosierra",
        replace: "tijera",
        occurrences: preview.body.occurrences.map((o: { id: string }) => o.id),
      });
    expect(applied.body.revisions).toHaveLength(2);
    const batch = applied.body.batch as string;
    // Someone saves ¶2 after the batch: an undo must leave it.
    const p2 = (await translation()).find((p) => p.id === "p2");
    const tina = await signIn(t.app, "tina", "tina-password");
    await tina.agent
      .put(`/api/v1/documents/${doc}/translations/es/paragraphs/p2`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ text: "Las tijeras, revisadas.", baseRevision: p2?.revision })
      .expect(200);

    const listed = (await api(`/api/v1/replace/batches?lang=es&documentId=${doc}`)).body.batches;
    expect(listed[0]).toMatchObject({
      batch,
      author: "eddie",
      documents: [doc],
      undoable: [{ documentId: doc, pid: "p1" }],
      changed: [{ documentId: doc, pid: "p2" }],
      undoneBy: [],
    });
    expect(listed[0].paragraphs).toHaveLength(2);
    // The earlier test's batch and its undo are there too, older.
    expect(listed.slice(1).some((b: { undoes?: string }) => b.undoes)).toBe(true);

    const page = await tina.agent.get(`/documents/${doc}/es/replace`);
    const item = new RegExp(`<li id="batch-${batch}">([\\s\\S]*?)</li>`).exec(page.text)?.[1] ?? "";
    expect(item).toMatch(/eddie, .+: 2 paragraphs/);
    expect(item).toContain("Saved since, so an undo leaves them as they are:");
    expect(item).toContain(`href="/documents/${doc}/es/paragraphs/p2">¶2</a>`);
    expect(item).toContain("Undo (1 paragraph)");
    const undone = await tina.agent
      .post(`/documents/${doc}/es/replace/batches/${batch}/undo`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), lang: "es" });
    expect(undone.status).toBe(200);
    expect(undone.text).toContain("Undone: 1 paragraph restored.");
    // Left alone by the undo, in the undo's words (not the apply's "search again").
    expect(undone.text).toContain("was saved again after this replacement");
    expect(undone.text).not.toContain("Search again");
    expect((await translation()).slice(0, 2).map((p) => p.text)).toEqual([
      before[0]?.text,
      "Las tijeras, revisadas.",
    ]);
    const after = new RegExp(`<li id="batch-${batch}">([\\s\\S]*?)</li>`).exec(undone.text)?.[1] ?? "";
    expect(after).toContain("✓ Undone");
    expect(after).not.toContain("Undo (");

    // Across documents, for editors: the same batch, with its number of documents.
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const across = await eddie.agent.get("/replace?lang=es");
    expect(across.text).toContain(`id="batch-${batch}"`);
    expect(across.text).toContain("in 1 document");
    const spanish = await eddie.agent.get("/replace?lang=es&lng=es");
    expect(spanish.text).toContain("Últimos reemplazos");
    // A translator may not list across documents.
    expect(
      (
        await request(t.app)
          .get("/api/v1/replace/batches?lang=es")
          .set(
            "Authorization",
            `Bearer ${(await request(t.app).post("/api/v1/tokens").send({ username: "tina", password: "tina-password" })).body.token}`,
          )
      ).status,
    ).toBe(403);
  });

  it("calls a find and replace «un reemplazo» in Spanish, as docs/ui-terms.md does", async () => {
    const gone = await request(t.app)
      .post("/api/v1/replace/batches/nosuchbatch/undo?lng=es")
      .set("Authorization", `Bearer ${editorToken}`)
      .send({ lang: "es", documentId: doc });
    expect(gone.status).toBe(404);
    expect(JSON.stringify(gone.body)).toContain("Ese reemplazo ya no existe.");
    expect(JSON.stringify(gone.body)).not.toContain("sustitución");
  });

  it("numbers paragraphs as the editor does, also once a source update moved them", async () => {
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${editorToken}`)
      .send({ sourceLang: "en", format: "text", content: "Saws.\n\nThe chainsaw.", languages: ["es"] });
    const id = created.body.id as string;
    await request(t.app)
      .put(`/api/v1/documents/${id}/translations/es/paragraphs/p2`)
      .set("Authorization", `Bearer ${editorToken}`)
      .send({ text: "La motosierra.", baseRevision: 0 })
      .expect(200);
    await request(t.app)
      .put(`/api/v1/documents/${id}/source`)
      .set("Authorization", `Bearer ${editorToken}`)
      .send({ format: "text", content: "Saws.\n\nA new first paragraph.\n\nThe chainsaw.", baseVersion: 1 })
      .expect(200);
    const tina = await signIn(t.app, "tina", "tina-password");
    const page = await tina.agent
      .get(`/documents/${id}/es/replace`)
      .query({ find: "motosierra", replace: "sierra" });
    expect(page.text).toContain(`href="/documents/${id}/es/paragraphs/p2">¶3</a>`);
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
