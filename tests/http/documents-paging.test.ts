import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { createDocument } from "../../translations/document.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

/** 120 documents beside the seeded one, created a minute apart in 2030, so after it. */
const COUNT = 120;
const titleOf = (i: number) => `Paged story ${String(i).padStart(3, "0")}`;

describe("documents list, API and review queue in pages", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    for (let i = 0; i < COUNT; i++)
      await t.store.putDocument(
        createDocument({
          id: `paged${String(i).padStart(3, "0")}`,
          title: titleOf(i),
          sourceLang: "en",
          format: "text",
          content: `${titleOf(i)}\n\nFirst paragraph.\n\nSecond paragraph.`,
          createdBy: "admin",
          createdAt: new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString(),
          languages: ["es"],
        }),
      );
  });
  afterAll(() => t.close());

  const titlesOn = (html: string) => [...html.matchAll(/Paged story \d{3}/g)].map((m) => m[0]);
  const linkOn = (html: string, rel: "next" | "prev") =>
    new RegExp(`rel="${rel}" href="([^"]+)"`).exec(html)?.[1]?.replaceAll("&amp;", "&");

  it("shows 50 documents a page, oldest first, with Next and Previous links that need no script", async () => {
    const { agent } = await signIn(t.app);
    const first = await agent.get("/");
    expect(first.status).toBe(200);
    // The seeded document is the oldest: 49 of ours follow it on the first page.
    expect(first.text).toContain(`/documents/${SEED_DOCUMENT_ID}/es`);
    expect(titlesOn(first.text)).toEqual(Array.from({ length: 49 }, (_, i) => titleOf(i)));
    expect(linkOn(first.text, "prev")).toBeUndefined();
    const seen = titlesOn(first.text);
    let page = first;
    const urls: string[] = [];
    for (let n = 0; n < 5 && linkOn(page.text, "next"); n++) {
      const url = linkOn(page.text, "next") as string;
      urls.push(url);
      page = await agent.get(url);
      expect(page.status).toBe(200);
      seen.push(...titlesOn(page.text));
    }
    expect(urls).toHaveLength(2);
    expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => titleOf(i)));
    // Back from the last page to the second, which shows what it showed going forward.
    const back = await agent.get(linkOn(page.text, "prev") as string);
    expect(titlesOn(back.text)).toEqual(Array.from({ length: 50 }, (_, i) => titleOf(49 + i)));
    expect(back.text).toContain("Next 50");
    expect(back.text).toContain("Previous 50");
    const start = await agent.get(linkOn(back.text, "prev") as string);
    expect(titlesOn(start.text)).toEqual(titlesOn(first.text));
    expect(linkOn(start.text, "prev")).toBeUndefined();
  });

  it("answers 400, not a 500, for a page cursor it did not hand out", async () => {
    const { agent } = await signIn(t.app);
    expect((await agent.get("/?after=bogus")).status).toBe(400);
    expect((await agent.get("/review?before=%5B%5D")).status).toBe(400);
  });

  it("pages the API with limit and cursor, and without them keeps answering every document", async () => {
    const api = (path: string) => request(t.app).get(path).set("Authorization", `Bearer ${tokens.editor}`);
    const all = await api("/api/v1/documents");
    expect(all.status).toBe(200);
    expect(all.body.documents).toHaveLength(COUNT + 1);
    expect(all.body.next).toBeUndefined();
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await api(`/api/v1/documents?limit=45${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.documents.length).toBeLessThanOrEqual(45);
      ids.push(...res.body.documents.map((d: { id: string }) => d.id));
      cursor = res.body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(ids).toEqual(all.body.documents.map((d: { id: string }) => d.id));
    expect((await api("/api/v1/documents?limit=200")).body.documents).toHaveLength(COUNT + 1);
    for (const bad of [
      "limit=0",
      "limit=201",
      "limit=abc",
      "limit=1.5",
      "cursor=nope",
      "limit=5&cursor=%5B1%5D",
    ]) {
      const res = await api(`/api/v1/documents?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toMatch(/^invalid_/);
      expect(typeof res.body.error.message).toBe("string");
    }
  });

  it("keeps the list's, the API's and the review queue's numbers right after saves and reviews", async () => {
    const doc = "paged000";
    const api = (token: string) => ({
      get: (path: string) => request(t.app).get(path).set("Authorization", `Bearer ${token}`),
      put: (path: string) => request(t.app).put(path).set("Authorization", `Bearer ${token}`),
      post: (path: string) => request(t.app).post(path).set("Authorization", `Bearer ${token}`),
    });
    const editor = await signIn(t.app, "eddie", "eddie-password");
    const progressOf = async () =>
      (await api(tokens.editor).get("/api/v1/documents?limit=5")).body.documents.find(
        (d: { id: string }) => d.id === doc,
      ).languages.es;
    const waitingOn = async () => {
      const html = (await editor.agent.get("/review")).text;
      const row = html.slice(html.indexOf(`/documents/${doc}/es/review`));
      return Number(/<strong>(\d+)<\/strong>/.exec(row)?.[1]);
    };
    const listRow = async () => {
      const html = (await editor.agent.get("/")).text;
      return html.slice(html.indexOf(titleOf(0)), html.indexOf(titleOf(1)));
    };
    // Read once before any save, so that whatever is cached is then out of date.
    expect(await progressOf()).toEqual({ translated: 0, approved: 0 });
    expect(await waitingOn()).toBe(0);
    expect(await listRow()).toContain("0 of 4 translated");

    const base = `/api/v1/documents/${doc}/translations/es/paragraphs`;
    for (const pid of ["p1", "p2"]) {
      const res = await api(tokens.translator)
        .put(`${base}/${pid}`)
        .send({ text: `Texto ${pid}`, baseRevision: 0 });
      expect(res.status).toBe(200);
    }
    expect(await progressOf()).toEqual({ translated: 2, approved: 0 });
    expect(await waitingOn()).toBe(2);
    const row = await listRow();
    expect(row).toContain("2 of 4 translated");
    expect(row).toContain("tina");

    const approve = await api(tokens.editor)
      .post(`${base}/p1/review`)
      .send({ action: "approve", revision: 1 });
    expect(approve.status).toBe(200);
    expect(await progressOf()).toEqual({ translated: 2, approved: 1 });
    expect(await waitingOn()).toBe(1);
    expect(await listRow()).toContain("1 approved");
  });
});
