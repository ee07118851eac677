import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const EDITOR = `/documents/${SEED_DOCUMENT_ID}/es`;
const THREAD = (pid: string) => `${EDITOR}/paragraphs/${pid}/comments`;

describe("comment pages", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  it("posts, edits, resolves and deletes through forms without scripts, in each role", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const admin = await signIn(t.app);
    const posted = await tina.agent
      .post(THREAD("p2"))
      .type("form")
      .send({ _csrf: tina.csrf, text: "¿Y la cifra, @eddie?", scope: "source", return: "editor" });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`${EDITOR}#p-p2`);
    const [comment] = await t.store.listComments(SEED_DOCUMENT_ID);
    expect(comment).toMatchObject({ author: "tina", scope: "source", mentions: ["eddie"] });
    const id = comment?.id as string;

    const empty = await tina.agent.post(THREAD("p2")).type("form").send({ _csrf: tina.csrf, text: "  " });
    expect(empty.status).toBe(303);
    expect((await tina.agent.get(THREAD("p2"))).text).toContain("flash error");
    // In the reader's language, not the API's English sentence.
    await tina.agent
      .post(`${THREAD("p2")}?lng=es`)
      .type("form")
      .send({ _csrf: tina.csrf, text: "  " });
    expect((await tina.agent.get(`${THREAD("p2")}?lng=es`)).text).toContain("Escribe algo primero.");
    await tina.agent.get(`${THREAD("p2")}?lng=en`);

    // The editor row shows the badge; the filter keeps only rows with open comments.
    const page = await tina.agent.get(EDITOR);
    expect(page.text).toMatch(
      /class="comments-link has-open" href="[^"]+\/paragraphs\/p2\/comments"[^>]*>1 open comment/,
    );
    const filtered = await tina.agent.get(`${EDITOR}?filter=comments`);
    expect(filtered.text.match(/<article class="para/g)).toHaveLength(1);
    expect((await tina.agent.get("/")).text).toContain("1 open comment");

    // A translator can neither resolve nor edit someone else's comment.
    const notAuthor = await eddie.agent
      .post(`/comments/${id}/edit`)
      .type("form")
      .send({ _csrf: eddie.csrf, lang: "es", text: "mine now" });
    expect(notAuthor.status).toBe(403);
    expect((await t.store.getComment(id))?.text).toBe("¿Y la cifra, @eddie?");
    const denied = await tina.agent
      .post(`/comments/${id}/resolve`)
      .type("form")
      .send({ _csrf: tina.csrf, lang: "es", resolved: "true" });
    expect(denied.status).toBe(403);

    const edit = await tina.agent
      .post(`/comments/${id}/edit`)
      .type("form")
      .send({ _csrf: tina.csrf, lang: "es", text: "¿15 o 50 mil millones?" });
    expect(edit.status).toBe(303);
    expect(edit.headers.location).toBe(`${THREAD("p2")}#comment-${id}`);
    const thread = (await eddie.agent.get(THREAD("p2"))).text;
    expect(thread).toContain("Earlier version (1)");
    expect(thread).toContain("¿Y la cifra, @eddie?");

    // The editor's inbox lists the open source query with a link to the source update page.
    const inbox = await eddie.agent.get("/inbox");
    expect(inbox.text).toContain("¿15 o 50 mil millones?");
    expect(inbox.text).toContain(`href="/documents/${SEED_DOCUMENT_ID}/source"`);
    // Tina sees the query she asked, without the editors' link to the source update page.
    const tinaInbox = (await tina.agent.get("/inbox")).text;
    expect(tinaInbox).toContain("Your open source queries");
    expect(tinaInbox).toContain("¿15 o 50 mil millones?");
    expect(tinaInbox).not.toContain(`href="/documents/${SEED_DOCUMENT_ID}/source"`);
    const admin2 = await signIn(t.app);
    expect((await admin2.agent.get("/inbox")).text).toContain("¿15 o 50 mil millones?");

    const resolve = await eddie.agent
      .post(`/comments/${id}/resolve`)
      .type("form")
      .send({ _csrf: eddie.csrf, lang: "es", resolved: "true", return: "review" });
    expect(resolve.headers.location).toBe(`${EDITOR}/review#r-p2`);
    expect((await t.store.getComment(id))?.resolved).toBe(true);
    expect((await tina.agent.get(EDITOR)).text).not.toContain("has-open");

    const del = await admin.agent
      .post(`/comments/${id}/delete`)
      .type("form")
      .send({ _csrf: admin.csrf, lang: "es", return: "inbox" });
    expect(del.headers.location).toBe("/inbox");
    expect((await t.store.getComment(id))?.deleted).toBe(true);
  });

  it("names the translation a comment is about by its language's name, not its code", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const en = (await tina.agent.get(`${THREAD("p3")}?lng=en`)).text;
    expect(en).toContain('value="translation" checked> On the Spanish translation</label>');
    expect(en).not.toContain("On the es translation");
    const es = (await tina.agent.get(`${THREAD("p3")}?lng=es`)).text;
    expect(es).toContain('value="translation" checked> Sobre la traducción al español</label>');
    expect(es).not.toContain("Sobre la traducción (es)");
    // The panel the editor's script loads is the same thread.
    const panel = (await tina.agent.get(`${THREAD("p3")}?panel=1&lng=en`)).text;
    expect(panel).toContain("On the Spanish translation");
  });

  it("refuses a form without its CSRF token, a signed-out visitor, and a bad language", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    expect((await tina.agent.post(THREAD("p3")).type("form").send({ text: "x" })).status).toBe(403);
    expect((await request(t.app).get(THREAD("p3")).set("Accept", "text/html")).status).toBeGreaterThanOrEqual(
      300,
    );
    const created = await request(t.app)
      .post(`/api/v1${THREAD("p3").replace(EDITOR, `/documents/${SEED_DOCUMENT_ID}/translations/es`)}`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: "x" });
    const bad = await tina.agent
      .post(`/comments/${created.body.id}/edit`)
      .type("form")
      .send({ _csrf: tina.csrf, lang: "//evil.example", text: "y" });
    expect(bad.status).toBe(400);
  });

  it("renders comment text escaped everywhere, links only for http(s), with rel=noopener nofollow ugc", async () => {
    const attack =
      '<script>alert(1)</script> <img src=x onerror="alert(2)"> javascript:alert(3) https://elpais.com/a?b=1&c="x" @eddie';
    const res = await request(t.app)
      .post(`/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p4/comments`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: attack, scope: "source" });
    expect(res.status).toBe(201);
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    for (const url of [THREAD("p4"), `${THREAD("p4")}?panel=1`, "/inbox"]) {
      const html = (await eddie.agent.get(url)).text;
      expect(html, url).not.toContain("<script>alert");
      expect(html, url).not.toContain("<img src=x");
      expect(html, url).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html, url).not.toMatch(/href="javascript:/);
      expect(html, url).toContain(
        // A quote ends the link: it never reaches the attribute.
        '<a href="https://elpais.com/a?b=1&amp;c=" rel="noopener nofollow ugc">https://elpais.com/a?b=1&amp;c=</a>&#34;x&#34;',
      );
      expect(html, url).toContain('<span class="mention">@eddie</span>');
    }
  });

  it("pages an inbox of more than 200 mentions by cursor, with the count of each list", async () => {
    // Written straight to the store: 250 mentions of ana over two paragraphs, one a minute.
    for (let i = 0; i < 250; i++)
      await t.store.putComment({
        id: `bulk-${String(i).padStart(3, "0")}`,
        documentId: SEED_DOCUMENT_ID,
        pid: i % 2 ? "p5" : "p6",
        lang: "es",
        scope: "translation",
        author: "eddie",
        text: `Mention number ${i} for @ana`,
        mentions: ["ana"],
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        resolved: false,
        history: [],
      });
    await request(t.app)
      .post("/api/v1/users")
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({ username: "ana", password: "ana-password-1", role: "translator" })
      .expect(201);
    const ana = await signIn(t.app, "ana", "ana-password-1");
    const seen: number[] = [];
    let url: string | undefined = "/inbox";
    let pages = 0;
    while (url) {
      const page = await ana.agent.get(url);
      expect(page.status).toBe(200);
      expect(page.text).toContain("250 in all");
      pages++;
      seen.push(...[...page.text.matchAll(/Mention number (\d+) for/g)].map((m) => Number(m[1])));
      url = /<a rel="next" href="([^"]+)"/.exec(page.text)?.[1]?.replaceAll("&amp;", "&");
      if (pages > 1) expect(page.text).toContain(">Newest</a>");
    }
    expect(pages).toBe(5);
    // Every mention once, newest first.
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => 249 - i));
    expect((await ana.agent.get("/inbox?mentions=forged")).status).toBe(400);
    const spanish = await ana.agent.get("/inbox?lng=es");
    expect(spanish.text).toContain("250 en total");
    expect(spanish.text).toContain(">Anteriores</a>");
  });
});
