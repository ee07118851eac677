/**
 * Uploaded files reach the parser threads as bytes: their decoding (charset, byte order mark) is the
 * thread's work, not the event loop's (a 20 MB file took it 140-280 ms in one block; `npm run bench
 * concurrency` measures the upload). The charset a request names is honoured, and one this server
 * cannot decode is a 415.
 */

import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiToken, makeApp, signIn, type TestApp } from "../helpers.ts";

/** Windows-1252 bytes of `text` (every character of it must have one). */
function windows1252(text: string): Buffer {
  const high = new TextDecoder("windows-1252").decode(Uint8Array.from({ length: 128 }, (_, i) => 128 + i));
  return Buffer.from(
    [...text].map((c) => {
      const code = c.charCodeAt(0);
      if (code < 128) return code;
      const at = high.indexOf(c);
      if (at < 0) throw new Error(`no windows-1252 byte for ${c}`);
      return 128 + at;
    }),
  );
}

/** An XLIFF file for the test's document, long enough (a comment) to go to a parser thread. */
const xliffFor = (docId: string, target: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="${docId}"><unit id="p1"><segment><source>Twelve inches of rain.</source><target>${target}</target></segment></unit><!-- ${"Relleno «de» prueba. ".repeat(3000)} --></file></xliff>`;

describe("uploads decoded on a parser thread", () => {
  let t: TestApp;
  let token: string;
  let API: string;
  let docId: string;
  beforeAll(async () => {
    t = await makeApp();
    token = await apiToken(t.app);
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${token}`)
      .send({ sourceLang: "en", format: "text", content: "Twelve inches of rain.", languages: ["es"] });
    docId = created.body.id;
    API = `/api/v1/documents/${docId}`;
  });
  afterAll(() => t.close());
  afterEach(() => vi.restoreAllMocks());

  it("imports an XLIFF file in the charset its Content-Type names", async () => {
    const xliff = xliffFor(docId, "Traducción «en windows-1252»");
    const res = await request(t.app)
      .post(`${API}/translations/es/import`)
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/xliff+xml; charset=windows-1252")
      .send(windows1252(xliff.replace('encoding="UTF-8"', 'encoding="windows-1252"')));
    expect(res.body).toMatchObject({ updated: 1 });
    const p1 = await request(t.app)
      .get(`${API}/translations/es/paragraphs/p1/revisions`)
      .set("Authorization", `Bearer ${token}`);
    expect(p1.body.revisions.at(-1).text).toBe("Traducción «en windows-1252»");
  });

  it("answers 415 for a charset it cannot decode, and changes nothing", async () => {
    const before = (
      await request(t.app).get(`${API}/translations/es`).set("Authorization", `Bearer ${token}`)
    ).body;
    const res = await request(t.app)
      .post(`${API}/translations/es/import`)
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/xliff+xml; charset=x-no-such-charset")
      .send(Buffer.from(xliffFor(docId, "Nunca")));
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    const after = (await request(t.app).get(`${API}/translations/es`).set("Authorization", `Bearer ${token}`))
      .body;
    expect(after).toEqual(before);
  });

  it("does not decode an uploaded file on this thread, and drops its byte order mark", async () => {
    const { agent, csrf } = await signIn(t.app);
    const file = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(xliffFor(docId, "Traducción subida con BOM")),
    ]);
    const decode = vi.spyOn(TextDecoder.prototype, "decode");
    const imported = await agent
      .post(`/documents/${docId}/es/import`)
      .field("_csrf", csrf)
      .attach("file", file, "doc.xlf");
    const large = decode.mock.calls.filter(
      ([input]) => ((input as ArrayBufferView | undefined)?.byteLength ?? 0) >= file.length / 2,
    );
    decode.mockRestore();
    expect(imported.status).toBe(200);
    expect(imported.text).toContain("1 updated");
    const p1 = await request(t.app)
      .get(`${API}/translations/es/paragraphs/p1/revisions`)
      .set("Authorization", `Bearer ${token}`);
    expect(p1.body.revisions.at(-1).text).toBe("Traducción subida con BOM");
    expect(large).toEqual([]);
  });
});

