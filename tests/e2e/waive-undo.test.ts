/**
 * Waiving a warning is recoverable: back in the editor a notice floats in view with an Undo that has
 * the focus (Enter takes the waiver back, a screen reader reads the notice it is described by), as
 * translator, editor and admin, on a desktop and a phone, in English and Spanish.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, apiToken, createUser, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC_ID = "el-pais-trump-milei";
const API = `/api/v1/documents/${DOC_ID}/translations/es/paragraphs/p8`;
const FORBIDDEN = "Milei quiere aplicar la sierra mecánica.";
const ROLES = [
  ["tina", "translator"],
  ["eddie", "editor"],
  ["admin", "admin"],
] as const;
const WORDS = {
  en: { done: "Warning waived on paragraph 8.", undo: "Undo", lifted: "Waiver undone" },
  es: { done: "Aviso ignorado en el párrafo 8.", undo: "Deshacer", lifted: "Se ha deshecho" },
};

describe("undoing a waiver in the editor", () => {
  const ctx = useServerAndBrowser();
  let admin: string;
  beforeAll(async () => {
    for (const [username, role] of ROLES) if (username !== "admin") await createUser(ctx.url, username, role);
    admin = await apiToken(ctx.url);
    const saved = await fetch(`${ctx.url}${API}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${admin}` },
      body: JSON.stringify({ text: FORBIDDEN, baseRevision: 0 }),
    });
    expect(saved.status).toBe(200);
  });

  for (const [username, role] of ROLES) {
    for (const lng of ["en", "es"] as const) {
      for (const width of [1280, 375]) {
        it(`offers a focused Undo after a waive, as ${role} (${lng}, ${width} px)`, async () => {
          const height = width === 375 ? 812 : 900;
          const context = await ctx.browser.newContext({
            viewport: { width, height },
            ...(width === 375 ? { isMobile: true, hasTouch: true } : {}),
          });
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          await signInPage(
            page,
            ctx.url,
            username,
            username === "admin" ? ADMIN_PASSWORD : `${username}-password`,
          );
          await page.goto(`${ctx.url}/documents/${DOC_ID}/es?lng=${lng}`);
          await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
          // The waive page, as the link opens it without scripts (with them it waives in the row:
          // waive-inplace.test.ts).
          await page.goto(
            `${ctx.url}${await page.locator("#p-p8 a.waive-link").getAttribute("href")}?lng=${lng}`,
          );
          await page.locator('input[name=finding][value^="forbidden-term "]').check();
          await page.locator("input[name=reason]").fill("Cita textual");
          await page.locator("form button[type=submit].primary").click();
          await page.waitForURL(/#p-p8$/);
          const toast = page.locator(".flash.toast");
          await toast.waitFor();
          expect(await toast.textContent()).toContain(WORDS[lng].done);
          expect(await page.locator("#p-p8 li.finding.waived").count()).toBe(1);
          // In view, whatever the page scrolled to, and the Undo has the focus.
          const box = await toast.evaluate((el) => el.getBoundingClientRect());
          expect(box.top).toBeGreaterThanOrEqual(0);
          expect(box.bottom).toBeLessThanOrEqual(height);
          await expect.poll(read.focused(page.locator(".toast-undo"))).toBe(true);
          expect(await page.locator(".toast-undo").textContent()).toBe(WORDS[lng].undo);
          expect(await page.locator(".toast-undo").getAttribute("aria-describedby")).toMatch(/^flash-/);
          await page.keyboard.press("Enter");
          await page.waitForURL(/#p-p8$/);
          await expect.poll(read.text(page.locator("main .flash").first())).toContain(WORDS[lng].lifted);
          await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
          expect(await page.locator("#p-p8 li.finding.waived").count()).toBe(0);
          expect(await page.locator("#p-p8 li.finding:not(.waived)").count()).toBeGreaterThan(0);
          expect(errors).toEqual([]);
          await context.close();
        });
      }
    }
  }

  it("lets Esc dismiss the notice and keeps the waiver", async () => {
    const page = await ctx.browser.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}/documents/${DOC_ID}/es/paragraphs/p8/waive`);
    await page.locator('input[name=finding][value^="forbidden-term "]').check();
    await page.locator("input[name=reason]").fill("Cita textual");
    await page.locator("form button[type=submit].primary").click();
    await page.locator(".flash.toast").waitFor();
    await expect.poll(read.focused(page.locator(".toast-undo"))).toBe(true);
    await page.keyboard.press("Escape");
    expect(await page.locator(".flash.toast").count()).toBe(0);
    expect(await page.locator("#p-p8 li.finding.waived").count()).toBe(1);
    // Taken back later through the API.
    const res = await fetch(
      `${ctx.url}${API}/waivers?code=forbidden-term&termId=${await page
        .locator("#p-p8 li.finding.waived")
        .getAttribute("data-waived")
        .then((v) => encodeURIComponent((v ?? "").split(" ")[1] ?? ""))}`,
      { method: "DELETE", headers: { Authorization: `Bearer ${admin}` } },
    );
    expect(res.status).toBe(200);
    await page.close();
  });
});
