import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp, userWithRole } from "../helpers.ts";

const THREAD = (pid: string, lang = "es") =>
  `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/${lang}/paragraphs/${pid}/comments`;

describe("comments API", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  let other: string;
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    other = (await userWithRole(t.app, tokens.admin, "tom", "translator")).token;
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (url: string) => request(t.app).get(url).set("Authorization", `Bearer ${token}`),
    post: (url: string, body: object) =>
      request(t.app).post(url).set("Authorization", `Bearer ${token}`).send(body),
    patch: (url: string, body: object) =>
      request(t.app).patch(url).set("Authorization", `Bearer ${token}`).send(body),
    delete: (url: string) => request(t.app).delete(url).set("Authorization", `Bearer ${token}`),
  });

  it("posts comments in every role, parses mentions of existing users, lists the source thread in every language", async () => {
    const created = await as(tokens.translator).post(THREAD("p2"), {
      text: "¿Lo dejamos así, @eddie y @nobody? cc @Tom.",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      author: "tina",
      scope: "translation",
      mentions: ["eddie", "tom"],
      resolved: false,
      text: "¿Lo dejamos así, @eddie y @nobody? cc @Tom.",
    });
    expect(typeof created.body.id).toBe("string");
    expect(typeof created.body.createdAt).toBe("string");

    const query = await as(tokens.editor).post(THREAD("p2"), {
      text: "Is it 15 or 50 billion?",
      scope: "source",
    });
    expect(query.status).toBe(201);
    expect(query.body).toMatchObject({ author: "eddie", scope: "source" });
    const byAdmin = await as(tokens.admin).post(THREAD("p3"), { text: "ok" });
    expect(byAdmin.status).toBe(201);

    const list = await as(tokens.translator).get(THREAD("p2"));
    expect(list.status).toBe(200);
    expect(list.body.comments.map((c: { id: string }) => c.id)).toEqual([created.body.id, query.body.id]);
    // Another paragraph's thread holds neither.
    expect((await as(tokens.translator).get(THREAD("p3"))).body.comments).toHaveLength(1);
    // The audit log says what was said, not only which comment.
    const logged = (await t.store.listAudit(20)).find(
      (e) => e.action === "comment.create" && e.details?.comment === query.body.id,
    );
    expect(logged?.details).toMatchObject({ text: "Is it 15 or 50 billion?", scope: "source" });
  });

  it("shares the source thread across languages but not a language's thread", async () => {
    const add = await request(t.app)
      .post(`/api/v1/documents/${SEED_DOCUMENT_ID}/languages`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ lang: "fr" });
    expect(add.status).toBe(201);
    const query = await as(tokens.translator).post(THREAD("p4"), { text: "Source?", scope: "source" });
    await as(tokens.translator).post(THREAD("p4"), { text: "solo español" });
    const fr = await as(tokens.translator).get(THREAD("p4", "fr"));
    expect(fr.body.comments.map((c: { id: string }) => c.id)).toEqual([query.body.id]);
  });

  it("lets only the author edit, keeping the earlier text in history", async () => {
    const { body } = await as(tokens.translator).post(THREAD("p5"), { text: "first" });
    const url = `/api/v1/comments/${body.id}`;
    expect((await as(other).patch(url, { text: "hijack" })).status).toBe(403);
    expect((await as(tokens.editor).patch(url, { text: "hijack" })).status).toBe(403);
    expect((await as(tokens.admin).patch(url, { text: "hijack" })).status).toBe(403);
    const edited = await as(tokens.translator).patch(url, { text: "second @eddie" });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ text: "second @eddie", mentions: ["eddie"] });
    expect(edited.body.history).toEqual([
      expect.objectContaining({ text: "first", action: "edit", by: "tina" }),
    ]);
    const listed = (await as(tokens.editor).get(THREAD("p5"))).body.comments[0];
    expect(listed.text).toBe("second @eddie");
    expect(listed.history[0].text).toBe("first");
  });

  it("lets only an editor (or admin) resolve, and translators not", async () => {
    const { body } = await as(tokens.translator).post(THREAD("p6"), { text: "question" });
    const url = `/api/v1/comments/${body.id}`;
    const denied = await as(tokens.translator).patch(url, { resolved: true });
    expect(denied.status).toBe(403);
    const resolved = await as(tokens.editor).patch(url, { resolved: true });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ resolved: true, resolvedBy: "eddie" });
    const reopened = await as(tokens.admin).patch(url, { resolved: false });
    expect(reopened.body.resolved).toBe(false);
  });

  it("deletes by the author or an admin, never by another user, keeping the text in history", async () => {
    const mine = (await as(tokens.translator).post(THREAD("p7"), { text: "to delete" })).body;
    const theirs = (await as(tokens.translator).post(THREAD("p7"), { text: "admin deletes" })).body;
    expect((await as(other).delete(`/api/v1/comments/${mine.id}`)).status).toBe(403);
    expect((await as(tokens.editor).delete(`/api/v1/comments/${mine.id}`)).status).toBe(403);
    expect((await as(tokens.translator).delete(`/api/v1/comments/${mine.id}`)).status).toBe(204);
    expect((await as(tokens.admin).delete(`/api/v1/comments/${theirs.id}`)).status).toBe(204);
    expect((await as(tokens.translator).get(THREAD("p7"))).body.comments).toEqual([]);
    expect((await as(tokens.translator).delete(`/api/v1/comments/${mine.id}`)).status).toBe(404);
    const stored = await t.store.getComment(mine.id);
    expect(stored).toMatchObject({ deleted: true, text: "" });
    expect(stored?.history).toEqual([expect.objectContaining({ text: "to delete", action: "delete" })]);
    const audit = await t.store.listAudit(5);
    expect(audit.map((e) => e.action)).toContain("comment.delete");
  });

  it("answers 401 without a token, 400 for bad bodies, 404 for unknown things", async () => {
    expect((await request(t.app).get(THREAD("p2"))).status).toBe(401);
    expect((await request(t.app).post(THREAD("p2")).send({ text: "x" })).status).toBe(401);
    expect((await request(t.app).patch("/api/v1/comments/x").send({ text: "x" })).status).toBe(401);
    expect((await request(t.app).delete("/api/v1/comments/x")).status).toBe(401);
    const tr = as(tokens.translator);
    for (const body of [
      {},
      { text: "" },
      { text: "   " },
      { text: 5 },
      { text: "x".repeat(4001) },
      { text: "x", scope: "all" },
    ]) {
      const res = await tr.post(THREAD("p2"), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_fields");
    }
    const { body } = await tr.post(THREAD("p2"), { text: "valid" });
    for (const patch of [{}, { resolved: "yes" }, { text: "" }, { other: 1 }])
      expect((await tr.patch(`/api/v1/comments/${body.id}`, patch)).status, JSON.stringify(patch)).toBe(400);
    expect((await tr.get(THREAD("nope"))).status).toBe(404);
    expect((await tr.get(THREAD("p2", "de"))).status).toBe(404);
    expect(
      (await tr.post(`/api/v1/documents/nope/translations/es/paragraphs/p2/comments`, { text: "x" })).status,
    ).toBe(404);
    const missing = await tr.patch("/api/v1/comments/nope", { text: "x" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("comment_not_found");
  });

  it("stores text as written and returns it as JSON data, never as markup", async () => {
    const attack = `<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)`;
    const res = await as(tokens.translator).post(THREAD("p8"), { text: attack });
    expect(res.status).toBe(201);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(res.body.text).toBe(attack);
  });
});
