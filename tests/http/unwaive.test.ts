/**
 * A waiver can be taken back: through the API (`DELETE .../waivers`), and from the page's Undo that
 * follows a waive (no script needed). The finding is open again; history keeps both events; each
 * has an audit entry. Every role that may waive may lift a waiver.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { csrfFrom, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const API = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;
const PAGE = `/documents/${SEED_DOCUMENT_ID}/es`;
const FORBIDDEN = "Milei quiere aplicar la sierra mecánica.";

describe("lifting a waiver", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  async function waivedFinding(token: string, pid: string) {
    const as = { Authorization: `Bearer ${token}` };
    const current = await request(t.app).get(API).set(as);
    const base = (current.body.paragraphs as { id: string; revision: number }[]).find(
      (p) => p.id === pid,
    )?.revision;
    const saved = await request(t.app)
      .put(`${API}/paragraphs/${pid}`)
      .set(as)
      .send({ text: FORBIDDEN, baseRevision: base ?? 0 });
    expect(saved.status).toBe(200);
    const finding = (saved.body.qa as { code: string; termId: string }[]).find(
      (f) => f.code === "forbidden-term",
    );
    if (!finding) throw new Error("no forbidden-term finding");
    const waived = await request(t.app)
      .post(`${API}/paragraphs/${pid}/waivers`)
      .set(as)
      .send({ termId: finding.termId, code: finding.code, reason: "Cita textual" });
    expect(waived.status).toBe(201);
    return finding;
  }

  for (const [role, pid] of [
    ["translator", "p8"],
    ["editor", "p8"],
    ["admin", "p8"],
  ] as const) {
    it(`DELETE .../waivers opens the finding again, as ${role}`, async () => {
      const token = tokens[role];
      const as = { Authorization: `Bearer ${token}` };
      const finding = await waivedFinding(token, pid);
      const lifted = await request(t.app)
        .delete(`${API}/paragraphs/${pid}/waivers`)
        .query({ code: finding.code, termId: finding.termId })
        .set(as);
      expect(lifted.status).toBe(200);
      expect(
        (lifted.body.qa as { code: string; termId: string }[]).some(
          (f) => f.code === finding.code && f.termId === finding.termId,
        ),
      ).toBe(true);
      const view = await request(t.app).get(API).set(as);
      const row = (view.body.paragraphs as { id: string; qa: { code: string }[] }[]).find(
        (p) => p.id === pid,
      );
      expect(row?.qa.map((f) => f.code)).toContain("forbidden-term");
      expect((await t.store.listAudit(1))[0]).toMatchObject({ action: "finding.unwaive" });
      // Nothing left to lift: 404; a malformed query: 400.
      const again = await request(t.app)
        .delete(`${API}/paragraphs/${pid}/waivers`)
        .query({ code: finding.code, termId: finding.termId })
        .set(as);
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe("waiver_not_found");
      const bad = await request(t.app)
        .delete(`${API}/paragraphs/${pid}/waivers`)
        .query({ code: "nonsense" })
        .set(as);
      expect(bad.status).toBe(400);
    });
  }

  it("refuses a stranger (401)", async () => {
    const res = await request(t.app)
      .delete(`${API}/paragraphs/p8/waivers`)
      .query({ code: "forbidden-term", termId: "x" });
    expect(res.status).toBe(401);
  });

  it("offers Undo after a waive on the page, and the Undo form lifts it without scripts", async () => {
    const finding = await waivedFinding(tokens.translator, "p8");
    // Lift the API's waiver first, then waive through the page as a person would.
    await request(t.app)
      .delete(`${API}/paragraphs/p8/waivers`)
      .query({ code: finding.code, termId: finding.termId })
      .set({ Authorization: `Bearer ${tokens.translator}` });
    const tina = await signIn(t.app, "tina", "tina-password");
    const form = await tina.agent.get(`${PAGE}/paragraphs/p8/waive?lng=es`);
    const waived = await tina.agent
      .post(`${PAGE}/paragraphs/p8/waive`)
      .type("form")
      .send({
        _csrf: csrfFrom(form.text),
        finding: `${finding.code} ${finding.termId}`,
        reason: "Cita textual",
      });
    expect(waived.status).toBe(303);
    const editor = await tina.agent.get(`${PAGE}?lng=es`);
    expect(editor.text).toContain("Aviso ignorado");
    const undo = /<form method="post" action="([^"]+\/unwaive)"[^>]*>([\s\S]*?)<\/form>/.exec(editor.text);
    expect(undo?.[1]).toBe(`${PAGE}/paragraphs/p8/unwaive`);
    expect(undo?.[2]).toContain("Deshacer");
    const fields = Object.fromEntries(
      Array.from((undo?.[2] ?? "").matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)).map(
        (m) => [m[1], m[2]],
      ),
    );
    expect(fields.finding).toBe(`${finding.code} ${finding.termId}`);
    const lifted = await tina.agent.post(`${PAGE}/paragraphs/p8/unwaive`).type("form").send(fields);
    expect(lifted.status).toBe(303);
    expect(lifted.headers.location).toBe(`${PAGE}#p-p8`);
    const view = await request(t.app)
      .get(API)
      .set({ Authorization: `Bearer ${tokens.translator}` });
    const row = (view.body.paragraphs as { id: string; qa: { code: string }[] }[]).find((p) => p.id === "p8");
    expect(row?.qa.map((f) => f.code)).toContain("forbidden-term");
    // The flash is shown once: the next page has no Undo left.
    const after = await tina.agent.get(`${PAGE}?lng=es`);
    expect(after.text).not.toContain("/unwaive");
  });
});
