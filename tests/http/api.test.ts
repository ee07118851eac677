import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

const DOC = `/api/v1/documents/${SEED_DOCUMENT_ID}`;
const PARA = `${DOC}/translations/es/paragraphs`;

describe("JSON API", () => {
  let t: TestApp;
  let admin: string;
  let translator: string;
  let editor: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    let tokens: Awaited<ReturnType<typeof makeAppWithTeam>>["tokens"];
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_BODY_LIMIT: "65536" }));
    ({ admin, translator, editor } = tokens);
  });
  afterAll(() => t.close());

  describe("tokens and users", () => {
    it("issues a token for good credentials and 401 otherwise", async () => {
      const ok = await request(t.app)
        .post("/api/v1/tokens")
        .send({ username: "tina", password: "tina-password" });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({ token: expect.any(String), user: { username: "tina", role: "translator" } });
      const bad = await request(t.app)
        .post("/api/v1/tokens")
        .send({ username: "tina", password: "nope-nope" });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe("unauthorized");
    });

    it("needs a token on every other route: 401 JSON, never HTML", async () => {
      for (const path of [
        "/api/v1/documents",
        "/api/v1/users",
        "/api/v1/glossary",
        `${DOC}/translations/es`,
      ]) {
        const res = await request(t.app).get(path);
        expect(res.status).toBe(401);
        expect(res.headers["content-type"]).toMatch(/application\/json/);
        expect(res.body.error.code).toBe("unauthorized");
      }
      expect((await request(t.app).get("/api/v1/documents").set("Authorization", "Bearer nope")).status).toBe(
        401,
      );
    });

    it("lets only admins list and create users; a taken name is 409", async () => {
      expect((await request(t.app).get("/api/v1/users").set(as(editor))).status).toBe(403);
      const list = await request(t.app).get("/api/v1/users").set(as(admin));
      expect(list.body.users).toEqual(
        expect.arrayContaining([
          { username: "admin", role: "admin" },
          { username: "tina", role: "translator" },
        ]),
      );
      const created = await request(t.app)
        .post("/api/v1/users")
        .set(as(admin))
        .send({ username: "nora", password: "nora-password", role: "editor" });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ username: "nora", role: "editor" });
      const taken = await request(t.app)
        .post("/api/v1/users")
        .set(as(admin))
        .send({ username: "nora", password: "nora-password", role: "editor" });
      expect(taken.status).toBe(409);
      const invalid = await request(t.app)
        .post("/api/v1/users")
        .set(as(admin))
        .send({ username: "x", role: "king" });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details).toHaveProperty("role");
      expect(invalid.body.error.details).toHaveProperty("password");
    });
  });

  describe("documents", () => {
    it("lists the seed document with its progress", async () => {
      const res = await request(t.app).get("/api/v1/documents").set(as(translator));
      expect(res.status).toBe(200);
      expect(res.body.documents[0]).toMatchObject({
        id: SEED_DOCUMENT_ID,
        sourceLang: "en",
        paragraphCount: 12,
        languages: { es: { translated: expect.any(Number), approved: expect.any(Number) } },
      });
    });

    it("gets a document with its paragraphs", async () => {
      const res = await request(t.app).get(DOC).set(as(translator));
      expect(res.body).toMatchObject({
        id: SEED_DOCUMENT_ID,
        sourceLang: "en",
        languages: ["es"],
        createdAt: expect.any(String),
      });
      expect(res.body.paragraphs).toHaveLength(12);
      expect(res.body.paragraphs[0]).toEqual({
        id: "p1",
        index: 0,
        kind: "title",
        source: expect.stringMatching(/^Trump tells Milei/),
      });
    });

    it("creates documents from text and Markdown (editors only), canonicalising the language", async () => {
      const body = {
        sourceLang: "EN-us",
        format: "markdown",
        content: "# Hello\n\nFirst *para*.\n\n## Sub\n\nSecond.",
      };
      expect((await request(t.app).post("/api/v1/documents").set(as(translator)).send(body)).status).toBe(
        403,
      );
      const res = await request(t.app).post("/api/v1/documents").set(as(editor)).send(body);
      expect(res.status).toBe(201);
      expect(res.body.sourceLang).toBe("en-US");
      expect(res.body.paragraphs.map((p: { kind: string; level?: number }) => [p.kind, p.level])).toEqual([
        ["title", undefined],
        ["paragraph", undefined],
        ["heading", 2],
        ["paragraph", undefined],
      ]);
      const text = await request(t.app)
        .post("/api/v1/documents")
        .set(as(editor))
        .send({ sourceLang: "en", format: "text", content: "A\n\nB", title: "T" });
      expect(text.body.paragraphs.map((p: { source: string }) => p.source)).toEqual(["T", "A", "B"]);
    });

    it("refuses bad documents with 400 naming the fields", async () => {
      const res = await request(t.app)
        .post("/api/v1/documents")
        .set(as(editor))
        .send({ sourceLang: "not a tag!", format: "pdf", content: "" });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.error.details)).toEqual(expect.arrayContaining(["format", "content"]));
      const lang = await request(t.app)
        .post("/api/v1/documents")
        .set(as(editor))
        .send({ sourceLang: "not a tag!", format: "text", content: "x" });
      expect(lang.status).toBe(400);
      expect(lang.body.error.code).toBe("invalid_language");
    });

    it("answers 400 for malformed JSON, 413 for a body over the limit, 415 for a non-JSON body", async () => {
      const malformed = await request(t.app)
        .post("/api/v1/documents")
        .set(as(editor))
        .set("Content-Type", "application/json")
        .send('{"sourceLang": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe("malformed_json");
      const big = await request(t.app)
        .post("/api/v1/documents")
        .set(as(editor))
        .send({ sourceLang: "en", format: "text", content: "x".repeat(70_000) });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe("payload_too_large");
      const form = await request(t.app)
        .post("/api/v1/documents")
        .set(as(editor))
        .type("form")
        .send({ a: "b" });
      expect(form.status).toBe(415);
    });

    it("answers 404 for unknown documents, paragraphs and languages, 400 for a malformed tag", async () => {
      expect((await request(t.app).get("/api/v1/documents/nope").set(as(translator))).body.error.code).toBe(
        "document_not_found",
      );
      expect((await request(t.app).get(`${DOC}/translations/fr`).set(as(translator))).status).toBe(404);
      expect((await request(t.app).get(`${DOC}/translations/e$s`).set(as(translator))).status).toBe(400);
      const res = await request(t.app)
        .put(`${PARA}/p99`)
        .set(as(translator))
        .send({ text: "x", baseRevision: 0 });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("paragraph_not_found");
    });
  });

  describe("translations", () => {
    it("shows the translation view with glossary matches", async () => {
      const res = await request(t.app).get(`${DOC}/translations/ES`).set(as(translator));
      expect(res.status).toBe(200);
      expect(res.body.lang).toBe("es");
      // The spec's three counts, and what the editor's header shows besides (docs/api.md).
      expect(res.body.progress).toEqual({
        total: 12,
        translated: expect.any(Number),
        approved: expect.any(Number),
        outdated: 0,
        words: { total: expect.any(Number), translated: expect.any(Number), approved: expect.any(Number) },
      });
      const p2 = res.body.paragraphs[1];
      expect(p2).toMatchObject({
        id: "p2",
        kind: "paragraph",
        text: null,
        revision: 0,
        status: "untranslated",
        qa: [],
      });
      expect(p2.glossary).toEqual([
        { termId: expect.any(String), start: 56, end: 66, text: "Republican", target: "republicano" },
        {
          termId: expect.any(String),
          start: 67,
          end: 82,
          text: "president-elect",
          target: "presidente electo",
        },
      ]);
    });

    it("saves with baseRevision; a stale base is 409 with the current revision and nothing saved", async () => {
      const first = await request(t.app)
        .put(`${PARA}/p3`)
        .set(as(translator))
        .send({ text: "Primera versión con motosierra", baseRevision: 0 });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        revision: 1,
        status: "translated",
        text: "Primera versión con motosierra",
      });
      // The glossary is satisfied; other checks may still see a short draft of a long paragraph.
      expect(first.body.qa.filter((f: { termId?: string }) => f.termId)).toEqual([]);
      const stale = await request(t.app)
        .put(`${PARA}/p3`)
        .set(as(editor))
        .send({ text: "Otra", baseRevision: 0 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe("revision_conflict");
      expect(stale.body.current).toMatchObject({
        revision: 1,
        text: "Primera versión con motosierra",
        author: "tina",
        createdAt: expect.any(String),
      });
      const same = await request(t.app)
        .put(`${PARA}/p3`)
        .set(as(translator))
        .send({ text: "Primera versión con motosierra", baseRevision: 1 });
      expect(same.body.revision).toBe(1);
      const revisions = await request(t.app).get(`${PARA}/p3/revisions`).set(as(translator));
      expect(revisions.body.revisions).toHaveLength(1);
    });

    it("lets exactly one of two concurrent saves on the same base win", async () => {
      const [a, b] = await Promise.all([
        request(t.app).put(`${PARA}/p4`).set(as(translator)).send({ text: "Versión A", baseRevision: 0 }),
        request(t.app).put(`${PARA}/p4`).set(as(editor)).send({ text: "Versión B", baseRevision: 0 }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const revisions = await request(t.app).get(`${PARA}/p4/revisions`).set(as(translator));
      expect(revisions.body.revisions).toHaveLength(1);
    });

    it("returns the glossary findings of a save", async () => {
      const res = await request(t.app)
        .put(`${PARA}/p8`)
        .set(as(translator))
        .send({ text: "El enfoque de la sierra mecánica de Milei", baseRevision: 0, status: "draft" });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("draft");
      expect(res.body.qa).toEqual(
        expect.arrayContaining([
          {
            code: "forbidden-term",
            severity: "error",
            termId: expect.any(String),
            message: expect.stringContaining("sierra mecánica"),
          },
          {
            code: "missing-term",
            severity: "warning",
            termId: expect.any(String),
            message: expect.stringContaining("motosierra"),
          },
        ]),
      );
    });

    it("refuses empty, control-character and over-long text, stores NFC", async () => {
      const empty = await request(t.app)
        .put(`${PARA}/p5`)
        .set(as(translator))
        .send({ text: "  \n ", baseRevision: 0 });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe("empty_text");
      const control = await request(t.app)
        .put(`${PARA}/p5`)
        .set(as(translator))
        .send({ text: "a\u0007b", baseRevision: 0 });
      expect(control.body.error.code).toBe("control_characters");
      const long = await request(t.app)
        .put(`${PARA}/p5`)
        .set(as(translator))
        .send({ text: "x".repeat(20_001), baseRevision: 0 });
      expect(long.status).toBe(400);
      expect(long.body.error.code).toBe("text_too_long");
      const missing = await request(t.app).put(`${PARA}/p5`).set(as(translator)).send({ text: "x" });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details).toHaveProperty("baseRevision");
      const nfc = await request(t.app)
        .put(`${PARA}/p5`)
        .set(as(translator))
        .send({ text: "Cafe\u0301", baseRevision: 0 });
      expect(nfc.body.text).toBe("Café");
    });

    it("reviews: translators cannot approve, a stale revision is 409, approval shows in progress", async () => {
      await request(t.app).put(`${PARA}/p6`).set(as(translator)).send({ text: "Uno", baseRevision: 0 });
      await request(t.app).put(`${PARA}/p6`).set(as(translator)).send({ text: "Dos", baseRevision: 1 });
      expect(
        (
          await request(t.app)
            .post(`${PARA}/p6/review`)
            .set(as(translator))
            .send({ action: "approve", revision: 2 })
        ).status,
      ).toBe(403);
      expect(
        (
          await request(t.app)
            .post(`${PARA}/p6/review`)
            .set(as(editor))
            .send({ action: "approve", revision: 1 })
        ).status,
      ).toBe(409);
      const before = (await request(t.app).get(`${DOC}/translations/es`).set(as(editor))).body.progress
        .approved;
      const ok = await request(t.app)
        .post(`${PARA}/p6/review`)
        .set(as(editor))
        .send({ action: "approve", revision: 2 });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ revision: 2, status: "approved" });
      const after = (await request(t.app).get(`${DOC}/translations/es`).set(as(editor))).body.progress
        .approved;
      expect(after).toBe(before + 1);
      const reject = await request(t.app)
        .put(`${PARA}/p6`)
        .set(as(translator))
        .send({ text: "Tres", baseRevision: 2 });
      expect(reject.body.status).toBe("translated");
      const rejected = await request(t.app)
        .post(`${PARA}/p6/review`)
        .set(as(editor))
        .send({ action: "reject", revision: 3, comment: "Tono" });
      expect(rejected.body).toMatchObject({ revision: 3, status: "rejected" });
      const revisions = await request(t.app).get(`${PARA}/p6/revisions`).set(as(translator));
      expect(revisions.body.revisions.map((r: { status: string }) => r.status)).toEqual([
        "translated",
        "approved",
        "rejected",
      ]);
      expect(revisions.body.revisions[2].comment).toBe("Tono");
    });

    it("reverts by adding a revision, and diffs word by word with glossary events", async () => {
      await request(t.app)
        .put(`${PARA}/p7`)
        .set(as(translator))
        .send({ text: "La Casa Rosada usa la motosierra", baseRevision: 0 });
      await request(t.app)
        .put(`${PARA}/p7`)
        .set(as(translator))
        .send({ text: "La casa rosada usa la sierra mecánica", baseRevision: 1 });
      const diff = await request(t.app).get(`${PARA}/p7/diff`).set(as(translator));
      expect(diff.body.from).toBe(1);
      expect(diff.body.to).toBe(2);
      const join = (ops: string[]) =>
        diff.body.changes
          .filter((c: { op: string }) => ops.includes(c.op))
          .map((c: { text: string }) => c.text)
          .join("");
      expect(join(["equal", "delete"])).toBe("La Casa Rosada usa la motosierra");
      expect(join(["equal", "insert"])).toBe("La casa rosada usa la sierra mecánica");
      expect(diff.body.glossary.map((g: { event: string }) => g.event)).toEqual(
        expect.arrayContaining(["removed", "violation-introduced"]),
      );
      const revert = await request(t.app).post(`${PARA}/p7/revert`).set(as(translator)).send({ revision: 1 });
      expect(revert.status).toBe(201);
      expect(revert.body).toEqual({
        revision: 3,
        status: "translated",
        text: "La Casa Rosada usa la motosierra",
      });
      expect(
        (await request(t.app).post(`${PARA}/p7/revert`).set(as(translator)).send({ revision: 9 })).status,
      ).toBe(404);
      expect((await request(t.app).get(`${PARA}/p7/diff?from=1&to=9`).set(as(translator))).status).toBe(404);
      expect((await request(t.app).get(`${PARA}/p7/diff?from=x`).set(as(translator))).status).toBe(400);
    });
  });

  describe("glossary", () => {
    it("lists and searches terms", async () => {
      const all = await request(t.app).get("/api/v1/glossary").set(as(translator));
      expect(all.body.terms).toHaveLength(19);
      const found = await request(t.app).get("/api/v1/glossary?lang=es&q=MOTOSIERRA").set(as(translator));
      expect(found.body.terms.map((x: { source: string }) => x.source)).toEqual(["chainsaw"]);
      expect(found.body.terms[0]).toEqual({
        id: expect.any(String),
        sourceLang: "en",
        source: "chainsaw",
        description: expect.any(String),
        translatable: true,
        caseSensitive: false,
        targets: { es: { text: "motosierra", forbidden: ["sierra mecánica", "sierra de cadena"] } },
      });
    });

    it("creates, updates and deletes terms (editors only) with validation", async () => {
      const term = {
        sourceLang: "en",
        source: "lawmaker",
        targets: { es: { text: "legislador", forbidden: ["hacedor de leyes"] } },
      };
      expect(
        (await request(t.app).post("/api/v1/glossary/terms").set(as(translator)).send(term)).status,
      ).toBe(403);
      const created = await request(t.app).post("/api/v1/glossary/terms").set(as(editor)).send(term);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        ...term,
        description: "",
        translatable: true,
        caseSensitive: false,
      });
      const noTarget = await request(t.app)
        .post("/api/v1/glossary/terms")
        .set(as(editor))
        .send({ sourceLang: "en", source: "x", targets: {} });
      expect(noTarget.status).toBe(400);
      const badLang = await request(t.app)
        .post("/api/v1/glossary/terms")
        .set(as(editor))
        .send({ ...term, targets: { "e s": { text: "x" } } });
      expect(badLang.status).toBe(400);
      const updated = await request(t.app)
        .put(`/api/v1/glossary/terms/${created.body.id}`)
        .set(as(editor))
        .send({ ...term, description: "Congress" });
      expect(updated.body.description).toBe("Congress");
      expect(
        (await request(t.app).delete(`/api/v1/glossary/terms/${created.body.id}`).set(as(editor))).status,
      ).toBe(204);
      expect(
        (await request(t.app).delete(`/api/v1/glossary/terms/${created.body.id}`).set(as(editor))).status,
      ).toBe(404);
    });

    it("checks a text pair", async () => {
      const res = await request(t.app).post("/api/v1/glossary/check").set(as(translator)).send({
        sourceLang: "en",
        targetLang: "es",
        source: "Two Kirchnerists at the Casa Rosada",
        target: "Dos kirchneristas en la casa rosada",
      });
      expect(res.status).toBe(200);
      expect(res.body.matches).toEqual([
        { termId: expect.any(String), start: 4, end: 16, text: "Kirchnerists", target: "kirchnerista" },
        { termId: expect.any(String), start: 24, end: 35, text: "Casa Rosada", target: "Casa Rosada" },
      ]);
      expect(res.body.findings).toEqual([
        {
          code: "untranslatable-changed",
          severity: "error",
          termId: expect.any(String),
          message: expect.stringContaining("Casa Rosada"),
        },
      ]);
    });

    it("imports CSV: good rows in, bad rows named; an unreadable file changes nothing", async () => {
      const csv =
        "en,es,translatable\nsenator,senador,yes\nchainsaw,motosierra,maybe\nembargo,embargo comercial,yes\n";
      const res = await request(t.app)
        .post("/api/v1/glossary/import")
        .set(as(editor))
        .set("Content-Type", "text/csv")
        .send(csv);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        created: 1,
        updated: 1,
        errors: [{ line: 3, message: expect.stringContaining("translatable") }],
      });
      const before = (await request(t.app).get("/api/v1/glossary").set(as(editor))).body.terms.length;
      const broken = await request(t.app)
        .post("/api/v1/glossary/import")
        .set(as(editor))
        .set("Content-Type", "text/csv")
        .send('en,es\n"broken,quote\n');
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe("unreadable_file");
      const empty = await request(t.app)
        .post("/api/v1/glossary/import")
        .set(as(editor))
        .set("Content-Type", "text/csv")
        .send("");
      expect(empty.status).toBe(400);
      expect((await request(t.app).get("/api/v1/glossary").set(as(editor))).body.terms.length).toBe(before);
      const huge = await request(t.app)
        .post("/api/v1/glossary/import")
        .set(as(editor))
        .set("Content-Type", "text/csv")
        .send(`en,es\n${"x,y\n".repeat(3_000_000)}`);
      expect(huge.status).toBe(413);
      const wrongType = await request(t.app)
        .post("/api/v1/glossary/import")
        .set(as(editor))
        .set("Content-Type", "application/pdf")
        .send("x");
      expect(wrongType.status).toBe(415);
    });

    it("exports CSV that imports back", async () => {
      const res = await request(t.app).get("/api/v1/glossary/export?format=csv&lang=es").set(as(translator));
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/text\/csv/);
      expect(res.text.split("\n")[0]).toBe("en,es,description,translatable,case sensitive,forbidden:es");
    });
  });
});
