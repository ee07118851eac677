/**
 * A long editor page: rows past the first screens are light (source unmarked, a link to their
 * findings), `?from=` renders a stretch in full for readers without scripts, and the API reads a
 * range of paragraphs with their findings and waivers for the page's script.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULL_ROWS } from "../../server/routes/pages/editor.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const ROWS = FULL_ROWS + 30;

describe("light rows of a long editor page", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  let page: string;
  let id: string;
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
    const content = Array.from(
      { length: ROWS },
      (_, i) => `Paragraph ${i}: the Casa Rosada said the chainsaw would reach every ministry.`,
    ).join("\n");
    const doc = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({ sourceLang: "en", format: "text", content, languages: ["es"] });
    id = doc.body.id;
    page = `/documents/${id}/es`;
    // Far down: a translation with findings (its terms are missing).
    const last = `p${ROWS - 1}`;
    const saved = await request(t.app)
      .put(`/api/v1/documents/${id}/translations/es/paragraphs/${last}`)
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({ text: "Dijeron que llegaría a cada ministerio.", baseRevision: 0 });
    expect(saved.status).toBe(200);
    const waived = await request(t.app)
      .post(`/api/v1/documents/${id}/translations/es/paragraphs/${last}/waivers`)
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({
        termId: saved.body.qa.find((f: { code: string }) => f.code === "missing-term").termId,
        code: "missing-term",
        reason: "Said later.",
      });
    expect(waived.status).toBe(201);
  });
  afterAll(() => t.close());

  const row = (html: string, pid: string) =>
    new RegExp(`<article [^>]*id="p-${pid}">[\\s\\S]*?</article>`).exec(html)?.[0] ?? "";

  it("renders the first rows in full and the rest light, with a link to their findings", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const html = (await tina.agent.get(page)).text;
    expect(row(html, "p1")).toContain('<span class="term"');
    expect(row(html, "p1")).not.toContain(" light");
    const light = row(html, `p${ROWS - 1}`);
    expect(light).toContain(" light");
    expect(light).not.toContain('class="term"');
    expect(light).not.toContain('class="findings"');
    // Every light row still saves with a plain form.
    expect(light).toContain(`action="${page}/paragraphs/p${ROWS - 1}"`);
    expect(light).toContain('name="_csrf"');
    expect(light).toMatch(
      new RegExp(
        `<a class="findings-link open(?: has-error)?" href="${page}\\?from=${ROWS - 1}#p-p${ROWS - 1}">\\d+ findings: show them</a>`,
      ),
    );
    // A light row without a translation has no findings and no link.
    expect(row(html, `p${ROWS - 2}`)).not.toContain("findings-link");
  });

  it("renders rows in full from ?from=, keeping the filter, for readers without scripts", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const html = (await tina.agent.get(`${page}?filter=needs-work&from=${ROWS - 1}`)).text;
    const full = row(html, `p${ROWS - 1}`);
    expect(full).toContain('<span class="term"');
    expect(full).toMatch(/<li class="finding (error|warning)"/);
    expect(full).toContain('<li class="finding waived"');
    expect(row(html, "p1")).toContain(" light");
    expect((await tina.agent.get(`${page}?from=0`)).status).toBe(400);
    expect((await tina.agent.get(`${page}?from=abc`)).status).toBe(400);
    const filtered = (await tina.agent.get(`${page}?filter=needs-work`)).text;
    expect(row(filtered, `p${ROWS - 1}`)).toContain(
      `href="${page}?filter=needs-work&amp;from=${ROWS - 1}#p-p${ROWS - 1}"`,
    );
  });

  it("sends a no-script save past the first rows to the next paragraph rendered in full", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const pid = `p${FULL_ROWS + 5}`;
    const res = await tina.agent
      .post(`${page}/paragraphs/${pid}`)
      .type("form")
      .send({ _csrf: tina.csrf, text: "Una traducción.", baseRevision: "0", intent: "save" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${page}?from=${FULL_ROWS + 6}#p-p${FULL_ROWS + 6}`);
  });

  it("reads a range of paragraphs through the API, with their waived findings", async () => {
    const res = await request(t.app)
      .get(`/api/v1/documents/${id}/translations/es?from=${ROWS - 3}&limit=10`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(res.status).toBe(200);
    expect(res.body.paragraphs.map((p: { index: number }) => p.index)).toEqual([
      ROWS - 3,
      ROWS - 2,
      ROWS - 1,
    ]);
    // Indexes count from 0: the paragraph saved above (p${ROWS - 1}) is the second of the three.
    const last = res.body.paragraphs[1];
    expect(last.id).toBe(`p${ROWS - 1}`);
    expect(last.glossary.length).toBeGreaterThan(0);
    expect(last.qa.length).toBeGreaterThan(0);
    expect(last.waived).toEqual([
      expect.objectContaining({
        code: "missing-term",
        waiver: expect.objectContaining({ author: "admin", reason: "Said later." }),
      }),
    ]);
    const whole = await request(t.app)
      .get(`/api/v1/documents/${id}/translations/es`)
      .set("Authorization", `Bearer ${tokens.translator}`);
    expect(whole.body.paragraphs).toHaveLength(ROWS);
    for (const bad of ["from=-1", "limit=0", "limit=501", "from=x"]) {
      const refused = await request(t.app)
        .get(`/api/v1/documents/${id}/translations/es?${bad}`)
        .set("Authorization", `Bearer ${tokens.translator}`);
      expect(refused.status).toBe(400);
    }
  });
});
