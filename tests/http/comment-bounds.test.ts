/**
 * A comment thread is bounded (comments per paragraph and characters per paragraph's threads, both
 * configurable) and its read can be paged (`limit` and `cursor`, as the documents list): 200 comments
 * edited 50 times each made one read of 40 MB.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

const THREAD = (pid: string) =>
  `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${pid}/comments`;

describe("comment thread bounds and paging", () => {
  let t: TestApp;
  let auth: { Authorization: string };
  beforeAll(async () => {
    let tokens: { translator: string };
    ({ t, tokens } = await makeAppWithTeam({
      GLOSA_MAX_COMMENTS: "5",
      GLOSA_MAX_THREAD_CHARS: "11000",
    }));
    auth = { Authorization: `Bearer ${tokens.translator}` };
  });
  afterAll(() => t.close());

  const post = (pid: string, text: string, scope = "translation") =>
    request(t.app).post(THREAD(pid)).set(auth).send({ text, scope });

  it("refuses a comment past GLOSA_MAX_COMMENTS, source thread included", async () => {
    for (let i = 1; i <= 5; i++)
      expect((await post("p2", `Nota ${i}`, i === 3 ? "source" : "translation")).status).toBe(201);
    const sixth = await post("p2", "Nota 6");
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.code).toBe("too_many_comments");
    expect(sixth.body.error.message).toContain("5");
  });

  it("refuses a comment or an edit that would take a paragraph's threads past GLOSA_MAX_THREAD_CHARS", async () => {
    const long = "a".repeat(4000);
    const first = await post("p3", long);
    expect(first.status).toBe(201);
    // The edit keeps the earlier text in the history: 8,000 characters held.
    const edited = await request(t.app)
      .patch(`/api/v1/comments/${first.body.id}`)
      .set(auth)
      .send({ text: "b".repeat(4000) });
    expect(edited.status).toBe(200);
    const over = await post("p3", "c".repeat(4000));
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("thread_too_large");
    const overEdit = await request(t.app)
      .patch(`/api/v1/comments/${first.body.id}`)
      .set(auth)
      .send({ text: "d".repeat(4000) });
    expect(overEdit.status).toBe(409);
    expect(overEdit.body.error.code).toBe("thread_too_large");
    // What fits still goes in, and a resolve or a delete is never refused for size.
    expect((await post("p3", "c".repeat(3000))).status).toBe(201);
  });

  it("pages the thread with limit and cursor, oldest first; without them it answers the whole thread", async () => {
    const all = await request(t.app).get(THREAD("p2")).set(auth);
    expect(all.status).toBe(200);
    expect(all.body.comments.map((c: { text: string }) => c.text)).toEqual([
      "Nota 1",
      "Nota 2",
      "Nota 3",
      "Nota 4",
      "Nota 5",
    ]);
    expect(all.body.next).toBeUndefined();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await request(t.app)
        .get(THREAD("p2"))
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(auth);
      expect(page.status).toBe(200);
      expect(page.body.comments.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.comments.map((c: { text: string }) => c.text));
      cursor = page.body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.body.comments.map((c: { text: string }) => c.text));
    for (const query of [{ limit: 0 }, { limit: 201 }, { limit: "x" }]) {
      const bad = await request(t.app).get(THREAD("p2")).query(query).set(auth);
      expect(bad.status, JSON.stringify(query)).toBe(400);
      expect(bad.body.error.code).toBe("invalid_fields");
    }
    const badCursor = await request(t.app).get(THREAD("p2")).query({ cursor: "nope!" }).set(auth);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe("invalid_cursor");
  });

  it("reads the bounds from the environment, with defaults, and refuses nonsense", () => {
    const base = { GLOSA_DATA_DIR: "/tmp/x" };
    const defaults = loadConfig(base);
    expect(defaults.commentsPerParagraph).toBe(200);
    expect(defaults.commentThreadChars).toBe(400_000);
    expect(() => loadConfig({ ...base, GLOSA_MAX_COMMENTS: "0" })).toThrow(/GLOSA_MAX_COMMENTS/);
    expect(() => loadConfig({ ...base, GLOSA_MAX_THREAD_CHARS: "lots" })).toThrow(/GLOSA_MAX_THREAD_CHARS/);
  });
});
