/** The translation memory in Chromium: a translator inserts a 100% match with the keyboard. */

import type { Browser } from "playwright-core";
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

const SEED = "el-pais-trump-milei";

/** Signs in, opens a document's Spanish translation and focuses a paragraph: its row, text area and best match. */
async function focusParagraph(
  browser: Browser,
  url: string,
  [username, password]: readonly [string, string],
  doc: string,
  pid: string,
) {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, url, username, password);
  await page.goto(`${url}/documents/${doc}/es`);
  await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
  const row = page.locator(`#p-${pid}`);
  const area = row.locator("textarea");
  await area.focus();
  return { page, row, area, match: row.locator(".memory-match").first() };
}

describe("translation memory in the editor", () => {
  const ctx = useServerAndBrowser();

  it("a translator opens a new document repeating a seed paragraph and inserts the 100% match with Ctrl+1", async () => {
    const { url } = ctx;
    const admin = (
      await apiCall(url, null, "POST", "/tokens", { username: "admin", password: ADMIN_PASSWORD })
    ).body.token as string;
    expect(
      (
        await apiCall(url, admin, "POST", "/users", {
          username: "tina",
          password: "tina-password",
          role: "translator",
        })
      ).status,
    ).toBe(201);
    const seed = await apiCall(url, admin, "GET", `/documents/${SEED}`);
    const repeated = seed.body.paragraphs[4] as { id: string; source: string };
    const saved = await apiCall(
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
    const created = await apiCall(url, admin, "POST", "/documents", {
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

    const { row, area, match } = await focusParagraph(ctx.browser, url, ["tina", "tina-password"], doc, pid);
    await expect.poll(read.text(match)).toContain("100%");
    await expect.poll(read.text(match)).toContain("Traducción guardada en la memoria.");
    await area.press("Control+1");
    await expect.poll(read.value(area)).toBe("Traducción guardada en la memoria.");
    await area.press("Control+Enter");
    await expect.poll(read.className(row)).toContain("status-translated");
    const revisions = await apiCall(
      url,
      admin,
      "GET",
      `/documents/${doc}/translations/es/paragraphs/${pid}/revisions`,
    );
    expect(revisions.body.revisions[0]).toMatchObject({ origin: "memory", author: "tina" });
  });

  it("shows an imported unit's inline codes as named tokens, and inserts its text without them into a plain-text translation", async () => {
    const { url } = ctx;
    await createUser(url, "edna", "editor");
    await createUser(url, "toni", "translator");
    const tmx = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT" adminlang="en" srclang="en" datatype="plaintext"/>
<body><tu>
<tuv xml:lang="en"><seg><bpt i="1">&lt;b&gt;</bpt>Casa Rosada<ept i="1">&lt;/b&gt;</ept> confirmed the loan of 20 billion dollars<ph x="2">&lt;br/&gt;</ph></seg></tuv>
<tuv xml:lang="es"><seg><bpt i="1">&lt;b&gt;</bpt>La Casa Rosada<ept i="1">&lt;/b&gt;</ept> confirmó el préstamo de 20.000 millones de dólares<ph x="2">&lt;br/&gt;</ph></seg></tuv>
</tu></body></tmx>`;
    const editor = await apiToken(url, "edna", "edna-password");
    const imported = await fetch(`${url}/api/v1/memory/import?sourceLang=en&targetLang=es`, {
      method: "POST",
      headers: { "Content-Type": "application/x-tmx+xml", Authorization: `Bearer ${editor}` },
      body: tmx,
    });
    expect(imported.status).toBe(200);
    // The document is plain text: the codes are left out, the text between them kept (issue #14).
    const target = "La Casa Rosada confirmó el préstamo de 20.000 millones de dólares";
    const created = await apiCall(url, editor, "POST", "/documents", {
      sourceLang: "en",
      format: "text",
      content: "Loan\n\nCasa Rosada confirmed the loan of 20 billion dollars.",
      languages: ["es"],
    });
    expect(created.status).toBe(201);
    const doc = created.body.id as string;
    const pid = (created.body.paragraphs as { id: string }[])[1]?.id as string;

    for (const [username, password] of [
      ["admin", ADMIN_PASSWORD],
      ["edna", "edna-password"],
      ["toni", "toni-password"],
    ] as const) {
      const { page, row, area, match } = await focusParagraph(
        ctx.browser,
        url,
        [username, password],
        doc,
        pid,
      );
      await expect.poll(read.text(match)).toContain("99%");
      // The translation's codes are tokens named for what they are, not braces and digits in the text.
      const codes = match.locator(".memory-text .memory-code");
      await expect.poll(read.count(codes)).toBe(3);
      expect(await codes.evaluateAll((els) => els.map((el) => el.getAttribute("aria-label")))).toEqual([
        "tag 1",
        "end of tag 1",
        "code 3",
      ]);
      expect(await match.locator(".memory-text").textContent()).not.toContain("{");
      // The old source's codes too, where the word diff would cut them into pieces.
      expect(await match.locator(".memory-source .memory-code").count()).toBe(3);
      expect(await match.locator(".memory-source").textContent()).not.toContain("{");
      if (username !== "toni") {
        await page.context().close();
        continue;
      }
      await area.press("Control+1");
      await expect.poll(read.value(area)).toBe(target);
      await area.press("Control+Enter");
      await expect.poll(read.className(row)).toContain("status-translated");
      await page.context().close();
    }
    const revisions = await apiCall(
      url,
      editor,
      "GET",
      `/documents/${doc}/translations/es/paragraphs/${pid}/revisions`,
    );
    expect(revisions.body.revisions[0]).toMatchObject({ origin: "memory", author: "toni", text: target });
  });
});
