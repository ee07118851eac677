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
