/**
 * POST .../paragraphs/:pid/compare: a text kept unsaved in the browser against the paragraph's latest
 * revision, with the word diff the conflict view shows, and nothing written.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const API = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;

describe("POST .../paragraphs/:pid/compare", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    const saved = await request(t.app)
      .put(`${API}/paragraphs/p6`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ text: "La charla fue el martes.", baseRevision: 0 });
    expect(saved.status).toBe(200);
  });
  afterAll(() => t.close());

  for (const [username, password] of [
    ["tina", "tina-password"],
    ["eddie", "eddie-password"],
    ["admin", undefined],
  ] as const) {
    it(`answers ${username} with the latest revision and the diff theirs → mine, writing nothing`, async () => {
      const who = password ? await signIn(t.app, username, password) : await signIn(t.app);
      const res = await who.agent
        .post(`${API}/paragraphs/p6/compare`)
        .set("X-CSRF-Token", who.csrf)
        .send({ text: "La charla fue el miércoles." });
      expect(res.status).toBe(200);
      expect(res.body.current).toMatchObject({
        revision: 1,
        text: "La charla fue el martes.",
        author: "eddie",
        status: "translated",
        createdAt: expect.stringMatching(/^\d{4}-/),
      });
      const changes = res.body.current.changes as { op: string; text: string }[];
      expect(changes.filter((c) => c.op === "delete").map((c) => c.text)).toEqual(["martes"]);
      expect(changes.filter((c) => c.op === "insert").map((c) => c.text)).toEqual(["miércoles"]);
      const revisions = await who.agent.get(`${API}/paragraphs/p6/revisions`);
      expect(revisions.body.revisions).toHaveLength(1);
    });
  }

  it("answers an untranslated paragraph as revision 0 with an empty text", async () => {
    const res = await request(t.app)
      .post(`${API}/paragraphs/p7/compare`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: "Hola." });
    expect(res.status).toBe(200);
    expect(res.body.current).toMatchObject({ revision: 0, text: "", status: "untranslated" });
    expect(res.body.current.changes).toEqual([{ op: "insert", text: "Hola." }]);
  });

  it("refuses no caller (401), a session without its CSRF header (403), bad input (400) and an unknown paragraph (404)", async () => {
    const anonymous = await request(t.app).post(`${API}/paragraphs/p6/compare`).send({ text: "x" });
    expect(anonymous.status).toBe(401);
    const tina = await signIn(t.app, "tina", "tina-password");
    const noHeader = await tina.agent.post(`${API}/paragraphs/p6/compare`).send({ text: "x" });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.code).toBe("invalid_csrf_token");
    const auth = { Authorization: `Bearer ${tokens.translator}` };
    const noText = await request(t.app).post(`${API}/paragraphs/p6/compare`).set(auth).send({});
    expect(noText.status).toBe(400);
    const tooLong = await request(t.app)
      .post(`${API}/paragraphs/p6/compare`)
      .set(auth)
      .send({ text: "x".repeat(100_001) });
    expect(tooLong.status).toBe(400);
    const unknown = await request(t.app).post(`${API}/paragraphs/nope/compare`).set(auth).send({ text: "x" });
    expect(unknown.status).toBe(404);
  });
});
