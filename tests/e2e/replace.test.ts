import { describe, expect, it } from "vitest";
import { read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

describe("find and replace in Chromium", () => {
  const ctx = useServerAndBrowser();

  it("previews, applies the ticked occurrences and undoes the batch, from the editor's toolbar, by keyboard", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}${DOC}`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await page.locator("#t-p2").fill("Milei y su motosierra; las motosierras de Milei.");
    await page.locator("#t-p2").press("Control+Enter");
    await expect.poll(read.text(page.locator("#p-p2 .save-state"))).toMatch(/Saved/);

    await page.getByRole("link", { name: "Find and replace" }).first().click();
    await page.waitForURL((u) => u.pathname.endsWith("/replace"));
    await page.getByLabel("Find", { exact: true }).fill("motosierra");
    await page.getByLabel("Replace with").fill("tijera");
    await page.getByLabel("Replace with").press("Enter");
    await expect.poll(read.text(page.locator("#preview-title"))).toBe("2 occurrences");
    // The exact match is ticked; the plural is offered unticked with the plural of the new word.
    const boxes = page.locator('input[name="occurrences"]');
    expect(await boxes.nth(0).isChecked()).toBe(true);
    expect(await boxes.nth(1).isChecked()).toBe(false);
    expect(await page.locator("tr.inflection ins").textContent()).toBe("tijeras");
    await boxes.nth(1).focus();
    await page.keyboard.press("Space");
    expect(await boxes.nth(1).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Replace the ticked occurrences" }).click();
    await expect.poll(read.text(page.locator("#result-title"))).toBe("1 paragraph changed.");

    // Checked in a second tab, the result page (and its undo form) kept in the first.
    const editor = await page.context().newPage();
    await editor.goto(`${ctx.url}${DOC}`);
    await expect.poll(read.value(editor.locator("#t-p2"))).toBe("Milei y su tijera; las tijeras de Milei.");
    await page.getByRole("button", { name: "Undo this replacement" }).click();
    await expect.poll(read.text(page.locator("#result-title"))).toBe("Undone: 1 paragraph restored.");
    await editor.reload();
    await expect
      .poll(read.value(editor.locator("#t-p2")))
      .toBe("Milei y su motosierra; las motosierras de Milei.");
  });
});
