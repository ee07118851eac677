/**
 * Find and replace in a Markdown document, in Chromium, in every role: the page offers (and ticks)
 * only the prose's occurrences, never a word in a link's destination, a code span or an HTML tag,
 * and replacing the ticked ones leaves links and code as they were.
 */

import { describe, expect, it } from "vitest";
import { apiToken, createUser, read, signInPage, useServerAndBrowser } from "./browser.ts";

const TRANSLATION =
  'Vea [Milei](https://example.com/milei), ejecute `milei --help` y <a href="/milei">Milei</a>.';
const REPLACED =
  'Vea [Javier](https://example.com/milei), ejecute `milei --help` y <a href="/milei">Javier</a>.';

describe("find and replace in a Markdown document, in Chromium", () => {
  const ctx = useServerAndBrowser();

  async function api(path: string, method: string, body: object) {
    const res = await fetch(`${ctx.url}/api/v1${path}`, {
      method,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${await apiToken(ctx.url)}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  }

  it("offers only prose, and keeps links and code, as translator, editor and admin (English, Spanish, 375 px)", async () => {
    await createUser(ctx.url, "mdtina", "translator");
    await createUser(ctx.url, "mdeddie", "editor");
    const created = await api("/documents", "POST", {
      sourceLang: "en",
      format: "markdown",
      content: 'See [Milei](https://example.com/milei), run `milei --help` and <a href="/milei">Milei</a>.',
      title: "Milei in Markdown",
      languages: ["es"],
    });
    const doc = created.id as string;
    let revision = 0;
    for (const [user, lng, width] of [
      ["mdtina", "en", 1280],
      ["mdeddie", "es", 375],
      ["admin", "en", 1280],
    ] as const) {
      // Each role starts from the same translation.
      const saved = await api(`/documents/${doc}/translations/es/paragraphs/p1`, "PUT", {
        text: TRANSLATION,
        baseRevision: revision,
      });
      revision = saved.revision as number;
      const context = await ctx.browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await signInPage(page, ctx.url, user, user === "admin" ? undefined : `${user}-password`);
      await page.goto(
        `${ctx.url}/documents/${doc}/es/replace?lng=${lng}&find=milei&replace=Javier&inflections=1`,
      );
      const title = lng === "es" ? "2 coincidencias" : "2 occurrences";
      await expect.poll(read.text(page.locator("#preview-title"))).toBe(title);
      const marked = await page.locator("table.occurrences mark").allTextContents();
      expect(marked).toEqual(["Milei", "Milei"]);
      const boxes = page.locator('input[name="occurrences"]');
      expect([await boxes.nth(0).isChecked(), await boxes.nth(1).isChecked()]).toEqual([true, true]);
      const apply = lng === "es" ? "Reemplazar las coincidencias marcadas" : "Replace the ticked occurrences";
      await page.getByRole("button", { name: apply }).click();
      const changed = lng === "es" ? "Se ha cambiado 1 párrafo." : "1 paragraph changed.";
      await expect.poll(read.text(page.locator("#result-title"))).toBe(changed);
      const view = await fetch(`${ctx.url}/api/v1/documents/${doc}/translations/es`, {
        headers: { Authorization: `Bearer ${await apiToken(ctx.url)}` },
      });
      const paragraphs = ((await view.json()) as { paragraphs: { text: string; revision: number }[] })
        .paragraphs;
      expect(paragraphs[0]?.text, `${user}`).toBe(REPLACED);
      revision = paragraphs[0]?.revision as number;
      await context.close();
    }
  });
});
