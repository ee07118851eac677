/**
 * Pages a new-user trial found wanting (in Chromium): the review page keeps the reviewer's place
 * after a rejection and asks before a typed reason is lost, a form post after the session ended keeps
 * the sent text and signs in back to the page, the bilingual export preview fits a phone, the audit
 * log speaks Spanish, the new-document form says which field is wrong and focuses it, and titles
 * show without Markdown's asterisks.
 */

import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  read,
  signInPage,
  useServerAndBrowser,
} from "./browser.ts";

/** A new document translated into Spanish, its five paragraphs saved (all waiting for review). */
async function reviewDocument(url: string, token: string) {
  const created = await apiCall(url, token, "POST", "/documents", {
    sourceLang: "en",
    format: "text",
    content: ["One.", "Two.", "Three.", "Four.", "Five."].join("\n\n"),
    languages: ["es"],
  });
  expect(created.status).toBe(201);
  const doc = created.body.id as string;
  const pids = (created.body.paragraphs as { id: string }[]).map((p) => p.id);
  for (const [i, pid] of pids.entries()) {
    const saved = await apiCall(url, token, "PUT", `/documents/${doc}/translations/es/paragraphs/${pid}`, {
      text: ["Uno.", "Dos.", "Tres.", "Cuatro.", "Cinco."][i],
      baseRevision: 0,
    });
    expect(saved.status).toBe(200);
  }
  return { doc, pids };
}

const REVIEWERS = [
  ["edna", "edna-password"],
  ["admin", ADMIN_PASSWORD],
] as const;

async function open(
  browser: Browser,
  url: string,
  [username, password]: readonly [string, string],
  { locale = "en-US", width = 1280 } = {},
): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await signInPage(page, url, username, password);
  return page;
}