/** A TMX file of one unit, long enough (a comment) to go to a parser thread. */
const tmxWith = (source: string, target: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><!-- ${"Relleno «de» prueba. ".repeat(3000)} --><body><tu><tuv xml:lang="en"><seg>${source}</seg></tuv><tuv xml:lang="es"><seg>${target}</seg></tuv></tu></body></tmx>`;

/** A glossary CSV of `rows` terms named after `word`, long enough to go to a parser thread. */
const csvOf = (word: string, rows = 400) =>
  `en,es\n${Array.from({ length: rows }, (_, i) => `${word} ${i},${word}ción ${i}`).join("\n")}\n`;

/** `text` as a spreadsheet's "Unicode text" export writes it: UTF-16 little-endian after a byte order mark. */
const utf16WithMark = (text: string) =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);

/** An article of `n` paragraphs, long enough to go to a parser thread. */
const articleOf = (n: number, word: string) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i} of the ${word} article, with some words.`).join("\n\n");

describe("every upload is decoded on a parser thread", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeApp();
    token = await apiToken(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => vi.restoreAllMocks());

  /**
   * Runs `send` and gives the calls of TextDecoder#decode on this thread over `file`'s bytes (its
   * start, at least half its length): the parse's answer coming back is decoded here, the file is not.
   */
  async function fileDecodes<T>(
    file: Buffer,
    send: () => Promise<T>,
  ): Promise<{ result: T; large: unknown[] }> {
    const decode = vi.spyOn(TextDecoder.prototype, "decode");
    try {
      const result = await send();
      const large = decode.mock.calls.filter(([input]) => {
        const view = input as ArrayBufferView | undefined;
        if (!view || view.byteLength < file.length / 2) return false;
        const head = Buffer.from(view.buffer, view.byteOffset, 16);
        return head.equals(file.subarray(0, 16));
      });
      return { result, large };
    } finally {
      decode.mockRestore();
    }
  }

  it("glossary, memory, document and source uploads from the pages reach the thread as bytes", async () => {
    const { agent, csrf } = await signIn(t.app);
    const csv = Buffer.from(csvOf("upload"));
    const glossary = await fileDecodes(csv, () =>
      agent.post("/glossary/import").field("_csrf", csrf).attach("file", csv, "terms.csv"),
    );
    expect(glossary.result.status).toBe(200);
    expect(glossary.large).toEqual([]);

    const tmx = Buffer.from(tmxWith("Bytes to the thread.", "Bytes al hilo."));
    const memory = await fileDecodes(tmx, () =>
      agent
        .post("/memory/import")
        .field("_csrf", csrf)
        .field("sourceLang", "en")
        .field("targetLang", "es")
        .attach("file", tmx, "memory.tmx"),
    );
    expect(memory.result.status).toBe(200);
    expect(memory.result.text).toContain("Units added: 1");
    expect(memory.large).toEqual([]);

    const article = Buffer.from(articleOf(300, "uploaded"));
    const created = await fileDecodes(article, () =>
      agent
        .post("/documents")
        .field("_csrf", csrf)
        .field("sourceLang", "en")
        .field("targetLang", "es")
        .field("title", "Uploaded")
        .attach("file", article, "article.txt"),
    );
    expect(created.result.status).toBe(303);
    expect(created.large).toEqual([]);
    const docId = String(created.result.headers.location).split("/")[2];
    const doc = await request(t.app)
      .get(`/api/v1/documents/${docId}`)
      .set("Authorization", `Bearer ${token}`);
    expect(doc.body.paragraphs).toHaveLength(301);

    const next = Buffer.from(
      `Uploaded\n\n${articleOf(300, "uploaded").replace("Paragraph 7 ", "Paragraph seven ")}`,
    );
    const preview = await fileDecodes(next, () =>
      agent
        .post(`/documents/${docId}/source`)
        .field("_csrf", csrf)
        .field("baseVersion", "1")
        .field("format", "text")
        .field("intent", "preview")
        .attach("file", next, "article.txt"),
    );
    expect(preview.result.status).toBe(200);
    expect(preview.result.text).toContain("seven</ins>");
    expect(preview.large).toEqual([]);
    // Apply posts the file's text back as its paragraphs, which plan the same update.
    const content = /name="content" value="([^"]*)"/.exec(preview.result.text)?.[1] ?? "";
    expect(content).toContain("Paragraph seven of the uploaded article");
  });

  it("reads a UTF-16 file by its byte order mark, from the page and from the API", async () => {
    const { agent, csrf } = await signIn(t.app);
    const page = await agent
      .post("/glossary/import")
      .field("_csrf", csrf)
      .attach("file", utf16WithMark(csvOf("marcado")), "terms.csv");
    expect(page.status).toBe(200);
    const api = await request(t.app)
      .post("/api/v1/glossary/import")
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "text/csv")
      .send(utf16WithMark(csvOf("señalado")));
    expect(api.body).toMatchObject({ created: 400, errors: [] });
    const terms = await request(t.app)
      .get("/api/v1/glossary?q=marcado 17")
      .set("Authorization", `Bearer ${token}`);
    expect(terms.body.terms[0]).toMatchObject({
      source: "marcado 17",
      targets: { es: { text: "marcadoción 17" } },
    });
    const tmx = await request(t.app)
      .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/x-tmx+xml")
      .send(utf16WithMark(tmxWith("Marked as UTF-16.", "Marcado como UTF-16.").replace("UTF-8", "UTF-16")));
    expect(tmx.status).toBe(200);
    expect(tmx.body).toMatchObject({ created: 1 });
  });

  it("honours the API's charset for glossary and memory files, and answers 415 for one it cannot decode", async () => {
    const csv = await request(t.app)
      .post("/api/v1/glossary/import")
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "text/csv; charset=windows-1252")
      .send(windows1252("en,es\nrunoff vote,balotaje «segunda vuelta»\n"));
    expect(csv.body).toMatchObject({ created: 1 });
    const found = await request(t.app)
      .get("/api/v1/glossary?q=runoff vote")
      .set("Authorization", `Bearer ${token}`);
    expect(found.body.terms[0].targets.es.text).toBe("balotaje «segunda vuelta»");
    for (const [path, type] of [
      ["/api/v1/glossary/import", "text/csv; charset=x-no-such-charset"],
      [
        "/api/v1/memory/import?sourceLang=en&targetLang=es",
        "application/x-tmx+xml; charset=x-no-such-charset",
      ],
    ] as const) {
      const res = await request(t.app)
        .post(path)
        .set("Authorization", `Bearer ${token}`)
        .set("Content-Type", type)
        .send(Buffer.from("en,es\nnever,nunca\n"));
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe("unsupported_media_type");
    }
  });

  it("refuses bytes that are not text in their charset with a clear 400, importing nothing", async () => {
    // Windows-1252 bytes sent as UTF-8, and a TMX of broken bytes around no units.
    const latin = windows1252("en,es\nrunoff vote,balotaje «segunda vuelta» también\n");
    const tmx = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/><body>'),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]),
      Buffer.from("</body></tmx>"),
    ]);
    for (const [path, type, body] of [
      ["/api/v1/glossary/import", "text/csv", latin],
      ["/api/v1/memory/import?sourceLang=en&targetLang=es", "application/x-tmx+xml", tmx],
    ] as const) {
      const res = await request(t.app)
        .post(path)
        .set("Authorization", `Bearer ${token}`)
        .set("Content-Type", type)
        .set("Accept-Language", "es")
        .send(body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe("unreadable_file");
      expect(res.body.error.message, path).toContain("UTF-8");
    }
    const terms = await request(t.app)
      .get("/api/v1/glossary?q=runoff")
      .set("Authorization", `Bearer ${token}`);
    expect(
      terms.body.terms.every(
        (term: { targets: { es: { text: string } } }) => !term.targets.es.text.includes("\ufffd"),
      ),
    ).toBe(true);
  });
});
