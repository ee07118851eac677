/**
 * A 1,000-paragraph article in the editor: text areas sized to their text without a layout per row,
 * and the rows past the first screens, sent light, filled in with their terms and findings as they
 * come near the screen, in every role.
 */

import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, createUser, read, signInPage, useServerAndBrowser } from "./browser.ts";

const PARAGRAPHS = 1_000;

describe("a long article in Chromium", () => {
  const ctx = useServerAndBrowser();
  const api = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${ctx.url}/api/v1${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  /** A document of `count` paragraphs, one line each, created with the admin's token. */
  const longDocument = async (line: (i: number) => string, count = PARAGRAPHS) => {
    const token = (await api("POST", "/tokens", null, { username: "admin", password: ADMIN_PASSWORD }))
      .token as string;
    const content = Array.from({ length: count }, (_, i) => line(i)).join("\n");
    const doc = await api("POST", "/documents", token, {
      sourceLang: "en",
      format: "text",
      content,
      languages: ["es"],
    });
    return { token, doc };
  };

  it("starts the editor script quickly and sizes every text area to its text", async () => {
    const { token, doc } = await longDocument(
      (i) => `Paragraph ${i}: the Casa Rosada said the chainsaw would reach every ministry this week.`,
    );
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

  it("fills light rows in with their terms and findings near the screen, for every role and width", async () => {
    const { token, doc } = await longDocument(
      (i) => `Row ${i}: officials at the Casa Rosada said the chainsaw would reach every ministry.`,
    );
    // Far down the page: a translation with findings (the terms are missing), and a draft.
    await api("PUT", `/documents/${doc.id}/translations/es/paragraphs/p700`, token, {
      text: "Los funcionarios dijeron que llegaría a cada ministerio.",
      baseRevision: 0,
    });
    await api("PUT", `/documents/${doc.id}/translations/es/paragraphs/p900`, token, {
      text: "Fila 899: la Casa Rosada dijo que la motosierra llegaría a cada ministerio.",
      baseRevision: 0,
      status: "draft",
    });
    await createUser(ctx.url, "long-tina", "translator");
    await createUser(ctx.url, "long-eddie", "editor");

    for (const [username, password, width] of [
      ["long-tina", "long-tina-password", 1280],
      ["long-eddie", "long-eddie-password", 375],
      ["admin", ADMIN_PASSWORD, 375],
      ["admin", ADMIN_PASSWORD, 1280],
    ] as const) {
      const page = await ctx.browser.newPage({ viewport: { width, height: 800 } });
      await signInPage(page, ctx.url, username, password);
      await page.goto(`${ctx.url}/documents/${doc.id}/es`);
      await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
      const row = page.locator("#p-p700");
      // Sent light: the source's terms unmarked, a link to the findings instead of the list.
      expect(await row.locator(".term").count()).toBe(0);
      expect(await row.getAttribute("class")).toContain("light");
      await page.locator("#t-p699").scrollIntoViewIfNeeded();
      await expect.poll(read.count(row.locator(".term"))).toBeGreaterThan(0);
      await expect.poll(read.count(row.locator(".findings .finding.warning"))).toBeGreaterThan(0);
      expect(await row.locator(".findings-link").count()).toBe(0);
      expect(await row.locator(".findings").textContent()).toContain("motosierra");
      // The term card and insertion work as on the first rows.
      const term = row.locator(".term", { hasText: "chainsaw" });
      const card = term.locator("xpath=following-sibling::span[contains(@class, 'term-card')][1]");
      await term.hover();
      await expect.poll(read.text(card)).toContain("motosierra");
      await term.click();
      await card.locator(".term-insert").click();
      await expect.poll(read.value(row.locator("textarea"))).toContain("motosierra");
      await page.locator("#t-p700").press("Escape");
      // Approve only for editors and admins, on the draft far down.
      const draft = page.locator("#p-p900");
      expect(await draft.locator("button.approve").count()).toBe(username === "long-tina" ? 0 : 1);
      await page.close();
    }
  });

  it("moves Ctrl+Enter to a light row whose findings are not loaded yet", async () => {
    // Enough rows that the 80th is past the rows rendered in full.
    const { token, doc } = await longDocument((i) => `Line ${i} of the report.`, 100);
    // Every paragraph translated but p3; p80 with a finding (its number is missing).
    for (let p = 1; p <= 100; p++)
      if (p !== 3)
        await api("PUT", `/documents/${doc.id}/translations/es/paragraphs/p${p}`, token, {
          text: p === 80 ? "Línea del informe." : `Línea ${p - 1} del informe.`,
          baseRevision: 0,
        });
    const page = await ctx.browser.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}/documents/${doc.id}/es`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    expect(await page.locator("#p-p80").getAttribute("class")).toContain("light");
    await page.locator("#t-p3").fill("Línea 2 del informe.");
    await page.locator("#t-p3").press("Control+Enter");
    await expect.poll(read.focused(page.locator("#t-p80"))).toBe(true);
    await page.close();
  });
});
