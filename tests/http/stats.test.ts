import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeAppWithTeam, signIn, type TestApp, textOf } from "../helpers.ts";

describe("statistics API and page", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  let doc: string;
  const as = (token: string) => ({
    get: (path: string) => request(t.app).get(path).set("Authorization", `Bearer ${token}`),
    put: (path: string, body: object) =>
      request(t.app).put(path).set("Authorization", `Bearer ${token}`).send(body),
    post: (path: string, body: object) =>
      request(t.app).post(path).set("Authorization", `Bearer ${token}`).send(body),
  });

  // Hand-counted fixture: the title "Budget day" (2 words) and "The minister spoke for an hour." (6 words).
  // tina translates both (one from memory), eddie rejects the title, tina saves it again, eddie approves
  // both: tina translated 2 + 6 + 2 = 10 (memory 6), eddie reviewed 2 + 2 + 6 = 10, tina's approved 8.
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    const created = await as(tokens.editor).post("/api/v1/documents", {
      sourceLang: "en",
      format: "text",
      content: "The minister spoke for an hour.",
      title: "Budget day",
      languages: ["es"],
    });
    doc = created.body.id;
    const path = (pid: string) => `/api/v1/documents/${doc}/translations/es/paragraphs/${pid}`;
    const tina = as(tokens.translator);
    const eddie = as(tokens.editor);
    expect((await tina.put(path("p1"), { text: "Día del presupuesto", baseRevision: 0 })).status).toBe(200);
    expect(
      (await tina.put(path("p2"), { text: "El ministro habló una hora.", baseRevision: 0, origin: "memory" }))
        .status,
    ).toBe(200);
    await eddie.post(`${path("p1")}/review`, { action: "reject", revision: 1, comment: "Mayúsculas" });
    await tina.put(path("p1"), { text: "Día del Presupuesto", baseRevision: 1 });
    await eddie.post(`${path("p1")}/review`, { action: "approve", revision: 2 });
    await eddie.post(`${path("p2")}/review`, { action: "approve", revision: 1 });
  });
  afterAll(() => t.close());

  it("counts words per user by origin (hand-counted)", async () => {
    const res = await as(tokens.editor).get(`/api/v1/stats?groupBy=user&document=${doc}`);
    expect(res.status).toBe(200);
    const byUser = Object.fromEntries(res.body.rows.map((r: { key: string }) => [r.key, r]));
    expect(byUser.tina.translated).toEqual({ total: 10, human: 4, memory: 6, mt: 0 });
    expect(byUser.tina.approved).toEqual({ total: 8, human: 2, memory: 6, mt: 0 });
    expect(byUser.tina.approvals).toBe(2);
    expect(byUser.eddie.reviewed).toEqual({ total: 10, human: 4, memory: 6, mt: 0 });
    expect(res.body.total.translated.total).toBe(10);
    expect(res.body.total.medianHoursToApproval).toBeGreaterThanOrEqual(0);
  });

  it("filters by language and period, and refuses bad filters", async () => {
    const future = await as(tokens.admin).get(`/api/v1/stats?groupBy=day&from=2999-01-01&document=${doc}`);
    expect(future.body.rows).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await as(tokens.admin).get(
      `/api/v1/stats?groupBy=day&lang=es&from=${today}&to=${today}&document=${doc}`,
    );
    expect(byDay.body.rows.map((r: { key: string }) => r.key)).toEqual([today]);
    expect((await as(tokens.admin).get("/api/v1/stats?groupBy=planet")).status).toBe(400);
    expect((await as(tokens.admin).get("/api/v1/stats?from=yesterday")).status).toBe(400);
    for (const query of ["from=9999-99-99", "to=2026-02-30", "from=2026-03-01&to=2026-02-01"]) {
      const res = await as(tokens.admin).get(`/api/v1/stats?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe("invalid_fields");
    }
    expect((await as(tokens.admin).get("/api/v1/stats?lang=not%20a%20tag")).status).toBe(400);
    expect((await as(tokens.admin).get("/api/v1/stats?document=nope")).status).toBe(404);
  });

  it("is for editors and admins", async () => {
    expect((await request(t.app).get("/api/v1/stats")).status).toBe(401);
    expect((await as(tokens.translator).get("/api/v1/stats")).status).toBe(403);
    expect((await as(tokens.editor).get("/api/v1/stats")).status).toBe(200);
    expect((await as(tokens.admin).get("/api/v1/stats")).status).toBe(200);
  });

  it("downloads the same numbers as CSV", async () => {
    const res = await textOf(as(tokens.editor).get(`/api/v1/stats?groupBy=user&document=${doc}&format=csv`));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = res.text.trim().split("\n");
    expect(lines[0]).toBe(
      "user,translated_total,translated_human,translated_memory,translated_mt,reviewed_total,reviewed_human,reviewed_memory,reviewed_mt,approved_total,approved_human,approved_memory,approved_mt,approvals,median_hours_to_approval,mean_hours_to_approval",
    );
    expect(lines[1]).toMatch(/^eddie,0,0,0,0,10,4,6,0,0,0,0,0,0,,$/);
    expect(lines[2]).toMatch(/^tina,10,4,6,0,0,0,0,0,8,2,6,0,2,[\d.]+,[\d.]+$/);
  });

  it("renders the page with a chart and its table, and a CSV link, for editors only", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const page = await eddie.agent.get("/stats").query({ groupBy: "user", document: doc });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<svg role="img" class="wide" aria-labelledby="chart-title"');
    // And the phone's layout, labels above the bars (CSS shows one of the two).
    expect(page.text).toContain('<svg role="img" class="narrow" aria-labelledby="chart-title-narrow"');
    expect(page.text).toMatch(/<rect [^>]*class="bar-translated"><title>tina · Translated: 10<\/title>/);
    const row = page.text.slice(page.text.indexOf('<th scope="row">tina</th>'));
    const cells = [...row.slice(0, row.indexOf("</tr>")).matchAll(/<td data-label="([^"]*)">([^<]*)<\/td>/g)];
    expect(cells.slice(0, 4).map((m) => [m[1], m[2]])).toEqual([
      ["Translated · Total", "10"],
      ["Translated · Typed", "4"],
      ["Translated · Memory", "6"],
      ["Translated · Machine", "0"],
    ]);
    const csvHref = /href="(\/stats\/download\?[^"]+)"/
      .exec(page.text)?.[1]
      ?.replaceAll("&amp;", "&") as string;
    const csv = await textOf(eddie.agent.get(csvHref));
    expect(csv.text.split("\n")[2]).toMatch(/^tina,10,/);
    const tina = await signIn(t.app, "tina", "tina-password");
    expect((await tina.agent.get("/stats")).status).toBe(403);
    expect((await tina.agent.get("/stats/download")).status).toBe(403);
    const spanish = await eddie.agent.get("/stats").query({ lng: "es", groupBy: "month" });
    expect(spanish.text).toContain("Estadísticas");
  });
  // Last: it saves, which moves the counts the tests above pin.
  it("reads a history again only once it changed (facts kept per translation version)", async () => {
    const reads = vi.spyOn(t.store, "readTranslationEvents");
    try {
      await as(tokens.editor).get("/api/v1/stats?groupBy=lang");
      reads.mockClear();
      await as(tokens.editor).get("/api/v1/stats?groupBy=month");
      expect(reads).not.toHaveBeenCalled();
      await as(tokens.translator).put(`/api/v1/documents/${doc}/translations/es/paragraphs/p2`, {
        text: "El ministro habló durante una hora.",
        baseRevision: 1,
      });
      const after = await as(tokens.editor).get(`/api/v1/stats?groupBy=user&document=${doc}`);
      expect(reads.mock.calls.map((c) => c.slice(0, 2))).toContainEqual([doc, "es"]);
      expect(after.body.rows.find((r: { key: string }) => r.key === "tina").translated.total).toBe(16);
    } finally {
      reads.mockRestore();
    }
  });
});
