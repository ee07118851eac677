/**
 * The editor never loses what was typed to an ended session, a reload or a link (a new-user trial in
 * Chromium): a save refused because the session ended says so in plain words, and goes through once
 * the user signed in again in another tab (the page takes the new session's CSRF token); unsaved text
 * is kept in the browser per user, document and language and comes back on reload, as a conflict when
 * the paragraph was saved since; Keep mine leaves the focus in the row; an unsent comment makes leaving
 * ask. Every role that saves, at 1280 px in English, and a translator at 375 px in Spanish.
 */

import type { Browser, BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  newDocument,
  read,
  signInPage,
  useServerAndBrowser,
} from "./browser.ts";

const SAVED = "La motosierra ha vuelto.";
/** Its second paragraph is saved as SAVED (revision 1). */
const PARAGRAPHS = ["Safety", "The chainsaw is back.", "The minister spoke on Monday."];

async function latest(url: string, token: string, doc: string, pid: string) {
  const answer = await apiCall(
    url,
    token,
    "GET",
    `/documents/${doc}/translations/es/paragraphs/${pid}/revisions`,
  );
  const revisions = answer.body.revisions as { revision: number; text: string; author: string }[];
  return revisions[revisions.length - 1];
}

type User = readonly [string, string];
const USERS: readonly User[] = [
  ["tina", "tina-password"],
  ["edna", "edna-password"],
  ["admin", ADMIN_PASSWORD],
];

interface Options {
  locale?: string;
  width?: number;
}

async function newContext(browser: Browser, { locale = "en-US", width = 1280 }: Options = {}) {
  return browser.newContext({ locale, viewport: { width, height: 800 } });
}

/** Opens the editor in a page of `context`, signed in as `user`; leaving always goes (dialogs accepted). */
async function openEditor(
  context: BrowserContext,
  url: string,
  [username, password]: User,
  doc: string,
  { signIn = true } = {},
): Promise<Page> {
  const page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  if (signIn) await signInPage(page, url, username, password);
  const es = (await page.evaluate(() => navigator.language)).startsWith("es");
  await page.goto(`${url}/documents/${doc}/es${es ? "?lng=es" : ""}`);
  await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
  return page;
}

/** Signs out through the header's button (folded into the menu on a phone), as a person would. */
async function signOut(page: Page, url: string) {
  await page.goto(`${url}/`);
  await page.locator("details.site-menu").evaluate((menu) => {
    (menu as HTMLDetailsElement).open = true;
  });
  await page.getByRole("button", { name: /Sign out|Cerrar sesión/ }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/login"));
}

/** The drafts this browser keeps for the editor. */
function draftKeys(page: Page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("glosa.draft:")));
}

