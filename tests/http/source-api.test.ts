import { readFileSync } from "node:fs";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, type TestApp, textOf } from "../helpers.ts";

const seed = readFileSync(new URL("../fixtures/seed/article-trump-milei.txt", import.meta.url), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter(Boolean);
const DOC = `/api/v1/documents/${SEED_DOCUMENT_ID}`;
const at = (i: number) => seed[i] as string;

/** The seed article with paragraph 4 corrected, paragraphs 5 and 6 swapped, a new one at the end. */
function nextVersion(): string {
  const lines = [...seed];
  lines[3] = at(3).replace("Tuesday", "Wednesday");
  [lines[4], lines[5]] = [at(5), at(4)];
  lines.push("UPDATE: Milei will travel to Mar-a-Lago next week, his office said.");
  return lines.join("\n");
}

describe("PUT /api/v1/documents/:docId/source", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeEach(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterEach(() => t.close());

  const put = (token: string | undefined, body: object, query = "") => {
    const req = request(t.app).put(`${DOC}/source${query}`);
    return token ? req.set("Authorization", `Bearer ${token}`).send(body) : req.send(body);
  };
  const save = (token: string, pid: string, text: string, baseRevision: number) =>
    request(t.app)
      .put(`${DOC}/translations/es/paragraphs/${pid}`)
      .set("Authorization", `Bearer ${token}`)
      .send({ text, baseRevision });
  const translation = async (token: string) =>
    (await request(t.app).get(`${DOC}/translations/es`).set("Authorization", `Bearer ${token}`)).body as {
      paragraphs: {
        id: string;
        status: string;
        text: string | null;
        revision: number;
        sourceChange?: { fromVersion: number; changes: { op: string; text: string }[] };
      }[];
    };

  it("needs a token, and an editor: a translator gets 403", async () => {
    const body = { format: "text", content: nextVersion(), baseVersion: 1 };
    expect((await put(undefined, body)).status).toBe(401);
    const res = await put(tokens.translator, body);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBeTruthy();
  });

  it("refuses a query parameter it does not read rather than apply what was meant as a dry run", async () => {
    const body = { format: "text", content: nextVersion(), baseVersion: 1 };
    for (const query of ["?dryRun[]=1", "?dryrun=true", "?dryRun=true&force=1"]) {
      const res = await put(tokens.editor, body, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("invalid_fields");
    }
    const doc = await request(t.app).get(DOC).set("Authorization", `Bearer ${tokens.editor}`);
    expect(doc.body.version).toBe(1);
  });

  it("answers the same text again with the current version, keeping no new one", async () => {
    const same = await put(tokens.editor, { format: "text", content: seed.join("\n"), baseVersion: 1 });
    expect(same.status).toBe(200);
    expect(same.body.document.version).toBe(1);
    expect(same.body.changes.edited).toEqual([]);
    // Still at version 1: a real update based on it goes through.
    const next = await put(tokens.editor, { format: "text", content: nextVersion(), baseVersion: 1 });
    expect(next.status).toBe(200);
    expect(next.body.document.version).toBe(2);
  });

  it("keeps the same text read as another format as a new version, outdating no translation", async () => {
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({
        sourceLang: "en",
        format: "markdown",
        content: "Plain words here.\n\nMore plain words.",
        languages: ["es"],
      });
    const path = `/api/v1/documents/${created.body.id}/source`;
    const asText = await request(t.app)
      .put(path)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ format: "text", content: "Plain words here.\n\nMore plain words.", baseVersion: 1 });
    expect(asText.status).toBe(200);
    expect(asText.body.document.version).toBe(2);
    expect(asText.body.document.format ?? "text").toBe("text");
    expect(asText.body.changes.edited).toEqual([]);
  });

  it("refuses bad bodies with 400 naming the fields", async () => {
    for (const body of [
      {},
      { format: "pdf", content: "x", baseVersion: 1 },
      { format: "text", content: "", baseVersion: 1 },
      { format: "text", content: "x", baseVersion: 0 },
      { format: "text", content: "x", baseVersion: "1" },
      { format: "text", content: "x", baseVersion: 1, outdateTrivial: "yes" },
    ]) {
      const res = await put(tokens.editor, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details).toBeTruthy();
    }
    expect(
      (await put(tokens.editor, { format: "text", content: "x", baseVersion: 1 }, "?dryRun=maybe")).status,
    ).toBe(400);
    expect(
      (
        await request(t.app)
          .put("/api/v1/documents/nope/source")
          .set("Authorization", `Bearer ${tokens.editor}`)
          .send({ format: "text", content: "x", baseVersion: 1 })
      ).status,
    ).toBe(404);
  });

  for (const role of ["editor", "admin"] as const)
    it(`as ${role}: a dry run plans without changing anything, then the update applies it`, async () => {
      const token = tokens[role];
      expect((await save(tokens.translator, "p4", "La conversación tuvo lugar el martes.", 0)).status).toBe(
        200,
      );
      expect((await save(tokens.translator, "p5", "La falta de comunicación...", 0)).status).toBe(200);
      const body = { format: "text", content: nextVersion(), baseVersion: 1 };

      const dry = await put(token, body, "?dryRun=true");
      expect(dry.status).toBe(200);
      expect(dry.body.dryRun).toBe(true);
      expect(dry.body.changes.edited).toEqual(["p4"]);
      expect(dry.body.changes.added).toHaveLength(1);
      expect(dry.body.changes.removed).toEqual([]);
      expect(dry.body.changes.moved.length).toBeGreaterThan(0);
      expect(dry.body.plan.languages.es).toEqual({ outdated: 1, removed: 0 });
      const edited = dry.body.plan.paragraphs.find((p: { id: string }) => p.id === "p4");
      expect(edited.changes).toContainEqual({ op: "insert", text: "Wednesday" });
      const unchanged = await request(t.app).get(DOC).set("Authorization", `Bearer ${token}`);
      expect(unchanged.body.version).toBe(1);

      const res = await put(token, body);
      expect(res.status).toBe(200);
      expect(res.body.document.version).toBe(2);
      expect(res.body.document.paragraphs.map((p: { id: string }) => p.id).slice(3, 6)).toEqual([
        "p4",
        "p6",
        "p5",
      ]);
      expect(res.body.changes.unchanged).toContain("p5");

      const view = await translation(token);
      const p4 = view.paragraphs.find((p) => p.id === "p4");
      expect(p4?.status).toBe("outdated");
      expect(p4?.text).toBe("La conversación tuvo lugar el martes.");
      expect(p4?.sourceChange?.fromVersion).toBe(1);
      expect(p4?.sourceChange?.changes).toContainEqual({ op: "delete", text: "Tuesday" });
      expect(view.paragraphs.find((p) => p.id === "p5")?.status).toBe("translated");
      expect(view.paragraphs.filter((p) => p.status === "outdated")).toHaveLength(1);

      // The audit log names the update.
      const audit = await t.store.listAudit(20);
      expect(audit.some((e) => e.action === "document.update_source")).toBe(true);
      // The history keeps both versions.
      const versions = await request(t.app)
        .get(`${DOC}/source/versions`)
        .set("Authorization", `Bearer ${tokens.translator}`);
      expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    });

  it("a save of the same text clears outdated and makes a revision; so does an editor's approve", async () => {
    await save(tokens.translator, "p4", "La conversación tuvo lugar el martes.", 0);
    await save(tokens.translator, "p3", "Javier Milei por fin habló con Trump.", 0);
    const content = nextVersion().replace("much-anticipated", "long-awaited");
    expect((await put(tokens.editor, { format: "text", content, baseVersion: 1 })).status).toBe(200);
    const outdated = (await translation(tokens.translator)).paragraphs.filter((p) => p.status === "outdated");
    expect(outdated.map((p) => p.id).sort()).toEqual(["p3", "p4"]);

    const confirmed = await save(tokens.translator, "p4", "La conversación tuvo lugar el martes.", 1);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.revision).toBe(2);
    expect(confirmed.body.status).toBe("translated");
    const again = await save(tokens.translator, "p4", "La conversación tuvo lugar el martes.", 2);
    expect(again.body.revision).toBe(2);

    const approve = await request(t.app)
      .post(`${DOC}/translations/es/paragraphs/p3/review`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ action: "approve", revision: 1 });
    expect(approve.status).toBe(200);
    const view = await translation(tokens.translator);
    expect(view.paragraphs.find((p) => p.id === "p3")?.status).toBe("approved");
    expect(view.paragraphs.some((p) => p.status === "outdated")).toBe(false);
    const revisions = await request(t.app)
      .get(`${DOC}/translations/es/paragraphs/p4/revisions`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(revisions.body.revisions.map((r: { sourceVersion: number }) => r.sourceVersion)).toEqual([1, 2]);
  });

  it("a save or approve that saw the source before it changed is a 409 source_changed, nothing written", async () => {
    await save(tokens.translator, "p4", "La conversación tuvo lugar el martes.", 0);
    expect(
      (await put(tokens.editor, { format: "text", content: nextVersion(), baseVersion: 1 })).status,
    ).toBe(200);
    const stale = await request(t.app)
      .put(`${DOC}/translations/es/paragraphs/p4`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .set("Accept-Language", "es")
      .send({ text: "La conversación fue el martes.", baseRevision: 1, sourceVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("source_changed");
    // The page scripts show the message as it comes: in the reader's language.
    expect(stale.body.error.message).toMatch(/^El original de este párrafo ha cambiado/);
    expect(stale.body.current).toEqual({
      sourceVersion: 2,
      changedIn: 2,
      source: at(3).replace("Tuesday", "Wednesday"),
    });
    const approve = (sourceVersion: number) =>
      request(t.app)
        .post(`${DOC}/translations/es/paragraphs/p4/review`)
        .set("Authorization", `Bearer ${tokens.editor}`)
        .send({ action: "approve", revision: 1, sourceVersion });
    const staleApprove = await approve(1);
    expect(staleApprove.status).toBe(409);
    expect(staleApprove.body.error.code).toBe("source_changed");
    const p4 = (await translation(tokens.translator)).paragraphs.find((p) => p.id === "p4");
    expect(p4).toMatchObject({ status: "outdated", revision: 1 });
    // An unchanged paragraph saves from the old page as before; p4 once the writer has seen version 2.
    const other = await request(t.app)
      .put(`${DOC}/translations/es/paragraphs/p2`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: "Milei y Trump.", baseRevision: 0, sourceVersion: 1 });
    expect(other.status).toBe(200);
    expect((await approve(2)).status).toBe(200);
  });

  it("a punctuation-only change is not outdating, unless forced", async () => {
    await save(tokens.translator, "p3", "Javier Milei por fin habló con Trump.", 0);
    const lines = [...seed];
    lines[2] = at(2).replaceAll("“", '"').replaceAll("”", '"');
    const trivial = await put(tokens.editor, { format: "text", content: lines.join("\n"), baseVersion: 1 });
    expect(trivial.body.changes.trivial).toEqual(["p3"]);
    expect(trivial.body.changes.unchanged).toContain("p3");
    expect((await translation(tokens.translator)).paragraphs.find((p) => p.id === "p3")?.status).toBe(
      "translated",
    );

    lines[2] = at(2);
    const forced = await put(tokens.editor, {
      format: "text",
      content: lines.join("\n"),
      baseVersion: 2,
      outdateTrivial: true,
    });
    expect(forced.body.changes.edited).toEqual(["p3"]);
    expect((await translation(tokens.translator)).paragraphs.find((p) => p.id === "p3")?.status).toBe(
      "outdated",
    );
  });

  it("a split paragraph's new part starts from the old translation, outdated", async () => {
    await save(tokens.translator, "p5", "La falta de comunicación entre Milei y Trump.", 0);
    const lines = [...seed];
    const sentences = at(4).split(/(?<=\.) /);
    lines.splice(4, 1, sentences.slice(0, 2).join(" "), sentences.slice(2).join(" "));
    const res = await put(tokens.editor, { format: "text", content: lines.join("\n"), baseVersion: 1 });
    expect(res.status).toBe(200);
    expect(res.body.changes.split).toHaveLength(1);
    const [kept, added] = res.body.changes.split[0].into as [string, string];
    expect(kept).toBe("p5");
    const view = await translation(tokens.translator);
    for (const pid of [kept, added]) {
      const p = view.paragraphs.find((x) => x.id === pid);
      expect(p?.status).toBe("outdated");
      expect(p?.text).toBe("La falta de comunicación entre Milei y Trump.");
    }
  });

  it("two updates racing from the same base: one 200, one 409 with the current version", async () => {
    const body = { format: "text", content: nextVersion(), baseVersion: 1 };
    const other = { ...body, content: seed.slice(0, -1).join("\n") };
    const [a, b] = await Promise.all([put(tokens.editor, body), put(tokens.admin, other)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.code).toBe("source_version_conflict");
    expect(loser.body.current.version).toBe(2);
    const doc = await request(t.app).get(DOC).set("Authorization", `Bearer ${tokens.editor}`);
    expect(doc.body.version).toBe(2);
    const stale = await put(tokens.editor, body);
    expect(stale.status).toBe(409);
  });

  it("approved exports leave outdated paragraphs out; XLIFF carries the source version", async () => {
    await save(tokens.translator, "p4", "La conversación tuvo lugar el martes.", 0);
    await request(t.app)
      .post(`${DOC}/translations/es/paragraphs/p4/review`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ action: "approve", revision: 1 });
    const before = await textOf(
      request(t.app)
        .get(`${DOC}/export/es?format=xliff&status=approved&incomplete=source`)
        .set("Authorization", `Bearer ${tokens.editor}`),
    );
    expect(before.text).toContain('glosa:sourceVersion="1"');
    expect(before.text).toContain("La conversación tuvo lugar el martes.");
    await put(tokens.editor, { format: "text", content: nextVersion(), baseVersion: 1 });
    const after = await request(t.app)
      .get(`${DOC}/export/es?format=markdown&status=approved&incomplete=error`)
      .set("Authorization", `Bearer ${tokens.editor}`);
    expect(after.status).toBe(409);
    expect(JSON.stringify(after.body)).toContain("p4");

    // Importing the file made against version 1 reports p4 instead of applying it.
    const xliff = before.text.replace("La conversación tuvo lugar el martes.", "Otra cosa.");
    const imported = await request(t.app)
      .post(`${DOC}/translations/es/import`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .set("Content-Type", "application/xliff+xml")
      .send(xliff);
    expect(imported.status).toBe(200);
    expect(JSON.stringify(imported.body)).toContain("source version 1");
    const p4 = (await translation(tokens.translator)).paragraphs.find((p) => p.id === "p4");
    expect(p4?.text).toBe("La conversación tuvo lugar el martes.");
  });

  it("applies an XLIFF unit whose source changed since only in punctuation or quotes", async () => {
    await save(tokens.translator, "p3", "Javier Milei por fin ha tenido su conversación.", 0);
    await save(tokens.translator, "p4", "La conversación tuvo lugar el martes.", 0);
    const before = await textOf(
      request(t.app)
        .get(`${DOC}/export/es?format=xliff&incomplete=source`)
        .set("Authorization", `Bearer ${tokens.translator}`),
    );
    expect(before.text).toContain('glosa:sourceVersion="1"');
    // Version 2: p3's curly quotes made straight and a comma added (trivial), p4 corrected (outdating).
    const lines = [...seed];
    lines[2] = at(2).replace(/[“”]/g, '"').replace("The call came after", "The call came, after");
    lines[3] = at(3).replace("Tuesday", "Wednesday");
    const updated = await put(tokens.editor, { format: "text", content: lines.join("\n"), baseVersion: 1 });
    expect(updated.body.changes.trivial).toEqual(["p3"]);
    const xliff = before.text
      .replace("Javier Milei por fin ha tenido su conversación.", "Javier Milei por fin habló con Trump.")
      .replace("La conversación tuvo lugar el martes.", "La charla fue el martes.");
    const imported = await request(t.app)
      .post(`${DOC}/translations/es/import`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .set("Content-Type", "application/xliff+xml")
      .send(xliff);
    expect(imported.status).toBe(200);
    expect(imported.body.errors).toEqual([]);
    expect(imported.body.updated).toBe(1);
    expect(JSON.stringify(imported.body.conflicts)).toContain("source version 1");
    const paragraphs = (await translation(tokens.translator)).paragraphs;
    expect(paragraphs.find((p) => p.id === "p3")?.text).toBe("Javier Milei por fin habló con Trump.");
    expect(paragraphs.find((p) => p.id === "p4")?.text).toBe("La conversación tuvo lugar el martes.");
  });

  it("aligns a large document's update off the event loop (the parse pool), with the same result", async () => {
    const paragraphs = Array.from(
      { length: 120 },
      (_, i) =>
        `Paragraph ${i} of the long article, with enough words to count as one: ${"word ".repeat(20)}end.`,
    );
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ sourceLang: "en", format: "text", content: paragraphs.join("\n\n"), languages: ["es"] });
    expect(created.status).toBe(201);
    const next = [...paragraphs];
    next[50] = (next[50] as string).replace("long article", "longer article");
    next.splice(10, 1);
    const res = await request(t.app)
      .put(`/api/v1/documents/${created.body.id}/source`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ format: "text", content: next.join("\n\n"), baseVersion: 1 });
    expect(res.status).toBe(200);
    expect(res.body.changes.edited).toEqual(["p51"]);
    expect(res.body.changes.removed).toEqual(["p11"]);
    expect(res.body.changes.added).toEqual([]);
  });
});
