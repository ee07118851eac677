/** An import's audit entry names the file that was uploaded, on the glossary, memory and XLIFF pages. */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp, textOf } from "../helpers.ts";

const TMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="en"><seg>The desk said no.</seg></tuv><tuv xml:lang="es"><seg>La mesa dijo que no.</seg></tuv></tu></body></tmx>`;

describe("import audit entries", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  const latest = async (action: string) =>
    (await t.store.listAudit(50)).find((e) => e.action === action)?.details ?? {};

  it("name the uploaded file, escaped on the audit page, and cut to 200 characters", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const glossary = await eddie.agent
      .post("/glossary/import")
      .field("_csrf", eddie.csrf)
      .attach("file", Buffer.from("en,es\nsenator,senador\n"), "desk <terms>.csv");
    expect(glossary.status).toBe(200);
    expect(await latest("glossary.import")).toMatchObject({ file: "desk <terms>.csv", created: 1 });

    const memory = await eddie.agent
      .post("/memory/import")
      .field("_csrf", eddie.csrf)
      .field("sourceLang", "en")
      .field("targetLang", "es")
      .attach("file", Buffer.from(TMX), "newsroom-2026.tmx");
    expect(memory.status).toBe(200);
    expect(await latest("memory.import")).toMatchObject({ file: "newsroom-2026.tmx", created: 1 });

    const saved = await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p1`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: "Primera traducción.", baseRevision: 0 });
    expect(saved.status).toBe(200);
    const xliff = await textOf(
      request(t.app)
        .get(`/api/v1/documents/${SEED_DOCUMENT_ID}/export/es?format=xliff&incomplete=source`)
        .set("Authorization", `Bearer ${tokens.editor}`),
    );
    const long = `${"n".repeat(240)}.xlf`;
    const imported = await eddie.agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/import`)
      .field("_csrf", eddie.csrf)
      .attach("file", Buffer.from(xliff.text), long);
    expect(imported.status).toBe(200);
    expect((await latest("translation.import")).file).toBe(`${"n".repeat(200)}…`);

    // The admin reads them with the other details, in either language, the name as text.
    const admin = await signIn(t.app);
    const page = await admin.agent.get("/admin/audit");
    expect(page.text).toContain("desk &lt;terms&gt;.csv");
    expect(page.text).not.toContain("desk <terms>");
    expect(page.text).toContain("newsroom-2026.tmx");
    expect(page.text).toMatch(
      /File<\/[a-z]+>\s*:?\s*<[^>]+>\s*desk &lt;terms&gt;\.csv|File: desk &lt;terms&gt;\.csv/,
    );
    const spanish = await admin.agent.get("/admin/audit?lng=es");
    expect(spanish.text).toContain("Archivo");
  });

  it("name no file for an import through the API, which sends no name", async () => {
    const res = await request(t.app)
      .post("/api/v1/glossary/import")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .set("Content-Type", "text/csv")
      .send("en,es\nembargo,embargo\n");
    expect(res.status).toBe(200);
    expect(await latest("glossary.import")).not.toHaveProperty("file");
  });
});
