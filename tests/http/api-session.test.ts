import { readFileSync } from "node:fs";
/** The API called from a page: the session cookie authenticates, the X-CSRF-Token header guards writes. */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const API = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;
const PAGE = `/documents/${SEED_DOCUMENT_ID}/es`;

describe("the API with a browser session", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("reads with the session cookie alone, and refuses no credentials at all with 401 in the API's shape", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const read = await tina.agent.get("/api/v1/documents");
    expect(read.status).toBe(200);
    expect(read.body.documents[0].id).toBe(SEED_DOCUMENT_ID);
    const anonymous = await request(t.app).get("/api/v1/documents");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("unauthorized");
  });

  it("refuses a session write without the CSRF header, whatever the content type, and takes it with the header", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const body = { text: "El líder argentino esperaba.", baseRevision: 0 };
    const bare = await tina.agent.put(`${API}/paragraphs/p2`).send(body);
    expect(bare.status).toBe(403);
    expect(bare.body).toEqual({ error: { code: "invalid_csrf_token", message: expect.any(String) } });
    // A token in the body is what a forged form could carry: only the header counts here.
    const inBody = await tina.agent.put(`${API}/paragraphs/p2`).send({ ...body, _csrf: tina.csrf });
    expect(inBody.status).toBe(403);
    const form = await tina.agent
      .post(`${API}/paragraphs/p2/review`)
      .type("form")
      .send({ action: "approve", revision: "1", _csrf: tina.csrf });
    expect(form.status).toBe(403);
    const multipart = await tina.agent
      .post(`${API}/paragraphs/p2/clear`)
      .field("baseRevision", "0")
      .field("_csrf", tina.csrf);
    expect(multipart.status).toBe(403);
    const wrong = await tina.agent.put(`${API}/paragraphs/p2`).set("X-CSRF-Token", "x".repeat(64)).send(body);
    expect(wrong.status).toBe(403);

    const ok = await tina.agent.put(`${API}/paragraphs/p2`).set("X-CSRF-Token", tina.csrf).send(body);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      revision: 1,
      status: "translated",
      text: body.text,
      author: "tina",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      progress: { total: 12, translated: expect.any(Number), approved: expect.any(Number) },
    });
    expect(ok.body.progress.words.total).toBeGreaterThan(0);
  });

  it("needs no CSRF header with a bearer token, even when a session cookie comes along", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const res = await tina.agent
      .put(`${API}/paragraphs/p3`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ text: "Javier Milei por fin habló con Donald Trump.", baseRevision: 0 });
    expect(res.status).toBe(200);
    // The token decides who saved, not the cookie.
    expect(res.body.author).toBe("eddie");
    const bad = await tina.agent.get("/api/v1/documents").set("Authorization", "Bearer nope");
    expect(bad.status).toBe(401);
  });

  it("lets an editor and an admin save and approve through their sessions", async () => {
    for (const [username, password, pid] of [
      ["eddie", "eddie-password", "p4"],
      ["admin", undefined, "p5"],
    ] as const) {
      const who = password ? await signIn(t.app, username, password) : await signIn(t.app);
      const saved = await who.agent
        .put(`${API}/paragraphs/${pid}`)
        .set("X-CSRF-Token", who.csrf)
        .send({ text: `Texto de ${username}.`, baseRevision: 0 });
      expect(saved.status).toBe(200);
      const approved = await who.agent
        .post(`${API}/paragraphs/${pid}/review`)
        .set("X-CSRF-Token", who.csrf)
        .send({ action: "approve", revision: saved.body.revision });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ revision: 1, status: "approved" });
      expect(approved.body.progress.approved).toBeGreaterThanOrEqual(1);
    }
  });

  it("ends the API session of a disabled user like the page session, saying why (403 account_disabled)", async () => {
    const tom = await request(t.app)
      .post("/api/v1/users")
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({ username: "tom", password: "tom-password", role: "translator" });
    expect(tom.status).toBe(201);
    const session = await signIn(t.app, "tom", "tom-password");
    expect((await session.agent.get("/api/v1/documents")).status).toBe(200);
    await t.app.services.accounts.setDisabled("tom", true, "admin");
    const after = await session.agent.get("/api/v1/documents");
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe("account_disabled");
  });

  it("answers a stale save with 409 whose current carries the word diff theirs → mine", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const first = await tina.agent
      .put(`${API}/paragraphs/p6`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ text: "La charla fue el martes.", baseRevision: 0 });
    expect(first.status).toBe(200);
    const stale = await tina.agent
      .put(`${API}/paragraphs/p6`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ text: "La charla fue el miércoles.", baseRevision: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("revision_conflict");
    expect(stale.body.current).toMatchObject({
      revision: 1,
      text: "La charla fue el martes.",
      author: "tina",
      createdAt: expect.any(String),
    });
    const changes = stale.body.current.changes as { op: string; text: string }[];
    expect(
      changes
        .filter((c) => c.op !== "insert")
        .map((c) => c.text)
        .join(""),
    ).toBe("La charla fue el martes.");
    expect(
      changes
        .filter((c) => c.op !== "delete")
        .map((c) => c.text)
        .join(""),
    ).toBe("La charla fue el miércoles.");
  });

  it("clears a translation and waives a finding through the API", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const saved = await tina.agent
      .put(`${API}/paragraphs/p8`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ text: "Milei quiere aplicar la sierra mecánica.", baseRevision: 0 });
    expect(saved.status).toBe(200);
    const finding = (saved.body.qa as { code: string; termId: string }[]).find(
      (f) => f.code === "forbidden-term",
    );
    expect(finding).toBeDefined();
    const noReason = await tina.agent
      .post(`${API}/paragraphs/p8/waivers`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ termId: finding?.termId, code: finding?.code, reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe("empty_reason");
    const waived = await tina.agent
      .post(`${API}/paragraphs/p8/waivers`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ termId: finding?.termId, code: finding?.code, reason: "Cita textual" });
    expect(waived.status).toBe(201);
    expect(waived.body).toMatchObject({ code: "forbidden-term", reason: "Cita textual", author: "tina" });
    expect(
      (waived.body.qa as { code: string; termId: string }[]).some(
        (f) => f.code === finding?.code && f.termId === finding?.termId,
      ),
    ).toBe(false);

    const stale = await tina.agent
      .post(`${API}/paragraphs/p8/clear`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ baseRevision: 0 });
    expect(stale.status).toBe(409);
    const cleared = await tina.agent
      .post(`${API}/paragraphs/p8/clear`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ baseRevision: 1 });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ revision: 2, status: "untranslated", text: "", author: "tina" });
  });
});

