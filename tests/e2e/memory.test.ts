/** The translation memory in Chromium: a translator inserts a 100% match with the keyboard. */

import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, read, signInPage, useServerAndBrowser } from "./browser.ts";

const SEED = "el-pais-trump-milei";

async function call(url: string, token: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field in the test
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
}

describe("translation memory in the editor", () => {
  const ctx = useServerAndBrowser();

  it("a translator opens a new document repeating a seed paragraph and inserts the 100% match with Ctrl+1", async () => {
    const { url } = ctx;
    const admin = (await call(url, null, "POST", "/tokens", { username: "admin", password: ADMIN_PASSWORD }))
      .body.token as string;
    expect(
      (
        await call(url, admin, "POST", "/users", {
          username: "tina",
          password: "tina-password",
          role: "translator",
        })
      ).status,
    ).toBe(201);
    const seed = await call(url, admin, "GET", `/documents/${SEED}`);
    const repeated = seed.body.paragraphs[4] as { id: string; source: string };
    const saved = await call(
      url,
      admin,
      "PUT",
      `/documents/${SEED}/translations/es/paragraphs/${repeated.id}`,
      {
        text: "Traducción guardada en la memoria.",
        baseRevision: 0,
      },
    );
    expect(saved.status).toBe(200);
    const created = await call(url, admin, "POST", "/documents", {
      sourceLang: "en",
      format: "text",
      content: `Follow-up\n\n${repeated.source}`,
      languages: ["es"],
    });
    expect(created.status).toBe(201);
    const doc = created.body.id as string;
    const pid = (created.body.paragraphs as { id: string; source: string }[]).find(
      (p) => p.source === repeated.source,
    )?.id as string;

    const page = await (await ctx.browser.newContext()).newPage();
    await signInPage(page, url, "tina", "tina-password");
    await page.goto(`${url}/documents/${doc}/es`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const row = page.locator(`#p-${pid}`);
    const area = row.locator("textarea");
    await area.focus();
    const match = row.locator(".memory-match").first();
    await expect.poll(read.text(match)).toContain("100%");
    await expect.poll(read.text(match)).toContain("Traducción guardada en la memoria.");
    await area.press("Control+1");
    await expect.poll(read.value(area)).toBe("Traducción guardada en la memoria.");
    await area.press("Control+Enter");
    await expect.poll(read.className(row)).toContain("status-translated");
    const revisions = await call(
      url,
      admin,
      "GET",
      `/documents/${doc}/translations/es/paragraphs/${pid}/revisions`,
    );
    expect(revisions.body.revisions[0]).toMatchObject({ origin: "memory", author: "tina" });
  });
});
