/**
 * A glossary term on a phone (375 px), as a new translator found it: the editor's form, disabled, with
 * two empty language rows and the note cut off in a two-line box that could not be scrolled. One who
 * may only read the term reads it as text, the note whole; editors and admins keep the form. With
 * scripts and without.
 */

import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, EVERY_ROLE, signInPage, useServerAndBrowser } from "./browser.ts";

const NOTE = 'Milei\'s emblem for cutting public spending ("la motosierra"). Keep the metaphor.';

/** Opens the seed glossary's "chainsaw" from the glossary list, as the trial did. */
async function openChainsaw(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/glossary?q=chainsaw`);
  await page.getByRole("link", { name: "chainsaw", exact: true }).click();
  await page.waitForURL(/\/glossary\/terms\//);
}

/** How far the page and the term's box reach past the screen's right edge, in px. */
function overflow(page: Page) {
  return page.evaluate(() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    boxes: [...document.querySelectorAll("main .card, main dd")].map(
      (el) => el.getBoundingClientRect().right,
    ),
  }));
}

describe("a glossary term at 375 px", () => {
  const ctx = useServerAndBrowser();
  beforeAll(async () => {
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? "with scripts" : "without scripts";
    for (const [username, password] of EVERY_ROLE) {
      const reader = username === "tina";
      it(`is ${reader ? "read as text, the note whole" : "the form"}, as ${username} (${how})`, async () => {
        const context = await ctx.browser.newContext({
          viewport: { width: 375, height: 740 },
          isMobile: true,
          hasTouch: true,
          javaScriptEnabled,
        });
        const page = await context.newPage();
        await signInPage(page, ctx.url, username, password);
        await openChainsaw(page, ctx.url);
        const main = page.locator("main");
        const { page: past, boxes } = await overflow(page);
        expect(past).toBeLessThanOrEqual(0);
        for (const right of boxes) expect(right).toBeLessThanOrEqual(375);
        if (reader) {
          expect(await main.locator("input, textarea, select, fieldset, [disabled]").count()).toBe(0);
          const note = main.locator(".term-view .term-note");
          expect((await note.textContent())?.trim()).toBe(NOTE);
          // Not cut off: the whole note is drawn, nothing of it scrolled out of its box.
          const cut = await note.evaluate((el) => el.scrollHeight - el.clientHeight);
          expect(cut).toBeLessThanOrEqual(0);
          expect(await note.isVisible()).toBe(true);
          // One language with a translation, no empty rows.
          expect(await main.locator(".term-targets dt").allTextContents()).toEqual(["Spanish (es)"]);
          expect(await main.locator(".term-targets dd strong").textContent()).toBe("motosierra");
          expect(await main.locator(".term-targets dd .forbidden").textContent()).toBe(
            "Don't use: sierra mecánica, sierra de cadena",
          );
        } else {
          const form = main.locator("form.term-form");
          expect(await form.locator("textarea[name=description]").inputValue()).toBe(NOTE);
          expect(await form.locator("textarea[name=description]").isEditable()).toBe(true);
          expect(await form.locator("input[name=targetLang]").count()).toBeGreaterThan(1);
          expect(await main.locator(".term-view").count()).toBe(0);
        }
        await context.close();
      });
    }
  }
});
