/**
 * Waivers name findings that exist (hostile run 7, finding 8): a save answers only the findings still
 * open, a waiver for a finding the current text does not have (or of an untranslated paragraph) is
 * refused and stored nowhere, and a waiver names its finding by termId or by key, never both.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

const API = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;
const FORBIDDEN = "Milei quiere aplicar la sierra mecánica.";

interface Finding {
  code: string;
  termId?: string;
  key?: string;
}

describe("waivers", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_RATE_LIMIT: "off" }));
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  async function row(pid: string) {
    const view = await request(t.app).get(API).set(as(tokens.admin));
    return (
      view.body.paragraphs as { id: string; revision: number; qa: Finding[]; waived: Finding[] }[]
    ).find((p) => p.id === pid) as { revision: number; qa: Finding[]; waived: Finding[] };
  }
  async function save(token: string, pid: string, text: string) {
    const res = await request(t.app)
      .put(`${API}/paragraphs/${pid}`)
      .set(as(token))
      .send({ text, baseRevision: (await row(pid)).revision });
    expect(res.status).toBe(200);
    return res.body as { revision: number; qa: Finding[] };
  }
  const waive = (token: string, pid: string, body: object) =>
    request(t.app).post(`${API}/paragraphs/${pid}/waivers`).set(as(token)).send(body);

  for (const [role, pid] of [
    ["translator", "p8"],
    ["editor", "p9"],
    ["admin", "p10"],
  ] as const) {
    it(`a save after a waiver answers the open findings only, as the read does (${role})`, async () => {
      const saved = await save(tokens[role], pid, FORBIDDEN);
      const glossary = saved.qa.find((f) => f.termId) as Finding;
      expect(glossary).toBeDefined();
      const finding = { code: glossary.code, termId: glossary.termId };
      const waived = await waive(tokens[role], pid, { ...finding, reason: "Cita textual" });
      expect(waived.status).toBe(201);
      expect(waived.body.qa).not.toContainEqual(expect.objectContaining(finding));
      const again = await save(tokens[role], pid, `${FORBIDDEN} Otra vez.`);
      expect(again.qa).not.toContainEqual(expect.objectContaining(finding));
      const read = await row(pid);
      expect(read.qa).toEqual(again.qa);
      expect(read.waived).toContainEqual(expect.objectContaining(finding));
    });
  }

  it("refuses a waiver for a finding the text does not have, or of an untranslated paragraph (409, nothing stored)", async () => {
    // p12's source has no glossary term: this text's only finding is its length.
    const plain = await save(tokens.translator, "p12", "Un texto corto.");
    expect(plain.qa.every((f) => !f.termId)).toBe(true);
    // A term that exists, with a finding on p8 (the chainsaw paragraph) but none on p12.
    const p8 = await row("p8");
    const termId = [...p8.qa, ...p8.waived].find((f) => f.code === "forbidden-term")?.termId as string;
    expect(termId).toBeDefined();
    for (const [pid, body] of [
      ["p12", { termId, code: "forbidden-term", reason: "junk" }],
      ["p12", { termId: "no-such-term", code: "missing-term", reason: "junk" }],
      ["p12", { key: "spelling:nada", code: "spelling", reason: "junk" }],
      ["p4", { termId, code: "forbidden-term", reason: "untranslated" }],
    ] as const) {
      const res = await waive(tokens.translator, pid, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe("finding_not_found");
    }
    expect((await row("p12")).waived).toEqual([]);
    expect((await row("p4")).waived).toEqual([]);
    // A violation that arrives later is open: no waiver was waiting for it.
    const later = await save(tokens.translator, "p4", "La sierra mecánica.");
    expect(later.qa.map((f) => f.code)).toContain("missing-term");
    expect((await row("p4")).waived).toEqual([]);
  });

  it("refuses termId and key together (400 invalid_fields naming the extra field), on waive and lift", async () => {
    const saved = await save(tokens.translator, "p5", FORBIDDEN);
    const glossary = saved.qa.find((f) => f.termId) as Finding;
    const finding = { code: glossary.code, termId: glossary.termId };
    const both = await waive(tokens.translator, "p5", { ...finding, key: "x", reason: "both" });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe("invalid_fields");
    expect(Object.keys(both.body.error.details)).toEqual(["key"]);
    const qualityBoth = await waive(tokens.translator, "p5", {
      code: "spelling",
      key: "spelling:x",
      termId: "t",
      reason: "both",
    });
    expect(qualityBoth.status).toBe(400);
    expect(Object.keys(qualityBoth.body.error.details)).toEqual(["termId"]);
    const lift = await request(t.app)
      .delete(`${API}/paragraphs/p5/waivers`)
      .query({ code: finding.code, termId: finding.termId, key: "x" })
      .set(as(tokens.translator));
    expect(lift.status).toBe(400);
    expect(lift.body.error.code).toBe("invalid_fields");
    expect((await row("p5")).waived).toEqual([]);
  });

  it("is refused to a stranger (401)", async () => {
    const res = await request(t.app)
      .post(`${API}/paragraphs/p8/waivers`)
      .send({ termId: "t", code: "forbidden-term", reason: "r" });
    expect(res.status).toBe(401);
  });
});
