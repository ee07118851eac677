/**
 * A page form sent after the session ended (the editor without JavaScript, a rejection's reason): the
 * 401 page shows back what was written, escaped in a read-only box, and a sign-in link that returns to
 * the page the form was on, and only to a page of this site.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { ADMIN_PASSWORD, csrfFrom, makeApp, returnPath, type TestApp } from "../helpers.ts";

const doc = `/documents/${SEED_DOCUMENT_ID}/es`;
const HOST = "glosa.test";
const TYPED = 'La motosierra </textarea><script>alert("x")</script> & más';

describe("a form sent after the session ended", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(async () => t.close());

  const post = (path: string, body: Record<string, string>) =>
    request(t.app).post(path).set("Host", HOST).set("Accept", "text/html").type("form").send(body);

  it("shows the typed text, escaped, in a read-only box, and signs in back to the editor", async () => {
    const res = await post(`${doc}/paragraphs/p2`, {
      _csrf: "gone",
      text: TYPED,
      baseRevision: "0",
      sourceVersion: "1",
      intent: "save",
    }).set("Referer", `http://${HOST}${doc}?filter=untranslated`);
    expect(res.status).toBe(401);
    expect(res.text).toContain("Please sign in");
    const box = /<textarea id="unsent-0" class="unsent" readonly rows="6">([^<]*)<\/textarea>/.exec(res.text);
    expect(box?.[1]).toBe(
      "La motosierra &lt;/textarea&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; más",
    );
    expect(res.text).not.toContain("<script>alert");
    // Only what the person wrote: not the token, the revision or the source version.
    expect(res.text.match(/<textarea/g)).toHaveLength(1);
    expect(returnPath(res.text)).toBe(`${doc}?filter=untranslated`);
    expect(res.text).not.toContain("Back to the documents");
  });

  it("says it in Spanish, with the rejection's reason shown back", async () => {
    const res = await post(`${doc}/paragraphs/p2/review`, {
      _csrf: "gone",
      action: "reject",
      revision: "1",
      comment: "Falta el punto.",
    })
      .set("Referer", `http://${HOST}${doc}/review`)
      .set("Cookie", "glosa.lng=es")
      .set("Accept-Language", "es");
    expect(res.status).toBe(401);
    expect(res.text).toContain("El texto que enviaste (sin guardar)");
    expect(res.text).toContain("Falta el punto.");
    expect(res.text).toContain("Iniciar sesión y volver");
    expect(returnPath(res.text)).toBe(`${doc}/review`);
  });

  for (const [what, headers] of [
    ["another site's Referer", { Referer: "http://evil.example/documents" }],
    ["another site's Origin", { Origin: "http://evil.example", Referer: `http://${HOST}${doc}` }],
    ["a Referer that resolves off the site", { Referer: `http://${HOST}/\\evil.example` }],
    ["no Referer", {}],
  ] as const) {
    it(`returns to the documents, not elsewhere, with ${what}`, async () => {
      const res = await post(`${doc}/paragraphs/p2`, { text: "Hola", baseRevision: "0" }).set(headers);
      expect(res.status).toBe(401);
      expect(res.text).toContain("Hola");
      expect(returnPath(res.text)).toBe("/");
    });
  }

  it("the sign-in link's form brings the person back to the page", async () => {
    const res = await post(`${doc}/paragraphs/p2`, { text: "Hola", baseRevision: "0" }).set(
      "Referer",
      `http://${HOST}${doc}`,
    );
    const agent = request.agent(t.app);
    const login = await agent.get(`/login?next=${encodeURIComponent(returnPath(res.text))}`);
    expect(login.text).toContain(`name="next" value="${doc}"`);
    const signedIn = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(login.text), username: "admin", password: ADMIN_PASSWORD, next: doc });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe(doc);
  });

  it("never shows a password back", async () => {
    const res = await post("/account/password", {
      current: "old-secret-words",
      password: "new-secret-words",
      confirm: "new-secret-words",
    }).set("Referer", `http://${HOST}/account`);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain("secret-words");
    expect(returnPath(res.text)).toBe("/account");
  });

  it("keeps the API's plain 401, without the text", async () => {
    const res = await request(t.app)
      .post(`${doc}/paragraphs/p2`)
      .set("Accept", "application/json")
      .send({ text: "Hola", baseRevision: 0 });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain("Hola");
  });
});
