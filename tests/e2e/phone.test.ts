/** A 375 px phone: one column per paragraph, a small header, and no sideways scrolling anywhere. */

import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";
const SHOTS = "/tmp/phone";

/** The page's scroll width, and what sticks out past the right edge when it is too wide. */
async function fits(page: Page, name: string): Promise<void> {
  const { width, wide } = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    wide: Array.from(document.querySelectorAll("body *"))
      .filter((el) => el.getBoundingClientRect().right > 376)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  }));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  expect.soft(width, `${name} ${wide.join(" ")}`).toBeLessThanOrEqual(375);
}

describe("Glosa on a 375×740 phone", () => {
  const ctx = useServerAndBrowser();

  it("stacks source above translation and fits every page in the screen's width", async () => {
    await mkdir(SHOTS, { recursive: true });
    const context = await ctx.browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}${DOC}`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    // A revision, so that the history page has a table to show.
    await page
      .locator("#t-p2")
      .fill("El líder argentino esperaba hablar con el presidente electo republicano.");
    await page.locator("#t-p2").press("Control+Enter");
    await expect.poll(read.text(page.locator("#p-p2 .save-state"))).toMatch(/Saved/);

    const layout = await page.locator("#p-p2").evaluate((row) => {
      const source = row.querySelector(".source")?.getBoundingClientRect();
      const area = row.querySelector("textarea")?.getBoundingClientRect();
      return { source, area };
    });
    expect(layout.area?.top).toBeGreaterThanOrEqual((layout.source?.bottom ?? 0) - 1);
    expect(layout.source?.width).toBeGreaterThan(300);
    expect(layout.area?.width).toBeGreaterThan(300);
    // What stays on screen while scrolling is at most a fifth of it.
    const sticky = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((el) => ["sticky", "fixed"].includes(getComputedStyle(el).position))
        .reduce((sum, el) => sum + el.getBoundingClientRect().height, 0),
    );
    expect(sticky).toBeLessThanOrEqual(740 / 5);

    // A comment, so that the review page shows its badge and the inbox and thread have one to list.
    await page.goto(`${ctx.url}${DOC}/paragraphs/p2/comments`);
    await page
      .locator("form.comment-new textarea")
      .fill("¿«Republicano» con mayúscula? Consultar el libro de estilo de EL PAÍS antes de aprobar.");
    await page.locator("form.comment-new button[type=submit]").click();
    await page.waitForLoadState();
    // And a query on the source, which the inbox lists.
    await page
      .locator("form.comment-new textarea")
      .fill("“President-elect” con guion en el original: ¿se refiere a Trump o a la transición?");
    await page.locator("form.comment-new input[name=scope][value=source]").check();
    await page.locator("form.comment-new button[type=submit]").click();
    await page.waitForLoadState();

    for (const lng of ["en", "es"]) {
      for (const path of [
        DOC,
        "/",
        "/glossary",
        `${DOC}/paragraphs/p2`,
        `${DOC}/review`,
        "/review",
        "/memory?q=Milei",
        "/stats?groupBy=day",
        `${DOC}/replace?find=Milei&replace=Milei`,
        "/replace?find=Milei&replace=Milei",
        "/quality",
        "/machine-translation",
        "/documents/el-pais-trump-milei/source",
        "/documents/el-pais-trump-milei/history",
        "/inbox",
        `${DOC}/paragraphs/p2/comments`,
        `${DOC}/paragraphs/p2/waive`,
        `${DOC}/export`,
        "/documents/el-pais-trump-milei/languages",
        "/documents/new",
        "/account",
        "/admin/users",
        "/admin/audit",
      ]) {
        const answer = await page.goto(`${ctx.url}${path}${path.includes("?") ? "&" : "?"}lng=${lng}`);
        expect(answer?.status(), path).toBe(200);
        await fits(page, `${lng}${path.replace(/[^a-z0-9]+/gi, "-")}`);
        if (path.startsWith("/stats")) {
          // The phone's layout (labels above the bars): readable labels, and every value inside the box
          // (the wide layout scrolled sideways and hid the longest bars' values).
          expect(await page.locator(".stats-chart svg.wide").isVisible()).toBe(false);
          const label = await page
            .locator(".stats-chart svg.narrow text.label")
            .first()
            .evaluate((el) => el.getBoundingClientRect().height);
          expect(label, "chart label height on a phone").toBeGreaterThanOrEqual(9);
          const outside = await page.locator(".stats-chart").evaluate((box) => {
            const right = box.getBoundingClientRect().right;
            return Array.from(box.querySelectorAll("svg.narrow text")).filter(
              (t) => t.getBoundingClientRect().right > right + 0.5,
            ).length;
          });
          expect(outside, "chart texts past the box's edge").toBe(0);
        }
      }
      // The source update's preview is the answer to a POST.
      await page.goto(`${ctx.url}/documents/el-pais-trump-milei/source?lng=${lng}`);
      const content = page.locator("textarea[name=content]");
      await content.fill(`${await content.inputValue()}\n\nUn párrafo nuevo al final del artículo.`);
      await page.locator("button[name=intent][value=preview]").click();
      await page.waitForLoadState();
      await expect
        .poll(read.text(page.locator("h1")))
        .toMatch(/Preview: new source|Vista previa: nuevo original/);
      await fits(page, `${lng}-source-preview`);
    }
    await context.close();
  });

  it("lets a translator and an editor save on the phone, and fits every page each of them opens", async () => {
    const roles = [
      { username: "tina", role: "translator", pid: "p3" },
      { username: "eddie", role: "editor", pid: "p4" },
    ];
    for (const { username, role } of roles) await createUser(ctx.url, username, role);
    for (const { username, role, pid } of roles) {
      const context = await ctx.browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true });
      const page = await context.newPage();
      await signInPage(page, ctx.url, username, `${username}-password`);
      await page.goto(`${ctx.url}${DOC}`);
      await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
      await page.locator(`#t-${pid}`).fill(`Traducción de ${username} en el teléfono.`);
      await page.locator(`#t-${pid}`).press("Control+Enter");
      await expect.poll(read.text(page.locator(`#p-${pid} .save-state`))).toMatch(/Saved/);
      // The pages of the role: an editor's too, for the editor; a forbidden page answers 403 and fits.
      const pages = [DOC, "/", "/glossary", `${DOC}/paragraphs/${pid}`, "/memory?q=Milei", "/inbox"];
      const editorPages = [`${DOC}/review`, "/review", "/stats", "/replace?find=Milei&replace=Milei"];
      for (const lng of ["en", "es"]) {
        for (const path of [...pages, ...editorPages]) {
          const answer = await page.goto(`${ctx.url}${path}${path.includes("?") ? "&" : "?"}lng=${lng}`);
          const allowed = role === "editor" || pages.includes(path);
          expect(answer?.status(), `${role} ${path}`).toBe(allowed ? 200 : 403);
          await fits(page, `${role}-${lng}${path.replace(/[^a-z0-9]+/gi, "-")}`);
        }
      }
      await context.close();
    }
  });
});
