/**
 * A source paragraph longer than a translation may be (GLOSA_MAX_TEXT_LENGTH) could be shown and
 * suggested for but never translated whole: a new document or a source update holding one is refused,
 * naming the paragraph, over the API and on the page, in the reader's language.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, signIn } from "../helpers.ts";

describe("source paragraphs longer than a translation may be", () => {
  let team: Awaited<ReturnType<typeof makeAppWithTeam>>;
  const auth = () => ({ Authorization: `Bearer ${team.tokens.editor}` });
  beforeAll(async () => {
    team = await makeAppWithTeam();
  });
  afterAll(() => team.t.close());

  const content = (longest: number) => `A short first paragraph.\n\n${"word ".repeat(longest / 5).trim()}`;

  it("refuses a new document with one, naming it, and takes one at the limit", async () => {
    const refused = await request(team.t.app)
      .post("/api/v1/documents")
      .set(auth())
      .send({ sourceLang: "en", format: "text", title: "Long", content: content(20_100), languages: ["es"] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("paragraph_too_long");
    expect(refused.body.error.message).toMatch(/Paragraph 3 has 20099 characters/);
    const fits = await request(team.t.app)
      .post("/api/v1/documents")
      .set(auth())
      .send({ sourceLang: "en", format: "text", title: "Fits", content: content(20_000), languages: ["es"] });
    expect(fits.status).toBe(201);
  });

  it("refuses a source update with one and keeps the document as it was", async () => {
    const created = await request(team.t.app)
      .post("/api/v1/documents")
      .set(auth())
      .send({ sourceLang: "en", format: "text", title: "Update", content: content(100), languages: ["es"] });
    const id = created.body.id as string;
    const refused = await request(team.t.app)
      .put(`/api/v1/documents/${id}/source`)
      .set(auth())
      .send({ format: "text", content: content(20_100), baseVersion: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("paragraph_too_long");
    const doc = await request(team.t.app).get(`/api/v1/documents/${id}`).set(auth());
    expect(doc.body.version ?? 1).toBe(1);
  });

  it("says so on the new-document page in Spanish", async () => {
    const { agent, csrf } = await signIn(team.t.app, "eddie", "eddie-password");
    const page = await agent
      .post("/documents?lng=es")
      .type("form")
      .send({
        _csrf: csrf,
        sourceLang: "en",
        format: "text",
        title: "Largo",
        content: content(20_100),
        languages: "es",
      });
    expect(page.status).toBe(400);
    expect(page.text).toContain(
      "El párrafo 3 supera la longitud que admite una traducción (longitud: 20099; máximo: 20000)",
    );
  });
});
