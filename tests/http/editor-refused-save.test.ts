/**
 * A save refused without scripts (someone saved first) renders the whole page again: the row with the
 * conflict is where the translator must look, so its text area takes the focus (and the browser
 * scrolls to it) instead of the page opening at its top.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

describe("a refused save without scripts", () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("opens with the conflicting row's text area focused, and only that one", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const path = `/documents/${SEED_DOCUMENT_ID}/es/paragraphs/p9`;
    const first = await eddie.agent
      .post(path)
      .type("form")
      .send({ _csrf: eddie.csrf, text: "Primera versión.", baseRevision: 0, intent: "save" });
    expect(first.status).toBe(303);
    const refused = await tina.agent
      .post(path)
      .type("form")
      .send({ _csrf: tina.csrf, text: "Mi versión.", baseRevision: 0, intent: "save" });
    expect(refused.status).toBe(409);
    expect(refused.text.match(/\bautofocus\b/g)).toHaveLength(1);
    expect(refused.text).toMatch(/<textarea id="t-p9"[^>]* autofocus>Mi versión\.<\/textarea>/);
  });
});
