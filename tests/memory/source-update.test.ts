import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

const OLD = "The minister said on Tuesday that the budget would cut 15 billion pesos from public works.";
const NEW =
  "The minister said on Wednesday that the budget would cut 50 billion pesos from public works and pensions.";
const GONE = "Opposition lawmakers walked out of the session before the vote on the emergency decree.";
const KEPT = "Markets rose two percent after the announcement.";

describe("memory after a source update", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  const as = (role: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[role]}` });

  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  async function newDocument(paragraphs: string[]): Promise<{ id: string; pids: string[] }> {
    const res = await request(t.app)
      .post("/api/v1/documents")
      .set(as("editor"))
      .send({ sourceLang: "en", format: "text", content: paragraphs.join("\n\n"), languages: ["es"] });
    expect(res.status).toBe(201);
    return { id: res.body.id, pids: res.body.paragraphs.map((p: { id: string }) => p.id) };
  }
  const save = (doc: string, pid: string, text: string, baseRevision: number) =>
    request(t.app)
      .put(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}`)
      .set(as("translator"))
      .send({ text, baseRevision });
  const best = async (doc: string, pid: string) =>
    (
      await request(t.app)
        .get(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}/suggestions`)
        .set(as("translator"))
    ).body.suggestions as { score: number; source: string; text: string }[];

  it("keeps the old source's translation as a 100% match once the source changes, and after the new translation", async () => {
    const article = await newDocument([KEPT, OLD, GONE]);
    const [kept, edited, gone] = article.pids as [string, string, string];
    expect((await save(article.id, kept, "Los mercados subieron un dos por ciento.", 0)).status).toBe(200);
    expect(
      (await save(article.id, edited, "El ministro dijo el martes que el presupuesto recortaría.", 0)).status,
    ).toBe(200);
    expect((await save(article.id, gone, "Los legisladores de la oposición se retiraron.", 0)).status).toBe(
      200,
    );

    const update = await request(t.app)
      .put(`/api/v1/documents/${article.id}/source`)
      .set(as("editor"))
      .send({ format: "text", content: [KEPT, NEW].join("\n\n"), baseVersion: 1 });
    expect(update.status).toBe(200);
    expect(update.body.changes.edited).toEqual([edited]);
    expect(update.body.changes.removed).toEqual([gone]);

    // A new article that repeats the old texts: their translations are still exact matches.
    const repeat = await newDocument([OLD, GONE, NEW]);
    const [oldAgain, goneAgain, newAgain] = repeat.pids as [string, string, string];
    expect((await best(repeat.id, oldAgain))[0]).toMatchObject({
      score: 100,
      source: OLD,
      text: "El ministro dijo el martes que el presupuesto recortaría.",
    });
    expect((await best(repeat.id, goneAgain))[0]).toMatchObject({ score: 100, source: GONE });
    // The outdated translation is not offered as the new source's exact translation.
    expect((await best(repeat.id, newAgain)).filter((s) => s.score === 100)).toEqual([]);

    // Translated again for the new source: both pairs stand.
    expect(
      (await save(article.id, edited, "El ministro dijo el miércoles que recortaría 50.000 millones.", 1))
        .status,
    ).toBe(200);
    expect((await best(repeat.id, oldAgain))[0]).toMatchObject({
      score: 100,
      text: "El ministro dijo el martes que el presupuesto recortaría.",
    });
    expect((await best(repeat.id, newAgain))[0]).toMatchObject({
      score: 100,
      source: NEW,
      text: "El ministro dijo el miércoles que recortaría 50.000 millones.",
    });
  });

  it("offers no superseded text of a paragraph whose source an update left alone", async () => {
    const article = await newDocument([KEPT, OLD]);
    const [kept, edited] = article.pids as [string, string];
    expect((await save(article.id, kept, "Los mercados subieron un 2 %, con una errata.", 0)).status).toBe(
      200,
    );
    const update = await request(t.app)
      .put(`/api/v1/documents/${article.id}/source`)
      .set(as("editor"))
      .send({ format: "text", content: [KEPT, NEW].join("\n\n"), baseVersion: 1 });
    expect(update.body.changes.unchanged).toContain(kept);
    // Corrected after the update: the revision is made against version 2, the source is the same.
    expect((await save(article.id, kept, "Los mercados subieron un dos por ciento.", 1)).status).toBe(200);
    expect(edited).toBeTruthy();
    const repeat = await newDocument([KEPT]);
    for (const pid of [repeat.pids[0] as string, kept]) {
      const doc = pid === kept ? article.id : repeat.id;
      const texts = (await best(doc, pid)).filter((s) => s.source === KEPT).map((s) => s.text);
      // The superseded text is gone, here and in the paragraph's own panel.
      expect(texts.some((text) => text.includes("errata"))).toBe(false);
      if (doc === repeat.id) expect(texts).toContain("Los mercados subieron un dos por ciento.");
    }
  });
});
