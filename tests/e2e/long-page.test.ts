/** A 1,000-paragraph article in the editor: text areas sized to their text without a layout per row. */

import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, read, signInPage, useServerAndBrowser } from "./browser.ts";

const PARAGRAPHS = 1_000;

describe("a long article in Chromium", () => {
  const ctx = useServerAndBrowser();

  it("starts the editor script quickly and sizes every text area to its text", async () => {
    const api = async (method: string, path: string, token: string | null, body: unknown) => {
      const res = await fetch(`${ctx.url}/api/v1${path}`, {
        method,
        headers: {
          "Content-Type": "application/json",
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const token = (await api("POST", "/tokens", null, { username: "admin", password: ADMIN_PASSWORD }))
      .token as string;
    const content = Array.from(
      { length: PARAGRAPHS },
      (_, i) => `Paragraph ${i}: the Casa Rosada said the chainsaw would reach every ministry this week.`,
    ).join("\n");
    const doc = await api("POST", "/documents", token, {
      sourceLang: "en",
      format: "text",
      content,
      languages: ["es"],
    });
    const long = "Una traducción larga que ocupa varias líneas del área de texto. ".repeat(12);
    await api("PUT", `/documents/${doc.id}/translations/es/paragraphs/p3`, token, {
      text: long,
      baseRevision: 0,
    });

    const page = await ctx.browser.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}/documents/${doc.id}/es`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await expect.poll(read.count(page.locator("article.para"))).toBe(PARAGRAPHS);
    const started = await page.evaluate(
      () => performance.getEntriesByName("glosa:editor-start", "measure")[0]?.duration ?? -1,
    );
    console.log(`editor script start on ${PARAGRAPHS} rows: ${started.toFixed(1)} ms`);
    expect(started).toBeGreaterThanOrEqual(0);
    // Reading and setting each text area's height in turn took about a second here.
    expect(started).toBeLessThan(300);
    const fits = await page.locator("#t-p3").evaluate((el) => el.scrollHeight <= el.clientHeight + 2);
    expect(fits).toBe(true);
    // Typing more grows the area with the text.
    const before = await page.locator("#t-p3").evaluate((el) => el.clientHeight);
    await page.locator("#t-p3").press("End");
    await page.locator("#t-p3").pressSequentially("\nOtra línea.\nY otra más.");
    const after = await page.locator("#t-p3").evaluate((el) => el.clientHeight);
    expect(after).toBeGreaterThan(before);
    await page.close();
  });
});
