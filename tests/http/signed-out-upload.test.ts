/**
 * An upload form (multipart) sent after the session ended gets the page every other form gets: it
 * says the session ended, shows back the text that was written (a pasted article, a title), says the
 * file was not uploaded, and signs in back to the form's page. The file itself is never read for a
 * stranger. Every upload form of the pages, in English and Spanish.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeApp, returnPath, type TestApp } from "../helpers.ts";

const HOST = "glosa.test";
const PASTED = 'The chainsaw is back </textarea><script>alert("x")</script> & more.';

/** The upload forms: where each posts, and the page it is on. */
const FORMS = [
  ["/documents", "/documents/new"],
  ["/memory/import", "/memory"],
  ["/glossary/import", "/glossary"],
  [`/documents/${SEED_DOCUMENT_ID}/source`, `/documents/${SEED_DOCUMENT_ID}/source`],
  [`/documents/${SEED_DOCUMENT_ID}/es/import`, `/documents/${SEED_DOCUMENT_ID}/es/export`],
] as const;

describe("an upload form sent after the session ended", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(async () => t.close());

  const post = (path: string, from: string) =>
    request(t.app)
      .post(path)
      .set("Host", HOST)
      .set("Accept", "text/html")
      .set("Referer", `http://${HOST}${from}`)
      .field("_csrf", "gone")
      .field("sourceLang", "en")
      .field("title", "Chainsaw")
      .field("content", PASTED);

  for (const [path, from] of FORMS)
    it(`answers ${path} with the session-ended page, the text shown back and the way back to ${from}`, async () => {
      const res = await post(path, from).attach("file", Buffer.from("The chainsaw is back."), "article.txt");
      expect(res.status).toBe(401);
      expect(res.type).toBe("text/html");
      expect(res.text).toContain("Please sign in");
      expect(res.text).toContain("Your session ended, so nothing was saved.");
      expect(res.text).toContain(
        "The file you chose was not uploaded: choose it again once you are back on the page.",
      );
      expect(res.text).toContain("Sign in and go back");
      expect(returnPath(res.text)).toBe(from);
      // What was written, escaped in read-only boxes; the language code and the token are not shown.
      expect(res.text.match(/<textarea id="unsent-\d" class="unsent" readonly/g)).toHaveLength(2);
      expect(res.text).toContain(">Chainsaw</textarea>");
      expect(res.text).toContain(
        "The chainsaw is back &lt;/textarea&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more.",
      );
      expect(res.text).not.toContain("<script>alert");
      expect(res.text).not.toContain("Back to the documents");
    });

  it("says it in Spanish, and says nothing of a file when none was chosen", async () => {
    const res = await post("/documents", "/documents/new")
      .attach("file", Buffer.alloc(0), "")
      .set("Cookie", "glosa.lng=es")
      .set("Accept-Language", "es");
    expect(res.status).toBe(401);
    expect(res.text).toContain("Texto 1 que enviaste (sin guardar)");
    expect(res.text).toContain("Iniciar sesión y volver");
    expect(res.text).not.toContain("El archivo que elegiste no se ha subido");
    expect(returnPath(res.text)).toBe("/documents/new");
    const withFile = await post("/memory/import", "/memory")
      .attach("file", Buffer.from("<tmx/>"), "memory.tmx")
      .set("Cookie", "glosa.lng=es")
      .set("Accept-Language", "es");
    expect(withFile.text).toContain(
      "El archivo que elegiste no se ha subido: vuelve a elegirlo cuando estés de nuevo en la página.",
    );
  });

  it("keeps the sign-in link when the upload cannot be read", async () => {
    const res = await request(t.app)
      .post("/memory/import")
      .set("Host", HOST)
      .set("Accept", "text/html")
      .set("Referer", `http://${HOST}/memory`)
      .set("Content-Type", "multipart/form-data; boundary=x")
      .send('--x\r\nContent-Disposition: form-data; name="q"\r\n\r\nhalf');
    expect(res.status).toBe(401);
    expect(res.text).toContain("Sign in and go back");
    expect(returnPath(res.text)).toBe("/memory");
  });

  it("still answers a script or an API client in JSON", async () => {
    const res = await request(t.app)
      .post("/memory/import")
      .set("Accept", "application/json")
      .field("sourceLang", "en")
      .attach("file", Buffer.from("<tmx/>"), "memory.tmx");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });
});
