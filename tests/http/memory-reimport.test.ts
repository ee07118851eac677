/**
 * A Glosa memory exported and imported back: into the same newsroom it adds nothing (its documents'
 * pairs are there already), into another it keeps what the export said of each unit (approved, the
 * document's title) through a second export.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, memoryExport, type TestApp } from "../helpers.ts";

const PARAGRAPHS = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs`;

async function exportTmx(t: TestApp, token: string): Promise<string> {
  const exported = await memoryExport(t.app, token);
  expect(exported.status).toBe(200);
  return exported.text;
}

function importTmx(t: TestApp, token: string, tmx: string) {
  return request(t.app)
    .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
    .set("Authorization", `Bearer ${token}`)
    .set("Content-Type", "application/x-tmx+xml")
    .send(tmx);
}

const units = (tmx: string) => tmx.split("<tu ").length - 1;

describe("a Glosa memory exported and imported back", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  let tmx: string;
  let title: string;
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    title = (
      await request(t.app)
        .get(`/api/v1/documents/${SEED_DOCUMENT_ID}`)
        .set("Authorization", `Bearer ${tokens.translator}`)
    ).body.title;
    for (const [pid, text] of [
      ["p2", "Milei viaja a Washington para reunirse con Trump."],
      ["p3", "El Tesoro de Estados Unidos ofrece un rescate de 20.000 millones."],
    ] as const) {
      const saved = await request(t.app)
        .put(`${PARAGRAPHS}/${pid}`)
        .set("Authorization", `Bearer ${tokens.translator}`)
        .send({ text, baseRevision: 0, status: "translated" });
      expect(saved.status).toBe(200);
      if (pid === "p2") {
        const approved = await request(t.app)
          .post(`${PARAGRAPHS}/${pid}/review`)
          .set("Authorization", `Bearer ${tokens.editor}`)
          .send({ action: "approve", revision: saved.body.revision });
        expect(approved.status).toBe(200);
      }
    }
    tmx = await exportTmx(t, tokens.editor);
  });
  afterAll(() => t.close());

  it("adds nothing to the memory it came from, and suggests no paragraph its own text", async () => {
    const count = units(tmx);
    expect(count).toBeGreaterThanOrEqual(2);
    const imported = await importTmx(t, tokens.editor, tmx);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ created: 0, unchanged: count, errors: [] });
    expect(units(await exportTmx(t, tokens.editor))).toBe(count);
    const suggestions = await request(t.app)
      .get(`${PARAGRAPHS}/p2/suggestions?min=50`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(suggestions.status).toBe(200);
    expect(
      suggestions.body.suggestions.filter(
        (s: { text: string }) => s.text === "Milei viaja a Washington para reunirse con Trump.",
      ),
    ).toEqual([]);
  });

  it("keeps approval and the document's title in another newsroom's memory, through its export", async () => {
    const other = await makeAppWithTeam();
    try {
      const imported = await importTmx(other.t, other.tokens.editor, tmx);
      expect(imported.status).toBe(200);
      expect(imported.body.created).toBe(units(tmx));
      const doc = await request(other.t.app)
        .post("/api/v1/documents")
        .set("Authorization", `Bearer ${other.tokens.admin}`)
        .send({
          sourceLang: "en",
          format: "text",
          content: (
            await request(t.app)
              .get(`/api/v1/documents/${SEED_DOCUMENT_ID}`)
              .set("Authorization", `Bearer ${tokens.translator}`)
          ).body.paragraphs
            .slice(1, 3)
            .map((p: { source: string }) => p.source)
            .join("\n\n"),
          languages: ["es"],
        });
      expect(doc.status).toBe(201);
      const found = await request(other.t.app)
        .get(`/api/v1/documents/${doc.body.id}/translations/es/paragraphs/p1/suggestions`)
        .set("Authorization", `Bearer ${other.tokens.translator}`);
      expect(found.body.suggestions[0]).toMatchObject({
        score: 100,
        text: "Milei viaja a Washington para reunirse con Trump.",
        approved: true,
      });
      const again = await exportTmx(other.t, other.tokens.editor);
      const unit = again.slice(
        again.lastIndexOf("<tu ", again.indexOf("Milei viaja")),
        again.indexOf("Milei viaja"),
      );
      expect(unit).toContain('<prop type="x-glosa-approved">true</prop>');
      expect(unit).toContain(`<prop type="x-glosa-document">${title}</prop>`);
      const unapproved = again.slice(
        again.lastIndexOf("<tu ", again.indexOf("rescate de 20.000")),
        again.indexOf("rescate de 20.000"),
      );
      expect(unapproved).not.toContain("x-glosa-approved");
    } finally {
      await other.t.close();
    }
  });
});
