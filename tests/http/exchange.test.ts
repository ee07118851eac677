import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { apiToken, makeApp, signIn, type TestApp, textOf } from "../helpers.ts";

const API = `/api/v1/documents/${SEED_DOCUMENT_ID}`;

describe("export and exchange", () => {
  let t: TestApp;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await makeApp({ GLOSA_IMPORT_LIMIT: "200000" });
    token = await apiToken(t.app);
  });
  afterAll(() => t.close());

  it("refuses to export a language with nothing translated: 409 listing every paragraph, never an empty file", async () => {
    const res = await request(t.app).get(`${API}/export/es?format=markdown`).set(auth());
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("incomplete_translation");
    expect(res.body.error.details.paragraphs).toHaveLength(12);
    const sourceOnly = await request(t.app)
      .get(`${API}/export/es?format=markdown&incomplete=source`)
      .set(auth());
    expect(sourceOnly.status).toBe(409);
  });

  it("exports approved or latest revisions, with the source standing in when asked", async () => {
    const put = (pid: string, text: string, baseRevision = 0) =>
      request(t.app).put(`${API}/translations/es/paragraphs/${pid}`).set(auth()).send({ text, baseRevision });
    for (let p = 1; p <= 12; p++) await put(`p${p}`, `Traducción ${p} *con* [marcas]`);
    await request(t.app)
      .post(`${API}/translations/es/paragraphs/p2/review`)
      .set(auth())
      .send({ action: "approve", revision: 1 });
    await put("p2", "Texto más nuevo, sin aprobar", 1);

    const latest = await textOf(request(t.app).get(`${API}/export/es?format=markdown`).set(auth()));
    expect(latest.status).toBe(200);
    expect(latest.headers["content-type"]).toBe("text/markdown; charset=utf-8");
    expect(latest.headers["content-disposition"]).toBe(
      'attachment; filename="trump-tells-milei-you-are-my-favorite-president-in-first.es.md"',
    );
    expect(latest.text).toContain("Texto más nuevo, sin aprobar");
    expect(latest.text).toContain("Traducción 3 \\*con\\* \\[marcas\\]");
    expect(latest.text).toMatch(/^---\ntitle: Traducción 1 \*con\* \[marcas\]\nlang: es\nsource_lang: en\n/);

    const approvedOnly = await request(t.app)
      .get(`${API}/export/es?format=markdown&status=approved`)
      .set(auth());
    expect(approvedOnly.status).toBe(409);
    expect(approvedOnly.body.error.details.paragraphs).toHaveLength(11);
    const approvedWithSource = await textOf(
      request(t.app).get(`${API}/export/es?format=markdown&status=approved&incomplete=source`).set(auth()),
    );
    expect(approvedWithSource.status).toBe(200);
    expect(approvedWithSource.text).toContain("Traducción 2 \\*con\\* \\[marcas\\]");
    expect(approvedWithSource.text).not.toContain("Texto más nuevo");
    expect(approvedWithSource.text).toContain("<!-- glosa: not translated, source text -->");
    expect(approvedWithSource.text).toContain("approved: 1");
  });

  it("serves XLIFF, TMX and bilingual Markdown with their content types and file names", async () => {
    const xliff = await textOf(request(t.app).get(`${API}/export/es?format=xliff`).set(auth()));
    expect(xliff.headers["content-type"]).toBe("application/xliff+xml; charset=utf-8");
    expect(xliff.headers["content-disposition"]).toMatch(/\.es\.xlf"$/);
    expect(xliff.text).toContain('<unit id="p1" name="title" glosa:revision="1">');
    const tmx = await textOf(request(t.app).get(`${API}/export/es?format=tmx`).set(auth()));
    expect(tmx.headers["content-type"]).toBe("application/x-tmx+xml; charset=utf-8");
    expect(tmx.text.match(/<tu /g)).toHaveLength(12);
    const bilingual = await textOf(request(t.app).get(`${API}/export/es?format=bilingual`).set(auth()));
    expect(bilingual.text).toContain("> Trump tells Milei");
    expect((await request(t.app).get(`${API}/export/es?format=pdf`).set(auth())).status).toBe(400);
  });

  it("round-trips XLIFF: export, change two targets, import: two new revisions by the importer", async () => {
    const exported = await textOf(request(t.app).get(`${API}/export/es?format=xliff`).set(auth()));
    const changed = exported.text
      .replace("Traducción 3 *con* [marcas]</target>", "Traducción 3 corregida</target>")
      .replace("Traducción 4 *con* [marcas]</target>", "Traducción 4 corregida &amp; mejorada</target>");
    const res = await request(t.app)
      .post(`${API}/translations/es/import`)
      .set(auth())
      .set("Content-Type", "application/xliff+xml")
      .send(changed);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ updated: 2, unchanged: 10, errors: [], conflicts: [] });
    const revisions = await request(t.app).get(`${API}/translations/es/paragraphs/p4/revisions`).set(auth());
    expect(revisions.body.revisions.at(-1)).toMatchObject({
      revision: 2,
      text: "Traducción 4 corregida & mejorada",
      author: "admin",
    });
    const again = await request(t.app)
      .post(`${API}/translations/es/import`)
      .set(auth())
      .set("Content-Type", "application/xliff+xml")
      .send(changed);
    expect(again.body).toEqual({ updated: 0, unchanged: 12, errors: [], conflicts: [] });
  });

  it("keeps text that looks like an XML entity through export and import: no spurious revision", async () => {
    const put = await request(t.app)
      .put(`${API}/translations/es/paragraphs/p7`)
      .set(auth())
      .send({ text: "Tom &amp; Jerry &lt;3 & co", baseRevision: 1 });
    expect(put.status).toBe(200);
    for (const format of ["xliff", "tmx"]) {
      const exported = await textOf(request(t.app).get(`${API}/export/es?format=${format}`).set(auth()));
      expect(exported.text).toContain("Tom &amp;amp; Jerry &amp;lt;3 &amp; co");
    }
    const xliff = await textOf(request(t.app).get(`${API}/export/es?format=xliff`).set(auth()));
    const res = await request(t.app)
      .post(`${API}/translations/es/import`)
      .set(auth())
      .set("Content-Type", "application/xliff+xml")
      .send(xliff.text);
    expect(res.body).toMatchObject({ updated: 0, unchanged: 12 });
  });

  it("does not let an old XLIFF file undo a revision it did not see", async () => {
    const old = await textOf(request(t.app).get(`${API}/export/es?format=xliff`).set(auth()));
    const latest = (pid: string) =>
      request(t.app)
        .get(`${API}/translations/es/paragraphs/${pid}/revisions`)
        .set(auth())
        .then((res) => res.body.revisions.at(-1));
    const before = await latest("p8");
    await request(t.app)
      .put(`${API}/translations/es/paragraphs/p8`)
      .set(auth())
      .send({ text: "Edición más nueva en el editor", baseRevision: before.revision });
    const edited = old.text
      .replace("Traducción 8 *con* [marcas]</target>", "Traducción 8 del archivo viejo</target>")
      .replace("Traducción 9 *con* [marcas]</target>", "Traducción 9 del archivo</target>");
    const res = await request(t.app)
      .post(`${API}/translations/es/import`)
      .set(auth())
      .set("Content-Type", "application/xliff+xml")
      .send(edited);
    expect(res.status).toBe(200);
    expect(res.body.updated).toBe(1);
    // Reported as a conflict, with the file's text kept so nothing typed in it is lost.
    expect(res.body.conflicts).toEqual([
      expect.objectContaining({ unit: "p8", text: "Traducción 8 del archivo viejo" }),
    ]);
    expect(await latest("p8")).toMatchObject({
      revision: before.revision + 1,
      text: "Edición más nueva en el editor",
    });
    expect((await latest("p9")).text).toBe("Traducción 9 del archivo");
  });

  it("refuses bad imports with a clear error and changes nothing", async () => {
    const before = (await request(t.app).get(`${API}/translations/es`).set(auth())).body;
    const post = (body: string, type = "application/xliff+xml") =>
      request(t.app).post(`${API}/translations/es/import`).set(auth()).set("Content-Type", type).send(body);
    expect((await post("not xml")).status).toBe(400);
    const dtd = await post(
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>',
    );
    expect(dtd.status).toBe(400);
    expect(dtd.body.error.message).toMatch(/DOCTYPE/);
    expect((await post('<xliff version="1.0"/>')).status).toBe(400);
    expect((await post("x".repeat(300_000))).status).toBe(413);
    expect((await post("{}", "application/json")).status).toBe(415);
    const wrongLang = await post(
      `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="fr"><file id="f"><unit id="p1"><segment><source>x</source><target>y</target></segment></unit></file></xliff>`,
    );
    expect(wrongLang.body.error.code).toBe("wrong_language");
    const after = (await request(t.app).get(`${API}/translations/es`).set(auth())).body;
    expect(after).toEqual(before);
  });

  it("shows an export page with a rendered preview, and imports through the browser form", async () => {
    const { agent, csrf } = await signIn(t.app);
    const page = await agent.get(`/documents/${SEED_DOCUMENT_ID}/es/export`);
    expect(page.status).toBe(200);
    // The preview renders the exported Markdown: the escaped markup shows as the text it was.
    expect(page.text).toContain("<p>Traducción 6 *con* [marcas]</p>");
    expect(page.text).toMatch(/<h1>Traducción 1 \*con\* \[marcas\]<\/h1>/);
    expect(page.text).toContain("Download trump-tells-milei");
    const download = await agent.get(`/documents/${SEED_DOCUMENT_ID}/es/export/download?format=markdown`);
    expect(download.headers["content-disposition"]).toMatch(/\.es\.md"$/);
    const xliff = await textOf(request(t.app).get(`${API}/export/es?format=xliff`).set(auth()));
    const imported = await agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/import`)
      .field("_csrf", csrf)
      .attach("file", Buffer.from(xliff.text.replace("Traducción 5 *con* [marcas]", "Quinta")), "doc.xlf");
    expect(imported.status).toBe(200);
    expect(imported.text).toContain("1 updated, 11 unchanged, 0 not imported.");
    // Each unit's problem in the reader's language.
    const unknown = await agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/import?lng=es`)
      .field("_csrf", csrf)
      .attach("file", Buffer.from(xliff.text.replace('<unit id="p7"', '<unit id="p99"')), "doc.xlf");
    expect(unknown.text).toContain("Ningún párrafo de este documento tiene este identificador.");
    expect(unknown.text).not.toContain("No paragraph of this document has this id.");
    // And a file it cannot read at all: a 2.0 file without its namespace, cut off.
    const cut = await agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/import?lng=es`)
      .field("_csrf", csrf)
      .attach("file", Buffer.from("<xliff version='2.0' srcLang='en' trgLang='es'><file id='f'>"), "cut.xlf");
    expect(cut.status).toBe(400);
    expect(cut.text).toContain("No es un archivo XLIFF 2.0 legible");
    await agent.get("/?lng=en");
  });

  it("lists, on the import page, each unit that changed since the export, with the file's text", async () => {
    const { agent, csrf } = await signIn(t.app);
    const old = await textOf(request(t.app).get(`${API}/export/es?format=xliff`).set(auth()));
    const latest = await request(t.app).get(`${API}/translations/es/paragraphs/p11/revisions`).set(auth());
    await request(t.app)
      .put(`${API}/translations/es/paragraphs/p11`)
      .set(auth())
      .send({ text: "Once, editado después", baseRevision: latest.body.revisions.at(-1).revision })
      .expect(200);
    const file = old.text.replace(
      "Traducción 11 *con* [marcas]</target>",
      "Once, texto del archivo viejo</target>",
    );
    const page = await agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/import`)
      .field("_csrf", csrf)
      .attach("file", Buffer.from(file), "old.xlf");
    expect(page.status).toBe(200);
    expect(page.text).toContain("One paragraph changed after this file was exported");
    expect(page.text).toContain("Once, texto del archivo viejo");
    // The summary counts it, rather than "0 not imported" above it (trial), in both languages.
    expect(page.text).toMatch(/0 not imported, 1 not applied \(changed since the export\)\./);
    const spanish = await agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/import?lng=es`)
      .field("_csrf", csrf)
      .attach("file", Buffer.from(file), "old.xlf");
    expect(spanish.text).toContain("sin aplicar (cambiados desde la exportación): 1.");
  });

  it("refuses a file of another version of the document naming the unit, the paragraph and what differs", async () => {
    const xliff = await textOf(request(t.app).get(`${API}/export/es?format=xliff`).set(auth()));
    // Every unit's source edited: the file cannot be this document's.
    const edited = xliff.text.replaceAll("</source>", " EDITED</source>");
    const api = await request(t.app)
      .post(`${API}/translations/es/import`)
      .set(auth())
      .set("Content-Type", "application/xliff+xml")
      .send(edited);
    expect(api.status).toBe(400);
    expect(api.body.error.code).toBe("wrong_document");
    expect(api.body.error.message).toMatch(
      /Unit p1: paragraph p1 has “[^”]+” where the file has “[^”]*EDITED[^”]*”/,
    );
    expect(api.body.error.details.first).toMatchObject({ unit: "p1", paragraph: "p1" });
    const { agent, csrf } = await signIn(t.app);
    const page = await agent
      .post(`/documents/${SEED_DOCUMENT_ID}/es/import?lng=es`)
      .field("_csrf", csrf)
      .attach("file", Buffer.from(edited), "other.xlf");
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/Unidad p1: el párrafo p1 dice “[^”]+” y el archivo dice “[^”]*EDITED/);
  });

  it("exports from the command line beside the running server, and fails clearly", async () => {
    const out = path.join(t.dir, "out.md");
    const ok = spawnSync(
      process.execPath,
      ["--import", "tsx", "server/cli/export.ts", "--doc", SEED_DOCUMENT_ID, "--lang", "es", "--out", out],
      { env: { ...process.env, GLOSA_DATA_DIR: t.dir }, encoding: "utf8" },
    );
    expect(ok.stderr).toContain("Wrote");
    expect(ok.status).toBe(0);
    expect((await readFile(out, "utf8")).split("\n")[0]).toBe("---");
    const missing = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "server/cli/export.ts",
        "--doc",
        SEED_DOCUMENT_ID,
        "--lang",
        "es",
        "--status",
        "approved",
      ],
      { env: { ...process.env, GLOSA_DATA_DIR: t.dir }, encoding: "utf8" },
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/have no approved translation/);
    expect(missing.stderr).toMatch(/Missing: p1, /);
    const usage = spawnSync(process.execPath, ["--import", "tsx", "server/cli/export.ts", "--lang", "es"], {
      encoding: "utf8",
    });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("--doc and --lang are required");
    // Three Node processes started one after another, each loading TypeScript: 8 s each on a busy machine.
  }, 90_000);
});
