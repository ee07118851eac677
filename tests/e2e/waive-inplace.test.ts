/**
 * Waiving a finding without leaving the editor: the row's "Waive…" opens a form in the row (which
 * finding, a reason, Waive and Cancel), the waiver goes through the API, and the finding moves to
 * the row's waived ones as a page load draws them, the row's unsaved text and the focus kept. Undo
 * lifts it in place. Every role may waive (server/policies.ts: finding.waive is a translator's
 * right), so the refusals tested are the server's: an empty reason (400), an ended session (401),
 * and no connection. Without scripts the link still opens the waive page.
 */

import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  endSession,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const SAVED = "La sierra ha vuelto.";
const TYPED = " Y el ministro habló el lunes.";
const USERS = [
  ["tina", "tina-password", "translator"],
  ["edna", "edna-password", "editor"],
  ["admin", ADMIN_PASSWORD, "admin"],
] as const;
const WORDS = {
  en: {
    waive: "Waive…",
    submit: "Waive",
    cancel: "Cancel",
    reason: "Reason",
    done: "Warning waived on paragraph 2.",
    undo: "Undo",
    lifted: "Waiver undone: the warning on paragraph 2 is open again.",
    waivedBy: (user: string) => `waived by ${user}: Cita textual`,
  },
  es: {
    waive: "Ignorar aviso…",
    submit: "Ignorar aviso",
    cancel: "Cancelar",
    reason: "Motivo",
    done: "Aviso ignorado en el párrafo 2.",
    undo: "Deshacer",
    lifted: "Se ha deshecho: el aviso del párrafo 2 vuelve a estar activo.",
    waivedBy: (user: string) => `ignorado por ${user}: Cita textual`,
  },
};

/** A document whose second paragraph is saved without its glossary term: a missing-term warning. */
async function waiverDocument(url: string, token: string) {
  const { doc, pids } = await newDocument(
    url,
    token,
    ["Waivers", "The chainsaw is back.", "The minister spoke on Monday."],
    { 1: SAVED },
  );
  return { doc, pid: pids[1] as string };
}

