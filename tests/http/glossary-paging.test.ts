import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GLOSSARY_PAGE_SIZE } from "../../server/routes/pages/glossary.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const rows = (text: string) => text.match(/<tr id="term-/g)?.length ?? 0;

describe("glossary list paging", () => {
  let t: TestApp;
  let total = 0;
  beforeAll(async () => {
    const team = await makeAppWithTeam();
    t = team.t;
    // Sorted by source, "zz…" terms come last: the search must still find them from page 1.
    const csv = `en,es\n${Array.from({ length: 250 }, (_, i) => `zz term ${String(i).padStart(3, "0")},término ${i}`).join("\n")}\n`;
    const imported = await request(t.app)
      .post("/api/v1/glossary/import?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${team.tokens.editor}`)
      .type("text/csv")
      .send(csv);
    expect(imported.body.created).toBe(250);
    const list = await request(t.app)
      .get("/api/v1/glossary")
      .set("Authorization", `Bearer ${team.tokens.translator}`);
    total = list.body.terms.length;
  });
  afterAll(() => t.close());

  it("shows one page of terms at a time, with links to the next and previous pages", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    const first = await agent.get("/glossary");
    expect(first.status).toBe(200);
    expect(rows(first.text)).toBe(GLOSSARY_PAGE_SIZE);
    expect(first.text).toContain('rel="next" href="/glossary?sort=source&amp;page=2"');
    expect(first.text).not.toContain('rel="prev"');
    const pages = Math.ceil(total / GLOSSARY_PAGE_SIZE);
    const last = await agent.get(`/glossary?page=${pages}`);
    expect(rows(last.text)).toBe(total - (pages - 1) * GLOSSARY_PAGE_SIZE);
    expect(last.text).toContain(">zz term 249</a>");
    expect(last.text).toContain(`rel="prev" href="/glossary?sort=source&amp;page=${pages - 1}"`);
    expect(last.text).not.toContain('rel="next"');
    // Every term is on exactly one page.
    const seen = new Set<string>();
    for (let page = 1; page <= pages; page++) {
      const res = await agent.get(`/glossary?page=${page}`);
      for (const m of res.text.matchAll(/<tr id="term-([^"]+)"/g)) seen.add(m[1] as string);
    }
    expect(seen.size).toBe(total);
  });

  it("searches the whole glossary, not only the page shown, and keeps the search in the page links", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    const found = await agent.get("/glossary?q=zz+term+249");
    expect(rows(found.text)).toBe(1);
    expect(found.text).toContain(">zz term 249</a>");
    const many = await agent.get("/glossary?q=zz+term&lang=es&page=2");
    expect(rows(many.text)).toBe(GLOSSARY_PAGE_SIZE);
    expect(many.text).toContain('href="/glossary?q=zz+term&amp;lang=es&amp;sort=source&amp;page=3"');
  });

  it("puts the glossary's own search first, and says the concordance searches the translation memory", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    for (const [path, help] of [
      ["/glossary", "not in the glossary"],
      ["/glossary?lng=es", "no en el glosario"],
    ] as const) {
      const page = (await agent.get(path)).text;
      const glossarySearch = page.indexOf('action="/glossary" class="row filters-form"');
      const concordance = page.indexOf('action="/memory" class="card row concordance-form"');
      expect(glossarySearch).toBeGreaterThan(0);
      expect(concordance).toBeGreaterThan(glossarySearch);
      expect(page.slice(concordance)).toContain(help);
    }
  });

  it("answers 400 to a page that is not a page number", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    expect((await agent.get("/glossary?page=abc")).status).toBe(400);
    expect((await agent.get("/glossary?page=0")).status).toBe(400);
    // Past the last page: the last page.
    const far = await agent.get("/glossary?page=999");
    expect(far.status).toBe(200);
    expect(far.text).toContain(">zz term 249</a>");
  });
});