describe("the editor and an ended session", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  /**
   * Types in a row, signs out in another tab, saves (refused in plain words), signs in again in that
   * tab and saves again in the first: saved, and the browser's copy forgotten.
   */
  async function saveAcrossSessions(user: User, options: Options, words: RegExp) {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const context = await newContext(ctx.browser, options);
    const page = await openEditor(context, ctx.url, user, doc);
    const row = page.locator(`#p-${pids[2]}`);
    const area = row.locator("textarea");
    const typed = `El ministro habló el lunes (${user[0]}).`;
    await area.fill(typed);
    await expect.poll(() => draftKeys(page)).toHaveLength(1);

    const other = await context.newPage();
    await signOut(other, ctx.url);
    await area.focus();
    await page.keyboard.press("Control+Enter");
    const state = row.locator(".save-state");
    await expect.poll(read.text(state)).toMatch(words);
    expect(await state.textContent()).not.toContain("Bearer");
    expect(await state.locator("a[target=_blank]").getAttribute("href")).toContain("/login?next=");
    expect(await area.inputValue()).toBe(typed);

    await signInPage(other, ctx.url, user[0], user[1]);
    await area.focus();
    await page.keyboard.press("Control+Enter");
    await expect.poll(read.className(row)).toContain("status-translated");
    expect(await latest(ctx.url, admin, doc, pids[2] as string)).toMatchObject({
      text: typed,
      author: user[0],
    });
    expect(await draftKeys(page)).toEqual([]);
    await context.close();
  }

  for (const user of USERS)
    it(`saves after signing in again in another tab, as ${user[0]}`, async () => {
      await saveAcrossSessions(user, {}, /^Not saved: your session has ended\. Sign in again in a new tab/);
    });

  it("says it in Spanish and saves after signing in again, at 375 px, as a translator", async () => {
    await saveAcrossSessions(
      USERS[0] as User,
      { locale: "es-ES", width: 375 },
      /^No se ha guardado: tu sesión ha terminado\. Vuelve a iniciar sesión en otra pestaña/,
    );
  });

  it("does not save as someone else signed in since in another tab, and says whose page it is", async () => {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const context = await newContext(ctx.browser);
    const page = await openEditor(context, ctx.url, USERS[0] as User, doc);
    const row = page.locator(`#p-${pids[2]}`);
    const area = row.locator("textarea");
    await area.fill("Texto de Tina.");
    const other = await context.newPage();
    await signOut(other, ctx.url);
    await signInPage(other, ctx.url, "edna", "edna-password");
    await area.focus();
    await page.keyboard.press("Control+Enter");
    await expect
      .poll(read.text(row.locator(".save-state")))
      .toMatch(/^Not saved: this browser is now signed in as edna, and this page belongs to tina\./);
    expect(await latest(ctx.url, admin, doc, pids[2] as string)).toBeUndefined();
    expect(await area.inputValue()).toBe("Texto de Tina.");
    // Tina again in the other tab: the save goes through, as hers.
    await signOut(other, ctx.url);
    await signInPage(other, ctx.url, "tina", "tina-password");
    await area.focus();
    await page.keyboard.press("Control+Enter");
    await expect.poll(read.className(row)).toContain("status-translated");
    expect(await latest(ctx.url, admin, doc, pids[2] as string)).toMatchObject({
      text: "Texto de Tina.",
      author: "tina",
    });
    await context.close();
  });

  it("gives unsaved text back after a reload, with a way to discard it, and forgets it once discarded", async () => {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const context = await newContext(ctx.browser);
    const page = await openEditor(context, ctx.url, USERS[0] as User, doc);
    const row = page.locator(`#p-${pids[1]}`);
    await row.locator("textarea").fill("La motosierra ha vuelto hoy.");
    await page.reload();
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const area = row.locator("textarea");
    await expect.poll(read.value(area)).toBe("La motosierra ha vuelto hoy.");
    expect(await row.getAttribute("class")).toContain("unsaved");
    await expect.poll(read.text(row.locator(".save-state"))).toMatch(/^Unsaved text from .+ restored\./);
    // Above the rows, a link to it that puts the caret in it.
    const notice = page.locator("#drafts-restored");
    await notice.getByRole("link", { name: "paragraph 2" }).click();
    await expect.poll(read.focused(area)).toBe(true);
    // Nothing was saved: the server still has the old text.
    expect((await latest(ctx.url, admin, doc, pids[1] as string))?.text).toBe(SAVED);
    // Discard, reached by the keyboard: the saved text, and nothing kept any more.
    const discard = row.getByRole("button", { name: "Discard changes" });
    for (let i = 0; i < 6 && !(await read.focused(discard)()); i++) await page.keyboard.press("Tab");
    expect(await read.focused(discard)()).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(read.value(area)).toBe(SAVED);
    await expect.poll(() => draftKeys(page)).toEqual([]);
    await page.reload();
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    expect(await area.inputValue()).toBe(SAVED);
    expect(await page.locator("#drafts-restored").count()).toBe(0);
    await context.close();
  });

  it("gives unsaved text back in Spanish at 375 px after the session ended and the tab was reloaded", async () => {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const context = await newContext(ctx.browser, { locale: "es-ES", width: 375 });
    const page = await openEditor(context, ctx.url, USERS[0] as User, doc);
    const row = page.locator(`#p-${pids[2]}`);
    await row.locator("textarea").fill("El ministro habló el lunes.");
    const other = await context.newPage();
    await signOut(other, ctx.url);
    // Reloading sends the page to the sign-in page; signed in again, it comes back with the text.
    await page.reload();
    await signInPage(page, ctx.url, "tina", "tina-password");
    await page.goto(`${ctx.url}/documents/${doc}/es?lng=es`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await expect.poll(read.value(row.locator("textarea"))).toBe("El ministro habló el lunes.");
    await expect
      .poll(read.text(row.locator(".save-state")))
      .toMatch(/^Se ha recuperado el texto sin guardar del .+\./);
    expect(await page.locator("#drafts-restored").textContent()).toContain("párrafo 3");
    await row.locator("textarea").focus();
    await page.keyboard.press("Control+Enter");
    await expect.poll(read.className(row)).toContain("status-translated");
    expect((await latest(ctx.url, admin, doc, pids[2] as string))?.text).toBe("El ministro habló el lunes.");
    await context.close();
  });

  it("gives text typed on a revision saved over since back as a conflict, and Keep mine keeps the focus", async () => {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const context = await newContext(ctx.browser);
    const page = await openEditor(context, ctx.url, USERS[0] as User, doc);
    const row = page.locator(`#p-${pids[1]}`);
    await row.locator("textarea").fill("La motosierra regresa.");
    await expect.poll(() => draftKeys(page)).toHaveLength(1);
    await page.close();
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

    const again = await openEditor(context, ctx.url, USERS[0] as User, doc, { signIn: false });
    const row2 = again.locator(`#p-${pids[1]}`);
    const area = row2.locator("textarea");
    const conflict = row2.locator(".conflict");
    await conflict.waitFor();
    expect(await area.inputValue()).toBe("La motosierra regresa.");
    expect(await conflict.locator(".versions").textContent()).toContain("Vuelve la motosierra.");
    expect(await conflict.locator(".versions").textContent()).toContain("La motosierra regresa.");
    expect(await conflict.locator(".diff ins").count()).toBeGreaterThan(0);
    expect(await conflict.locator(".diff del").count()).toBeGreaterThan(0);
    // Nothing overwritten: theirs is still the latest.
    expect((await latest(ctx.url, admin, doc, pids[1] as string))?.text).toBe("Vuelve la motosierra.");
    await conflict.getByRole("button", { name: "Keep mine" }).click();
    // The row shows their revision's status from the start: the save is done when the row says so.
    await expect.poll(read.text(row2.locator(".save-state"))).toMatch(/Saved/);
    await expect.poll(read.className(row2)).toContain("status-translated");
    await expect.poll(read.focused(area)).toBe(true);
    expect(await latest(ctx.url, admin, doc, pids[1] as string)).toMatchObject({
      revision: 3,
      text: "La motosierra regresa.",
      author: "tina",
    });
    expect(await draftKeys(again)).toEqual([]);
    await context.close();
  });

  it("never shows one user's unsaved text to another user of the same browser", async () => {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const context = await newContext(ctx.browser);
    const page = await openEditor(context, ctx.url, USERS[0] as User, doc);
    await page.locator(`#p-${pids[2]} textarea`).fill("Texto de Tina sin guardar.");
    await expect.poll(() => draftKeys(page)).toHaveLength(1);
    await signOut(page, ctx.url);
    const edna = await openEditor(context, ctx.url, USERS[1] as User, doc);
    expect(await edna.locator(`#p-${pids[2]} textarea`).inputValue()).toBe("");
    expect(await edna.locator("#drafts-restored").count()).toBe(0);
    expect(await edna.locator("body").textContent()).not.toContain("Texto de Tina");
    // Tina's copy is still there for her.
    await signOut(edna, ctx.url);
    const tina = await openEditor(context, ctx.url, USERS[0] as User, doc);
    await expect.poll(read.value(tina.locator(`#p-${pids[2]} textarea`))).toBe("Texto de Tina sin guardar.");
    await context.close();
  });

  for (const user of USERS)
    it(`leaves the focus in the row's text after Keep mine, as ${user[0]}`, async () => {
      const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
      const context = await newContext(ctx.browser);
      const page = await openEditor(context, ctx.url, user, doc);
      const row = page.locator(`#p-${pids[1]}`);
      const area = row.locator("textarea");
      await area.fill(`La motosierra regresa (${user[0]}).`);
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
      await area.focus();
      await page.keyboard.press("Control+Enter");
      // "Theirs" was saved with the admin's token: for the admin it is their own save, said as such.
      const keepLabel = user[0] === "admin" ? "Keep this page's text" : "Keep mine";
      const keep = row.locator(".conflict").getByRole("button", { name: keepLabel });
      await keep.waitFor();
      await page.keyboard.press("Enter");
      await expect.poll(read.text(row.locator(".save-state"))).toMatch(/Saved/);
      await expect.poll(read.className(row)).toContain("status-translated");
      await expect.poll(read.focused(area)).toBe(true);
      expect(await latest(ctx.url, admin, doc, pids[1] as string)).toMatchObject({
        revision: 3,
        text: `La motosierra regresa (${user[0]}).`,
        author: user[0],
      });
      await context.close();
    });

  it("asks before a header link or a reload loses a comment typed and not sent", async () => {
    const { doc, pids } = await newDocument(ctx.url, admin, PARAGRAPHS, { 1: SAVED });
    const context = await newContext(ctx.browser);
    const page = await context.newPage();
    await signInPage(page, ctx.url, "tina", "tina-password");
    await page.goto(`${ctx.url}/documents/${doc}/es`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const asked: string[] = [];
    let leave = false;
    page.on("dialog", (dialog) => {
      asked.push(dialog.type());
      void (leave ? dialog.accept() : dialog.dismiss());
    });
    await page.locator(`#p-${pids[1]} a.comments-link`).click();
    const box = page.locator(".comment-panel .comment-new textarea");
    await box.waitFor();
    await box.pressSequentially("¿15 o 50 mil millones?");
    // A header link: asked, and staying keeps the comment.
    await page.locator("header.top").getByRole("link", { name: "Glossary" }).click();
    await expect.poll(() => asked).toEqual(["beforeunload"]);
    expect(new URL(page.url()).pathname).toBe(`/documents/${doc}/es`);
    expect(await box.inputValue()).toBe("¿15 o 50 mil millones?");
    // A reload: asked again; this time leaving.
    leave = true;
    await page.reload();
    expect(asked).toEqual(["beforeunload", "beforeunload"]);
    // Sent, it no longer holds the page.
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await page.locator(`#p-${pids[1]} a.comments-link`).click();
    const again = page.locator(".comment-panel .comment-new textarea");
    await again.fill("Enviado.");
    await again.press("Control+Enter");
    await page.locator(".comment-panel", { hasText: "Enviado." }).waitFor();
    await page.locator("header.top").getByRole("link", { name: "Glossary" }).click();
    await page.waitForURL((u) => u.pathname === "/glossary");
    expect(asked).toHaveLength(2);
    await context.close();
  });
});
