/**
 * A rejected translation whose source then changes (trial finding): the rejection and its reason stay
 * in view until the translator's next revision, and the text does not go back to the review queue.
 */

import { readFileSync } from "node:fs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const seed = readFileSync(new URL("../fixtures/seed/article-trump-milei.txt", import.meta.url), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter(Boolean);
const DOC = `/api/v1/documents/${SEED_DOCUMENT_ID}`;
const REASON = "Traduce el párrafo completo, por favor";

describe("a rejected translation outdated by a source update", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const paragraph = async () =>
    (
      (await request(t.app).get(`${DOC}/translations/es`).set(as(tokens.translator))).body as {
        paragraphs: { id: string; status: string; revision: number; sourceChange?: unknown }[];
      }
    ).paragraphs.find((p) => p.id === "p4");
  const queue = async (agent: request.Agent) =>
    (await agent.get(`/documents/${SEED_DOCUMENT_ID}/es/review`)).text;
  /** The editor's row of ¶4, as the page renders it. */
  const row = (html: string) => /<article[^>]*id="p-p4"[\s\S]*?<\/article>/.exec(html)?.[0] ?? "";

  it("keeps the rejection in the translator's and the editor's view, and out of the review queue", async () => {
    const saved = await request(t.app)
      .put(`${DOC}/translations/es/paragraphs/p4`)
      .set(as(tokens.translator))
      .send({ text: "Una traducción a medias.", baseRevision: 0 });
    expect(saved.status).toBe(200);
    const rejected = await request(t.app)
      .post(`${DOC}/translations/es/paragraphs/p4/review`)
      .set(as(tokens.editor))
      .send({ action: "reject", revision: 1, comment: REASON });
    expect(rejected.status).toBe(200);
    const lines = [...seed];
    lines[3] = (lines[3] as string).replace("Tuesday", "Wednesday");
    const updated = await request(t.app)
      .put(`${DOC}/source`)
      .set(as(tokens.editor))
      .send({ format: "text", content: lines.join("\n"), baseVersion: 1 });
    expect(updated.status).toBe(200);
    expect(updated.body.changes.edited).toContain("p4");

    // The API says what the spec says: outdated, with the source's change.
    const p4 = await paragraph();
    expect(p4?.status).toBe("outdated");
    expect(p4?.sourceChange).toBeTruthy();

    const tina = await signIn(t.app, "tina", "tina-password");
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    for (const [who, lng] of [
      [tina, "en"],
      [eddie, "es"],
    ] as const) {
      const html = (await who.agent.get(`/documents/${SEED_DOCUMENT_ID}/es?lng=${lng}`)).text;
      expect(row(html), lng).toContain(REASON);
      expect(row(html)).toContain(lng === "en" ? "Rejected by eddie" : "Rechazado por eddie");
      // The source's change shows beside it, and no Approve offers the rejected text again.
      expect(row(html)).toContain("Wednesday");
      expect(row(html)).not.toContain('value="approve"');
    }
    expect(await queue(eddie.agent)).not.toContain('id="r-p4"');

    // The translator's next revision ends the rejection and goes to review.
    const again = await request(t.app)
      .put(`${DOC}/translations/es/paragraphs/p4`)
      .set(as(tokens.translator))
      .send({ text: "La traducción completa del miércoles.", baseRevision: 1 });
    expect(again.status).toBe(200);
    expect(row((await tina.agent.get(`/documents/${SEED_DOCUMENT_ID}/es`)).text)).not.toContain(REASON);
    expect((await queue(eddie.agent)).includes('id="r-p4"')).toBe(true);
  });
});
