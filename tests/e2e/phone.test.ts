/** A 375 px phone: one column per paragraph, a small header, and no sideways scrolling anywhere. */

import { describe, expect, it } from "vitest";
import { read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

describe("Glosa on a 375×740 phone", () => {
  const ctx = useServerAndBrowser();

  it("stacks source above translation and fits every page in the screen's width", async () => {
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

    for (const path of [
      DOC,
      "/",
      "/glossary",
      `${DOC}/paragraphs/p2`,
      // Find and replace, statistics (findstats).
      `${DOC}/replace?find=Milei&replace=Milei`,
      "/stats?groupBy=day",
    ]) {
      await page.goto(`${ctx.url}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, width }).toEqual({ path, width: expect.any(Number) });
      expect(width, path).toBeLessThanOrEqual(375);
    }
    await context.close();
  });
});
