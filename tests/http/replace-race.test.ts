/**
 * Find and replace racing an ordinary save of the same paragraph on the file store. The store
 * checks a batch against heads that already hold a save on its way to the disk, while the states a
 * batch is planned on hold only what is durable: the batch must wait for the save to show and
 * report its paragraph as changed, writing the rest (as PostgreSQL does), never answer 500.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RevisionConflictError } from "../../server/storage/store.ts";
import { csrfFrom, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";
import { heldWhile, holdingDisk } from "../services/replace-race.ts";

/** Text a save carries to be held on its way to the disk until `release`. */
const HELD = "held-on-disk";

describe("find and replace racing a save on the file store", () => {
  let t: TestApp;
  let tokens: { translator: string; editor: string; admin: string };
  const disk = holdingDisk(HELD);
  const api = (token: string) => ({
    post: (path: string, body: object) =>
      request(t.app).post(`/api/v1${path}`).set("Authorization", `Bearer ${token}`).send(body),
  });

  async function translated(texts: string[]): Promise<string> {
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({
        sourceLang: "en",
        format: "text",
        content: texts.map((_, i) => `Paragraph ${i + 1}.`).join("\n\n"),
        title: "Race",
        languages: ["es"],
      });
    const id = created.body.id as string;
    for (const [i, text] of texts.entries()) await save(id, `p${i + 1}`, text, 0);
    return id;
  }

  function save(doc: string, pid: string, text: string, baseRevision: number) {
    return request(t.app)
      .put(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text, baseRevision });
  }

  async function texts(doc: string) {
    const res = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    return (res.body.paragraphs as { text: string | null; revision: number }[])
      .filter((p) => p.text !== null)
      .map((p) => [p.text, p.revision]);
  }

  /**
   * Starts a save of `pid` that is checked (its head moved) but held before the disk, runs `race`
   * meanwhile, and lets the save through once `race` has had time to be refused by the store.
   */
  async function racing<T>(doc: string, pid: string, text: string, base: number, race: () => Promise<T>) {
    const { done: saving } = await heldWhile(disk, () => save(doc, pid, `${text} ${HELD}`, base));
    const raced = Promise.resolve(race());
    const [saved, result] = await Promise.all([saving, raced]);
    expect((saved as { status: number }).status).toBe(200);
    return result;
  }

  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({}, { disk }));
  });
  afterAll(() => t.close());

  const query = { lang: "es", find: "motosierra", replace: "sierra" };

  it("apply: the paragraph saved first is skipped as changed, the rest is written", async () => {
    const doc = await translated(["La motosierra.", "Otra motosierra."]);
    const preview = await api(tokens.translator).post("/replace/preview", { ...query, documentId: doc });
    const occurrences = preview.body.occurrences.map((o: { id: string }) => o.id);
    const applied = await racing(doc, "p1", "La motosierra nueva.", 1, () =>
      api(tokens.translator).post("/replace/apply", { ...query, documentId: doc, occurrences }),
    );
    expect(applied.status).toBe(200);
    expect(applied.body.revisions).toEqual([
      { documentId: doc, lang: "es", pid: "p2", revision: 2, baseRevision: 1 },
    ]);
    expect(applied.body.skipped).toEqual([
      { documentId: doc, pid: "p1", revision: 1, latest: 2, reason: "changed" },
    ]);
    expect(await texts(doc)).toEqual([
      [`La motosierra nueva. ${HELD}`, 2],
      ["Otra sierra.", 2],
    ]);
  });

  it("apply across documents (editor): only the document saved first is left", async () => {
    const docA = await translated(["Una motosierra."]);
    const docB = await translated(["Una motosierra."]);
    const preview = await api(tokens.editor).post("/replace/preview", query);
    const occurrences = preview.body.occurrences
      .filter((o: { documentId: string }) => o.documentId === docA || o.documentId === docB)
      .map((o: { id: string }) => o.id);
    const applied = await racing(docB, "p1", "Una motosierra roja.", 1, () =>
      api(tokens.editor).post("/replace/apply", { ...query, occurrences }),
    );
    expect(applied.status).toBe(200);
    expect(applied.body.revisions).toEqual([
      { documentId: docA, lang: "es", pid: "p1", revision: 2, baseRevision: 1 },
    ]);
    expect(applied.body.skipped).toEqual([
      { documentId: docB, pid: "p1", revision: 1, latest: 2, reason: "changed" },
    ]);
  });

  it("several applies of one preview at once: one writes, the others report the paragraphs changed", async () => {
    const doc = await translated(["La motosierra.", "Otra motosierra."]);
    const preview = await api(tokens.translator).post("/replace/preview", { ...query, documentId: doc });
    const occurrences = preview.body.occurrences.map((o: { id: string }) => o.id);
    const answers = await racing(doc, "p1", "La motosierra nueva.", 1, () =>
      Promise.all(
        Array.from({ length: 5 }, () =>
          api(tokens.translator).post("/replace/apply", { ...query, documentId: doc, occurrences }),
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    // p2 is written once, by one of them; p1 by none (the save got there first).
    expect(answers.flatMap((a) => a.body.revisions)).toEqual([
      { documentId: doc, lang: "es", pid: "p2", revision: 2, baseRevision: 1 },
    ]);
    expect(answers.every((a) => a.body.skipped.some((s: { pid: string }) => s.pid === "p1"))).toBe(true);
    expect(await texts(doc)).toEqual([
      [`La motosierra nueva. ${HELD}`, 2],
      ["Otra sierra.", 2],
    ]);
  });

  it("several applies of one preview at once, no save: one writes, the others report the paragraphs changed", async () => {
    const doc = await translated(["La motosierra.", "Otra motosierra."]);
    const body = { lang: "es", documentId: doc, find: "motosierra", replace: HELD };
    const preview = await api(tokens.translator).post("/replace/preview", body);
    const occurrences = preview.body.occurrences.map((o: { id: string }) => o.id);
    const apply = () =>
      Promise.resolve(api(tokens.translator).post("/replace/apply", { ...body, occurrences }));
    // The first apply's write is held on its way to the disk while the other four are checked.
    const { done: first } = await heldWhile(disk, apply);
    const others = [1, 2, 3, 4].map(apply);
    const answers = (await Promise.all([first, ...others])) as request.Response[];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.batch)).toHaveLength(1);
    for (const answer of answers.slice(1))
      expect(answer.body.skipped).toEqual([
        { documentId: doc, pid: "p1", revision: 1, latest: 2, reason: "changed" },
        { documentId: doc, pid: "p2", revision: 1, latest: 2, reason: "changed" },
      ]);
    expect(await texts(doc)).toEqual([
      [`La ${HELD}.`, 2],
      [`Otra ${HELD}.`, 2],
    ]);
  });

  it("undo: the paragraph saved first is skipped as changed, the rest is undone", async () => {
    const doc = await translated(["La motosierra.", "Otra motosierra."]);
    const preview = await api(tokens.translator).post("/replace/preview", { ...query, documentId: doc });
    const applied = await api(tokens.translator).post("/replace/apply", {
      ...query,
      documentId: doc,
      occurrences: preview.body.occurrences.map((o: { id: string }) => o.id),
    });
    expect(applied.body.revisions).toHaveLength(2);
    const undone = await racing(doc, "p1", "La sierra, revisada.", 2, () =>
      api(tokens.translator).post(`/replace/batches/${applied.body.batch}/undo`, {
        lang: "es",
        revisions: applied.body.revisions,
      }),
    );
    expect(undone.status).toBe(200);
    expect(undone.body.revisions).toEqual([
      { documentId: doc, lang: "es", pid: "p2", revision: 3, baseRevision: 2 },
    ]);
    expect(undone.body.skipped).toEqual([
      { documentId: doc, pid: "p1", revision: 2, latest: 3, reason: "changed" },
    ]);
    expect(await texts(doc)).toEqual([
      [`La sierra, revisada. ${HELD}`, 3],
      ["Otra motosierra.", 3],
    ]);
  });

  it("the page form: the paragraph saved first is listed as changed, the rest is written", async () => {
    const doc = await translated(["La motosierra.", "Otra motosierra."]);
    const tina = await signIn(t.app, "tina", "tina-password");
    const page = await tina.agent
      .get(`/documents/${doc}/es/replace`)
      .query({ find: "motosierra", replace: "sierra" });
    const applied = await racing(doc, "p1", "La motosierra nueva.", 1, () =>
      tina.agent
        .post(`/documents/${doc}/es/replace`)
        .type("form")
        .send({
          _csrf: csrfFrom(page.text),
          lang: "es",
          find: "motosierra",
          replace: "sierra",
          occurrences: [`${doc}/p1/1/3`, `${doc}/p2/1/5`],
        }),
    );
    expect(applied.status).toBe(200);
    expect(applied.text).toContain("1 paragraph changed.");
    expect(applied.text).toContain(`href="/documents/${doc}/es/paragraphs/p1">¶1</a>`);
    expect(await texts(doc)).toEqual([
      [`La motosierra nueva. ${HELD}`, 2],
      ["Otra sierra.", 2],
    ]);
  });

  it("a batch refused again and again is a 409 that says so, in the API and the page, never a 500", async () => {
    const doc = await translated(["La motosierra."]);
    const body = { ...query, documentId: doc, occurrences: [`${doc}/p1/1/3`] };
    // Another writer always there first: the histories move and the store refuses every time.
    const { appendTranslationBatch, translationVersions } = t.store;
    let moved = 0;
    t.store.appendTranslationBatch = async () => {
      throw new RevisionConflictError("p1", 1, 2);
    };
    t.store.translationVersions = async (pairs) => pairs.map(() => ++moved);
    try {
      const refused = await api(tokens.translator).post("/replace/apply", body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("revision_conflict");
      const tina = await signIn(t.app, "tina", "tina-password");
      const page = await tina.agent.get(`/documents/${doc}/es/replace?lng=es`);
      const form = await tina.agent
        .post(`/documents/${doc}/es/replace?lng=es`)
        .type("form")
        .send({
          _csrf: csrfFrom(page.text),
          lang: "es",
          find: "motosierra",
          replace: "sierra",
          occurrences: body.occurrences,
        });
      expect(form.status).toBe(409);
      expect(form.text).toContain(
        "Estos párrafos se han seguido guardando mientras se escribía el reemplazo",
      );
    } finally {
      Object.assign(t.store, { appendTranslationBatch, translationVersions });
    }
    expect(await texts(doc)).toEqual([["La motosierra.", 1]]);
  });
});