describe("waiving a finding in place in the editor", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  const cases = [
    ...USERS.map((user) => ({ user, lng: "en" as const, width: 1280 })),
    { user: USERS[0], lng: "es" as const, width: 375 },
  ];
  for (const { user, lng, width } of cases) {
    it(`waives a warning in the row, keeping the unsaved text and the focus, and Undo lifts it, as ${user[2]} (${lng}, ${width} px)`, async () => {
      const w = WORDS[lng];
      const { doc, pid } = await waiverDocument(ctx.url, admin);
      const page = await openEditor(ctx.browser, ctx.url, user, doc, {
        locale: lng === "es" ? "es-ES" : "en-US",
        width,
        ...(width < 700 ? { isMobile: true, hasTouch: true } : {}),
      });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      let dialogs = 0;
      page.on("dialog", (d) => {
        dialogs++;
        void d.dismiss();
      });
      const editorUrl = page.url();
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      const link = row.getByRole("link", { name: w.waive });
      await expect.poll(read.text(row.locator(".findings .finding.warning"))).toContain("motosierra");
      // Unsaved text in the row: a waive must neither lose it nor ask about leaving.
      await area.click();
      await area.press("End");
      await area.pressSequentially(TYPED);
      await expect.poll(read.className(row)).toMatch(/unsaved/);

      // Esc cancels and gives the focus back to the waive control.
      await link.click();
      const form = row.locator("form.waive-form");
      await expect.poll(read.visible(form)).toBe(true);
      expect(page.url()).toBe(editorUrl);
      await expect.poll(read.focused(form.getByRole("textbox", { name: w.reason }))).toBe(true);
      expect(await link.getAttribute("aria-expanded")).toBe("true");
      await page.keyboard.press("Escape");
      await expect.poll(read.count(form)).toBe(0);
      await expect.poll(read.focused(link)).toBe(true);
      expect(await link.getAttribute("aria-expanded")).toBe("false");
      // Cancel does the same.
      await link.click();
      await form.getByRole("button", { name: w.cancel, exact: true }).click();
      await expect.poll(read.count(form)).toBe(0);
      await expect.poll(read.focused(link)).toBe(true);

      // From the keyboard: Enter opens the form, Enter in the reason waives.
      await page.keyboard.press("Enter");
      await expect.poll(read.visible(form)).toBe(true);
      const missing = form.locator('input[name=finding][value^="missing-term "]');
      await missing.check();
      const finding = (await missing.getAttribute("value")) as string;
      if (width < 700) {
        const box = await form.boundingBox();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
      }
      expect(await form.getByRole("button", { name: w.submit, exact: true }).count()).toBe(1);
      await form.getByRole("textbox", { name: w.reason }).fill("Cita textual");
      await page.keyboard.press("Enter");

      const waived = row.locator(`li.finding.waived[data-waived="${finding}"]`);
      await expect.poll(read.count(waived)).toBe(1);
      expect(await waived.textContent()).toContain(w.waivedBy(user[0]));
      expect(await row.locator(`li.finding:not(.waived)[data-code="missing-term"]`).count()).toBe(0);
      expect(await row.locator("form.waive-form").count()).toBe(0);
      await expect.poll(read.text(row.locator(".waive-note"))).toContain(w.done);
      // Still in the editor, the typed text unsaved in the row, the focus in the row.
      expect(page.url()).toBe(editorUrl);
      expect(await area.inputValue()).toBe(SAVED + TYPED);
      expect(await read.className(row)()).toMatch(/unsaved/);
      expect(await row.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      expect(dialogs).toBe(0);

      // The server holds the waiver, and a page load draws it just as the row now shows it.
      const reader = await page.context().newPage();
      await reader.goto(`${ctx.url}/documents/${doc}/es?lng=${lng}`);
      await reader.locator("#editor[data-ready]").waitFor({ state: "attached" });
      const loaded = reader.locator(`#p-${pid} li.finding.waived`);
      expect(await loaded.count()).toBe(1);
      expect(await waived.evaluate((el) => el.outerHTML)).toBe(await loaded.evaluate((el) => el.outerHTML));
      await reader.close();

      // Undo lifts it in place: the warning is open again, here and on the server.
      await row.getByRole("button", { name: w.undo, exact: true }).click();
      await expect.poll(read.count(waived)).toBe(0);
      await expect.poll(read.text(row.locator(".waive-note"))).toContain(w.lifted);
      expect(await row.locator(`li.finding:not(.waived)[data-code="missing-term"]`).count()).toBe(1);
      expect(await link.isVisible()).toBe(true);
      expect(await area.inputValue()).toBe(SAVED + TYPED);
      const range = await apiCall(ctx.url, admin, "GET", `/documents/${doc}/translations/es?from=1&limit=1`);
      const paragraph = (range.body.paragraphs as { waived: unknown[] }[])[0];
      expect(paragraph?.waived).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it("says in the row why a waiver was refused, and keeps the form and the text", async () => {
    const { doc, pid } = await waiverDocument(ctx.url, admin);
    const page = await openEditor(ctx.browser, ctx.url, USERS[0], doc);
    const row = page.locator(`#p-${pid}`);
    const area = row.locator("textarea");
    await area.fill(`${SAVED}${TYPED}`);
    await row.locator("a.waive-link").click();
    const form = row.locator("form.waive-form");
    const reason = form.locator("input[name=reason]");
    const alert = form.getByRole("alert");
    let posts = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/waivers")) posts++;
    });

    // No reason: the browser asks for one, in the page's words, and nothing is sent.
    await reason.press("Enter");
    expect(await reason.evaluate((el) => (el as HTMLInputElement).validationMessage)).toBe(
      "Give a reason for the waiver.",
    );
    expect(posts).toBe(0);
    // Only spaces: the API refuses it (400 empty_reason).
    await reason.fill("   ");
    await reason.press("Enter");
    await expect.poll(read.text(alert)).toContain("Not waived: Give a reason for the waiver.");
    expect(posts).toBe(1);

    // No connection.
    await page.route("**/waivers", (route) => route.abort());
    await reason.fill("Cita textual");
    await reason.press("Enter");
    await expect.poll(read.text(alert)).toBe("Not waived: no connection");
    await page.unroute("**/waivers");

    // (A stale CSRF token is no refusal any more: lib/api.js takes the session's current one and
    // sends the write again, tests/e2e/editor-session.test.ts.)

    // A session that ended: said so, with a sign-in link that opens beside the page.
    await endSession(page);
    const ended = page.waitForResponse((r) => r.url().endsWith("/waivers"));
    await form.getByRole("button", { name: "Waive", exact: true }).click();
    expect((await ended).status()).toBe(401);
    await expect.poll(read.text(alert)).toContain("Not waived: your session has ended. Sign in again");
    expect(await alert.getByRole("link").getAttribute("target")).toBe("_blank");

    // Through all of it: the form open, the finding open, the typed text there, nothing waived.
    expect(await form.isVisible()).toBe(true);
    expect(await row.locator("li.finding.waived").count()).toBe(0);
    expect(await area.inputValue()).toBe(SAVED + TYPED);
    const range = await apiCall(ctx.url, admin, "GET", `/documents/${doc}/translations/es?from=1&limit=1`);
    expect((range.body.paragraphs as { waived: unknown[] }[])[0]?.waived).toEqual([]);
    await page.context().close();
  });

  it("keeps the waive page for readers without scripts", async () => {
    const { doc, pid } = await waiverDocument(ctx.url, admin);
    const page = await openEditor(ctx.browser, ctx.url, USERS[1], doc, { javaScriptEnabled: false });
    await page.locator(`#p-${pid} a.waive-link`).click();
    await page.waitForURL(`**/paragraphs/${pid}/waive`);
    await page.locator('input[name=finding][value^="missing-term "]').check();
    await page.locator("input[name=reason]").fill("Cita textual");
    await page.locator("form button[type=submit].primary").click();
    await page.waitForURL(new RegExp(`#p-${pid}$`));
    expect(await page.locator(`#p-${pid} li.finding.waived`).textContent()).toContain(
      "waived by edna: Cita textual",
    );
    await page.context().close();
  });
});
