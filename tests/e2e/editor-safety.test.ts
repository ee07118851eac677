/**
 * The editor keeps what the translator wrote (a new-user trial in Chromium): Esc leaves the text
 * alone and discarding is undoable, a click on a glossary term shows its card rather than writing
 * into the translation, Clear asks first and keeps the focus in the row, a merge by hand keeps the
 * other person's text and the diff in view, and closing the list of shortcuts with Esc gives the
 * focus back. Every role that edits, at 1280 px in English; a phone and Spanish where it matters.
 */

import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const SAVED = "La motosierra ha vuelto.";
/** Its second paragraph holds the glossary's "chainsaw", saved as SAVED. */
const PARAGRAPHS = ["Safety", "The chainsaw is back.", "The minister spoke on Monday."];

const USERS = [
  ["tina", "tina-password"],
  ["edna", "edna-password"],
  ["admin", ADMIN_PASSWORD],
] as const;

describe("the editor keeps what the translator wrote", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  for (const user of USERS) {
    it(`leaves the typed text alone on Esc, and discards it only undoably, as ${user[0]}`, async () => {
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const page = await openEditor(ctx.browser, ctx.url, user, doc);
      const row = page.locator(`#p-${pids[1]}`);
      const area = row.locator("textarea");
      await area.click();
      await area.press("End");
      await area.pressSequentially(" Y rugió.");
      const typed = `${SAVED} Y rugió.`;
      await area.press("Escape");
      await area.press("Escape");
      expect(await area.inputValue()).toBe(typed);
      expect(await row.getAttribute("class")).toContain("unsaved");
      // The list of keys no longer promises Esc to go back to the saved text.
      expect(await page.locator("#shortcuts kbd", { hasText: "Esc" }).count()).toBe(0);
      // Discard changes: the saved text, with an Undo in the row that brings the typed text back…
      await row.getByRole("button", { name: "Discard changes" }).click();
      await expect.poll(read.value(area)).toBe(SAVED);
      await expect.poll(read.text(row.locator(".save-state"))).toContain("Changes discarded");
      await row.getByRole("button", { name: "Undo", exact: true }).click();
      await expect.poll(read.value(area)).toBe(typed);
      await expect.poll(read.className(row)).toContain("unsaved");
      // …and Ctrl+Z does too: the discard is an edit of the text area's own.
      await row.getByRole("button", { name: "Discard changes" }).click();
      await expect.poll(read.value(area)).toBe(SAVED);
      expect(await read.focused(area)()).toBe(true);
      await page.keyboard.press("Control+z");
      await expect.poll(read.value(area)).toBe(typed);
      await page.context().close();
    });

    it(`replaces the typed text with a memory suggestion as an undoable edit, as ${user[0]}`, async () => {
      // The first document's saved paragraph is the memory's exact match for the second's.
      await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const page = await openEditor(ctx.browser, ctx.url, user, doc);
      const area = page.locator(`#p-${pids[1]} textarea`);
      await area.fill("");
      await area.pressSequentially("Mi propia versión");
      await expect.poll(read.count(page.locator(`#p-${pids[1]} .memory-insert`))).toBeGreaterThan(0);
      await area.press("Control+1");
      await expect.poll(read.value(area)).toBe(SAVED);
      await page.keyboard.press("Control+z");
      await expect.poll(read.value(area)).toBe("Mi propia versión");
      await page.context().close();
    });

    it(`shows a term's card on a click, and inserts it only when asked, as ${user[0]}`, async () => {
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const page = await openEditor(ctx.browser, ctx.url, user, doc);
      const term = page.locator(`#p-${pids[1]} .term`, { hasText: "chainsaw" });
      const area1 = page.locator(`#p-${pids[1]} textarea`);
      // The row's text area never had the caret: a click reads the term, it does not write.
      const card = term.locator("xpath=following-sibling::span[contains(@class, 'term-card')][1]");
      await term.click();
      await expect.poll(read.visible(card)).toBe(true);
      await expect.poll(read.text(card)).toContain("motosierra");
      expect(await term.locator(".term-card, button").count()).toBe(0);
      expect(await term.getAttribute("aria-expanded")).toBe("true");
      expect(await area1.inputValue()).toBe(SAVED);
      // Esc closes the card and leaves the focus on the term; a click shows it again.
      await page.keyboard.press("Escape");
      await expect.poll(read.visible(card)).toBe(false);
      expect(await term.getAttribute("aria-expanded")).toBe("false");
      expect(await read.focused(term)()).toBe(true);
      await term.click();
      await expect.poll(read.visible(card)).toBe(true);
      // The card's Insert button writes it (at the end, after a space: there was no caret).
      await card.locator(".term-insert").click();
      await expect.poll(read.value(area1)).toBe(`${SAVED} motosierra`);
      // Ctrl+Z takes an insertion back.
      await page.keyboard.press("Control+z");
      await expect.poll(read.value(area1)).toBe(SAVED);
      // The keyboard flow stays: Enter on a focused term inserts it at the caret.
      await area1.evaluate((el) => (el as HTMLTextAreaElement).setSelectionRange(0, 0));
      await term.focus();
      await page.keyboard.press("Enter");
      await expect.poll(read.value(area1)).toBe(`motosierra ${SAVED}`);
      // Writing in the row (the caret in its text area), a click on its term inserts it at the caret.
      expect(await read.focused(area1)()).toBe(true);
      await term.click();
      await expect.poll(read.value(area1)).toBe(`motosierra motosierra ${SAVED}`);
      await page.context().close();
    });

    it(`asks before Clear erases a saved translation and keeps the focus in the row, as ${user[0]}`, async () => {
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const page = await openEditor(ctx.browser, ctx.url, user, doc);
      const row = page.locator(`#p-${pids[1]}`);
      const area = row.locator("textarea");
      const asked: string[] = [];
      // Said no to first, then yes.
      let answer = false;
      page.on("dialog", (dialog) => {
        asked.push(dialog.message());
        void (answer ? dialog.accept() : dialog.dismiss());
      });
      await row.locator('button[value="clear"]').click();
      await expect.poll(() => asked.length).toBe(1);
      expect(asked[0]).toBe("Clear the saved translation of this paragraph?");
      expect(await area.inputValue()).toBe(SAVED);
      expect(await row.getAttribute("class")).toContain("status-translated");
      const stored = await apiCall(ctx.url, admin, "GET", `/documents/${doc}/translations/es`);
      expect(stored.body.paragraphs[1].text).toBe(SAVED);
      answer = true;
      await row.locator('button[value="clear"]').click();
      await expect.poll(read.className(row)).toContain("status-untranslated");
      expect(asked).toHaveLength(2);
      expect(await area.inputValue()).toBe("");
      await expect.poll(read.focused(area)).toBe(true);
      await page.context().close();
    });

    it(`offers History and Clear after Take theirs on a row first saved by them, and merges in view, as ${user[0]}`, async () => {
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS);
      const page = await openEditor(ctx.browser, ctx.url, user, doc, { width: 1280 });
      const row = page.locator(`#p-${pids[1]}`);
      const area = row.locator("textarea");
      await area.fill("La motosierra regresa.");
      const theirs = await apiCall(
        ctx.url,
        admin,
        "PUT",
        `/documents/${doc}/translations/es/paragraphs/${pids[1]}`,
        {
          text: "Vuelve la motosierra.",
          baseRevision: 0,
        },
      );
      expect(theirs.status).toBe(200);
      await row.locator("button[value=save]").click();
      const conflict = row.locator(".conflict");
      await expect.poll(read.visible(conflict)).toBe(true);
      // "Theirs" was saved with the admin's token: for the admin it is their own save, said as such.
      const takeSaved = user[0] === "admin" ? "Use the saved text" : "Take theirs";
      await conflict.getByRole("button", { name: "Merge by hand" }).click();
      await expect.poll(read.focused(area)).toBe(true);
      // The text being merged is in view, below the sticky head, not under it.
      await expect
        .poll(async () => {
          const head = await page.locator(".editor-head").boundingBox();
          const box = await area.boundingBox();
          return !!head && !!box && box.y >= head.y + head.height - 1 && box.y + box.height <= 800;
        })
        .toBe(true);
      await conflict.getByRole("button", { name: takeSaved }).click();
      await expect.poll(read.value(area)).toBe("Vuelve la motosierra.");
      // What a reload would offer on their revision.
      await expect.poll(read.count(row.locator("a.history"))).toBe(1);
      expect(await row.locator('button[value="clear"]').count()).toBe(1);
      expect(await row.locator("button.approve").count()).toBe(user[0] === "tina" ? 0 : 1);
      await page.context().close();
    });

    it(`keeps their text and the diff in view while merging by hand, as ${user[0]}`, async () => {
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const page = await openEditor(ctx.browser, ctx.url, user, doc);
      const row = page.locator(`#p-${pids[1]}`);
      const area = row.locator("textarea");
      // Someone else saves while this page has unsaved text.
      await area.fill("La motosierra regresa.");
      const theirs = await apiCall(
        ctx.url,
        admin,
        "PUT",
        `/documents/${doc}/translations/es/paragraphs/${pids[1]}`,
        {
          text: "Vuelve la motosierra.",
          baseRevision: 1,
        },
      );
      expect(theirs.status).toBe(200);
      await row.locator("button[value=save]").click();
      const conflict = row.locator(".conflict");
      await expect.poll(read.visible(conflict)).toBe(true);
      // "Theirs" was saved with the admin's token: for the admin it is their own save, said as such.
      const takeSaved = user[0] === "admin" ? "Use the saved text" : "Take theirs";
      await conflict.getByRole("button", { name: "Merge by hand" }).click();
      await expect.poll(read.focused(area)).toBe(true);
      // Their text, read-only, and the diff stay: the row's "see above" still points at them.
      expect(await conflict.isVisible()).toBe(true);
      expect(await conflict.locator(".versions").textContent()).toContain("Vuelve la motosierra.");
      expect(await conflict.locator(".diff del, .diff ins").count()).toBeGreaterThan(0);
      expect(await conflict.locator(".merge-how").textContent()).toContain("Edit the text above");
      expect(await conflict.getByRole("button", { name: "Merge by hand" }).count()).toBe(0);
      expect(await conflict.locator("textarea, input, [contenteditable]").count()).toBe(0);
      await area.fill("Vuelve la motosierra: regresa.");
      await expect.poll(read.visible(conflict)).toBe(true);
      // Take theirs, pressed in the middle of a merge, does not throw the merge away: Ctrl+Z.
      await conflict.getByRole("button", { name: takeSaved }).click();
      await expect.poll(read.value(area)).toBe("Vuelve la motosierra.");
      await area.press("Control+z");
      await expect.poll(read.value(area)).toBe("Vuelve la motosierra: regresa.");
      await area.press("Control+Shift+Enter");
      await expect.poll(read.text(row.locator(".save-state"))).toMatch(/Saved/);
      expect(await row.locator(".conflict").count()).toBe(0);
      const stored = await apiCall(ctx.url, admin, "GET", `/documents/${doc}/translations/es`);
      expect(stored.body.paragraphs[1]).toMatchObject({
        text: "Vuelve la motosierra: regresa.",
        revision: 3,
      });
      await page.context().close();
    });

    it(`gives the focus back where the list of shortcuts was opened from on Esc, as ${user[0]}`, async () => {
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const page = await openEditor(ctx.browser, ctx.url, user, doc);
      const help = page.locator("#shortcuts");
      for (const from of [
        page.locator(`#p-${pids[1]} a.history`),
        page.locator(`#p-${pids[1]} .term`).first(),
        page.locator("#shortcuts-button"),
      ]) {
        await from.focus();
        await page.keyboard.press("?");
        await expect.poll(read.focused(help)).toBe(true);
        await page.keyboard.press("Escape");
        await expect.poll(read.visible(help)).toBe(false);
        await expect.poll(read.focused(from)).toBe(true);
      }
      // Opened from nowhere (a click on plain text), it gives the focus to the button that opens it.
      await page.locator("h1").first().click();
      await page.keyboard.press("?");
      await expect.poll(read.focused(help)).toBe(true);
      await page.keyboard.press("Escape");
      await expect.poll(read.focused(page.locator("#shortcuts-button"))).toBe(true);
      await page.context().close();
    });
  }

  it("on a phone in Spanish: a tap shows the term's card, and Esc and Descartar lose nothing", async () => {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const page = await openEditor(ctx.browser, ctx.url, USERS[0], doc, {
      locale: "es-ES",
      width: 375,
      hasTouch: true,
    });
    const row = page.locator(`#p-${pids[1]}`);
    const area = row.locator("textarea");
    const term = row.locator(".term", { hasText: "chainsaw" });
    const card = term.locator("xpath=following-sibling::span[contains(@class, 'term-card')][1]");
    await term.tap();
    await expect.poll(read.visible(card)).toBe(true);
    expect(await term.locator(".term-card, button").count()).toBe(0);
    expect(await area.inputValue()).toBe(SAVED);
    // The whole card fits the phone's width, beside the term rather than inside it.
    const cardBox = await card.boundingBox();
    expect((cardBox?.x ?? -1) >= 0 && (cardBox?.x ?? 0) + (cardBox?.width ?? 0) <= 375).toBe(true);
    const insert = card.getByRole("button", { name: "Insertar «motosierra» en la traducción" });
    const box = await insert.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(24);
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true);
    await insert.tap();
    await expect.poll(read.value(area)).toBe(`${SAVED} motosierra`);
    await area.press("Escape");
    expect(await area.inputValue()).toBe(`${SAVED} motosierra`);
    await row.getByRole("button", { name: "Descartar cambios" }).tap();
    await expect.poll(read.value(area)).toBe(SAVED);
    await expect.poll(read.text(row.locator(".save-state"))).toContain("Cambios descartados");
    await row.getByRole("button", { name: "Deshacer", exact: true }).tap();
    await expect.poll(read.value(area)).toBe(`${SAVED} motosierra`);
    await page.context().close();
  });
});
