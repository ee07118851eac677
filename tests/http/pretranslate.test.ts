import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";
import { libreHandler, type Stub, startStub } from "../mt/stubs.ts";

const base = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;

async function finished(app: TestApp["app"], token: string, url: string) {
  for (let i = 0; i < 200; i++) {
    const res = await request(app).get(url).set("Authorization", `Bearer ${token}`);
    if (res.body.state !== "running") return res;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("job never finished");
}

describe("pre-translate empty paragraphs (LibreTranslate stub)", () => {
  let stub: Stub;
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };

  beforeAll(async () => {
    stub = await startStub(libreHandler({ key: "secret-key" }));
    ({ t, tokens } = await makeAppWithTeam({
      GLOSA_MT: "libretranslate",
      GLOSA_LIBRETRANSLATE_URL: stub.url,
      GLOSA_LIBRETRANSLATE_KEY: "secret-key",
    }));
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it("refuses without a token (401) and rejects unknown fields (400)", async () => {
    expect((await request(t.app).post(`${base}/pretranslate`).send({})).status).toBe(401);
    const bad = await request(t.app)
      .post(`${base}/pretranslate`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ provider: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_fields");
    const extra = await request(t.app)
      .post(`${base}/pretranslate`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ everything: true });
    expect(extra.status).toBe(400);
  });

  it("answers 404 for an unknown provider, document or job", async () => {
    const auth = { Authorization: `Bearer ${tokens.editor}` };
    expect(
      (await request(t.app).post(`${base}/pretranslate`).set(auth).send({ provider: "deepl" })).status,
    ).toBe(404);
    expect(
      (await request(t.app).post("/api/v1/documents/nope/translations/es/pretranslate").set(auth).send({}))
        .status,
    ).toBe(404);
    expect((await request(t.app).get(`${base}/pretranslate/nope`).set(auth)).status).toBe(404);
    expect((await request(t.app).delete(`${base}/pretranslate/nope`).set(auth)).status).toBe(404);
  });

  it("fills only empty paragraphs, as mt drafts, in one audited write (translator)", async () => {
    const auth = { Authorization: `Bearer ${tokens.translator}` };
    const doc = await request(t.app).get(`/api/v1/documents/${SEED_DOCUMENT_ID}`).set(auth);
    const [first, second] = doc.body.paragraphs as { id: string; source: string }[];
    const typed = await request(t.app)
      .put(`${base}/paragraphs/${first?.id}`)
      .set(auth)
      .send({ text: "Trump le dice a Milei", baseRevision: 0 });
    expect(typed.status).toBe(200);

    const start = await request(t.app).post(`${base}/pretranslate`).set(auth).send({});
    expect(start.status).toBe(202);
    expect(start.headers.location).toBe(start.body.url);
    expect(start.body).toMatchObject({
      state: "running",
      total: doc.body.paragraphs.length - 1,
      startedBy: "tina",
    });
    const done = await finished(t.app, tokens.translator, start.body.url);
    expect(done.body).toMatchObject({ state: "done", filled: doc.body.paragraphs.length - 1, skipped: 0 });
    expect(done.body.providers).toEqual({ libretranslate: doc.body.paragraphs.length - 1 });

    const view = await request(t.app).get(base).set(auth);
    const paragraphs = view.body.paragraphs as { id: string; text: string; status: string }[];
    expect(paragraphs[0]).toMatchObject({ text: "Trump le dice a Milei", status: "translated" });
    expect(paragraphs.slice(1).every((p) => p.status === "draft" && p.text)).toBe(true);
    const history = await request(t.app).get(`${base}/paragraphs/${second?.id}/revisions`).set(auth);
    expect(history.body.revisions).toEqual([
      expect.objectContaining({ origin: "mt", status: "draft", author: "tina" }),
    ]);

    const audit = await t.store.listAudit(50);
    expect(audit.filter((e) => e.action === "translation.pretranslate")).toHaveLength(1);
    // The key went to the engine in the body, and nowhere in what the API answered.
    expect(stub.requests.some((r) => (r.body as { api_key?: string })?.api_key === "secret-key")).toBe(true);
    expect(JSON.stringify(done.body)).not.toContain("secret-key");
  });

  it("lets an editor start one, and a second start on a finished document fills nothing", async () => {
    const auth = { Authorization: `Bearer ${tokens.editor}` };
    const start = await request(t.app)
      .post(`${base}/pretranslate`)
      .set(auth)
      .send({ provider: "libretranslate" });
    expect(start.status).toBe(202);
    const done = await finished(t.app, tokens.editor, start.body.url);
    expect(done.body).toMatchObject({ state: "done", total: 0, filled: 0 });
  });

  it("records how much of a machine draft was edited when it is saved (originEdit)", async () => {
    const auth = { Authorization: `Bearer ${tokens.admin}` };
    const view = await request(t.app).get(base).set(auth);
    const p = (view.body.paragraphs as { id: string; text: string; revision: number }[])[1];
    const edited = `${p?.text} extra words`;
    const saved = await request(t.app)
      .put(`${base}/paragraphs/${p?.id}`)
      .set(auth)
      .send({ text: edited, baseRevision: p?.revision });
    expect(saved.status).toBe(200);
    const history = await request(t.app).get(`${base}/paragraphs/${p?.id}/revisions`).set(auth);
    expect(history.body.revisions.at(-1)).toMatchObject({
      origin: "human",
      originEdit: { from: "mt", words: 2 },
    });

    const fromSuggestion = await request(t.app).put(`${base}/paragraphs/${p?.id}`).set(auth).send({
      text: "una dos tres",
      suggestion: "una dos cuatro",
      origin: "mt",
      baseRevision: saved.body.revision,
    });
    expect(fromSuggestion.status).toBe(200);
    const after = await request(t.app).get(`${base}/paragraphs/${p?.id}/revisions`).set(auth);
    expect(after.body.revisions.at(-1)).toMatchObject({ origin: "mt", originEdit: { from: "mt", words: 1 } });
    const typed = await request(t.app)
      .put(`${base}/paragraphs/${(view.body.paragraphs as { id: string }[])[0]?.id}`)
      .set(auth)
      .send({ text: "Trump le dijo a Milei", baseRevision: 1 });
    expect(typed.status).toBe(200);
    const plain = await request(t.app)
      .get(`${base}/paragraphs/${(view.body.paragraphs as { id: string }[])[0]?.id}/revisions`)
      .set(auth);
    expect(plain.body.revisions.at(-1).originEdit).toBeUndefined();
    const origins = await request(t.app)
      .get(`${base}/origins`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(origins.body).toEqual({
      withText: 12,
      fromMachine: 11,
      fromMemory: 0,
      machineUnedited: 10,
      machineEditedWords: 1,
    });
    expect((await request(t.app).get(`${base}/origins`)).status).toBe(401);
  });

  it("lists the configured providers without their keys", async () => {
    const res = await request(t.app)
      .get("/api/v1/mt/providers")
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(res.status).toBe(200);
    expect(res.body.providers).toEqual([
      expect.objectContaining({
        name: "libretranslate",
        circuit: "closed",
        pairs: expect.arrayContaining([{ source: "en", target: "es" }]),
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain("secret-key");
  });
});

describe("pre-translation cancel and failures", () => {
  it("cancels a running job and writes nothing; a failing provider fails the job without its key", async () => {
    let slow = true;
    const stub = await startStub((req) => {
      if (req.path === "/languages") return { status: 200, body: [{ code: "en", targets: ["es"] }] };
      if (slow) return { status: 200, body: { translatedText: [] }, delayMs: 2000 };
      return { status: 429, body: { error: "Slowdown" } };
    });
    const { t, tokens } = await makeAppWithTeam({
      GLOSA_MT: "libretranslate",
      GLOSA_LIBRETRANSLATE_URL: stub.url,
      GLOSA_LIBRETRANSLATE_KEY: "very-secret",
    });
    try {
      const auth = { Authorization: `Bearer ${tokens.translator}` };
      const start = await request(t.app).post(`${base}/pretranslate`).set(auth).send({});
      expect(start.status).toBe(202);
      const again = await request(t.app).post(`${base}/pretranslate`).set(auth).send({});
      expect(again.status).toBe(409);
      const cancel = await request(t.app).delete(start.body.url).set(auth);
      expect(cancel.status).toBe(200);
      expect(cancel.body.state).toBe("cancelled");
      const view = await request(t.app).get(base).set(auth);
      expect((view.body.paragraphs as { status: string }[]).every((p) => p.status === "untranslated")).toBe(
        true,
      );

      slow = false;
      const second = await request(t.app).post(`${base}/pretranslate`).set(auth).send({});
      const failed = await finished(t.app, tokens.translator, second.body.url);
      expect(failed.body.state).toBe("failed");
      expect(failed.body.error).toContain("libretranslate");
      expect(JSON.stringify(failed.body)).not.toContain("very-secret");
    } finally {
      await t.close();
      await stub.close();
    }
  });
});
