import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeApp, signIn, type TestApp } from "../helpers.ts";

const B = "glosa-boundary";

/** Multipart bodies busboy cannot read; each once answered 500 with a stack and absolute paths. */
function malformed(csrf: string): { name: string; type: string; body: string }[] {
  const token = `--${B}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`;
  return [
    {
      name: "a boundary that is not in the body",
      type: "multipart/form-data; boundary=other",
      body: `${token}--${B}--\r\n`,
    },
    { name: "no boundary at all", type: "multipart/form-data", body: `${token}--${B}--\r\n` },
    {
      name: "a truncated body",
      type: `multipart/form-data; boundary=${B}`,
      body: `${token}--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nsource,target`,
    },
    {
      name: "a NUL in the file name",
      type: `multipart/form-data; boundary=${B}`,
      body: `${token}--${B}\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\n\r\nx\r\n--${B}--\r\n`,
    },
    {
      name: "a malformed part header",
      type: `multipart/form-data; boundary=${B}`,
      body: `${token}--${B}\r\nContent-Disposition form-data name\r\n\r\nx\r\n--${B}--\r\n`,
    },
    {
      name: "a file in a field the route does not take",
      type: `multipart/form-data; boundary=${B}`,
      body: `${token}--${B}\r\nContent-Disposition: form-data; name="other"; filename="a.csv"\r\n\r\nx\r\n--${B}--\r\n`,
    },
    {
      name: "two files",
      type: `multipart/form-data; boundary=${B}`,
      body: `${token}--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nx\r\n--${B}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\n\r\ny\r\n--${B}--\r\n`,
    },
  ];
}

const UPLOAD_ROUTES = ["/glossary/import", "/documents", `/documents/${SEED_DOCUMENT_ID}/es/import`];

describe("malformed multipart bodies", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Development shows the details of unexpected errors: a known one must show none even there.
    t = await makeApp({ NODE_ENV: "development" });
  });
  afterAll(() => t.close());

  for (const path of [...UPLOAD_ROUTES, "/account/tokens"]) {
    it(`POST ${path}: 400 invalid_upload with no stack and no paths, as JSON and as a page`, async () => {
      const { agent, csrf } = await signIn(t.app);
      for (const { name, type, body } of malformed(csrf)) {
        if (path === "/account/tokens" && name.startsWith("a file in a field")) continue;
        const json = await agent
          .post(path)
          .set("Content-Type", type)
          .set("Accept", "application/json")
          .send(body);
        expect(json.status, name).toBe(400);
        expect(json.body.error.code, name).toBe("invalid_upload");
        const page = await agent.post(path).set("Content-Type", type).set("Accept", "text/html").send(body);
        expect(page.status, name).toBe(400);
        expect(page.text, name).toContain("The upload could not be read");
        for (const text of [json.text, page.text]) {
          expect(text, name).not.toMatch(/node_modules|\/work\/|\bat [\w.]+ \(/);
          expect(text, name).not.toContain(process.cwd());
        }
      }
    });
  }

  it("says it in Spanish on a Spanish page", async () => {
    const { agent, csrf } = await signIn(t.app);
    const [bad] = malformed(csrf);
    if (!bad) throw new Error("no case");
    const page = await agent
      .post("/glossary/import")
      .set("Content-Type", bad.type)
      .set("Accept", "text/html")
      .set("Accept-Language", "es")
      .send(bad.body);
    expect(page.status).toBe(400);
    expect(page.text).toContain("No se ha podido leer el envío");
  });

  it("a well-formed upload still goes through", async () => {
    const { agent, csrf } = await signIn(t.app);
    const res = await agent
      .post("/glossary/import")
      .field("_csrf", csrf)
      .attach("file", Buffer.from("source,target\nsummit,cumbre\n"), "terms.csv");
    expect(res.status).toBeLessThan(400);
    expect((await t.store.listTerms()).some((term) => term.source === "summit")).toBe(true);
  });
});
