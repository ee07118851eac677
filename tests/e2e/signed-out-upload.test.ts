/**
 * An upload form sent after the session ended, in Chromium, with and without JavaScript: the page
 * says the session ended, shows back the pasted article to copy, says to choose the file again, and
 * its sign-in link returns to the form. Editors and admins (who may create documents and import a
 * memory), in English and Spanish.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, createUser, signInPage, useServerAndBrowser } from "./browser.ts";

const PASTED = "The chainsaw is back.\n\nThe minister spoke on Monday.";
const WORDS = {
  en: {
    title: "Please sign in",
    box: "Text 1 you sent (not saved)",
    file: "The file you chose was not uploaded: choose it again once you are back on the page.",
    back: "Sign in and go back",
    user: "Username",
    password: "Password",
    signIn: "Sign in",
  },
  es: {
    title: "Inicia sesión",
    box: "Texto 1 que enviaste (sin guardar)",
    file: "El archivo que elegiste no se ha subido: vuelve a elegirlo cuando estés de nuevo en la página.",
    back: "Iniciar sesión y volver",
    user: "Usuario",
    password: "Contraseña",
    signIn: "Iniciar sesión",
  },
};

describe("an upload form sent after the session ended, in the browser", () => {
  const ctx = useServerAndBrowser();
  beforeAll(async () => {
    await createUser(ctx.url, "edna", "editor");
  });

  const cases = [
    { user: ["edna", "edna-password"], lng: "en", javaScriptEnabled: false },
    { user: ["edna", "edna-password"], lng: "es", javaScriptEnabled: true },
    { user: ["admin", ADMIN_PASSWORD], lng: "es", javaScriptEnabled: false },
    { user: ["admin", ADMIN_PASSWORD], lng: "en", javaScriptEnabled: true },
  ] as const;
  for (const { user, lng, javaScriptEnabled } of cases)
    it(`shows the pasted article and signs in back to the new-document form, as ${user[0]} (${lng}, ${javaScriptEnabled ? "with" : "without"} JavaScript)`, async () => {
      const w = WORDS[lng];
      const context = await ctx.browser.newContext({
        javaScriptEnabled,
        locale: lng === "es" ? "es-ES" : "en-US",
      });
      const page = await context.newPage();
      await signInPage(page, ctx.url, user[0], user[1]);
      await page.goto(`${ctx.url}/documents/new?lng=${lng}`);
      const form = page.locator('form[action="/documents"]');
      await form.locator("#new-title").fill("Chainsaw");
      await form.locator("#new-content").fill(PASTED);
      await form.locator("input[type=file]").setInputFiles({
        name: "article.txt",
        mimeType: "text/plain",
        buffer: Buffer.from(PASTED),
      });
      // The session ends (signed out elsewhere, or idle) while the form is being filled.
      await context.clearCookies();
      await form.locator("button[type=submit]").click();
      await page.waitForURL(`${ctx.url}/documents`);
      expect(await page.locator("h1").textContent()).toBe(w.title);
      const boxes = page.locator("textarea.unsent");
      expect(await boxes.evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value))).toEqual([
        "Chainsaw",
        PASTED,
      ]);
      expect(await page.getByLabel(w.box).getAttribute("readonly")).not.toBeNull();
      expect(await page.locator("main").textContent()).toContain(w.file);
      await page.getByRole("link", { name: w.back }).click();
      await page.getByLabel(w.user).fill(user[0]);
      await page.getByLabel(w.password).fill(user[1]);
      await page.getByRole("button", { name: w.signIn }).click();
      await page.waitForURL(/\/documents\/new/);
      expect(await page.locator("#new-content").count()).toBe(1);
      await context.close();
    });
});
