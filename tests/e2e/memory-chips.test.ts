/**
 * Inline-code chips in Chromium: only an imported unit's real inline codes are drawn as chips. A unit
 * imported from TMX without codes whose text really holds "{1}" shows and inserts "{1}" as text, in
 * the editor's suggestions, its concordance box (Ctrl/⌘+K) and the /memory page, for every role.
 */

import { describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  read,
  signInPage,
  useServerAndBrowser,
} from "./browser.ts";

const TMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en"><seg>Type {1} where the reader's name goes in the welcome letter</seg></tuv>
<tuv xml:lang="es"><seg>Escriba {1} donde va el nombre del lector en la carta de bienvenida</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Save draft<ept i="1">&lt;/b&gt;</ept> in the welcome letter</seg></tuv>
<tuv xml:lang="es"><seg>Pulse <bpt i="1">&lt;b&gt;</bpt>Guardar borrador<ept i="1">&lt;/b&gt;</ept> en la carta de bienvenida</seg></tuv></tu>
</body></tmx>`;

const LITERAL = "Escriba {1} donde va el nombre del lector en la carta de bienvenida";

describe("memory chips: text shaped like a placeholder stays text", () => {
  const ctx = useServerAndBrowser();

  it("shows {1} of a unit without inline codes as text, and real codes as chips, in every role and language", async () => {
    const { url, browser } = ctx;
    await createUser(url, "edna", "editor");
    await createUser(url, "toni", "translator");
    const editor = await apiToken(url, "edna", "edna-password");
    const imported = await fetch(`${url}/api/v1/memory/import?sourceLang=en&targetLang=es`, {
      method: "POST",
      headers: { "Content-Type": "application/x-tmx+xml", Authorization: `Bearer ${editor}` },
      body: TMX,
    });
    expect(imported.status).toBe(200);
    const created = await apiCall(url, editor, "POST", "/documents", {
      sourceLang: "en",
      format: "text",
      content:
        "Letters\n\nType {1} where the reader's name goes in the welcome letters\n\nPress Save draft in the welcome letters",
      languages: ["es"],
    });
    expect(created.status).toBe(201);
    const doc = created.body.id as string;
    const [, literalPid, codedPid] = (created.body.paragraphs as { id: string }[]).map((p) => p.id);

    for (const [username, password, lng] of [
      ["admin", ADMIN_PASSWORD, "en"],
      ["edna", "edna-password", "es"],
      ["toni", "toni-password", "en"],
    ] as const) {
      const page = await (await browser.newContext({ locale: lng })).newPage();
      await signInPage(page, url, username, password);
      await page.goto(`${url}/documents/${doc}/es?lng=${lng}`);
      await page.locator("#editor[data-ready]").waitFor({ state: "attached" });

      // The unit without codes: its "{1}" is text in the old source and in the translation.
      const literalRow = page.locator(`#p-${literalPid}`);
      await literalRow.locator("textarea").focus();
      const literal = literalRow.locator(".memory-match").first();
      await expect.poll(read.text(literal.locator(".memory-text"))).toBe(LITERAL);
      expect(await literal.locator(".memory-code").count()).toBe(0);
      expect(await literal.locator(".memory-source").textContent()).toContain("Type {1} where");

      // The unit with codes still shows them as chips, named for a screen reader.
      const codedRow = page.locator(`#p-${codedPid}`);
      await codedRow.locator("textarea").focus();
      const coded = codedRow.locator(".memory-match").first();
      await expect.poll(read.count(coded.locator(".memory-text .memory-code"))).toBe(2);
      expect(await coded.locator(".memory-text").textContent()).not.toContain("{");

      // Inserted into a plain-text translation, the text's own "{1}" is kept, and nothing says codes were left out.
      const area = literalRow.locator("textarea");
      await area.focus();
      await expect.poll(read.text(literal.locator(".memory-text"))).toBe(LITERAL);
      await area.press("Control+1");
      await expect.poll(read.value(area)).toBe(LITERAL);
      expect(await literalRow.locator(".memory-notice").count()).toBe(0);
      await area.press("Escape");

      // The editor's concordance box.
      await area.press("Control+k");
      const box = page.locator("#concordance input[name=q]");
      await box.fill("reader's name");
      await box.press("Enter");
      const hit = page.locator("#concordance .concordance-hits li").first();
      await expect.poll(read.text(hit)).toContain(LITERAL);
      expect(await hit.locator(".memory-code").count()).toBe(0);

      // The /memory page, without scripts' help: the same, and the coded unit's chips.
      const memoryPage = await page.context().newPage();
      const found = await memoryPage.goto(
        `${url}/memory?q=welcome+letter&sourceLang=en&targetLang=es&lng=${lng}`,
      );
      expect(found?.status()).toBe(200);
      const hits = memoryPage.locator(".concordance-hits li");
      await expect.poll(read.count(hits)).toBe(2);
      const literalHit = hits.filter({ hasText: "reader" });
      expect(await literalHit.textContent()).toContain(LITERAL);
      expect(await literalHit.locator(".memory-code").count()).toBe(0);
      const codedHit = hits.filter({ hasText: "Save draft" });
      expect(await codedHit.locator(".memory-code").count()).toBe(4);
      expect(await codedHit.textContent()).not.toContain("{");
      await page.context().close();
    }
  });
});
