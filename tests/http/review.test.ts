import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const DOC = `/documents/${SEED_DOCUMENT_ID}/es`;

describe("review pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  async function save(
    agent: Awaited<ReturnType<typeof signIn>>,
    pid: string,
    text: string,
    baseRevision: number,
  ) {
    // Saved as the page's script does: the API with the session and its CSRF header.
    const res = await agent.agent
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${pid}`)
      .set("X-CSRF-Token", agent.csrf)
      .send({ text, baseRevision });
    expect(res.status).toBe(200);
    return res.body as { revision: number };
  }

  it("lists what changed since the last approval; approving and rejecting take paragraphs off the list", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    await save(tina, "p2", "El líder argentino esperaba hablar con el presidente electo republicano", 0);
    await save(tina, "p3", "Javier Milei por fin habló con Donald Trump.", 0);
    const page = await eddie.agent.get(`${DOC}/review`);
    // The key hints are for the script's keys: hidden until it runs (they do nothing without it).
    expect(page.text).toMatch(/<span class="muted" id="review-keys" hidden>/);
    expect(page.status).toBe(200);
    expect(page.text.match(/<article class="review-card/g)).toHaveLength(2);
    expect(page.text).toContain("Never approved: the whole text");
    expect(page.text).toContain("now uses “presidente electo” (president-elect)");
    // The source is highlighted here too.
    expect(page.text).toMatch(
      /<span class="term" data-term="[^"]+" title="→ presidente electo">president-elect<\/span>/,
    );

    const approve = await eddie.agent
      .post(`${DOC}/paragraphs/p2/review`)
      .type("form")
      .send({ _csrf: eddie.csrf, action: "approve", revision: "1" });
    expect(approve.status).toBe(303);
    const noComment = await eddie.agent
      .post(`${DOC}/paragraphs/p3/review`)
      .type("form")
      .send({ _csrf: eddie.csrf, action: "reject", revision: "1", comment: " " });
    expect(noComment.status).toBe(400);
    const reject = await eddie.agent.post(`${DOC}/paragraphs/p3/review`).type("form").send({
      _csrf: eddie.csrf,
      action: "reject",
      revision: "1",
      comment: "Falta el contexto <b>de la espera</b>",
    });
    expect(reject.status).toBe(303);
    expect((await eddie.agent.get(`${DOC}/review`)).text).toContain("Nothing left to review");

    // The translator sees the rejection and its comment, escaped, in the editor.
    const editor = await tina.agent.get(DOC);
    expect(editor.text).toContain("Falta el contexto &lt;b&gt;de la espera&lt;/b&gt;");
    expect(editor.text).toMatch(/id="p-p3"[^>]*>/);
    expect(editor.text).toMatch(/class="para status-rejected[^"]*" id="p-p3"/);

    // A new save after approval shows the diff from the approved revision.
    await save(
      tina,
      "p2",
      "El líder argentino esperaba hablar con el presidente electo republicano desde hace una semana",
      1,
    );
    const again = await eddie.agent.get(`${DOC}/review`);
    expect(again.text).toContain('Changes since approved revision <span class="as-written">r1</span>');
    expect(again.text).toMatch(/<ins>.*desde hace una semana/);
  });

  it("approves only the revision the reviewer saw: a save in between is a 409 showing the new diff", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    await save(tina, "p4", "Primera", 0);
    await save(tina, "p4", "Segunda", 1);
    const res = await eddie.agent
      .post(`${DOC}/paragraphs/p4/review`)
      .type("form")
      .send({ _csrf: eddie.csrf, action: "approve", revision: "1" });
    expect(res.status).toBe(409);
    expect(res.text).toContain("saved a newer revision");
    expect(res.text).toContain("Segunda");
  });

  it("keeps translators away from reviewing", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    expect((await tina.agent.get(`${DOC}/review`)).status).toBe(403);
    expect((await tina.agent.get("/review")).status).toBe(403);
    const res = await tina.agent
      .post(`${DOC}/paragraphs/p2/review`)
      .type("form")
      .send({ _csrf: tina.csrf, action: "approve", revision: "1" });
    expect(res.status).toBe(403);
    const editor = await tina.agent.get(DOC);
    expect(editor.text).not.toContain('value="approve"');
    expect(editor.text).not.toContain('href="/review"');
  });

  it("shows a paragraph's history with any two revisions compared, and reverts by adding a revision", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    await save(tina, "p5", "Uno dos tres", 0);
    await save(tina, "p5", "Uno, dos tres cuatro", 1);
    const page = await tina.agent.get(`${DOC}/paragraphs/p5?from=1&to=2`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<ins><span class="visually-hidden">inserted: <\/span> cuatro<\/ins>/);
    const ignoring = await tina.agent.get(`${DOC}/paragraphs/p5?from=1&to=2&ignore=1&mode=side`);
    expect(ignoring.text).not.toMatch(/<ins><span class="visually-hidden">inserted: <\/span>,<\/ins>/);
    expect(ignoring.text).toContain('class="diff-side"');
    const revert = await tina.agent
      .post(`${DOC}/paragraphs/p5/revert`)
      .type("form")
      .send({ _csrf: tina.csrf, revision: "1" });
    expect(revert.status).toBe(303);
    const revisions = (await t.app.services.translations.paragraph(SEED_DOCUMENT_ID, "es", "p5")).translation
      ?.revisions;
    expect(revisions?.map((r) => [r.revision, r.text, r.revertOf])).toEqual([
      [1, "Uno dos tres", undefined],
      [2, "Uno, dos tres cuatro", undefined],
      [3, "Uno dos tres", 1],
    ]);
  });

  it("escapes every revision text in every diff view", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const nasty = `<script>alert(1)</script> <img src=x onerror="alert(2)"> &amp; "quoted" 'single'`;
    await save(tina, "p6", "Texto inicial", 0);
    await save(tina, "p6", nasty, 1);
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    for (const path of [
      `${DOC}/paragraphs/p6?from=1&to=2`,
      `${DOC}/paragraphs/p6?from=1&to=2&mode=side`,
      `${DOC}/review`,
      DOC,
    ]) {
      const res = await eddie.agent.get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain("<script>alert(1)");
      expect(res.text).not.toContain("<img src=x");
      expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(res.text).toContain("&amp;amp;");
    }
  });

  it("lets a translator waive a finding with a reason, shown to the reviewer", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    await save(tina, "p8", "La sierra mecánica de Milei", 0);
    const editor = await tina.agent.get(`${DOC}?filter=findings`);
    expect(editor.text).toContain(`href="${DOC}/paragraphs/p8/waive"`);
    const page = await tina.agent.get(`${DOC}/paragraphs/p8/waive`);
    expect(page.status).toBe(200);
    // The waiver page names each finding as "<code> <termId>".
    const finding = /<input type="radio" name="finding" value="(forbidden-term [^"]+)"/.exec(page.text)?.[1];
    expect(finding).toBeDefined();
    const termId = finding?.split(" ")[1];
    const empty = await tina.agent
      .post(`${DOC}/paragraphs/p8/waive`)
      .type("form")
      .send({ _csrf: tina.csrf, termId, code: "forbidden-term", reason: " " });
    expect(empty.status).toBe(400);
    const ok = await tina.agent
      .post(`${DOC}/paragraphs/p8/waive`)
      .type("form")
      .send({ _csrf: tina.csrf, finding, reason: "Cita textual del ministro" });
    expect(ok.status).toBe(303);
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const review = await eddie.agent.get(`${DOC}/review`);
    expect(review.text).toContain("waived by tina: Cita textual del ministro");
    const audit = await t.store.listAudit(10);
    expect(audit.some((e) => e.action === "finding.waive" && e.actor === "tina")).toBe(true);
  });
});
