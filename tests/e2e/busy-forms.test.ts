/**
 * A form that sends a file says it is working while the server reads it, and cannot be sent twice
 * (the trial's 20,000-unit import took seconds with nothing shown).
 */

import { describe, expect, it } from "vitest";
import { read, signInPage, useServerAndBrowser } from "./browser.ts";

describe("forms that send files, in Chromium", () => {
  const ctx = useServerAndBrowser();

  it("a new document sent from the form shows that it is being read, its button waiting", async () => {
    const context = await ctx.browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}/documents/new?lng=es`);
    await page.locator("textarea[name=content]").fill("Una línea.\n\nOtra línea.");
    await page.locator("input[name=targetLang]").fill("en");
    // The page stays where it is, as it does while a large file is sent: a listener after the page's
    // own (on the window, reached last) holds the submission back.
    await page.evaluate(() => window.addEventListener("submit", (event) => event.preventDefault()));
    const form = page.locator('form[action="/documents"]');
    await form.locator("button[type=submit]").click();
    await expect.poll(read.text(form.locator("[role=status]"))).toContain("Enviando y leyendo el archivo");
    await expect.poll(() => form.locator("button[type=submit]").isDisabled()).toBe(true);
    expect(await form.getAttribute("aria-busy")).toBe("true");
    await context.close();
  });

  it("a form the page's own script stops (a question answered no) is not marked as sent", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}/documents/new`);
    // The page's first listener (data-confirm) refuses it, as when its question is answered no.
    await page.evaluate(() => {
      const form = document.querySelector('form[action="/documents"]') as HTMLFormElement;
      form.dataset.confirm = "Sure?";
    });
    page.once("dialog", (dialog) => dialog.dismiss());
    await page.locator('form[action="/documents"] button[type=submit]').click();
    expect(await page.locator('form[action="/documents"] [role=status]').count()).toBe(0);
    expect(await page.locator('form[action="/documents"] button[type=submit]').isDisabled()).toBe(false);
    await page.context().close();
  });
});
