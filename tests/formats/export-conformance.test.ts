import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { apiToken, makeApp, type TestApp, textOf } from "../helpers.ts";
import { validateTmx, validateXliff20 } from "./xmllint.ts";

describe("exports validate against the official schemas", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeApp();
    token = await apiToken(t.app);
    const put = (pid: string, text: string) =>
      request(t.app)
        .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${pid}`)
        .set("Authorization", `Bearer ${token}`)
        .send({ text, baseRevision: 0 });
    await put("p1", "Trump a Milei: «Eres mi presidente favorito» <en> la primera llamada & más");
    await put("p2", "El líder argentino esperaba hablar con el presidente electo republicano");
    await request(t.app)
      .post(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p2/review`)
      .set("Authorization", `Bearer ${token}`)
      .send({ action: "approve", revision: 1 });
    await put("p3", "Milei esperaba una llamada");
    await request(t.app)
      .post(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p3/review`)
      .set("Authorization", `Bearer ${token}`)
      .send({ action: "reject", revision: 1, comment: "Falta el final." });
  });
  afterAll(() => t.close());

  const exportAs = (format: string) =>
    textOf(
      request(t.app)
        .get(`/api/v1/documents/${SEED_DOCUMENT_ID}/export/es?format=${format}&incomplete=source`)
        .set("Authorization", `Bearer ${token}`),
    );

  it("XLIFF 2.0 is valid against xliff_core_2.0.xsd", async () => {
    const res = await exportAs("xliff");
    expect(res.status).toBe(200);
    // Glosa's extension attribute is part of what validates.
    expect(res.text).toContain('<unit id="p2" name="paragraph" glosa:revision="1">');
    // A rejected text is exported as needing translation again, and says why.
    expect(res.text).toMatch(/<unit id="p3"[^>]*>\s*<segment state="initial" subState="glosa:rejected">/);
    const result = await validateXliff20(res.text);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the validator really validates: an XLIFF with a stray element fails", async () => {
    const res = await exportAs("xliff");
    const broken = res.text.replace("<segment", "<bogus/><segment");
    const result = await validateXliff20(broken);
    expect(result.valid).toBe(false);
  });

  it("TMX 1.4b is valid against tmx14.dtd", async () => {
    const res = await exportAs("tmx");
    expect(res.status).toBe(200);
    const result = await validateTmx(res.text);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    const broken = await validateTmx(res.text.replace("<body>", "<body><bogus/>"));
    expect(broken.valid).toBe(false);
  });
});
