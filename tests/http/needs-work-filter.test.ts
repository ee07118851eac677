/**
 * "Needs work" lists what must still be done: untranslated, drafts, rejected, outdated, and open
 * errors; a translated paragraph with warnings only is under "With findings" (trial: 12 of 13 listed).
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

describe("the Needs work filter", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  let page: string;
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({
        sourceLang: "en",
        format: "text",
        content: "The chainsaw is back\n\nThe chainsaw plan is back.\n\nThe spokesperson spoke.",
        languages: ["es"],
      });
    expect(created.status).toBe(201);
    page = `/documents/${created.body.id}/es`;
    const save = async (pid: string, text: string) =>
      (
        await request(t.app)
          .put(`/api/v1/documents/${created.body.id}/translations/es/paragraphs/${pid}`)
          .set("Authorization", `Bearer ${tokens.translator}`)
          .send({ text, baseRevision: 0 })
      ).body as { qa: { severity: string }[] };
    // A forbidden form: an error. The spokesperson without its required "vocero": a warning only.
    const error = await save("p2", "Vuelve el plan de la sierra mecánica.");
    expect(error.qa.map((f) => f.severity)).toContain("error");
    const warning = await save("p3", "Habló el portavoz.");
    expect(warning.qa.length).toBeGreaterThan(0);
    expect(warning.qa.every((f) => f.severity === "warning")).toBe(true);
  });
  afterAll(() => t.close());

  const rows = (html: string) => [...html.matchAll(/<article[^>]*id="p-(p\d+)"/g)].map((m) => m[1]);

  it("lists the untranslated title and the error, not the translated paragraph with a warning", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    expect(rows((await agent.get(`${page}?filter=needs-work`)).text)).toEqual(["p1", "p2"]);
    expect(rows((await agent.get(`${page}?filter=findings`)).text)).toEqual(["p2", "p3"]);
  });
});
