/**
 * No request reaches the store with a NUL byte or a lone surrogate (server/well-formed.ts): a path
 * segment that holds one, or a control character, or bytes that are not UTF-8, names nothing (404);
 * a query value or a body string holding one is a 400 naming the field. Stored free text that holds
 * a control character is refused as other stored text is. And a 500 never shows its stack.
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeApp, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";
import {
  BODY_CASES,
  CONTROL,
  CONTROL_CASES,
  DOC,
  deepBody,
  PAGE_GETS,
  PARA,
  PATH_CASES,
  QUERY_CASES,
  translateP3,
  UNSTORABLE,
} from "./hostile-requests.ts";

/** Every file of the data directory, as text. */
async function storedText(dir: string): Promise<string> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = names.filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
  return (await Promise.all(files.map((f) => readFile(f, "utf8")))).join("\n");
}

describe("requests holding what no store can hold (file store)", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_RATE_LIMIT: "off" }));
    await translateP3(t.app, tokens.admin);
  });
  afterAll(() => t.close());

  it("answers 404 for a path segment holding NUL, overlong or surrogate UTF-8, or a control", async () => {
    for (const c of PATH_CASES) {
      const res = await c.send(t.app, tokens.admin);
      expect(res.status, c.name).toBe(404);
      expect(res.body.error.code, c.name).toBe("not_found");
    }
  });

  it("answers 400 invalid_fields naming the query value that holds a NUL", async () => {
    for (const c of QUERY_CASES) {
      const res = await c.send(t.app, tokens.admin);
      expect(res.status, c.name).toBe(400);
      expect(res.body.error.code, c.name).toBe("invalid_fields");
    }
    const stats = await request(t.app)
      .get("/api/v1/stats?document=%00")
      .set("Authorization", `Bearer ${tokens.editor}`);
    expect(stats.body.error.details).toMatchObject({ document: expect.any(String) });
  });

  it("answers 400 invalid_fields naming the body field that holds a NUL or a lone surrogate, and stores none", async () => {
    for (const c of BODY_CASES) {
      const res = await c.send(t.app, tokens.admin);
      expect(res.status, c.name).toBe(400);
      expect(res.body.error.code, c.name).toBe("invalid_fields");
    }
    const review = await request(t.app)
      .post(`${PARA}/p3/review`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ action: "reject", revision: 1, comment: UNSTORABLE[1] });
    expect(review.body.error.details).toMatchObject({ comment: expect.any(String) });
    const nested = await request(t.app)
      .post("/api/v1/replace/batches/b1/undo")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ lang: "es", revisions: [{ documentId: "d", pid: UNSTORABLE[0], revision: 1 }] });
    expect(nested.body.error.details).toMatchObject({ "revisions.0.pid": expect.any(String) });
    // Nothing of it reached the store: no NUL, lone surrogate or such control in any file.
    const stored = await storedText(t.dir);
    for (const escaped of ["\\u0000", "\\ud800", "\\udc00", "\\u0001"]) expect(stored).not.toContain(escaped);
    expect(stored).not.toContain("\u0000");
  });

  it("refuses a control character in a review comment, a waiver's reason and a comment (400, nothing stored)", async () => {
    for (const c of CONTROL_CASES) {
      const res = await c.send(t.app, tokens.admin);
      expect(res.status, c.name).toBe(400);
      expect(res.body.error.code, c.name).toBe("invalid_fields");
    }
    const view = await request(t.app)
      .get(`${PARA}/p3/revisions`)
      .set("Authorization", `Bearer ${tokens.admin}`);
    expect(view.body.revisions).toEqual([expect.objectContaining({ status: "translated" })]);
    expect(await storedText(t.dir)).not.toContain("\\u0001");
  });

  it("refuses a token name holding a NUL, a lone surrogate or a control character", async () => {
    for (const name of [...UNSTORABLE, CONTROL]) {
      const res = await request(t.app)
        .post("/api/v1/tokens")
        .send({ username: "tina", password: "tina-password", name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.code).toBe("invalid_fields");
      expect(res.body.error.details).toMatchObject({ name: expect.any(String) });
    }
    const tokens = await t.app.services.accounts.listTokens("tina");
    expect(tokens.map((k) => k.name)).toEqual(["API"]);
  });

  it("refuses a body nested deeper than any route reads, and takes one as deep as routes need", async () => {
    const deep = await request(t.app)
      .post(`${PARA}/p3/comments`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: "fine", ...deepBody(40) });
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe("invalid_fields");
    const term = await request(t.app)
      .post("/api/v1/glossary/terms")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({
        sourceLang: "en",
        source: "deep",
        targets: { es: { text: "hondo", forbidden: ["profundo"] } },
      });
    expect(term.status).toBe(201);
  });

  it("says so in the reader's language", async () => {
    const res = await request(t.app)
      .get("/api/v1/stats?document=%00")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .set("Accept-Language", "es");
    expect(res.body.error.message).toContain("no se puede guardar");
  });

  for (const role of ["translator", "editor", "admin"] as const) {
    it(`answers the same to a ${role}; a stranger gets 404 for the path and 401 for the body`, async () => {
      const as = { Authorization: `Bearer ${tokens[role]}` };
      expect((await request(t.app).get(`${PARA}/%00/revisions`).set(as)).status).toBe(404);
      const posted = await request(t.app).post(`${PARA}/p3/comments`).set(as).send({ text: UNSTORABLE[0] });
      expect(posted.status).toBe(400);
      expect(posted.body.error.details).toMatchObject({ text: expect.any(String) });
      expect((await request(t.app).get(`${PARA}/%00/revisions`)).status).toBe(404);
      expect((await request(t.app).post(`${PARA}/p3/comments`).send({ text: UNSTORABLE[0] })).status).toBe(
        401,
      );
    });
  }

  describe("pages", () => {
    let session: Awaited<ReturnType<typeof signIn>>;
    beforeAll(async () => {
      session = await signIn(t.app);
    });

    it("answers a 404 or 400 page, never a 500", async () => {
      for (const [url, status] of PAGE_GETS) {
        const res = await session.agent.get(url);
        expect(res.status, url).toBe(status);
        expect(res.text, url).toContain("<h1>");
      }
      for (const bad of ["%00", "%C0%80"]) {
        const res = await session.agent
          .post(`/admin/users/${bad}`)
          .type("form")
          .send({ _csrf: session.csrf, action: "enable" });
        expect(res.status).toBe(404);
      }
    });

    it("refuses a form field holding a NUL (400) and a control character in stored text", async () => {
      const nul = await session.agent
        .post("/account/tokens")
        .type("form")
        .send({ _csrf: session.csrf, name: "n\u0000x" });
      expect(nul.status).toBe(400);
      const control = await session.agent
        .post("/account/tokens")
        .type("form")
        .send({ _csrf: session.csrf, name: CONTROL });
      expect(control.status).toBe(400);
      const reject = await session.agent
        .post(`/documents/${DOC}/es/paragraphs/p3/review`)
        .type("form")
        .send({ _csrf: session.csrf, action: "reject", revision: "1", comment: CONTROL });
      expect(reject.status).toBe(400);
      const waive = await session.agent
        .post(`/documents/${DOC}/es/paragraphs/p3/waive`)
        .type("form")
        .send({ _csrf: session.csrf, finding: "missing-term t1", reason: CONTROL });
      expect(waive.status).toBe(400);
      expect(await storedText(t.dir)).not.toContain("\\u0001");
    });
  });
});

describe("an unexpected error", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp({ NODE_ENV: "development" });
    // A bug stands in: any store failure that is not one of ours.
    t.app.services.translations.getDocument = () =>
      Promise.reject(new Error("boom at /srv/glosa/secret.ts:1"));
  });
  afterAll(() => t.close());

  it("answers 500 internal_error with no stack, details or file path, even in development", async () => {
    const { agent, csrf } = await signIn(t.app);
    const api = await agent.get(`/api/v1/documents/${DOC}`).set("X-CSRF-Token", csrf);
    expect(api.status).toBe(500);
    expect(api.body).toEqual({ error: { code: "internal_error", message: expect.any(String) } });
    const page = await agent.get(`/documents/${DOC}/history`);
    expect(page.status).toBe(500);
    for (const leak of ["boom", "secret.ts", "    at ", "<pre"]) {
      expect(api.text).not.toContain(leak);
      expect(page.text).not.toContain(leak);
    }
  });
});
