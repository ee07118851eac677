/**
 * What the editor says when a save writes nothing, and when the revision in the way is one's own
 * (another tab), in Chromium, in every role (a trial found "Saved" on a rejected paragraph saved as it
 * was, and "Someone else saved this paragraph" about one's own save).
 */

import { describe, expect, it } from "vitest";
import { apiCall, apiToken, newDocument, openEditor, read, team, useServerAndBrowser } from "./browser.ts";

describe("own saves in the editor", () => {
  const ctx = useServerAndBrowser();

  it("says a rejected paragraph saved as it was still needs work, as translator, editor and admin", async () => {
    const { admin, tina, eddie } = await team(ctx.url);
    const { doc, pids } = await newDocument(ctx.url, admin, [
      "Title",
      "First paragraph.",
      "Second paragraph.",
      "Third paragraph.",
    ]);
    const path = `/documents/${doc}/translations/es/paragraphs`;
    for (const pid of pids.slice(1)) {
      expect(
        (await apiCall(ctx.url, tina, "PUT", `${path}/${pid}`, { text: `Texto de ${pid}`, baseRevision: 0 }))
          .status,
      ).toBe(200);
      const review = { action: "reject", revision: 1, comment: "Revisa" };
      expect((await apiCall(ctx.url, eddie, "POST", `${path}/${pid}/review`, review)).status).toBe(200);
    }
    const cases = [
      {
        user: ["tina", "tina-password"],
        pid: pids[1],
        said: /Nothing to save: it still needs work/,
        es: false,
      },
      {
        user: ["eddie", "eddie-password"],
        pid: pids[2],
        said: /Nothing to save: it still needs work/,
        es: false,
      },
      {
        user: ["admin", "e2e-admin-password"],
        pid: pids[3],
        said: /Nada que guardar: sigue por corregir/,
        es: true,
      },
    ] as const;
    for (const c of cases) {
      const page = await openEditor(ctx.browser, ctx.url, c.user, doc, c.es ? { locale: "es-ES" } : {});
      await page.locator(`#t-${c.pid}`).press("Control+Enter");
      await expect.poll(read.text(page.locator(`#p-${c.pid} .save-state`))).toMatch(c.said);
      await expect.poll(read.className(page.locator(`#p-${c.pid}`))).toMatch(/status-rejected/);
      await expect.poll(read.text(page.locator(`#p-${c.pid} .rev`))).toBe("r1");
      await page.context().close();
    }
  });

  it("names a conflict with one's own other tab as one's own", async () => {
    const { doc, pids } = await newDocument(ctx.url, await apiToken(ctx.url), ["Title", "One.", "Two."]);
    const pid = pids[1] as string;
    const a = await openEditor(ctx.browser, ctx.url, ["admin", "e2e-admin-password"], doc, {
      locale: "es-ES",
    });
    const b = await a.context().newPage();
    await b.goto(`${ctx.url}/documents/${doc}/es?lng=es`);
    await b.locator("#editor[data-ready]").waitFor({ state: "attached" });
    // Both tabs have text typed before the first saves (a tab with nothing unsaved takes the other's save in).
    await b.locator(`#t-${pid}`).fill("La versión de la pestaña B.");
    await a.locator(`#t-${pid}`).fill("La versión de la pestaña A.");
    await a.locator(`#t-${pid}`).press("Control+Enter");
    await expect.poll(read.text(a.locator(`#p-${pid} .rev`))).toBe("r1");
    await b.locator(`#p-${pid} button[value=save]`).click();
    const conflict = b.locator(`#p-${pid} .conflict`);
    await expect
      .poll(read.text(conflict.locator("h3")))
      .toBe("Has guardado este párrafo después de abrir esta página");
    await expect.poll(read.text(conflict)).toContain("Has guardado la versión 1");
    await expect.poll(read.text(conflict)).not.toContain("admin guardó");
    // The row's line, the columns, the diff and the buttons say it too: nothing of "theirs".
    await expect
      .poll(read.text(b.locator(`#p-${pid} .save-state`)))
      .toContain("has guardado este párrafo en otro sitio antes");
    const said = (await conflict.textContent()) ?? "";
    expect(said).toContain("Esta página");
    expect(said).toContain("Diferencias (guardada → esta página)");
    expect(said).not.toMatch(/la suya|otra persona/i);
    await conflict.getByRole("button", { name: "Mantener el texto de esta página" }).click();
    await expect.poll(read.text(b.locator(`#p-${pid} .rev`))).toBe("r2");
    await a.context().close();
  });
});
