/**
 * A glossary term's card in the editor follows its term: opened from the keyboard, it stays under
 * the term's last line and inside the window when the window is resized (1280 px to a 375 px phone
 * and back) and when the page scrolls, and the focus stays on the term. Every role, both languages.
 */

import type { Locator } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  createUser,
  editorOptions,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const SEED = "el-pais-trump-milei";
const USERS = [
  ["tina", "tina-password", "translator"],
  ["edna", "edna-password", "editor"],
  ["admin", ADMIN_PASSWORD, "admin"],
] as const;

/**
 * How far the card's top is from the bottom of its term's last line (0: right under it), and whether
 * it is inside the window.
 */
function placement(term: Locator) {
  return term.evaluate((el) => {
    const card = document.getElementById(el.getAttribute("aria-controls") ?? "") as HTMLElement;
    const lines = el.getClientRects();
    const line = lines[lines.length - 1] as DOMRect;
    const box = card.getBoundingClientRect();
    return {
      below: Math.round(box.top - line.bottom),
      inside: box.left >= 0 && box.right <= document.documentElement.clientWidth,
      shown: !card.hidden,
    };
  });
}

describe("the term card follows its term", () => {
  const ctx = useServerAndBrowser();
  beforeAll(async () => {
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  for (const user of USERS)
    for (const lng of ["en", "es"] as const) {
      it(`keeps the card under the term when the window is resized and the page scrolls, as ${user[2]} (${lng})`, async () => {
        const page = await openEditor(ctx.browser, ctx.url, user, SEED, editorOptions(lng, 1280));
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        // A term well down the paragraph, so that its line wraps elsewhere at another width.
        const term = page.locator("#p-p8 .term").last();
        await term.focus();
        await expect.poll(read.focused(term)).toBe(true);
        await expect.poll(async () => (await placement(term)).shown).toBe(true);
        expect(await placement(term)).toEqual({ below: 0, inside: true, shown: true });

        for (const width of [375, 1280, 900]) {
          await page.setViewportSize({ width, height: 800 });
          await expect.poll(() => placement(term)).toEqual({ below: 0, inside: true, shown: true });
          await expect.poll(read.focused(term)).toBe(true);
        }
        await page.setViewportSize({ width: 375, height: 800 });
        await expect.poll(() => placement(term)).toEqual({ below: 0, inside: true, shown: true });
        await page.mouse.wheel(0, 120);
        await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
        await expect.poll(() => placement(term)).toEqual({ below: 0, inside: true, shown: true });
        await expect.poll(read.focused(term)).toBe(true);
        // Esc still closes it and leaves the focus on the term.
        await page.keyboard.press("Escape");
        await expect.poll(async () => (await placement(term)).shown).toBe(false);
        expect(await read.focused(term)()).toBe(true);
        expect(errors).toEqual([]);
        await page.context().close();
      });
    }
});
