import { describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  newDocument,
  read,
  signInPage,
  useServerAndBrowser,
} from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

/** A JSON call to the server of `ctx`, with a bearer token when one is given. */
function caller(ctx: { readonly url: string }) {
  return async (method: string, path: string, token: string, body: object) => {
    const res = await fetch(`${ctx.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
}

describe("two editors on one article in Chromium", () => {
  const ctx = useServerAndBrowser();
  const call = caller(ctx);

  it("shows who is where, brings others' saves and comments into the open page, never over unsaved text", async () => {
    const admin = (await call("POST", "/api/v1/tokens", "", { username: "admin", password: ADMIN_PASSWORD }))
      .token as string;
    await call("POST", "/api/v1/users", admin, {
      username: "ana",
      password: "ana-password",
      role: "translator",
    });

    const one = await (await ctx.browser.newContext()).newPage();
    const two = await (await ctx.browser.newContext()).newPage();
    const errors: string[] = [];
    for (const page of [one, two]) page.on("pageerror", (e) => errors.push(e.message));
    await signInPage(one, ctx.url);
    await signInPage(two, ctx.url, "ana", "ana-password");
    await one.goto(`${ctx.url}${DOC}`);
    await two.goto(`${ctx.url}${DOC}`);
    await one.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await two.locator("#editor[data-ready]").waitFor({ state: "attached" });

    // Presence: the admin sees Ana, then where she is editing.
    await expect.poll(read.text(one.locator("#presence"))).toContain("ana");
    await two.locator("#t-p4").click();
    await expect.poll(read.text(one.locator("#p-p4 .editing-by"))).toMatch(/ana is editing ¶\d+/);

    // Ana saves p2: the admin's row shows her text, revision and status without a reload.
    const text = "El líder argentino esperaba hablar con el presidente electo republicano";
    await two.locator("#t-p2").fill(text);
    await two.locator("#t-p2").press("Control+Enter");
    await expect.poll(read.value(one.locator("#t-p2"))).toBe(text);
    await expect.poll(read.text(one.locator("#p-p2 .rev"))).toBe("r1");
    await expect.poll(read.className(one.locator("#p-p2"))).toMatch(/status-translated/);
    // And what a reload would offer the admin on it: History, and Approve, which approves it.
    await expect.poll(read.count(one.locator("#p-p2 a.history"))).toBe(1);
    await one.locator("#p-p2 button.approve").click();
    await expect.poll(read.className(one.locator("#p-p2"))).toMatch(/status-approved/);

    // The admin has unsaved text in p3 when Ana saves it: the admin's text stays, and saving shows the conflict.
    await one.locator("#t-p3").fill("Mi versión sin guardar");
    await two.locator("#t-p3").fill("La versión de Ana");
    await two.locator("#t-p3").press("Control+Enter");
    await expect.poll(read.className(one.locator("#p-p3"))).toMatch(/remote-changed/);
    expect(await one.locator("#t-p3").inputValue()).toBe("Mi versión sin guardar");
    await one.locator("#t-p3").press("Control+Enter");
    await expect.poll(read.count(one.locator("#p-p3 .conflict"))).toBe(1);

    // A comment by Ana: the admin's badge counts it; the inline thread shows it escaped.
    const anaToken = (await call("POST", "/api/v1/tokens", "", { username: "ana", password: "ana-password" }))
      .token as string;
    await call(
      "POST",
      "/api/v1/documents/el-pais-trump-milei/translations/es/paragraphs/p5/comments",
      anaToken,
      {
        text: "<i>¿15 o 50?</i>",
        scope: "source",
      },
    );
    await expect.poll(read.text(one.locator("#p-p5 a.comments-link"))).toMatch(/1 open comment/);
    await one.locator("#p-p5 a.comments-link").click();
    await expect.poll(read.text(one.locator(".comment-panel .comment-text"))).toBe("<i>¿15 o 50?</i>");

    // Ana leaves: the admin no longer sees her.
    await two.close();
    await expect.poll(read.visible(one.locator("#presence"))).toBe(false);
    expect(errors).toEqual([]);
    await one.close();
  });
});

describe("the review page of an editor while a translator saves, in Chromium", () => {
  const ctx = useServerAndBrowser();
  const call = caller(ctx);
  const API = "/api/v1/documents/el-pais-trump-milei/translations/es/paragraphs";

  it("brings saves, approvals and comments by others into the cards and counter, never over a rejection being written", async () => {
    const admin = (await call("POST", "/api/v1/tokens", "", { username: "admin", password: ADMIN_PASSWORD }))
      .token as string;
    for (const [username, role] of [
      ["ana", "translator"],
      ["eddie", "editor"],
    ])
      await call("POST", "/api/v1/users", admin, { username, password: `${username}-password`, role });
    const ana = (await call("POST", "/api/v1/tokens", "", { username: "ana", password: "ana-password" }))
      .token as string;
    for (const pid of ["p2", "p3"])
      await call("PUT", `${API}/${pid}`, ana, { text: `Primera versión de ${pid}`, baseRevision: 0 });

    const editor = await (await ctx.browser.newContext()).newPage();
    const translator = await (await ctx.browser.newContext()).newPage();
    const errors: string[] = [];
    for (const page of [editor, translator]) page.on("pageerror", (e) => errors.push(e.message));
    await signInPage(editor, ctx.url, "eddie", "eddie-password");
    await signInPage(translator, ctx.url, "ana", "ana-password");
    await editor.goto(`${ctx.url}${DOC}/review`);
    await editor.locator("#review[data-ready]").waitFor({ state: "attached" });
    // Set once: a reload would lose it, so every check below is also a check that none happened.
    await editor.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const notReloaded = () =>
      editor.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded);
    await expect.poll(read.text(editor.locator("#left-counter"))).toBe("2 paragraphs left to review");

    // The review queue, open in another tab of the editor's, counts what waits.
    const queue = await editor.context().newPage();
    queue.on("pageerror", (e) => errors.push(e.message));
    await queue.goto(`${ctx.url}/review`);
    await queue.locator("#queue[data-live=ready]").waitFor({ state: "attached" });
    const waiting = queue.locator(`tr:has(a[href="${DOC}/review"]) td[data-label] strong`);
    await expect.poll(read.text(waiting)).toBe("2");

    // The translator saves a paragraph that had no card: it appears in order, the counter follows.
    await translator.goto(`${ctx.url}${DOC}`);
    await translator.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await expect.poll(read.text(editor.locator("#presence"))).toContain("ana");
    await translator.locator("#t-p4").fill("La conversación fue el martes");
    await translator.locator("#t-p4").press("Control+Enter");
    await expect.poll(read.count(editor.locator("#r-p4"))).toBe(1);
    await expect.poll(read.text(editor.locator("#left-counter"))).toBe("3 paragraphs left to review");
    await expect.poll(read.text(waiting)).toBe("3");
    expect(
      await editor.locator("article.review-card").evaluateAll((cards) => cards.map((c) => c.id)),
    ).toEqual(["r-p2", "r-p3", "r-p4"]);

    // A new save of a card on screen: its diff shows the new text.
    await translator.locator("#t-p2").fill("Segunda versión del párrafo dos");
    await translator.locator("#t-p2").press("Control+Enter");
    await expect.poll(read.text(editor.locator("#r-p2 .card-head"))).toContain("r2 by ana");
    expect(await editor.locator("#r-p2").textContent()).toContain("Segunda versión del párrafo dos");

    // The editor is writing a rejection of p3 when the translator saves it: the card is marked, not replaced.
    await editor.locator("#r-p3 form.reject-form input[name=comment]").fill("Falta la cifra");
    await translator.locator("#t-p3").fill("Nueva versión del párrafo tres");
    await translator.locator("#t-p3").press("Control+Enter");
    await expect.poll(read.className(editor.locator("#r-p3"))).toMatch(/remote-changed/);
    expect(await editor.locator("#r-p3 form.reject-form input[name=comment]").inputValue()).toBe(
      "Falta la cifra",
    );
    expect(await editor.locator("#r-p3").textContent()).not.toContain("Nueva versión");
    // Rejecting now decides nothing: the card shows the new version, the comment still there.
    await editor.locator("#r-p3 form.reject-form button").click();
    await expect.poll(read.text(editor.locator("#r-p3 .card-error"))).toMatch(/newer revision/);
    expect(await editor.locator("#r-p3").textContent()).toContain("Nueva versión del párrafo tres");
    expect(await editor.locator("#r-p3 form.reject-form input[name=comment]").inputValue()).toBe(
      "Falta la cifra",
    );
    await editor.locator("#r-p3 form.reject-form button").click();
    await expect.poll(read.count(editor.locator("#r-p3"))).toBe(0);
    await expect.poll(read.text(editor.locator("#left-counter"))).toBe("2 paragraphs left to review");

    // Approved by someone else: the card goes, the counter and the progress bar follow.
    const progressBefore = await editor.locator(".editor-head .progress").textContent();
    await call("POST", `${API}/p4/review`, admin, { action: "approve", revision: 1 });
    await expect.poll(read.count(editor.locator("#r-p4"))).toBe(0);
    await expect.poll(read.text(editor.locator("#left-counter"))).toBe("1 paragraph left to review");
    await expect.poll(read.text(editor.locator("#presence"))).toMatch(/¶\d+ was approved by admin/);
    expect(await editor.locator(".editor-head .progress").textContent()).not.toBe(progressBefore);

    // A comment by the translator: the card's badge counts it.
    await call("POST", `${API}/p2/comments`, ana, { text: "¿Así mejor?" });
    await expect.poll(read.text(editor.locator("#r-p2 a.comments-link"))).toMatch(/1 open comment/);

    await expect.poll(read.text(waiting)).toBe("1");
    await queue.close();
    expect(await notReloaded()).toBe(true);
    expect(errors).toEqual([]);
    await editor.close();
    await translator.close();
  });
});

describe("live editing after the session ended", () => {
  const ctx = useServerAndBrowser();

  it("opens the stream again once signed in again, with the saves made meanwhile and after", async () => {
    const admin = await apiToken(ctx.url);
    await createUser(ctx.url, "lea", "translator");
    const { doc, pids } = await newDocument(ctx.url, admin, [
      "Live again",
      "First paragraph.",
      "Second one.",
    ]);
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInPage(page, ctx.url, "lea", "lea-password");
    await page.goto(`${ctx.url}/documents/${doc}/es`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    // Signed out in another tab: the server ends the stream at its next check, and refuses it since.
    const other = await context.newPage();
    await other.goto(`${ctx.url}/`);
    await other.locator("details.site-menu").evaluate((menu) => {
      (menu as HTMLDetailsElement).open = true;
    });
    await other.getByRole("button", { name: "Sign out" }).click();
    await other.waitForURL((u) => u.pathname.startsWith("/login"));
    await expect.poll(read.className(page.locator("#presence")), { timeout: 45_000 }).toContain("offline");
    const save = (pid: string, text: string) =>
      apiCall(ctx.url, admin, "PUT", `/documents/${doc}/translations/es/paragraphs/${pid}`, {
        text,
        baseRevision: 0,
      });
    expect((await save(pids[1] as string, "Primer párrafo, mientras tanto.")).status).toBe(200);
    // Signed in again, and back to the editor's tab: the stream comes back and brings what it missed.
    await signInPage(other, ctx.url, "lea", "lea-password");
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await expect
      .poll(read.value(page.locator(`#p-${pids[1]} textarea`)), { timeout: 45_000 })
      .toBe("Primer párrafo, mientras tanto.");
    await expect.poll(read.text(page.locator(`#p-${pids[1]} .rev`))).toBe("r1");
    await expect.poll(read.className(page.locator("#presence"))).not.toContain("offline");
    await expect.poll(read.text(page.locator(".editor-head .progress"))).toMatch(/1 of 3 translated/);
    expect((await save(pids[2] as string, "El segundo, en directo.")).status).toBe(200);
    await expect.poll(read.value(page.locator(`#p-${pids[2]} textarea`))).toBe("El segundo, en directo.");
    expect(errors).toEqual([]);
    await context.close();
  }, 150_000);
});
