/**
 * The editor's layout under real use (trial findings 3, 4, 9, 10, 14–17): a sticky head that never covers
 * the rows, focus that never lands under it, a phone that shows the first paragraph on load, tap targets of
 * at least 24 px, a short way from the keyboard to the first translation, and consistent language names.
 */

import { mkdir } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, apiToken, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC_ID = "el-pais-trump-milei";
const DOC = `/documents/${DOC_ID}/es`;
const SHOTS = "/tmp/layout";
// Eleven more target languages, as in the trial: the head must stay small with twelve.
const MORE_LANGS = [
  "es-AR",
  "es-MX",
  "es-CO",
  "es-CL",
  "es-PE",
  "es-VE",
  "es-UY",
  "es-419",
  "es-BO",
  "es-EC",
  "es-PY",
];
const ROLES = [
  { username: "tina", role: "translator" },
  { username: "eddie", role: "editor" },
  { username: "admin", role: "admin" },
] as const;
type Role = (typeof ROLES)[number];
const passwordOf = (who: Role) => (who.username === "admin" ? ADMIN_PASSWORD : `${who.username}-password`);

async function api(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${url}/api/v1${path}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function openAs(
  browser: Browser,
  url: string,
  who: Role,
  options: { width: number; height: number; phone?: boolean; js?: boolean },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    ...(options.phone ? { hasTouch: true, isMobile: true } : {}),
    javaScriptEnabled: options.js ?? true,
  });
  const page = await context.newPage();
  await signInPage(page, url, who.username, passwordOf(who));
  return { context, page };
}

async function openEditor(page: Page, url: string, path = DOC): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
}

/** The bottom edge of whatever stays on screen at the top while the rows scroll. */
function stickyBottom(page: Page): Promise<number> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("body *"))
      .filter((el) => ["sticky", "fixed"].includes(getComputedStyle(el).position))
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.top <= 1 && r.height > 0)
      .reduce((bottom, r) => Math.max(bottom, r.bottom), 0),
  );
}

/** Resolves once the page has stopped scrolling (the editor scrolls rows smoothly). */
async function scrolled(page: Page): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const y = await page.evaluate(
      () => new Promise<number>((r) => requestAnimationFrame(() => r(window.scrollY))),
    );
    if (y === last) return;
    last = y;
    await page.waitForTimeout(50);
  }
}

/** Where the focused element is, and whether it is inside the rows. */
function focusedBox(page: Page): Promise<{ top: number; bottom: number; inRows: boolean; tag: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, inRows: !!el.closest("#editor"), tag: el.tagName };
  });
}