describe("trial pages", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  for (const user of REVIEWERS) {
    it(`moves on to the next card after a rejection, as after an approval, as ${user[0]}`, async () => {
      const { doc, pids } = await reviewDocument(ctx.url, admin);
      const page = await open(ctx.browser, ctx.url, user);
      await page.goto(`${ctx.url}/documents/${doc}/es/review`);
      await page.locator("#review[data-ready]").waitFor({ state: "attached" });
      const card = (i: number) => page.locator(`#r-${pids[i]}`);
      await page.keyboard.press("j");
      await page.keyboard.press("j");
      await expect.poll(read.focused(card(2))).toBe(true);
      await page.keyboard.press("r");
      await expect.poll(read.focused(card(2).locator("input[name=comment]"))).toBe(true);
      await page.keyboard.type("Falta el punto.");
      await page.keyboard.press("Enter");
      await expect.poll(read.count(card(2))).toBe(0);
      // The next card has the focus and the selection: `a` approves it, not the first one.
      await expect.poll(read.focused(card(3))).toBe(true);
      await page.waitForTimeout(500);
      expect(await read.focused(card(3))()).toBe(true);
      expect(await read.className(card(3))()).toContain("selected");
      await page.keyboard.press("a");
      await expect.poll(read.count(card(3))).toBe(0);
      expect(await card(0).count()).toBe(1);
      // The last card rejected: the one before it takes the focus.
      await expect.poll(read.focused(card(4))).toBe(true);
      await page.keyboard.press("r");
      await page.keyboard.type("Otra vez.");
      await page.keyboard.press("Enter");
      await expect.poll(read.count(card(4))).toBe(0);
      await expect.poll(read.focused(card(1))).toBe(true);
      await page.waitForTimeout(500);
      expect(await read.focused(card(1))()).toBe(true);
      // The last two approved: no card is left, the heading holds the focus.
      await page.keyboard.press("a");
      await expect.poll(read.focused(card(0))).toBe(true);
      await page.keyboard.press("a");
      await expect.poll(read.text(page.locator("#review"))).toContain("Nothing left to review");
      await expect.poll(read.focused(page.locator("h1"))).toBe(true);
      await page.context().close();
    });
  }

  for (const user of REVIEWERS) {
    it(`asks before a typed rejection reason is lost to a header link or a reload, as ${user[0]}`, async () => {
      const { doc, pids } = await reviewDocument(ctx.url, admin);
      const page = await open(ctx.browser, ctx.url, user);
      const review = `${ctx.url}/documents/${doc}/es/review`;
      await page.goto(review);
      await page.locator("#review[data-ready]").waitFor({ state: "attached" });
      const box = page.locator(`#r-${pids[1]} input[name=comment]`);
      await box.click();
      await box.pressSequentially("Falta el punto.");
      // The kinds of the dialogs shown, each dismissed: the page stays.
      const asked: string[] = [];
      page.on("dialog", (dialog) => {
        asked.push(dialog.type());
        void dialog.dismiss();
      });
      await page.locator("header").getByRole("link", { name: "Documents" }).click();
      await expect.poll(() => asked.length).toBe(1);
      expect(asked[0]).toBe("beforeunload");
      expect(page.url()).toBe(review);
      expect(await box.inputValue()).toBe("Falta el punto.");
      await page.reload({ timeout: 2000 }).catch(() => undefined);
      await expect.poll(() => asked.length).toBe(2);
      expect(await box.inputValue()).toBe("Falta el punto.");
      // Sent, the reason is safe: leaving asks nothing.
      await box.press("Enter");
      await expect.poll(read.count(page.locator(`#r-${pids[1]}`))).toBe(0);
      await page.locator("header").getByRole("link", { name: "Documents" }).click();
      await page.waitForURL(`${ctx.url}/`);
      expect(asked).toHaveLength(2);
      await page.context().close();
    });
  }

  it("refuses a translator the review page and the decision", async () => {
    const { doc, pids } = await reviewDocument(ctx.url, admin);
    const page = await open(ctx.browser, ctx.url, ["tina", "tina-password"]);
    const denied = await page.goto(`${ctx.url}/documents/${doc}/es/review`);
    expect(denied?.status()).toBe(403);
    const decided = await page.evaluate(
      async ([doc, pid]) => {
        const res = await fetch(`/api/v1/documents/${doc}/translations/es/paragraphs/${pid}/review`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ action: "reject", revision: 1, comment: "No." }),
        });
        return res.status;
      },
      [doc, pids[0]] as const,
    );
    expect(decided).toBe(403);
    await page.context().close();
  });

  for (const user of [["tina", "tina-password"], ...REVIEWERS] as const) {
    it(`without JavaScript, a save after the session ended shows the text and signs in back to the editor, as ${user[0]}`, async () => {
      const { doc, pids } = await reviewDocument(ctx.url, admin);
      const context = await ctx.browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await signInPage(page, ctx.url, user[0], user[1]);
      await page.goto(`${ctx.url}/documents/${doc}/es`);
      const typed = 'Cuatro <b>"puntos"</b> & más.';
      await page.locator(`#t-${pids[3]}`).fill(typed);
      // The session ends (signed out elsewhere, or idle) while the text is being written.
      await context.clearCookies();
      await page.locator(`#p-${pids[3]}`).getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForLoadState();
      expect(await page.locator("h1").textContent()).toBe("Please sign in");
      const box = page.getByLabel("The text you sent (not saved)");
      expect(await box.inputValue()).toBe(typed);
      expect(await box.getAttribute("readonly")).not.toBeNull();
      await page.getByRole("link", { name: "Sign in and go back" }).click();
      await page.getByLabel("Username").fill(user[0]);
      await page.getByLabel("Password").fill(user[1]);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${ctx.url}/documents/${doc}/es`);
      await context.close();
    });
  }

  for (const user of [["tina", "tina-password"], ...REVIEWERS] as const) {
    it(`fits the bilingual export preview in a 375 px phone in Spanish, and side by side at 1280 px, as ${user[0]}`, async () => {
      const path =
        "/documents/el-pais-trump-milei/es/export?format=bilingual&status=latest&incomplete=source";
      // A translated paragraph, so that there is a file to preview (the first run saves it, later ones find it).
      const saved = await apiCall(
        ctx.url,
        admin,
        "PUT",
        "/documents/el-pais-trump-milei/translations/es/paragraphs/p2",
        {
          text: "El líder argentino lleva una semana esperando hablar con el presidente electo republicano.",
          baseRevision: 0,
        },
      );
      expect([200, 409]).toContain(saved.status);
      const phone = await open(ctx.browser, ctx.url, user, { locale: "es-ES", width: 375 });
      await phone.goto(`${ctx.url}${path}&lng=es`);
      const rendered = phone.locator(".preview-grid .rendered");
      await rendered.waitFor();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const box = await rendered.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      // Stacked: the rendered file below the source, each the width of the screen.
      const source = await phone.locator(".preview-grid > div").first().boundingBox();
      expect(box && source && box.y >= source.y + source.height).toBe(true);
      await phone.context().close();

      const desk = await open(ctx.browser, ctx.url, user);
      await desk.goto(`${ctx.url}${path}`);
      const wide = desk.locator(".preview-grid .rendered");
      await wide.waitFor();
      expect(await desk.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      const left = await desk.locator(".preview-grid > div").first().boundingBox();
      const right = await wide.boundingBox();
      expect(left && right && right.x >= left.x + left.width && Math.abs(right.y - left.y) < 2).toBe(true);
      await desk.context().close();
    });
  }

  it("shows the audit log in Spanish words at 375 px as admin, and refuses it to an editor", async () => {
    await reviewDocument(ctx.url, admin);
    const page = await open(ctx.browser, ctx.url, ["admin", ADMIN_PASSWORD], { locale: "es-ES", width: 375 });
    await page.goto(`${ctx.url}/admin/audit?lng=es`);
    const saved = page.locator("table.audit tr", { hasText: "Guardó una traducción" }).first();
    await saved.waitFor();
    expect(await saved.textContent()).toContain("traducido");
    const text = ((await page.locator("table.audit").textContent()) ?? "").toLowerCase();
    expect(text).not.toContain("translation.save");
    expect(text).not.toMatch(/estado\s*translated/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.context().close();

    const edna = await open(ctx.browser, ctx.url, ["edna", "edna-password"]);
    expect((await edna.goto(`${ctx.url}/admin/audit`))?.status()).toBe(403);
    await edna.context().close();
  });

  for (const [user, setting] of [
    [REVIEWERS[0], { locale: "en-US", width: 1280 }],
    [REVIEWERS[1], { locale: "es-ES", width: 375 }],
    [REVIEWERS[0], { locale: "es-ES", width: 375 }],
    [REVIEWERS[1], { locale: "en-US", width: 1280 }],
  ] as const) {
    it(`says which field of a new document is wrong and focuses it, as ${user[0]} at ${setting.width} px in ${setting.locale}`, async () => {
      const es = setting.locale === "es-ES";
      const page = await open(ctx.browser, ctx.url, user, setting);
      await page.goto(`${ctx.url}/documents/new${es ? "?lng=es" : ""}`);
      await page.locator("textarea[name=content]").fill("One paragraph.");
      await page.locator("input[name=targetLang]").fill("es, fr");
      await page.locator('form[action="/documents"] button[type=submit]').click();
      await page.waitForURL(`${ctx.url}/documents`);
      const target = page.locator("#new-targetLang");
      await expect.poll(read.focused(target)).toBe(true);
      expect(await target.getAttribute("aria-invalid")).toBe("true");
      const described = await target.evaluate((el) =>
        (el.getAttribute("aria-describedby") ?? "")
          .split(" ")
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" "),
      );
      expect(described).toContain(
        es ? "Idioma de destino: aquí va un solo idioma" : "Target language: one language here",
      );
      expect(await target.inputValue()).toBe("es, fr");
      expect(await page.locator("textarea[name=content]").inputValue()).toBe("One paragraph.");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        setting.width,
      );
      await page.context().close();
    });
  }

  it("refuses a translator the new-document form", async () => {
    const page = await open(ctx.browser, ctx.url, ["tina", "tina-password"]);
    expect((await page.goto(`${ctx.url}/documents/new`))?.status()).toBe(403);
    await page.context().close();
  });

  for (const user of [["tina", "tina-password"], ...REVIEWERS] as const) {
    it(`shows a Markdown title without asterisks and a revision as r1, not R1, as ${user[0]}`, async () => {
      const created = await apiCall(ctx.url, admin, "POST", "/documents", {
        sourceLang: "en",
        format: "markdown",
        content: "# Milei's *chainsaw* plan\n\nThe plan is back.",
        languages: ["es"],
      });
      const doc = created.body.id as string;
      const paragraph = `/documents/${doc}/translations/es/paragraphs/p2`;
      await apiCall(ctx.url, admin, "PUT", paragraph, { text: "Vuelve el plan.", baseRevision: 0 });
      await apiCall(ctx.url, admin, "POST", `${paragraph}/review`, { action: "approve", revision: 1 });
      await apiCall(ctx.url, admin, "PUT", paragraph, { text: "Vuelve el plan, otra vez.", baseRevision: 1 });
      const page = await open(ctx.browser, ctx.url, user);
      await page.goto(`${ctx.url}/`);
      const link = page.locator(`td.doc-title a[href^="/documents/${doc}"]`);
      expect(await link.textContent()).toBe("Milei's chainsaw plan");
      await link.click();
      await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
      expect(await page.locator(".editor-head h1").textContent()).toBe("Milei's chainsaw plan");
      if (user[0] === "tina") {
        expect((await page.goto(`${ctx.url}/documents/${doc}/es/review`))?.status()).toBe(403);
      } else {
        await page.goto(`${ctx.url}/documents/${doc}/es/review`);
        expect(await page.locator(".editor-head h1").textContent()).toContain("Milei's chainsaw plan");
        // As shown: the label is uppercase, the revision code is not.
        const label = page.locator(`#r-p2 h2.label`).nth(1);
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, after text-transform
        const shown = await label.evaluate((el) => (el as HTMLElement).innerText);
        expect(shown).toBe("CHANGES SINCE APPROVED REVISION r1");
      }
      await page.context().close();
    });
  }
});
