/** What a client sees when the store cannot write, when a language tag is too long, and at the glossary's bounds. */

import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { DiskWriter } from "../../server/storage/commit-log.ts";
import { REAL_DISK } from "../../server/storage/commit-log.ts";
import { apiToken, makeApp, makeAppWithTeam, signIn } from "../helpers.ts";

const DOC = "el-pais-trump-milei";
const PARA = `/api/v1/documents/${DOC}/translations/es/paragraphs/p2`;

function fullDisk() {
  const disk = { full: false } as DiskWriter & { full: boolean };
  disk.write = async (handle, data, position) => {
    if (!disk.full) return REAL_DISK.write(handle, data, position);
    await REAL_DISK.write(handle, data.subarray(0, 7), position);
    throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
  };
  return disk;
}

describe("a full disk over HTTP", () => {
  it("answers 503 storage_unavailable, never a 200, and the save after it is whole", async () => {
    const disk = fullDisk();
    const t = await makeApp({}, { disk });
    const token = await apiToken(t.app);
    const auth = { Authorization: `Bearer ${token}` };
    disk.full = true;
    const refused = await request(t.app).put(PARA).set(auth).send({ text: "Hola", baseRevision: 0 });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("storage_unavailable");
    const term = await request(t.app)
      .post("/api/v1/glossary/terms")
      .set(auth)
      .send({ sourceLang: "en", source: "newsroom", targets: { es: { text: "redacción", forbidden: [] } } });
    expect(term.status).toBe(503);
    disk.full = false;

    const saved = await request(t.app).put(PARA).set(auth).send({ text: "Hola", baseRevision: 0 });
    expect(saved.status).toBe(200);
    expect(saved.body.revision).toBe(1);
    // The refused term never appears, not even after the next write.
    await request(t.app)
      .post("/api/v1/glossary/terms")
      .set(auth)
      .send({ sourceLang: "en", source: "deadline", targets: { es: { text: "cierre", forbidden: [] } } })
      .expect(201);
    const terms = await request(t.app).get("/api/v1/glossary?q=newsroom").set(auth);
    expect(terms.body.terms).toEqual([]);
    await t.close();
  });
});

