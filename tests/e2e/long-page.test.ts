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
    // Long tasks are only reported to an observer registered before they happen.
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(`${ctx.url}/documents/${doc.id}/es`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await page.waitForLoadState("load");
    // What a reader waits for, from the navigation's start: the server's answer, the first paint,
    // the page parsed, the editor's script ready, and the main thread's long tasks on the way.
    const timings = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const start = performance.getEntriesByName("glosa:editor-start", "measure")[0];
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      return {
        responseEnd: nav.responseEnd,
        firstContentfulPaint: paint?.startTime ?? -1,
        domInteractive: nav.domInteractive,
        editorReady: start ? start.startTime + start.duration : -1,
        load: nav.loadEventEnd,
        longTasks: (window as unknown as { longTasks: number[] }).longTasks,
      };
    });
    const round = (n: number) => Math.round(n);
    console.log(
      `${PARAGRAPHS} rows, ms from navigation start: last byte ${round(timings.responseEnd)}, first paint ${round(timings.firstContentfulPaint)}, DOM interactive ${round(timings.domInteractive)}, editor ready ${round(timings.editorReady)}, load ${round(timings.load)}; long tasks ${timings.longTasks.map(round).join(", ")}`,
    );
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
