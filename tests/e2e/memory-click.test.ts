/**
 * A double click on a memory match's words selects them (to copy), as a new user found it did not:
 * its first click already put the match into their text area. A single click, the match's button by
 * the keyboard and Ctrl+1 still insert it; a double click, even a slow one, or a drag does not.
 */

import { beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  apiToken,
  createUser,
  EVERY_ROLE,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const USERS = EVERY_ROLE;

const SOURCE = "The river rose two metres overnight and flooded the old market.";
const TEXT = "El río subió dos metros durante la noche e inundó el mercado viejo.";
const MINE = "Mi traducción a medias";

describe("a click on a memory match", () => {
  const ctx = useServerAndBrowser();
  let doc = "";
  let pid = "";
  let other = "";
  beforeAll(async () => {
    const admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
    const seed = await newDocument(ctx.url, admin, ["Flood", SOURCE]);
    const saved = await apiCall(
      ctx.url,
      admin,
      "PUT",
      `/documents/${seed.doc}/translations/es/paragraphs/${seed.pids[1]}`,
      { text: TEXT, baseRevision: 0 },
    );
    expect(saved.status).toBe(200);
    const made = await newDocument(ctx.url, admin, ["Flood again", SOURCE, "The market reopened on Monday."]);
    doc = made.doc;
    pid = made.pids[1] as string;
    other = made.pids[2] as string;
  });

  for (const [i, user] of USERS.entries()) {
    const width = i === 1 ? 375 : 1280;
    it(`drops a click's insert when the person moves on or saves first, as ${user[0]} at ${width} px`, async () => {
      const page = await openEditor(ctx.browser, ctx.url, user, doc, { width });
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      const next = page.locator(`#t-${other}`);
      await area.fill(MINE);
      await area.focus();
      const words = row.locator(".memory-match .memory-text").first();
      await expect.poll(read.text(words)).toBe(TEXT);

      // A click on the match, then at once into another row to type there: the typing stays there,
      // and the first row keeps its text (the insert used to land in it and take the focus back).
      await words.click({ position: { x: 12, y: 8 } });
      await next.click();
      await page.keyboard.type("El mercado reabrió el lunes.");
      await page.waitForTimeout(900);
      expect(await next.inputValue()).toBe("El mercado reabrió el lunes.");
      expect(await area.inputValue()).toBe(MINE);
      expect(await read.focused(next)()).toBe(true);

      // A click on the match, then Save at once: what was saved stays in the row, nothing unsaved.
      await area.focus();
      await expect.poll(read.text(words)).toBe(TEXT);
      await words.click({ position: { x: 12, y: 8 } });
      await row.locator("button[value=save]").click();
      await page.waitForTimeout(900);
      await expect.poll(read.text(row.locator(".rev"))).toMatch(/^r\d+$/);
      expect(await area.inputValue()).toBe(MINE);
      expect(await read.className(row)()).not.toMatch(/\bunsaved\b/);
      await page.context().close();
    });
  }

  for (const [i, user] of USERS.entries()) {
    const spanish = i !== 0;
    const width = i === 1 ? 375 : 1280;
    it(`selects a word on a double click, inserts on a single one, as ${user[0]} at ${width} px${spanish ? " (es)" : ""}`, async () => {
      const page = await openEditor(ctx.browser, ctx.url, user, doc, {
        locale: spanish ? "es-ES" : "en-US",
        width,
      });
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      await area.fill(MINE);
      await area.focus();
      const match = row.locator(".memory-match").first();
      const words = match.locator(".memory-text");
      await expect.poll(read.text(words)).toBe(TEXT);
      expect(await match.locator(".memory-insert").getAttribute("aria-label")).toMatch(
        spanish ? /^Insertar la sugerencia 1/ : /^Insert suggestion 1/,
      );
      const selected = () => page.evaluate(() => window.getSelection()?.toString().trim() ?? "");

      // A quick double click on a word: the word is selected, the text typed stays.
      await words.dblclick({ position: { x: 12, y: 8 } });
      await page.waitForTimeout(900);
      expect(await area.inputValue()).toBe(MINE);
      expect(await selected()).not.toBe("");

      // A slow one (300 ms between the clicks, within a system's double-click time): the same.
      const box = await words.boundingBox();
      if (!box) throw new Error("no box");
      const [x, y] = [box.x + 40, box.y + 8];
      await page.mouse.click(x, y);
      await page.waitForTimeout(300);
      await page.mouse.click(x, y, { clickCount: 2 });
      await page.waitForTimeout(900);
      expect(await area.inputValue()).toBe(MINE);
      expect(await selected()).not.toBe("");

      // A drag over the words selects them, and inserts nothing.
      await page.mouse.move(box.x + 4, y);
      await page.mouse.down();
      await page.mouse.move(box.x + Math.min(box.width - 4, 150), y, { steps: 5 });
      await page.mouse.up();
      await page.waitForTimeout(900);
      expect(await area.inputValue()).toBe(MINE);
      expect(await selected()).not.toBe("");

      // One click inserts (once the double-click time has passed), and Ctrl+Z brings the typed text back.
      await words.click({ position: { x: 12, y: 8 } });
      await expect.poll(read.value(area)).toBe(TEXT);
      await expect.poll(read.focused(area)).toBe(true);
      await page.keyboard.press("Control+z");
      await expect.poll(read.value(area)).toBe(MINE);

      // The match's button by the keyboard inserts at once; so does Ctrl+1 from the text area. The
      // lookup the text area's focus started is let finish first: its answer redraws the panel, and a
      // button focused before that is no longer on the page (seen once on a loaded CI machine).
      await page.waitForTimeout(800);
      await match.locator(".memory-insert").focus();
      await page.keyboard.press("Enter");
      await expect.poll(read.value(area)).toBe(TEXT);
      await area.fill(MINE);
      await area.press("Control+1");
      expect(await area.inputValue()).toBe(TEXT);
      await page.context().close();
    });
  }
});
