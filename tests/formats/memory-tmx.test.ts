import { readFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { apiToken, makeApp, type TestApp, textOf } from "../helpers.ts";
import { FORMATS, validateTmx } from "./xmllint.ts";

describe("translation memory TMX", () => {
  let t: TestApp;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await makeApp();
    token = await apiToken(t.app);
    await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p1`)
      .set(auth())
      .send({ text: "Trump a Milei: «Eres mi presidente favorito» <en> & más", baseRevision: 0 });
  });
  afterAll(() => t.close());

  it("imports the TMX 1.4b specification's sample and OKAPI's paragraph memory, and exports TMX valid against tmx14.dtd", async () => {
    for (const [file, pair] of [
      ["tmx14b_spec_sample.tmx", "sourceLang=en&targetLang=fr"],
      ["okapi_Paragraph_TM.tmx", "sourceLang=en-US&targetLang=de-DE"],
    ] as const) {
      // The files declare the DTD, which the import refuses on principle: it is taken out first.
      const xml = (await readFile(path.join(FORMATS, "tmx", file), "utf8")).replace(/<!DOCTYPE[^>]*>/, "");
      const res = await request(t.app)
        .post(`/api/v1/memory/import?${pair}`)
        .set(auth())
        .set("Content-Type", "application/x-tmx+xml")
        .send(xml);
      expect(res.status, file).toBe(200);
      expect(res.body.created, file).toBeGreaterThan(0);
    }
    for (const pair of ["sourceLang=en&targetLang=es", "sourceLang=en-US&targetLang=de-DE"]) {
      const res = await textOf(request(t.app).get(`/api/v1/memory/export?${pair}`).set(auth()));
      expect(res.status).toBe(200);
      const result = await validateTmx(res.text);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });
});
