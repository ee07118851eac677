/**
 * The list of keyboard shortcuts on a phone's width (375 px), as a new user found it: its words ran
 * past the screen's edge, out of reach. It fits or scrolls inside itself, in English and in Spanish
 * (longer), closes by Esc and by its Close button, and does not stay over the text area typed in.
 */

import type { Locator } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiToken,
  createUser,
  EVERY_ROLE,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const USERS = EVERY_ROLE;

const PARAGRAPHS = [
  "Shortcuts on a phone",
  ...Array.from(
    { length: 8 },
    (_, i) => `Paragraph ${i + 1} of the story, long enough to wrap on a phone's narrow screen.`,
  ),
];

/** Where the list and each of its items are, and how far its content reaches past its box. */
async function geometry(help: Locator) {
  return help.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const items = [...el.querySelectorAll("h2, #shortcuts-close, dt, dd")].map((item) => {
      const r = item.getBoundingClientRect();
      return { text: item.textContent?.trim().slice(0, 30), left: r.left, right: r.right };
    });
    return {
      box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom },
      wide: el.scrollWidth - el.clientWidth,
      inner: { left: box.left + el.clientLeft, right: box.left + el.clientLeft + el.clientWidth },
      items,
    };
  });
}

/** Scrolls the page so that `area`'s top is `y` px from the top of the screen. */
async function placeAt(area: Locator, y: number) {
  await area.evaluate((el, at) => window.scrollBy(0, el.getBoundingClientRect().top - at), y);
}

describe("the list of shortcuts at 375 px", () => {
  const ctx = useServerAndBrowser();
  let doc = "";
  let pids: string[] = [];
  beforeAll(async () => {
    const admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
    ({ doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS));
  });

  for (const lng of ["en", "es"]) {
    for (const user of USERS) {
      it(`is read whole, closed by Esc and leaves the text typed in, as ${user[0]} (${lng})`, async () => {
        const page = await openEditor(ctx.browser, ctx.url, user, doc, {
          locale: lng === "es" ? "es-ES" : "en-US",
          width: 375,
        });
        const help = page.locator("#shortcuts");
        await page.locator("h1").first().click();
        await page.keyboard.press("?");
        await expect.poll(read.focused(help)).toBe(true);
        expect(await help.locator("h2").textContent()).toBe(
          lng === "es" ? "Atajos de teclado" : "Keyboard shortcuts",
        );
        const { box, wide, inner, items } = await geometry(help);
        // On the screen, nothing in it wider than it (the words of the right column were past the edge).
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(375);
        expect(box.top).toBeGreaterThanOrEqual(0);
        expect(box.bottom).toBeLessThanOrEqual(800);
        expect(wide).toBeLessThanOrEqual(0);
        expect(items.filter((i) => i.left < inner.left - 0.5 || i.right > inner.right + 0.5)).toEqual([]);
        // Taller than it may be, it scrolls inside itself, by the keyboard: the last shortcut comes into view.
        await page.keyboard.press("End");
        const last = help.locator("dd").last();
        await expect
          .poll(() =>
            last.evaluate((el) => {
              const list = (el.closest("#shortcuts") as HTMLElement).getBoundingClientRect();
              const r = el.getBoundingClientRect();
              return r.top >= list.top && r.bottom <= list.bottom + 0.5;
            }),
          )
          .toBe(true);
        await page.keyboard.press("Escape");
        await expect.poll(read.visible(help)).toBe(false);

        // A text area the list lies over: going back to it closes the list, so what is typed shows.
        const low = page.locator(`#t-${pids[5]}`);
        await placeAt(low, 650);
        await page.keyboard.press("?");
        await expect.poll(read.visible(help)).toBe(true);
        await low.focus();
        await expect.poll(read.visible(help)).toBe(false);
        await page.keyboard.type("Hola");
        expect(await low.inputValue()).toBe("Hola");
        // One it leaves in view keeps it open, to be read beside the text.
        const high = page.locator(`#t-${pids[3]}`);
        await placeAt(high, 200);
        await page
          .locator("h1")
          .first()
          .evaluate((el) => (el as HTMLElement).blur());
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.keyboard.press("?");
        await expect.poll(read.visible(help)).toBe(true);
        await high.focus();
        await page.keyboard.type("Adiós");
        expect(await read.visible(help)()).toBe(true);
        await page.context().close();
      });
    }
  }

  it("closes by a click on its Close button, and is not offered on a touch-only phone (no keys to press)", async () => {
    const page = await openEditor(ctx.browser, ctx.url, USERS[1], doc, { locale: "es-ES", width: 375 });
    const help = page.locator("#shortcuts");
    await page.locator("details.tools > summary").click();
    await page.locator("#shortcuts-button").click();
    await expect.poll(read.visible(help)).toBe(true);
    const { box, wide } = await geometry(help);
    expect(box.right).toBeLessThanOrEqual(375);
    expect(wide).toBeLessThanOrEqual(0);
    // Scrolled to its end, the list keeps its title and Close in view at its top.
    await help.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const close = page.locator("#shortcuts-close");
    const inView = await close.evaluate((button) => {
      const list = (button.closest("#shortcuts") as HTMLElement).getBoundingClientRect();
      const own = button.getBoundingClientRect();
      return own.top >= list.top - 0.5 && own.bottom <= list.bottom + 0.5;
    });
    expect(inView).toBe(true);
    await close.click();
    await expect.poll(read.visible(help)).toBe(false);
    await page.context().close();

    const phone = await openEditor(ctx.browser, ctx.url, USERS[1], doc, {
      locale: "es-ES",
      width: 375,
      isMobile: true,
      hasTouch: true,
    });
    await phone.locator("details.tools > summary").tap();
    expect(await read.visible(phone.locator("#shortcuts-button"))()).toBe(false);
    await phone.context().close();
  });
});
