import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

type Tokens = { admin: string; translator: string; editor: string };

describe("find and replace API", () => {
  let t: TestApp;
  let tokens: Tokens;
  let docA: string;
  let docB: string;
  const api = (token: string) => ({
    post: (path: string, body: object) =>
      request(t.app).post(`/api/v1${path}`).set("Authorization", `Bearer ${token}`).send(body),
  });

  async function createDoc(content: string): Promise<string> {
    const res = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ sourceLang: "en", format: "text", content, title: "Chainsaws", languages: ["es"] });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function save(doc: string, pid: string, text: string, baseRevision: number) {
    const res = await request(t.app)
      .put(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text, baseRevision });
    expect(res.status).toBe(200);
  }

  async function textOf(doc: string, pid: string) {
    const res = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    const p = (res.body.paragraphs as { id: string; text: string; revision: number }[]).find(
      (x) => x.id === pid,
    );
    return p as { text: string; revision: number };
  }

  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    docA = await createDoc("Chainsaw.\n\nThe chainsaws.\n\nNothing here.");
    docB = await createDoc("Another chainsaw.");
    await save(docA, "p1", "Motosierra.", 0);
    await save(docA, "p2", "Las motosierras y la MOTOSIERRA.", 0);
    await save(docA, "p3", "Nada aquí.", 0);
    await save(docB, "p1", "Otra motosierra.", 0);
  });
  afterAll(() => t.close());

  const query = { lang: "es", find: "motosierra", replace: "cortadora" };

  it("previews every occurrence of one document with its revision, context and proposal (translator)", async () => {
    const res = await api(tokens.translator).post("/replace/preview", { ...query, documentId: docA });
    expect(res.status).toBe(200);
    expect(
      res.body.occurrences.map((o: Record<string, unknown>) => [
        o.pid,
        o.revision,
        o.text,
        o.kind,
        o.proposed,
      ]),
    ).toEqual([
      ["p1", 1, "Motosierra", "exact", "Cortadora"],
      ["p2", 1, "motosierras", "inflection", "cortadoras"],
      ["p2", 1, "MOTOSIERRA", "exact", "CORTADORA"],
    ]);
    expect(res.body.occurrences[1]).toMatchObject({ before: "Las ", after: " y la MOTOSIERRA." });
    // "Chainsaw" must be "motosierra" (seed glossary): replaced in both paragraphs, it would be gone.
    for (const occurrence of res.body.occurrences)
      expect(occurrence.glossary).toEqual([
        expect.objectContaining({ code: "missing-term", term: "chainsaw", target: "motosierra" }),
      ]);
    expect(res.body.documents).toEqual([{ id: docA, title: "Chainsaws" }]);
  });

  it("refuses a cross-document preview to a translator, gives it to editors and admins", async () => {
    expect((await api(tokens.translator).post("/replace/preview", query)).status).toBe(403);
    for (const token of [tokens.editor, tokens.admin]) {
      const res = await api(token).post("/replace/preview", query);
      expect(res.status).toBe(200);
      expect(new Set(res.body.occurrences.map((o: { documentId: string }) => o.documentId))).toEqual(
        new Set([docA, docB]),
      );
    }
  });

  it("answers 401 without a caller and 400 for bad input", async () => {
    expect((await request(t.app).post("/api/v1/replace/preview").send(query)).status).toBe(401);
    expect((await request(t.app).post("/api/v1/replace/apply").send(query)).status).toBe(401);
    expect((await request(t.app).post("/api/v1/replace/batches/abc/undo").send({})).status).toBe(401);
    const ed = api(tokens.editor);
    expect((await ed.post("/replace/preview", { ...query, find: "" })).status).toBe(400);
    expect((await ed.post("/replace/preview", { ...query, find: "x".repeat(201) })).status).toBe(400);
    expect((await ed.post("/replace/preview", { ...query, find: "¡¿" })).body.error.code).toBe("query_empty");
    expect((await ed.post("/replace/preview", { ...query, lang: "not a tag!" })).status).toBe(400);
    expect((await ed.post("/replace/apply", { ...query, occurrences: [] })).status).toBe(400);
    expect((await ed.post("/replace/apply", { ...query, occurrences: ["nonsense"] })).status).toBe(400);
    expect((await ed.post("/replace/batches/abc/undo", { lang: "es", revisions: [] })).status).toBe(400);
    expect((await ed.post("/replace/preview", { ...query, documentId: "nope" })).status).toBe(404);
  });

  it("applies the chosen occurrences as one batch with one audit entry, reports a paragraph saved since, and undoes the batch", async () => {
    const preview = await api(tokens.editor).post("/replace/preview", query);
    const ids = (preview.body.occurrences as { id: string; text: string }[])
      .filter((o) => o.text !== "MOTOSIERRA")
      .map((o) => o.id);
    // p1 of docB is saved after the preview: it is reported, not overwritten.
    await save(docB, "p1", "Otra motosierra más.", 1);
    const applied = await api(tokens.editor).post("/replace/apply", { ...query, occurrences: ids });
    expect(applied.status).toBe(200);
    expect(applied.body.batch).toMatch(/^[\w-]+$/);
    expect(applied.body.revisions).toEqual([
      { documentId: docA, lang: "es", pid: "p1", revision: 2, baseRevision: 1 },
      { documentId: docA, lang: "es", pid: "p2", revision: 2, baseRevision: 1 },
    ]);
    expect(applied.body.skipped).toEqual([
      { documentId: docB, pid: "p1", revision: 1, latest: 2, reason: "changed" },
    ]);
    expect((await textOf(docA, "p1")).text).toBe("Cortadora.");
    expect((await textOf(docA, "p2")).text).toBe("Las cortadoras y la MOTOSIERRA.");
    expect((await textOf(docB, "p1")).text).toBe("Otra motosierra más.");

    const batches = (await t.store.listAudit(50)).filter((e) => e.action === "translation.replace");
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ actor: "eddie", object: `batch:${applied.body.batch}` });
    expect(batches[0]?.details).toMatchObject({ find: "motosierra", replace: "cortadora", revisions: 2 });
    const history = await request(t.app)
      .get(`/api/v1/documents/${docA}/translations/es/paragraphs/p2/revisions`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(history.body.revisions.at(-1)).toMatchObject({
      revision: 2,
      author: "eddie",
      batch: applied.body.batch,
    });

    // p2 is changed after the batch: undo reverts p1 only, and says why p2 was left.
    await save(docA, "p2", "Las cortadoras y la CORTADORA.", 2);
    const undo = await api(tokens.editor).post(`/replace/batches/${applied.body.batch}/undo`, {
      lang: "es",
      revisions: applied.body.revisions,
    });
    expect(undo.status).toBe(200);
    expect(undo.body.revisions).toEqual([
      { documentId: docA, lang: "es", pid: "p1", revision: 3, baseRevision: 2 },
    ]);
    expect(undo.body.skipped).toEqual([
      { documentId: docA, pid: "p2", revision: 2, latest: 3, reason: "changed" },
    ]);
    expect((await textOf(docA, "p1")).text).toBe("Motosierra.");
    // Undoing again: p1's revision 2 is no longer the latest.
    const again = await api(tokens.editor).post(`/replace/batches/${applied.body.batch}/undo`, {
      lang: "es",
      revisions: applied.body.revisions,
    });
    expect(again.body.revisions).toEqual([]);
    // Another batch's id does not undo these revisions.
    const wrong = await api(tokens.editor).post("/replace/batches/other/undo", {
      lang: "es",
      revisions: [{ documentId: docA, pid: "p1", revision: 3 }],
    });
    expect(wrong.body.skipped[0].reason).toBe("not_in_batch");
  });

  it("lets a translator apply and undo within one document, but not undo across documents", async () => {
    const tr = api(tokens.translator);
    const preview = await tr.post("/replace/preview", { ...query, documentId: docB });
    const applied = await tr.post("/replace/apply", {
      ...query,
      documentId: docB,
      occurrences: preview.body.occurrences.map((o: { id: string }) => o.id),
    });
    expect(applied.status).toBe(200);
    expect((await textOf(docB, "p1")).text).toBe("Otra cortadora más.");
    // Cross-document apply and undo are the editor's.
    expect((await tr.post("/replace/apply", { ...query, occurrences: [`${docA}/p1/3/0`] })).status).toBe(403);
    const across = await tr.post(`/replace/batches/${applied.body.batch}/undo`, {
      lang: "es",
      revisions: [...applied.body.revisions, { documentId: docA, pid: "p1", revision: 3 }],
    });
    expect(across.status).toBe(403);
    const undo = await tr.post(`/replace/batches/${applied.body.batch}/undo`, {
      lang: "es",
      revisions: applied.body.revisions,
    });
    expect(undo.status).toBe(200);
    expect((await textOf(docB, "p1")).text).toBe("Otra motosierra más.");
  });

  it("undoes a batch by its id alone, found in the histories: editors across documents, translators in one", async () => {
    const docC = await createDoc("Saw.");
    const docD = await createDoc("Saw.");
    await save(docC, "p2", "Una sierra.", 0);
    await save(docD, "p2", "Otra sierra.", 0);
    const body = { lang: "es", find: "sierra", replace: "cuchilla" };
    const preview = await api(tokens.editor).post("/replace/preview", body);
    const ids = preview.body.occurrences
      .filter((o: { documentId: string }) => o.documentId === docC || o.documentId === docD)
      .map((o: { id: string }) => o.id);
    const applied = await api(tokens.editor).post("/replace/apply", { ...body, occurrences: ids });
    expect(applied.body.revisions).toHaveLength(2);
    const path = `/replace/batches/${applied.body.batch}/undo`;
    expect((await api(tokens.translator).post(path, { lang: "es" })).status).toBe(403);
    const one = await api(tokens.translator).post(path, { lang: "es", documentId: docC });
    expect(one.status).toBe(200);
    expect(one.body.revisions).toEqual([
      { documentId: docC, lang: "es", pid: "p2", revision: 3, baseRevision: 2 },
    ]);
    const rest = await api(tokens.editor).post(path, { lang: "es" });
    expect(rest.status).toBe(200);
    expect(rest.body.revisions).toEqual([
      { documentId: docD, lang: "es", pid: "p2", revision: 3, baseRevision: 2 },
    ]);
    expect(rest.body.skipped).toEqual([
      { documentId: docC, pid: "p2", revision: 2, latest: 3, reason: "changed" },
    ]);
    expect((await textOf(docD, "p2")).text).toBe("Otra sierra.");
    expect((await api(tokens.editor).post("/replace/batches/unknown/undo", { lang: "es" })).status).toBe(404);
  });

  it("leaves a paragraph the replacement would empty, and changes the rest", async () => {
    const doc = await createDoc("One.\n\nTwo.");
    await save(doc, "p2", "Sierra", 0);
    await save(doc, "p3", "La sierra.", 0);
    const body = { lang: "es", documentId: doc, find: "sierra", replace: "" };
    const preview = await api(tokens.translator).post("/replace/preview", body);
    const applied = await api(tokens.translator).post("/replace/apply", {
      ...body,
      occurrences: preview.body.occurrences.map((o: { id: string }) => o.id),
    });
    expect(applied.body.skipped).toEqual([
      { documentId: doc, pid: "p2", revision: 1, latest: 1, reason: "invalid" },
    ]);
    expect((await textOf(doc, "p3")).text).toBe("La.");
  });

  it("skips occurrences a translator names outside the document of the request", async () => {
    const res = await api(tokens.translator).post("/replace/apply", {
      ...query,
      documentId: docB,
      occurrences: [`${docA}/p1/3/0`, `${docA}/p1/3/9`, `${docA}/p2/1/0`],
    });
    expect(res.status).toBe(200);
    expect(res.body.revisions).toEqual([]);
    // Each paragraph named is reported, not one entry without a paragraph, with its latest revision.
    const [p1, p2] = [await textOf(docA, "p1"), await textOf(docA, "p2")];
    expect(p1.revision).toBeGreaterThan(0);
    expect(res.body.skipped).toEqual([
      { documentId: docA, pid: "p1", revision: 3, latest: p1.revision, reason: "missing" },
      { documentId: docA, pid: "p2", revision: 1, latest: p2.revision, reason: "missing" },
    ]);
    // A document that does not exist, or a paragraph never translated, has no revision: 0.
    const unknown = await api(tokens.translator).post("/replace/apply", {
      ...query,
      documentId: docB,
      occurrences: ["nope/p1/1/0", `${docA}/p99/1/0`],
    });
    expect(unknown.body.skipped).toEqual([
      { documentId: "nope", pid: "p1", revision: 1, latest: 0, reason: "missing" },
      { documentId: docA, pid: "p99", revision: 1, latest: 0, reason: "missing" },
    ]);
  });
});
