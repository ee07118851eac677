import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

/**
 * A paste that edits every paragraph of a long document costs a word diff per paragraph: those run
 * in the parse pool with the alignment (translations/source-update.ts alignSource), not on the event
 * loop, so the server keeps answering while an editor previews it.
 */
const PARAGRAPHS = 3_000;
const words = (i: number) => Array.from({ length: 60 }, (_, j) => `w${(i * 7 + j) % 500}`).join(" ");
const before = Array.from(
  { length: PARAGRAPHS },
  (_, i) => `Paragraph ${i} of the long article: ${words(i)}.`,
);
const after = before.map((p) => p.replace("long article", "longer article").replace(/w1(\d)\b/g, "x1$1"));

describe("a large Update source preview", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  let id: string;
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    const created = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ sourceLang: "en", format: "text", content: before.join("\n\n"), languages: ["es"] });
    expect(created.status).toBe(201);
    id = created.body.id;
  }, 60_000);
  afterAll(() => t.close());

  it("keeps /healthz answering while thousands of edited paragraphs are diffed, with the same plan", async () => {
    let done = false;
    const preview = request(t.app)
      .put(`/api/v1/documents/${id}/source?dryRun=true`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ format: "text", content: after.join("\n\n"), baseVersion: 1 })
      .then((res) => {
        done = true;
        return res;
      });
    const waits: number[] = [];
    while (!done) {
      const started = performance.now();
      const health = await request(t.app).get("/healthz");
      expect(health.status).toBe(200);
      waits.push(performance.now() - started);
    }
    const res = await preview;
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    const edited = res.body.plan.paragraphs.filter((p: { fate: string }) => p.fate === "edited");
    expect(edited.length).toBeGreaterThan(PARAGRAPHS / 2);
    expect(edited[0].changes).toContainEqual({ op: "insert", text: "longer" });
    // Diffed on this thread, one /healthz waited for all of them: 1,059 ms measured on the shared
    // 2-core machine, against 368 ms with the diffs in the parse pool. A hang guard, not a benchmark.
    expect(waits.length).toBeGreaterThan(1);
    expect(Math.max(...waits)).toBeLessThan(1_000);
  }, 60_000);

  it("compares two kept versions on the history page in the parse pool, /healthz answering meanwhile", async () => {
    const applied = await request(t.app)
      .put(`/api/v1/documents/${id}/source`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ format: "text", content: after.join("\n\n"), baseVersion: 1 });
    expect(applied.status).toBe(200);
    const { agent: editor } = await signIn(t.app, "eddie", "eddie-password");
    let done = false;
    const compare = editor.get(`/documents/${id}/history?from=1&to=2`).then((res) => {
      done = true;
      return res;
    });
    const waits: number[] = [];
    while (!done) {
      const started = performance.now();
      expect((await request(t.app).get("/healthz")).status).toBe(200);
      waits.push(performance.now() - started);
    }
    const res = await compare;
    expect(res.status).toBe(200);
    expect(res.text).toContain("longer");
    expect(waits.length).toBeGreaterThan(1);
    expect(Math.max(...waits)).toBeLessThan(1_000);
  }, 60_000);
});
