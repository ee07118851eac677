/**
 * The editor's inline comment thread, in every role: posting, resolving and deleting go through
 * /api/v1 and redraw the panel in place, so the editor never leaves the page and unsaved text in
 * other rows stays (the trial lost it to a full-page post and its "Leave site?" prompt).
 */

import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, createUser, endSession, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

describe("inline comments in the editor", () => {
  const ctx = useServerAndBrowser();

  it("posts, resolves and deletes without leaving the page, keeping unsaved text, as each role", async () => {
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "eddie", "editor");
    const roles = [
      { username: "tina", password: "tina-password", pid: "p4", draft: "p2", editor: false },
      { username: "eddie", password: "eddie-password", pid: "p5", draft: "p3", editor: true },
      { username: "admin", password: ADMIN_PASSWORD, pid: "p6", draft: "p7", editor: true },
    ];
    for (const role of roles) {
      const context = await ctx.browser.newContext();
      const page = await context.newPage();
      let prompted = false;
      page.on("dialog", (dialog) => {
        prompted = true;
        void dialog.dismiss();
      });
      await signInPage(page, ctx.url, role.username, role.password);
      await page.goto(`${ctx.url}${DOC}`);
      await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
      const unsaved = `Texto sin guardar de ${role.username}`;
      await page.locator(`#t-${role.draft}`).fill(unsaved);

      await page.locator(`#p-${role.pid} a.comments-link`).click();
      const panel = page.locator(".comment-panel");
      await panel.locator(".comment-new textarea").fill(`¿15 o 50 mil millones, ${role.username}?`);
      await panel.locator(".comment-new button[type=submit]").click();
      await expect
        .poll(read.text(panel.locator(".comment-text").last()))
        .toBe(`¿15 o 50 mil millones, ${role.username}?`);
      await expect.poll(read.text(page.locator(`#p-${role.pid} a.comments-link`))).toMatch(/1 open comment/);
      expect(await page.locator(`#t-${role.draft}`).inputValue()).toBe(unsaved);
      expect(prompted).toBe(false);

      if (role.editor) {
        await panel.locator("form[action$='/resolve'] button").first().click();
        await expect.poll(read.count(panel.locator(".comment.resolved"))).toBe(1);
        await expect.poll(read.text(page.locator(`#p-${role.pid} a.comments-link`))).not.toMatch(/open/);
      }
      await panel.locator("form[action$='/delete'] button").first().click();
      await expect.poll(read.count(panel.locator(".comment"))).toBe(0);
      // From the keyboard: Ctrl+Enter sends, Esc closes the thread and gives the focus back.
      const box = panel.locator(".comment-new textarea");
      await box.fill(`Desde el teclado, ${role.username}.`);
      await box.press("Control+Enter");
      await expect
        .poll(read.text(panel.locator(".comment-text").last()))
        .toBe(`Desde el teclado, ${role.username}.`);
      await panel.locator(".comment-new textarea").press("Escape");
      await expect.poll(read.count(page.locator(".comment-panel"))).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.classList.contains("comments-link"))).toBe(
        true,
      );
      expect(await page.locator(`#t-${role.draft}`).inputValue()).toBe(unsaved);
      expect(new URL(page.url()).pathname).toBe(DOC);
      expect(prompted).toBe(false);
      await context.close();
    }
  });

  it("says in plain words that a comment was not sent because the session ended, and keeps it", async () => {
    await createUser(ctx.url, "tomas", "translator");
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signInPage(page, ctx.url, "tomas", "tomas-password");
    await page.goto(`${ctx.url}${DOC}`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await page.locator("#p-p8 a.comments-link").click();
    const panel = page.locator(".comment-panel");
    await panel.locator(".comment-new textarea").waitFor();
    await endSession(page);
    await panel.locator(".comment-new textarea").fill("¿Sigue en pie?");
    await panel.locator(".comment-new button[type=submit]").click();
    await expect
      .poll(read.text(panel.locator(".flash.error")))
      .toBe(
        "Not sent: your session has ended. Sign in again in a new tab, then send again; your comment stays here.",
      );
    expect(await panel.locator(".comment-new textarea").inputValue()).toBe("¿Sigue en pie?");
    await context.close();
  });
});
