import { execFileSync } from "node:child_process";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { MachineTranslationError } from "../../server/mt/provider.ts";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { apiToken, makeApp, makeAppWithTeam } from "../helpers.ts";
import { startStub } from "./stubs.ts";

function hasApertium(): boolean {
  try {
    return /\beng-spa\b/.test(execFileSync("apertium", ["-l"], { encoding: "utf8" }));
  } catch {
    return false;
  }
}

describe.skipIf(!hasApertium())("Apertium through the app (GLOSA_MT=apertium)", () => {
  it("registers one suggestion source whose suggestion keeps names and carries the checks' findings", async () => {
    const t = await makeApp({ GLOSA_MT: "apertium" });
    try {
      const { suggestionSources, translations } = t.app.services;
      expect(suggestionSources.map((s) => s.name)).toEqual(["apertium"]);
      const document = await translations.getDocument(SEED_DOCUMENT_ID);
      const paragraph = document.paragraphs[1];
      if (!paragraph) throw new Error("seed paragraph missing");
      const [suggestion] =
        (await suggestionSources[0]?.suggest(
          { document, lang: "es", paragraph },
          AbortSignal.timeout(20_000),
        )) ?? [];
      expect(suggestion).toMatchObject({
        origin: "mt",
        provider: "apertium",
        approved: false,
        source: paragraph.source,
      });
      expect(suggestion?.score).toBeUndefined();
      // "president-elect" comes out as "presidente Republicano-electo": the glossary check says so.
      expect(suggestion?.findings?.map((f) => f.code)).toContain("missing-term");
      const title = document.paragraphs[0];
      if (!title) throw new Error("seed title missing");
      const [forTitle] =
        (await suggestionSources[0]?.suggest(
          { document, lang: "es", paragraph: title },
          AbortSignal.timeout(20_000),
        )) ?? [];
      expect(forTitle?.text).toMatch(/^Trump .*Milei/);
    } finally {
      await t.close();
    }
  });

  it("pre-translates the seed article as drafts, in every role that may", async () => {
    const { t, tokens } = await makeAppWithTeam({ GLOSA_MT: "apertium" });
    try {
      const base = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;
      const start = await request(t.app)
        .post(`${base}/pretranslate`)
        .set("Authorization", `Bearer ${tokens.translator}`)
        .send({});
      expect(start.status).toBe(202);
      await t.app.services.pretranslate.idle();
      const job = await request(t.app).get(start.body.url).set("Authorization", `Bearer ${tokens.editor}`);
      expect(job.body).toMatchObject({ state: "done", filled: 12, providers: { apertium: 12 } });
      const view = await request(t.app).get(base).set("Authorization", `Bearer ${tokens.admin}`);
      const texts = (view.body.paragraphs as { text: string; status: string }[]).map((p) => p.text);
      expect(texts.every((text) => !/Triunfo|\*\p{L}/u.test(text))).toBe(true);
      expect(texts.join(" ")).toContain("Casa Rosada");
      const again = await request(t.app)
        .post(`${base}/pretranslate`)
        .set("Authorization", `Bearer ${tokens.admin}`)
        .send({ provider: "apertium" });
      expect(again.status).toBe(202);
      await t.app.services.pretranslate.idle();
    } finally {
      await t.close();
    }
  });
});

describe("a provider that is down", () => {
  it("fails its suggestion with a named failure and no key, so the route can skip it", async () => {
    const stub = await startStub(() => ({ status: 503, body: { error: "down" } }));
    const t = await makeApp({
      GLOSA_MT: "deepl",
      GLOSA_DEEPL_URL: stub.url,
      GLOSA_DEEPL_KEY: "top-secret:fx",
    });
    try {
      const { suggestionSources, translations } = t.app.services;
      const document = await translations.getDocument(SEED_DOCUMENT_ID);
      const paragraph = document.paragraphs[2];
      if (!paragraph) throw new Error("seed paragraph missing");
      const error = await suggestionSources[0]
        ?.suggest({ document, lang: "es", paragraph }, AbortSignal.timeout(5000))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MachineTranslationError);
      expect(String((error as Error).message)).not.toContain("top-secret");
      // The route still answers with the memory's suggestions, and names the provider that failed.
      const token = await apiToken(t.app);
      const res = await request(t.app)
        .get(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${paragraph.id}/suggestions`)
        .set("Authorization", `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body.unavailable).toEqual([{ source: "deepl", reason: "failed" }]);
      expect(JSON.stringify(res.body)).not.toContain("top-secret");
    } finally {
      await t.close();
      await stub.close();
    }
  });
});