describe("target languages", () => {
  it("refuses a tag whose canonical form is too long, and the documents list keeps working", async () => {
    const { t, tokens } = await makeAppWithTeam();
    const res = await request(t.app)
      .post(`/api/v1/documents/${DOC}/languages`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ lang: "sh-Latn-u-ca-islamicc-co-phonebk" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_language");
    await request(t.app).get("/api/v1/documents").set("Authorization", `Bearer ${tokens.editor}`).expect(200);
    const { agent } = await signIn(t.app);
    await agent.get("/").expect(200);
    await agent.get("/review").expect(200);
    await t.close();
  });

  it("bounds a document's target languages, and a title taken from a huge first paragraph", async () => {
    const { t, tokens } = await makeAppWithTeam();
    const editor = { Authorization: `Bearer ${tokens.editor}` };
    const languages = Array.from({ length: 100 }, (_, i) => `es-x-${String(i).padStart(3, "0")}`);
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set(editor)
      // A first paragraph as long as a paragraph may be (GLOSA_MAX_TEXT_LENGTH): far longer than a title.
      .send({ sourceLang: "en", format: "text", content: `${"word ".repeat(4_000)}\n\nSecond.`, languages });
    expect(created.status).toBe(201);
    // The first paragraph keeps all its text; the title for lists is cut between words.
    expect(created.body.title.length).toBeLessThanOrEqual(1000);
    expect(created.body.title.endsWith("word…")).toBe(true);
    expect(created.body.paragraphs[0].source.length).toBe(4_000 * 5 - 1);
    const more = await request(t.app)
      .post(`/api/v1/documents/${created.body.id}/languages`)
      .set(editor)
      .send({ lang: "fr" });
    expect(more.status).toBe(400);
    expect(more.body.error.code).toBe("too_many_languages");
    const doc = await request(t.app).get(`/api/v1/documents/${created.body.id}`).set(editor);
    expect(doc.body.languages).toHaveLength(100);
    await t.close();
  });

  it("lets an editor stop translating into a language, keeping its history for when it comes back", async () => {
    const { t, tokens } = await makeAppWithTeam();
    const editor = { Authorization: `Bearer ${tokens.editor}` };
    await request(t.app).put(PARA).set(editor).send({ text: "Hola", baseRevision: 0 }).expect(200);
    await request(t.app)
      .delete(`/api/v1/documents/${DOC}/languages/es`)
      .set({ Authorization: `Bearer ${tokens.translator}` })
      .expect(403);
    const removed = await request(t.app).delete(`/api/v1/documents/${DOC}/languages/es`).set(editor);
    expect(removed.status).toBe(200);
    expect(removed.body.languages).toEqual([]);
    await request(t.app).get(`/api/v1/documents/${DOC}/translations/es`).set(editor).expect(404);
    await stat(path.join(t.dir, "translations", DOC, "es.jsonl"));
    await request(t.app)
      .post(`/api/v1/documents/${DOC}/languages`)
      .set(editor)
      .send({ lang: "es" })
      .expect(201);
    const back = await request(t.app).get(`/api/v1/documents/${DOC}/translations/es`).set(editor);
    expect(back.body.paragraphs[1].text).toBe("Hola");
    const audit = await readFile(path.join(t.dir, "audit.jsonl"), "utf8");
    expect(audit).toContain("document.remove_language");
    await t.close();
  });

  it("offers the same on a page that works without JavaScript", async () => {
    const { t } = await makeAppWithTeam();
    const { agent } = await signIn(t.app, "eddie", "eddie-password");
    const page = await agent.get(`/documents/${DOC}/languages`);
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const res = await agent.post(`/documents/${DOC}/languages/es/remove`).type("form").send({ _csrf: csrf });
    expect(res.status).toBe(303);
    const after = await agent.get(`/documents/${DOC}/languages`);
    expect(after.text).toContain("history is kept");
    await t.close();
  });
});

describe("the glossary's bounds", () => {
  it("refuses an import with more terms than one file may bring (413) and a term past the total (400)", async () => {
    const t = await makeApp({ GLOSA_MAX_IMPORT_TERMS: "50", GLOSA_MAX_TERMS: "60" });
    const auth = { Authorization: `Bearer ${await apiToken(t.app)}` };
    const rows = (n: number, prefix: string) =>
      `en,es\n${Array.from({ length: n }, (_, i) => `${prefix} ${i},${prefix}-es ${i}`).join("\n")}\n`;
    const big = await request(t.app)
      .post("/api/v1/glossary/import")
      .set(auth)
      .type("text/csv")
      .send(rows(51, "big"));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("too_many_terms");
    const count = async () =>
      (await request(t.app).get("/api/v1/glossary").set(auth)).body.terms.length as number;
    const before = await count();
    const fits = 60 - before;
    await request(t.app)
      .post("/api/v1/glossary/import")
      .set(auth)
      .type("text/csv")
      .send(rows(fits, "fits"))
      .expect(200);
    const over = await request(t.app)
      .post("/api/v1/glossary/terms")
      .set(auth)
      .send({
        sourceLang: "en",
        source: "one too many",
        targets: { es: { text: "uno de más", forbidden: [] } },
      });
    expect(over.status).toBe(400);
    expect(over.body.error.code).toBe("glossary_full");
    expect(await count()).toBe(60);
    await t.close();
  });

  it("appends one line per term edit instead of rewriting the glossary", async () => {
    const t = await makeApp();
    const auth = { Authorization: `Bearer ${await apiToken(t.app)}` };
    const file = path.join(t.dir, "glossary.jsonl");
    const before = await readFile(file, "utf8");
    const created = await request(t.app)
      .post("/api/v1/glossary/terms")
      .set(auth)
      .send({ sourceLang: "en", source: "newsroom", targets: { es: { text: "redacción", forbidden: [] } } })
      .expect(201);
    const after = await readFile(file, "utf8");
    expect(after.startsWith(before)).toBe(true);
    const added = after.slice(before.length).trim().split("\n");
    expect(added).toHaveLength(1);
    expect(JSON.parse(added[0] as string)).toMatchObject({
      put: [{ id: created.body.id }],
      audit: { action: "term.create" },
    });
    await t.close();
  });
});
