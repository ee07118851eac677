/** "Pre-translate empty paragraphs" in Chromium with the real Apertium engine: progress, then the drafts. */

import { execFileSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, read, type Server, signInPage, startServer } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

function hasApertium(): boolean {
  try {
    return /\beng-spa\b/.test(execFileSync("apertium", ["-l"], { encoding: "utf8" }));
  } catch {
    return false;
  }
}

describe.skipIf(!hasApertium())("pre-translation in the editor (apertium installed)", () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer({ GLOSA_MT: "apertium" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("fills the empty paragraphs as machine drafts and reloads, names and do-not-translate terms intact", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInPage(page, server.url);
    await page.goto(`${server.url}${DOC}`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const reloaded = page.waitForEvent("load", { timeout: 30_000 });
    await page.getByRole("button", { name: "Pre-translate empty paragraphs" }).click();
    await reloaded;
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const first = page.locator("#t-p1");
    await expect.poll(read.value(first), { timeout: 10_000 }).toMatch(/^Trump .*Milei/);
    const all = await page
      .locator("article.para textarea")
      .evaluateAll((areas) => areas.map((a) => (a as HTMLTextAreaElement).value));
    expect(all.every((text) => text.length > 0 && !text.includes("Triunfo"))).toBe(true);
    expect(all.join(" ")).toContain("Casa Rosada");
    // The reload that shows the drafts still says what the job did.
    await expect
      .poll(read.text(page.locator(".pretranslate-status")))
      .toMatch(/^Pre-translated: \d+ paragraphs filled as drafts\./);
    expect(errors).toEqual([]);
    await page.close();
  });
});
