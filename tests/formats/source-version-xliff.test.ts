import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { apiToken, makeApp, type TestApp, textOf } from "../helpers.ts";
import { validateXliff20 } from "./xmllint.ts";

describe("XLIFF of a document whose source was updated", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeApp();
    token = await apiToken(t.app);
    await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p4`)
      .set("Authorization", `Bearer ${token}`)
      .send({ text: "La conversación tuvo lugar el martes.", baseRevision: 0 });
    const doc = await request(t.app)
      .get(`/api/v1/documents/${SEED_DOCUMENT_ID}`)
      .set("Authorization", `Bearer ${token}`);
    const content = (doc.body.paragraphs as { source: string }[])
      .map((p) => p.source)
      .join("\n\n")
      .replace("Tuesday", "Wednesday");
    const res = await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/source`)
      .set("Authorization", `Bearer ${token}`)
      .send({ format: "text", content, baseVersion: 1 });
    expect(res.status).toBe(200);
  });
  afterAll(() => t.close());

  it("carries the source version on <file> and stays valid against xliff_core_2.0.xsd", async () => {
    const res = await textOf(
      request(t.app)
        .get(`/api/v1/documents/${SEED_DOCUMENT_ID}/export/es?format=xliff&incomplete=source`)
        .set("Authorization", `Bearer ${token}`),
    );
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<file [^>]*glosa:sourceVersion="2"/);
    const result = await validateXliff20(res.text);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
