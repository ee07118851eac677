/**
 * A Markdown document's title reads without its marks of emphasis wherever pages show it (its stored
 * title keeps them), and a revision code in an uppercase label keeps its case ("r1", not "R1").
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiToken, makeApp, signIn, type TestApp } from "../helpers.ts";

const STORED = "Milei's *chainsaw* plan";
const SHOWN = "Milei&#39;s chainsaw plan";

describe("titles and revision codes on pages", () => {
  let t: TestApp;
  let token: string;
  let doc: string;
  beforeAll(async () => {
    t = await makeApp();
    token = await apiToken(t.app);
    const api = (method: "post" | "put", path: string, body: object) =>
      request(t.app)[method](`/api/v1${path}`).set("Authorization", `Bearer ${token}`).send(body);
    const created = await api("post", "/documents", {
      sourceLang: "en",
      format: "markdown",
      content: `# ${STORED}\n\nThe *chainsaw* is back.`,
      languages: ["es"],
    });
    expect(created.status).toBe(201);
    doc = created.body.id;
    const paragraph = `/documents/${doc}/translations/es/paragraphs/p2`;
    expect((await api("put", paragraph, { text: "Vuelve la motosierra.", baseRevision: 0 })).status).toBe(
      200,
    );
    expect((await api("post", `${paragraph}/review`, { action: "approve", revision: 1 })).status).toBe(200);
    expect((await api("put", paragraph, { text: "Vuelve la *motosierra*.", baseRevision: 1 })).status).toBe(
      200,
    );
  });
  afterAll(() => t.close());

  it("shows the title without asterisks on every page that names the document, as an admin and an editor", async () => {
    for (const [user, password] of [
      ["admin", undefined],
      ["eddie", "eddie-password"],
    ] as const) {
      if (user === "eddie")
        await request(t.app)
          .post("/api/v1/users")
          .set("Authorization", `Bearer ${token}`)
          .send({ username: "eddie", password: "eddie-password", role: "editor" });
      const { agent } = await signIn(t.app, user, password);
      for (const path of [
        "/",
        "/review",
        `/documents/${doc}/es`,
        `/documents/${doc}/es/review`,
        `/documents/${doc}/es/export`,
        `/documents/${doc}/es/paragraphs/p2`,
        `/documents/${doc}/languages`,
        "/replace?lang=es&find=motosierra&replace=sierra",
      ]) {
        const page = await agent.get(path);
        expect(page.status, path).toBe(200);
        expect(page.text, path).toContain(SHOWN);
        expect(page.text, path).not.toContain("Milei&#39;s *chainsaw*");
      }
    }
    // The stored title keeps its Markdown.
    const stored = await request(t.app)
      .get(`/api/v1/documents/${doc}`)
      .set("Authorization", `Bearer ${token}`);
    expect(stored.body.title).toBe(STORED);
    // The editor's title row shows the source as written.
    const { agent } = await signIn(t.app);
    const editor = (await agent.get(`/documents/${doc}/es`)).text;
    expect(editor).toContain(
      '<h1 lang="en" title="Milei&#39;s chainsaw plan">Milei&#39;s chainsaw plan</h1>',
    );
    expect(editor).toMatch(
      /<span class="kind">title<\/span><p>Milei&#39;s \*<span class="term"[^>]*>chainsaw<\/span>\* plan<\/p>/,
    );
  });

  it("keeps a revision code's case in the review card's uppercase label", async () => {
    const { agent } = await signIn(t.app);
    const page = (await agent.get(`/documents/${doc}/es/review`)).text;
    expect(page).toContain(
      '<h2 class="label">Changes since approved revision <span class="as-written">r1</span></h2>',
    );
    const es = (await agent.get(`/documents/${doc}/es/review?lng=es`)).text;
    expect(es).toContain('Cambios desde la versión aprobada <span class="as-written">r1</span>');
  });
});
