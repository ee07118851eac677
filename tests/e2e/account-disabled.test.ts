/**
 * An account an admin disables while its user types (trial): the save says the account is disabled,
 * with no sign-in link that would only be refused, and the typed text stays; the next page says so
 * too. A translator, an editor and an admin (disabled by another admin); English, and Spanish at 375 px.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, createUser, openEditor, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "el-pais-trump-milei";
const TYPED = "Un texto que nadie debe perder.";

describe("an account disabled while its user types", () => {
  const ctx = useServerAndBrowser();
  let admin: Page | undefined;

  /** The admin's page, signed in once. */
  async function adminPage(): Promise<Page> {
    if (admin) return admin;
    const context = await ctx.browser.newContext();
    admin = await context.newPage();
    await signInPage(admin, ctx.url, "admin", ADMIN_PASSWORD);
    return admin;
  }

  for (const [username, role, phone] of [
    ["tina", "translator", false],
    ["edna", "editor", true],
    ["ada", "admin", false],
  ] as const)
    it(`says so on save and on the next page, the text kept, as ${role}${phone ? " (es, 375 px)" : ""}`, async () => {
      await createUser(ctx.url, username, role);
      const page = await openEditor(ctx.browser, ctx.url, [username, `${username}-password`], DOC, {
        ...(phone ? { locale: "es-ES", width: 375, isMobile: true, hasTouch: true } : {}),
      });
      await page.locator("#t-p3").fill(TYPED);

      const boss = await adminPage();
      await boss.goto(`${ctx.url}/admin/users`);
      const csrf = (await boss.locator('meta[name="csrf-token"]').getAttribute("content")) ?? "";
      const done = await boss.request.post(`${ctx.url}/admin/users/${username}`, {
        form: { _csrf: csrf, action: "disable", confirm: "yes" },
      });
      expect(done.status()).toBeLessThan(400);

      await page.locator("#p-p3 button[value=save]").click();
      const state = page.locator("#p-p3 .save-state");
      await expect
        .poll(read.text(state))
        .toMatch(phone ? /esta cuenta está desactivada/ : /this account is disabled/);
      expect(await state.locator("a").count()).toBe(0);
      expect(await page.locator("#t-p3").inputValue()).toBe(TYPED);

      await page.reload();
      expect(await page.locator("main").textContent()).toMatch(
        phone ? /Esta cuenta está desactivada/ : /This account is disabled/,
      );
      await page.context().close();
    });
});