describe("the editor's layout", () => {
  const ctx = useServerAndBrowser();

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    const admin = await apiToken(ctx.url);
    for (const who of ROLES.filter((r) => r.username !== "admin")) {
      const res = await api(ctx.url, admin, "POST", "/users", {
        username: who.username,
        password: passwordOf(who),
        role: who.role,
      });
      expect(res.status).toBe(201);
    }
    for (const lang of MORE_LANGS) {
      expect((await api(ctx.url, admin, "POST", `/documents/${DOC_ID}/languages`, { lang })).status).toBe(
        201,
      );
    }
    // Translations, for the concordance, the history and the export; an open comment, for the badge.
    for (const [pid, text] of [
      ["p2", "El líder argentino Javier Milei esperaba hablar con el presidente electo."],
      ["p4", "Milei felicitó a Trump por su victoria en las elecciones."],
      ["p5", "El miércoles por la mañana, Milei habló por teléfono con Trump."],
    ]) {
      const saved = await api(
        ctx.url,
        admin,
        "PUT",
        `/documents/${DOC_ID}/translations/es/paragraphs/${pid}`,
        {
          text,
          baseRevision: 0,
        },
      );
      expect(saved.status).toBe(200);
    }
    const comment = await api(
      ctx.url,
      admin,
      "POST",
      `/documents/${DOC_ID}/translations/es/paragraphs/p3/comments`,
      {
        text: "¿15 o 50 mil millones?",
      },
    );
    expect(comment.status).toBe(201);
  });

  for (const lng of ["en", "es"]) {
    for (const who of ROLES) {
      it(`keeps the sticky head within 15 % of 1280×900, shortcut list open or not, filters 32 px, as ${who.role} (${lng})`, async () => {
        const { context, page } = await openAs(ctx.browser, ctx.url, who, { width: 1280, height: 900 });
        await openEditor(page, ctx.url, `${DOC}?lng=${lng}`);
        await page.evaluate(() => window.scrollTo(0, 800));
        await scrolled(page);
        // It sticks (it is at the top), and it is a small band: 25 % before, 46 % with the list open.
        const closed = await stickyBottom(page);
        expect(closed).toBeGreaterThan(0);
        expect(closed).toBeLessThanOrEqual(900 * 0.15);
        await page.keyboard.press("?");
        await expect.poll(read.visible(page.locator("#shortcuts"))).toBe(true);
        expect(await stickyBottom(page)).toBeLessThanOrEqual(900 * 0.15);
        await page.screenshot({ path: `${SHOTS}/head-${who.role}-${lng}-1280.png` });
        // Esc closes it; so does its Close button, reached by the keyboard.
        await page.keyboard.press("Escape");
        await expect.poll(read.visible(page.locator("#shortcuts"))).toBe(false);
        await page.locator("#shortcuts-button").click();
        await page.locator("#shortcuts-close").focus();
        await page.keyboard.press("Enter");
        await expect.poll(read.visible(page.locator("#shortcuts"))).toBe(false);
        // The filters and the head's buttons are targets of at least 32 px (the filters were 16 px).
        const heights = await page
          .locator(
            ".filters a, .editor-head .tool-buttons .button, .editor-head button:not(.skip), .concordance-box > summary",
          )
          .evaluateAll((els) =>
            els
              .filter((el) => el.getClientRects().length > 0)
              .map((el) => `${el.textContent?.trim().slice(0, 20)} ${el.getBoundingClientRect().height}`),
          );
        expect(heights.length).toBeGreaterThan(5);
        expect(heights.filter((h) => Number(h.split(" ").at(-1)) < 31.5)).toEqual([]);
        await context.close();
      });
    }
  }

  for (const who of ROLES) {
    it(`keeps the sticky head small at 1280×900 with twelve languages, as ${who.role}`, async () => {
      const { context, page } = await openAs(ctx.browser, ctx.url, who, { width: 1280, height: 900 });
      await openEditor(page, ctx.url);
      // Closed: the head is a small band, and the language links are one current language and a menu.
      expect(await stickyBottom(page)).toBeLessThanOrEqual(900 * 0.15);

      // The concordance box with its hits: rows stay visible and clickable below it.
      await page.locator("#t-p2").focus();
      await page.keyboard.press("Control+k");
      await page.locator("#concordance input[name=q]").fill("Milei");
      await page.locator("#concordance input[name=q]").press("Enter");
      await expect.poll(read.count(page.locator("#concordance .concordance-hits li"))).toBeGreaterThan(0);
      await page.screenshot({ path: `${SHOTS}/concordance-${who.role}-1280.png` });
      expect(await stickyBottom(page)).toBeLessThanOrEqual(900 * 0.6);
      const atBottom = await page.evaluate(() => !!document.elementFromPoint(640, 880)?.closest("#editor"));
      expect(atBottom).toBe(true);
      await page.locator("#concordance > summary").click();

      // The shortcut list: the rows' links can still be clicked.
      await page.locator("#shortcuts-button").click();
      await expect.poll(read.visible(page.locator("#shortcuts"))).toBe(true);
      await page.screenshot({ path: `${SHOTS}/shortcuts-${who.role}-1280.png` });
      expect(await stickyBottom(page)).toBeLessThanOrEqual(900 * 0.15);
      const link = page.locator("#p-p5 .comments-link");
      await link.scrollIntoViewIfNeeded();
      const hit = await link.evaluate((a) => {
        const r = a.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === a;
      });
      expect(hit).toBe(true);
      await context.close();
    });
  }

  it("moves focus only to rows visible below the sticky head (Alt+↑, Shift+Tab)", async () => {
    const { context, page } = await openAs(ctx.browser, ctx.url, ROLES[1], { width: 1280, height: 900 });
    await openEditor(page, ctx.url, `/documents/${DOC_ID}/es-PY`);
    await page.locator("#t-p9").focus();
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Alt+ArrowUp");
      await scrolled(page);
      const box = await focusedBox(page);
      expect(box.tag).toBe("TEXTAREA");
      expect(box.top).toBeGreaterThanOrEqual((await stickyBottom(page)) - 1);
    }
    await page.screenshot({ path: `${SHOTS}/alt-up-editor-1280.png` });
    await page.locator("#t-p9").focus();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press("Shift+Tab");
      await scrolled(page);
      const box = await focusedBox(page);
      if (!box.inRows) break;
      expect(box.top).toBeGreaterThanOrEqual((await stickyBottom(page)) - 1);
      expect(box.bottom).toBeLessThanOrEqual(900);
    }
    await context.close();
  });

  it("reaches the first translation in a few Tabs through a skip link", async () => {
    const { context, page } = await openAs(ctx.browser, ctx.url, ROLES[2], { width: 1280, height: 900 });
    await openEditor(page, ctx.url);
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    // The site's skip link, then the editor's: past the site's links and the editor's tools.
    await page.keyboard.press("Tab");
    expect(await focusedText()).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await focusedText()).toBe("Skip to paragraphs");
    await page.keyboard.press("Enter");
    let tabs = 0;
    for (; tabs < 6; tabs++) {
      await page.keyboard.press("Tab");
      if ((await focusedBox(page)).tag === "TEXTAREA") break;
    }
    // Only the first paragraph's glossary terms come before its translation.
    expect(tabs).toBeLessThan(6);
    const box = await focusedBox(page);
    expect(box.inRows).toBe(true);
    expect(box.top).toBeGreaterThanOrEqual((await stickyBottom(page)) - 1);
    await context.close();
  });

  for (const lng of ["en", "es"]) {
    for (const who of ROLES) {
      it(`shows the first paragraph on a 375×740 phone on load, no keyboard hints, as ${who.role} (${lng})`, async () => {
        const { context, page } = await openAs(ctx.browser, ctx.url, who, {
          width: 375,
          height: 740,
          phone: true,
        });
        await openEditor(page, ctx.url, `${DOC}?lng=${lng}`);
        await page.screenshot({ path: `${SHOTS}/phone-editor-${who.role}-${lng}.png` });
        const first = await page.locator("#t-p1").evaluate((el) => el.getBoundingClientRect().top);
        expect(first).toBeLessThan(740 - 48);
        // Measured: 384 px from the top (the site's bar, the title, the progress, the Tools button).
        expect(first).toBeLessThanOrEqual(740 * 0.6);
        // Nothing of the head stays on top of a phone's rows while they scroll.
        await page.evaluate(() => window.scrollTo(0, 900));
        await scrolled(page);
        expect(await stickyBottom(page)).toBe(0);
        await page.evaluate(() => window.scrollTo(0, 0));
        for (const hint of ["#shortcuts-button", ".editor-head kbd", "#p-p1 kbd"]) {
          const shown = await page
            .locator(hint)
            .evaluateAll((els) => els.some((el) => el.getBoundingClientRect().width > 0));
          expect(shown, hint).toBe(false);
        }
        await context.close();
      });
    }
  }

  /** Every visible element matching the selectors that is smaller than 24×24 px. */
  async function smallTargets(page: Page, selectors: string, only?: "height"): Promise<string[]> {
    return page.locator(selectors).evaluateAll(
      (els, only) =>
        els
          .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.height < 24 || (only !== "height" && r.width < 24)))
          .map(
            ({ el, r }) =>
              `${el.tagName}.${el.className} "${el.textContent?.trim().slice(0, 20)}" ${r.width}×${r.height}`,
          ),
      only,
    );
  }

  for (const who of ROLES) {
    it(`gives every link, pill, filter and box a tap target of at least 24 px at 375, as ${who.role}`, async () => {
      const { context, page } = await openAs(ctx.browser, ctx.url, who, {
        width: 375,
        height: 740,
        phone: true,
      });
      await openEditor(page, ctx.url, `${DOC}?lng=es`);
      // The menus a phone opens: the site's and the editor's tools, the other languages.
      // The site's menu last: it drops down over the page.
      for (const summary of [
        ".editor-head details.tools > summary",
        ".editor-head details.lang-menu > summary",
        "header.top details > summary",
      ]) {
        const opener = page.locator(summary);
        if (await opener.count()) await opener.first().click();
      }
      await page.screenshot({ path: `${SHOTS}/phone-menus-${who.role}.png`, fullPage: true });
      // The other languages' menu lies within the screen (in Spanish it ran 17 px off the left).
      const menu = await page.locator(".editor-head details.lang-menu ul").boundingBox();
      if (menu) {
        expect(menu.x, "language menu's left edge").toBeGreaterThanOrEqual(0);
        expect(menu.x + menu.width, "language menu's right edge").toBeLessThanOrEqual(375);
      }
      expect(
        await smallTargets(
          page,
          "header.top a, header.top button, header.top summary, .filters a, .langs a, .lang-menu a, .editor-head summary, .term, .comments-link, .history",
        ),
      ).toEqual([]);
      // Every other page: what stands alone (a link in a table or list, a link-styled button, a
      // disclosure, a radio button or check box) is at least 24 px high. Words in a sentence may be
      // narrower than 24 px ("¶2"): WCAG 2.5.8 lets spacing stand in for width there.
      const pages = [
        "/",
        "/glossary",
        `/documents/${DOC_ID}/languages`,
        `/documents/${DOC_ID}/history`,
        `${DOC}/export`,
        `${DOC}/paragraphs/p3/comments`,
        `${DOC}/paragraphs/p2`,
        `${DOC}/replace?find=Milei&replace=Milei`,
        "/memory?q=Milei",
        "/inbox",
      ];
      if (who.role !== "translator") pages.push(`${DOC}/review`, "/review", "/stats");
      for (const path of pages) {
        await page.goto(`${ctx.url}${path}${path.includes("?") ? "&" : "?"}lng=es`);
        const low = await smallTargets(
          page,
          "main a, main button.link, main summary, main input[type=radio], main input[type=checkbox]",
          "height",
        );
        expect(low, path).toEqual([]);
      }
      await context.close();
    });
  }

  for (const js of [true, false]) {
    it(`shows an XLIFF import's result at the top on a phone (${js ? "with" : "without"} JavaScript)`, async () => {
      const admin = await apiToken(ctx.url);
      const xliff = await (
        await api(ctx.url, admin, "GET", `/documents/${DOC_ID}/export/es?format=xliff&incomplete=source`)
      ).text();
      const { context, page } = await openAs(ctx.browser, ctx.url, ROLES[0], {
        width: 375,
        height: 740,
        phone: true,
        js,
      });
      await page.goto(`${ctx.url}${DOC}/export?lng=es`);
      await page
        .locator("input[name=file]")
        .setInputFiles({ name: "es.xlf", mimeType: "application/xliff+xml", buffer: Buffer.from(xliff) });
      await page.locator("form[enctype] button[type=submit]").click();
      await page.waitForLoadState();
      const result = page.locator("main .flash").first();
      await expect.poll(read.text(result)).toMatch(/Actualizados|actualizad/i);
      await page.screenshot({ path: `${SHOTS}/import-${js ? "js" : "nojs"}.png` });
      const box = await result.evaluate((el) => el.getBoundingClientRect());
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(740);
      await context.close();
    });
  }

  it("draws the open-comments badge without an emoji font, its count in words", async () => {
    const { context, page } = await openAs(ctx.browser, ctx.url, ROLES[0], { width: 1280, height: 900 });
    await openEditor(page, ctx.url);
    const badge = page.locator("#p-p3 .comments-link.has-open");
    expect(await badge.textContent()).toMatch(/^\s*1 open comment\s*$/);
    // Drawn by CSS (a mask over the text colour), so no font is needed; the words are the accessible text.
    const icon = await badge.evaluate((a) => {
      const before = getComputedStyle(a, "::before");
      return { mask: before.maskImage || before.webkitMaskImage, width: Number.parseFloat(before.width) };
    });
    expect(icon.mask).toMatch(/^url\("data:image\/svg\+xml/);
    expect(icon.width).toBeGreaterThan(8);
    await page.goto(`${ctx.url}/?lng=es`);
    expect(await page.locator("main").textContent()).not.toContain("💬");
    await context.close();
  });

  for (const who of ROLES)
    it(`keeps the site header on one row at 1280 in English and Spanish, as ${who.role}`, async () => {
      const { context, page } = await openAs(ctx.browser, ctx.url, who, { width: 1280, height: 900 });
      for (const lng of ["en", "es"]) {
        await page.goto(`${ctx.url}/?lng=${lng}`);
        const rows = await page.evaluate(() =>
          Array.from(document.querySelectorAll("header.top a, header.top button, header.top .who"))
            .map((el) => el.getBoundingClientRect())
            .filter((r) => r.width > 0)
            .map((r) => Math.round(r.top)),
        );
        expect(new Set(rows.map((top) => Math.round(top / 10))).size, `${lng}: ${rows.join(" ")}`).toBe(1);
        // The role gives way at this width; the username's title still says it.
        expect(await page.locator("header.top .who strong").getAttribute("title")).toBeTruthy();
      }
      // Wide enough, the role is shown beside the name.
      await page.setViewportSize({ width: 1600, height: 900 });
      expect(await page.locator("header.top .who-role").isVisible()).toBe(true);
      await context.close();
    });

  it("names languages in one style in both interface languages", async () => {
    const { context, page } = await openAs(ctx.browser, ctx.url, ROLES[1], { width: 1280, height: 900 });
    await page.goto(`${ctx.url}/documents/${DOC_ID}/languages?lng=es`);
    const es = (await page.locator("main").textContent()) ?? "";
    expect(es).toContain("español (México)");
    expect(es).not.toContain("español de México");
    await page.goto(`${ctx.url}/documents/${DOC_ID}/languages?lng=en`);
    const en = (await page.locator("main").textContent()) ?? "";
    expect(en).toContain("Spanish (Latin America)");
    expect(en).not.toContain("Latin American Spanish");
    await context.close();
  });
});
