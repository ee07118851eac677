/**
 * The editor's memory panel as the Chromium trial found it: a lookup that failed left the panel on
 * "Looking in the memory…" for ever, and a click on a match's text inserted nothing (only its small
 * numbered button did).
 */

import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  apiToken,
  createUser,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const USERS = [
  ["tina", "tina-password"],
  ["edna", "edna-password"],
] as const;

/** Tabs from the focused element until `target` has the focus: false when it never does. */
async function tabTo(page: Page, target: ReturnType<Page["locator"]>): Promise<boolean> {
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    if (await read.focused(target)()) return true;
  }
  return false;
}

describe("the editor's memory panel after the trial", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  /** A document whose paragraph 1 has one match in the memory (`text`), and another paragraph. */
  async function withMatch(source: string, text: string) {
    const seed = await newDocument(ctx.url, admin, ["Seed", source], { 1: text });
    expect(seed.pids).toHaveLength(2);
    return newDocument(ctx.url, admin, ["Again", source, "Another paragraph to move to."]);
  }

  it("says the memory could not be reached, with a retry by keyboard, and asks again on the next focus", async () => {
    const source = "The city council voted to close the old market on Sundays.";
    const text = "El ayuntamiento votó cerrar el viejo mercado los domingos.";
    const { doc, pids } = await withMatch(source, text);
    const [, pid, other] = pids as [string, string, string];
    const suggestions = `**/api/v1/documents/${doc}/translations/es/paragraphs/${pid}/suggestions`;
    for (const [i, user] of USERS.entries()) {
      const spanish = i === 1;
      const page = await openEditor(ctx.browser, ctx.url, user, doc, spanish ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      const panel = row.locator(".memory-matches");
      const unreachable = spanish
        ? "No se ha podido consultar la memoria."
        : "The memory could not be reached.";
      const retry = panel.getByRole("button", { name: spanish ? "Volver a intentarlo" : "Try again" });

      // The request fails (the network gone): the panel says so, not "looking" for ever.
      await page.route(suggestions, (route) => route.abort("internetdisconnected"));
      await area.focus();
      await expect.poll(read.text(panel)).toContain(unreachable);
      expect(await panel.textContent()).not.toMatch(/Looking in the memory|Buscando en la memoria/);
      expect(await panel.locator('[role="status"]').count()).toBe(1);

      // Retry, reached and pressed from the keyboard, once the memory answers again.
      await page.unroute(suggestions);
      expect(await tabTo(page, retry)).toBe(true);
      await page.keyboard.press("Enter");
      await expect.poll(read.text(row.locator(".memory-match").first())).toContain(text);
      expect(await panel.textContent()).not.toContain(unreachable);
      await expect.poll(read.focused(area)).toBe(true);

      // A server error this time: said the same way, the matches shown before kept under it.
      await page.route(suggestions, (route) => route.fulfill({ status: 503, body: "" }));
      await page.locator(`#t-${other}`).focus();
      await area.focus();
      await expect.poll(read.text(panel)).toContain(unreachable);
      expect(await panel.locator(".memory-match").count()).toBe(1);

      // The memory is back: the next focus of the row asks again by itself.
      await page.unroute(suggestions);
      await page.locator(`#t-${other}`).focus();
      await area.focus();
      await expect.poll(read.text(panel)).not.toContain(unreachable);
      expect(await panel.locator(".memory-match").first().textContent()).toContain(text);
      await page.context().close();
    }
  });

  it("inserts a match clicked on its text as its button does, but not at the end of a selection to copy", async () => {
    const source = "Fishermen protested in the harbour against the new anchovy quota.";
    const text = "Los pescadores protestaron en el puerto contra la nueva cuota de anchoa.";
    for (const [i, user] of USERS.entries()) {
      const { doc, pids } = await withMatch(source, text);
      const pid = pids[1] as string;
      const page = await openEditor(ctx.browser, ctx.url, user, doc, i === 1 ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      await area.focus();
      const match = row.locator(".memory-match").first();
      const shown = match.locator(".memory-text");
      await expect.poll(read.text(shown)).toBe(text);

      // Selecting the match's words with the mouse, to copy them, inserts nothing.
      const box = await shown.boundingBox();
      if (!box) throw new Error("the match's text is not shown");
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      expect(await page.evaluate(() => window.getSelection()?.toString() ?? "")).not.toBe("");
      await page.waitForTimeout(200);
      expect(await area.inputValue()).toBe("");

      // A click on its text (or on its old source) inserts it, and the save records it as from the memory.
      await (i === 0 ? shown : match.locator(".memory-source")).click();
      await expect.poll(read.value(area)).toBe(text);
      await expect.poll(read.className(row)).toContain("unsaved");
      expect(await match.locator(".memory-insert").isVisible()).toBe(true);
      await area.press("Control+Enter");
      await expect.poll(read.className(row)).toContain("status-translated");
      const origins = await apiCall(ctx.url, admin, "GET", `/documents/${doc}/translations/es/origins`);
      expect(origins.body.fromMemory).toBe(1);
      await page.context().close();
    }
  });
});