describe("the editor page without JavaScript", () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("saves a posted form and lands on the next paragraph that needs work, skipping translated ones", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    // p3 has no glossary term; p4's text uses its term: both translated in full with no finding
    // (of any check: a short draft of a long paragraph has a length finding), so skipped.
    const spanish = readFileSync(
      new URL("../fixtures/quality/seed-article.es.txt", import.meta.url),
      "utf8",
    ).split("\n");
    for (const [pid, text] of [
      ["p3", spanish[2] as string],
      ["p4", spanish[3] as string],
    ] as const) {
      const res = await tina.agent
        .post(`${PAGE}/paragraphs/${pid}`)
        .type("form")
        .send({ _csrf: tina.csrf, text, baseRevision: "0", intent: "save" });
      expect(res.status).toBe(303);
    }
    const res = await tina.agent
      .post(`${PAGE}/paragraphs/p2`)
      .type("form")
      .send({ _csrf: tina.csrf, text: "Traducción de p2.", baseRevision: "0", intent: "save" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${PAGE}#p-p5`);
    // The page it lands on says the save landed, since nothing else on it would.
    expect((await tina.agent.get(PAGE)).text).toContain("Paragraph 2 saved (r1).");
  });

  it("wraps to the first paragraph that needs work after saving the last one", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const title = await tina.agent
      .post(`${PAGE}/paragraphs/p1`)
      .type("form")
      .send({ _csrf: tina.csrf, text: "Trump a Milei: «Es mi presidente favorito»", baseRevision: "0" });
    expect(title.status).toBe(303);
    const res = await tina.agent
      .post(`${PAGE}/paragraphs/p12`)
      .type("form")
      .send({ _csrf: tina.csrf, text: "Último párrafo.", baseRevision: "0", intent: "save" });
    expect(res.status).toBe(303);
    // p1 is translated now; p2's open findings are warnings only (its terms are missing), which
    // need no more work: the first that does is the first untranslated paragraph.
    expect(res.headers.location).toBe(`${PAGE}#p-p5`);
  });

  it("answers a form post with a redirect even when JSON is asked for: pages have no JSON path", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const res = await tina.agent
      .post(`${PAGE}/paragraphs/p6`)
      .set("Accept", "application/json")
      .send({ _csrf: tina.csrf, text: "Seis.", baseRevision: 0 });
    expect(res.status).toBe(303);
    const check = await tina.agent
      .post(`${PAGE}/paragraphs/p6/check`)
      .set("Accept", "application/json")
      .send({ _csrf: tina.csrf, text: "Seis." });
    expect(check.status).toBe(404);
  });

  it("approves from the editor's form as an editor and returns to the row", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const res = await eddie.agent
      .post(`${PAGE}/paragraphs/p3/review?return=editor`)
      .type("form")
      .send({ _csrf: eddie.csrf, action: "approve", baseRevision: "1", text: "x" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${PAGE}#p-p3`);
    const page = await eddie.agent.get(PAGE);
    expect(page.text).toMatch(/<article class="para status-approved[^"]*" id="p-p3"/);
  });
});

describe("counts in the Spanish interface", () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("says “1 aprobado” and “Queda 1 párrafo”, with i18next's plural forms", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    for (const pid of ["p3", "p12"]) {
      const saved = await eddie.agent
        .put(`${API}/paragraphs/${pid}`)
        .set("X-CSRF-Token", eddie.csrf)
        .send({ text: `Texto ${pid}.`, baseRevision: 0 });
      expect(saved.status).toBe(200);
    }
    const approved = await eddie.agent
      .post(`${API}/paragraphs/p3/review`)
      .set("X-CSRF-Token", eddie.csrf)
      .send({ action: "approve", revision: 1 });
    expect(approved.status).toBe(200);
    const editor = await eddie.agent.get(`${PAGE}?lng=es`);
    expect(editor.text).toContain("2 de 12 traducidos (17 %) · 1 aprobado ·");
    expect(editor.text).not.toContain("1 aprobados");
    const review = await eddie.agent.get(`${PAGE}/review?lng=es`);
    expect(review.text).toContain("Queda 1 párrafo por revisar");
    const english = await eddie.agent.get(`${PAGE}/review?lng=en`);
    expect(english.text).toContain("1 paragraph left to review");
  });
});
