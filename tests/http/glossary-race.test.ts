/**
 * Attack finding 1 over HTTP on the file store: glossary writes sent at once answer as if sent one
 * after another (one 201 or 200, the rest 409 duplicate_term) and store no duplicate.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

describe("glossary writes sent at once", () => {
  let t: TestApp;
  let tokens: { admin: string; editor: string; translator: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_RATE_LIMIT: "off" }));
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const body = (source: string) => ({ sourceLang: "en", source, targets: { es: { text: "cumbre" } } });
  const create = (token: string, source: string) =>
    request(t.app).post("/api/v1/glossary/terms").set(as(token)).send(body(source));
  const stored = async (source: string) =>
    (await t.store.listTerms()).filter((x) => x.source.toLowerCase() === source.toLowerCase());

  it("eight creates of one source by an editor: one 201, seven 409 duplicate_term", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => create(tokens.editor, "summit race")));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(7).fill(409)]);
    const created = answers.find((x) => x.status === 201)?.body.id;
    // The same answer as a sequential duplicate's, naming the term that stands.
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.body.error).toMatchObject({ code: "duplicate_term", details: { termId: created } });
    expect(await stored("summit race")).toHaveLength(1);
  });

  it("an admin's creates of one source written with and without accents: one 201", async () => {
    const answers = await Promise.all(
      ["cafe race", "Café race", "CAFÉ RACE"].map((source) => create(tokens.admin, source)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect((await t.store.listTerms()).filter((x) => /^caf[eé] race$/i.test(x.source))).toHaveLength(1);
  });

  it("a translator's creates at once are all refused, and none stored", async () => {
    const answers = await Promise.all([0, 1, 2].map(() => create(tokens.translator, "refused race")));
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403]);
    expect(await stored("refused race")).toHaveLength(0);
  });

  it("two terms renamed to one source at once: one 200, one 409 duplicate_term", async () => {
    const one = (await create(tokens.editor, "rename race one")).body.id as string;
    const two = (await create(tokens.editor, "rename race two")).body.id as string;
    const answers = await Promise.all(
      [one, two].map((id, i) =>
        request(t.app)
          .put(`/api/v1/glossary/terms/${id}`)
          .set(as(tokens.editor))
          .send(body(i ? "Renamed Race" : "renamed race")),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error.code).toBe("duplicate_term");
    expect(await stored("renamed race")).toHaveLength(1);
  });

  it("three imports of one CSV file at once create each row once", async () => {
    const csv = `en,es\n${Array.from({ length: 100 }, (_, i) => `csv race ${i},carrera ${i}`).join("\n")}\n`;
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        request(t.app)
          .post("/api/v1/glossary/import")
          .set(as(tokens.editor))
          .set("Content-Type", "text/csv")
          .send(csv),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.reduce((sum, a) => sum + (a.body.created as number), 0)).toBe(100);
    for (const a of answers) expect(a.body.created + a.body.unchanged).toBe(100);
    expect((await t.store.listTerms()).filter((x) => x.source.startsWith("csv race "))).toHaveLength(100);
  });
});
