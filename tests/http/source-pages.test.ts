import { readFileSync } from "node:fs";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const seed = readFileSync(new URL("../fixtures/seed/article-trump-milei.txt", import.meta.url), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter(Boolean);
const PAGE = `/documents/${SEED_DOCUMENT_ID}`;

function corrected(): string {
  const lines = [...seed];
  lines[3] = (lines[3] as string).replace("Tuesday", "Wednesday").replace("spokesperson", "press secretary");
  lines.splice(1, 0, "UPDATE: The Casa Rosada released a statement on Thursday.");
  return lines.join("\n\n");
}

describe("Update source pages", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeEach(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterEach(() => t.close());

  it("a translator gets 403 on the page and on a post, and sees no link", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    expect((await tina.agent.get(`${PAGE}/source`)).status).toBe(403);
    const post = await tina.agent
      .post(`${PAGE}/source`)
      .type("form")
      .send({ _csrf: tina.csrf, content: corrected(), baseVersion: "1", intent: "apply" });
    expect(post.status).toBe(403);
    const editor = await tina.agent.get(`${PAGE}/es`);
    expect(editor.text).not.toContain(`href="${PAGE}/source"`);
    expect((await request(t.app).get(`${PAGE}/source`)).status).not.toBe(200);
  });

  it("refuses a post without its CSRF token", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const res = await eddie.agent
      .post(`${PAGE}/source`)
      .type("form")
      .send({ content: corrected(), baseVersion: "1", intent: "apply" });
    expect(res.status).toBe(403);
  });

  for (const [name, password] of [
    ["eddie", "eddie-password"],
    ["admin", undefined],
  ] as const)
    it(`as ${name}: preview shows the plan, Cancel changes nothing, Apply saves the next version`, async () => {
      const tina = await signIn(t.app, "tina", "tina-password");
      const saved = await tina.agent
        .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p4`)
        .set("X-CSRF-Token", tina.csrf)
        .send({ text: "La conversación tuvo lugar el martes.", baseRevision: 0 });
      expect(saved.status).toBe(200);
      const user = password ? await signIn(t.app, name, password) : await signIn(t.app);
      const form = await user.agent.get(`${PAGE}/source`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('name="baseVersion" value="1"');
      expect(form.text).toContain("Javier Milei has finally had");

      const preview = await user.agent.post(`${PAGE}/source`).type("form").send({
        _csrf: user.csrf,
        content: corrected(),
        format: "text",
        baseVersion: "1",
        intent: "preview",
      });
      expect(preview.status).toBe(200);
      expect(preview.text).toContain("<del>");
      expect(preview.text).toContain("Wednesday</ins>");
      expect(preview.text).toMatch(/1 edited/);
      expect(preview.text).toMatch(/1 added/);
      expect(preview.text).toMatch(/<td>1<\/td><td>0<\/td>/);
      expect((await user.agent.get(`${PAGE}/history`)).text).not.toContain("v2");
      // Back to the text from the preview keeps what was pasted, and plans nothing.
      const back = await user.agent.post(`${PAGE}/source`).type("form").send({
        _csrf: user.csrf,
        content: corrected(),
        format: "text",
        baseVersion: "1",
        intent: "edit",
      });
      expect(back.status).toBe(200);
      expect(back.text).toContain("Wednesday");
      expect(back.text).not.toContain("<del>");

      const apply = await user.agent.post(`${PAGE}/source`).type("form").send({
        _csrf: user.csrf,
        content: corrected(),
        format: "text",
        baseVersion: "1",
        intent: "apply",
      });
      expect(apply.status).toBe(303);
      expect(apply.headers.location).toBe(`${PAGE}/history`);
      const history = await user.agent.get(`${PAGE}/history`);
      expect(history.text).toContain("v2");
      expect(history.text).toContain(name);
      expect(history.text).toContain("Wednesday</ins>");

      // The translator sees the source diff on the outdated paragraph, translation kept, and "Needs work" has it.
      const editor = await tina.agent.get(`${PAGE}/es?filter=needs-work`);
      expect(editor.text).toMatch(/class="para status-outdated[^"]*" id="p-p4"/);
      expect(editor.text).toContain("Tuesday</del>");
      expect(editor.text).toContain("· 1 outdated");
      expect(editor.text).toContain("La conversación tuvo lugar el martes.</textarea>");

      // A second apply from the same base is refused with the text kept.
      const stale = await user.agent
        .post(`${PAGE}/source`)
        .type("form")
        .send({
          _csrf: user.csrf,
          content: `${corrected()}\n\nAnother line.`,
          format: "text",
          baseVersion: "1",
          intent: "apply",
        });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain("Another line.");
      expect(stale.text).toContain('name="baseVersion" value="2"');
    });

  it("without scripts, a save or approve from a page read before an update shows the new source first", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const before = await tina.agent.get(`${PAGE}/es`);
    expect(before.text).toContain('name="sourceVersion" value="1"');
    await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/source`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ format: "text", content: corrected(), baseVersion: 1 })
      .expect(200);
    // Paragraph 4 changed (Tuesday → Wednesday); the form still says version 1.
    const post = (sourceVersion: string) =>
      tina.agent
        .post(`${PAGE}/es/paragraphs/p4`)
        .type("form")
        .send({ _csrf: tina.csrf, text: "La conversación fue el martes.", baseRevision: "0", sourceVersion });
    const refused = await post("1");
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("The source of this paragraph changed after you opened the page.");
    expect(refused.text).toMatch(
      /class="flash error toast" role="alert"><a href="#p-p4">Paragraph 5 was not saved/,
    );
    expect(refused.text).toContain("La conversación fue el martes.");
    expect(refused.text).toContain("Wednesday");
    expect(refused.text).toContain('name="sourceVersion" value="2"');
    const saved = await post("2");
    expect(saved.status).toBe(303);
    const next = await tina.agent.get(saved.headers.location as string);
    expect(next.text).toMatch(/<p class="flash ok toast" role="status">Paragraph 5 saved/);

    // An editor's approve from a review page read before a second update: refused, then made.
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const review = await eddie.agent.get(`${PAGE}/es/review`);
    expect(review.text).toContain('name="sourceVersion" value="2"');
    await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/source`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ format: "text", content: corrected().replace("Wednesday", "Thursday"), baseVersion: 2 })
      .expect(200);
    const approve = (sourceVersion: string) =>
      eddie.agent
        .post(`${PAGE}/es/paragraphs/p4/review`)
        .type("form")
        .send({ _csrf: eddie.csrf, action: "approve", revision: "1", sourceVersion });
    const stale = await approve("2");
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("The source of this paragraph changed after you opened the page.");
    expect((await approve("3")).status).toBe(303);
  });

  it("the export page numbers paragraphs by position once an update moved them", async () => {
    await request(t.app)
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/source`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ format: "text", content: corrected(), baseVersion: 1 })
      .expect(200);
    const tina = await signIn(t.app, "tina", "tina-password");
    const page = await tina.agent.get(`${PAGE}/es/export?format=markdown&status=latest&incomplete=error`);
    // The inserted paragraph is the document's second: "Paragraph 2", not its id (v2p1).
    expect(page.text).toMatch(/href="[^"]+#p-v2p1">Paragraph 2</);
    expect(page.text).toMatch(/href="[^"]+#p-p2">Paragraph 3</);
    expect(page.text).not.toContain("Paragraph 2p1");
  });

  it("takes the new source as an uploaded file too", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const preview = await eddie.agent
      .post(`${PAGE}/source`)
      .field("_csrf", eddie.csrf)
      .field("baseVersion", "1")
      .field("format", "text")
      .field("intent", "preview")
      .attach("file", Buffer.from(corrected(), "utf8"), {
        filename: "article.txt",
        contentType: "text/plain",
      });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("Wednesday</ins>");
    const empty = await eddie.agent
      .post(`${PAGE}/source`)
      .type("form")
      .send({ _csrf: eddie.csrf, content: "  ", baseVersion: "1", intent: "preview" });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Paste the new text or choose a file.");
  });

  it("the review queue lists an outdated paragraph with its source change; history compares any two", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    await tina.agent
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p4`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ text: "La conversación tuvo lugar el martes.", baseRevision: 0 });
    await request(t.app)
      .post(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p4/review`)
      .set("Authorization", `Bearer ${tokens.editor}`)
      .send({ action: "approve", revision: 1 });
    const last = `p${seed.length}`;
    await tina.agent
      .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${last}`)
      .set("X-CSRF-Token", tina.csrf)
      .send({ text: "El último párrafo, traducido.", baseRevision: 0 });
    const put = (content: string, baseVersion: number) =>
      request(t.app)
        .put(`/api/v1/documents/${SEED_DOCUMENT_ID}/source`)
        .set("Authorization", `Bearer ${tokens.editor}`)
        .send({ format: "text", content, baseVersion });
    expect((await put(corrected(), 1)).status).toBe(200);
    expect((await put(seed.slice(0, -1).join("\n"), 2)).status).toBe(200);

    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const review = await eddie.agent.get(`${PAGE}/es/review`);
    expect(review.text).toContain('id="r-p4"');
    expect(review.text).toContain("Source change");

    const history = await tina.agent.get(`${PAGE}/history?from=1&to=3`);
    expect(history.status).toBe(200);
    expect(history.text).toContain(
      'Changes from <span class="as-written">v1</span> to <span class="as-written">v3</span>',
    );
    expect(history.text).toContain("Removed");
    expect(history.text).toContain(seed.at(-1)?.slice(0, 30));
    // The removed paragraph's translation history stays readable, without a revert.
    expect(history.text).toContain(`href="${PAGE}/es/paragraphs/${last}"`);
    const removed = await tina.agent.get(`${PAGE}/es/paragraphs/${last}`);
    expect(removed.status).toBe(200);
    expect(removed.text).toContain("El último párrafo, traducido.");
    expect(removed.text).not.toContain("/revert");
  });
});
