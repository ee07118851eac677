import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

describe("two editors on one article in Chromium", () => {
  const ctx = useServerAndBrowser();

  async function call(method: string, path: string, token: string, body: object) {
    const res = await fetch(`${ctx.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  }

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
