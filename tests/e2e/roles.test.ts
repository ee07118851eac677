/** The editor and the review page as every role that uses them: the JS paths go through /api/v1. */

import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, apiCall, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC_ID = "el-pais-trump-milei";
const DOC = `/documents/${DOC_ID}/es`;

async function token(url: string, username: string, password: string): Promise<string> {
  const res = await apiCall(url, null, "POST", "/tokens", { username, password });
  expect(res.status).toBe(201);
  return res.body.token as string;
}

/** Creates the users through the API with the admin's token. */
async function createUsers(url: string) {
  const admin = await token(url, "admin", ADMIN_PASSWORD);
  for (const [username, role] of [
    ["tina", "translator"],
    ["eddie", "editor"],
  ])
    expect(
      (await apiCall(url, admin, "POST", "/users", { username, password: `${username}-password`, role }))
        .status,
    ).toBe(201);
  return { admin, tina: await token(url, "tina", "tina-password") };
}

async function editorPage(browser: Browser, url: string, username: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, url, username, password);
  await page.goto(`${url}${DOC}`);
  await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
  return page;
}

const ROLES = [
  { username: "eddie", password: "eddie-password", pids: ["p2", "p3", "p4"] },
  { username: "admin", password: ADMIN_PASSWORD, pids: ["p5", "p6", "p7"] },
] as const;

describe("saving, approving and resolving conflicts in Chromium, as an editor and as an admin", () => {
  const ctx = useServerAndBrowser();
  let tokens: { admin: string; tina: string };
  beforeAll(async () => {
    tokens = await createUsers(ctx.url);
  });

  for (const { username, password, pids } of ROLES) {
    const [saved, edited, contested] = pids;

    it(`${username} saves with the Save button (the row shows the new author and time) and approves in place`, async () => {
      const page = await editorPage(ctx.browser, ctx.url, username, password);
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const row = page.locator(`#p-${saved}`);
      await page.locator(`#t-${saved}`).fill(`Traducción guardada por ${username}.`);
      await row.locator("button[value=save]").click();
      await expect.poll(read.text(row.locator(".save-state"))).toMatch(/Saved/);
      await expect.poll(read.className(row)).toMatch(/status-translated/);
      await expect.poll(read.text(row.locator(".who"))).toContain(username);
      const approvedBefore = Number(
        /(\d+) approved/.exec((await page.locator(".progress .numbers").first().textContent()) ?? "")?.[1],
      );
      await row.locator("button.approve").click();
      await expect.poll(read.className(row)).toMatch(/status-approved/);
      await expect.poll(read.count(row.locator("button.approve"))).toBe(0);
      // The header's progress follows without a reload.
      await expect
        .poll(read.text(page.locator(".progress .numbers").first()))
        .toContain(`${approvedBefore + 1} approved`);
      await page.reload();
      await expect.poll(read.className(page.locator(`#p-${saved}`))).toMatch(/status-approved/);
      expect(errors).toEqual([]);
    });

    it(`${username} approves an edited row: the text is saved first, then that revision approved`, async () => {
      const page = await editorPage(ctx.browser, ctx.url, username, password);
      const row = page.locator(`#p-${edited}`);
      await page.locator(`#t-${edited}`).fill(`Primera versión de ${username}.`);
      await row.locator("button[value=save]").click();
      await expect.poll(read.text(row.locator(".rev"))).toBe("r1");
      await page.locator(`#t-${edited}`).fill(`Segunda versión de ${username}.`);
      await row.locator("button.approve").click();
      await expect.poll(read.className(row)).toMatch(/status-approved/);
      await expect.poll(read.text(row.locator(".rev"))).toBe("r2");
      const revisions = await apiCall(
        ctx.url,
        tokens.admin,
        "GET",
        `/documents/${DOC_ID}/translations/es/paragraphs/${edited}/revisions`,
      );
      const list = revisions.body.revisions as { text: string }[];
      expect(list.map((r) => r.text)).toEqual([
        `Primera versión de ${username}.`,
        `Segunda versión de ${username}.`,
      ]);
    });

    it(`${username} resolves a conflict with a second page: the box sits in the translation column, said once`, async () => {
      const a = await editorPage(ctx.browser, ctx.url, username, password);
      const b = await editorPage(ctx.browser, ctx.url, username, password);
      // Both write at once: one user's two pages follow each other's saves, so a page with nothing
      // unsaved would take the first save in and the second would be no conflict.
      await b.locator(`#t-${contested}`).fill("La charla fue el martes.");
      await a.locator(`#t-${contested}`).fill("La conversación tuvo lugar el martes.");
      await a.locator(`#t-${contested}`).press("Control+Enter");
      await expect.poll(read.text(a.locator(`#p-${contested} .save-state`))).toMatch(/Saved/);
      await b.locator(`#p-${contested} button[value=save]`).click();
      const conflict = b.locator(`#p-${contested} form.target .conflict`);
      await expect.poll(read.visible(conflict)).toBe(true);
      // Both pages are this user's: the conflict is with their own save, said once and as such.
      const rowText = (await b.locator(`#p-${contested}`).textContent()) ?? "";
      expect(rowText.split("You saved this paragraph after this page was opened").length - 1).toBe(1);
      expect(rowText).not.toContain("Someone else");
      expect(rowText).not.toContain("someone else");
      await expect.poll(read.text(conflict)).toContain("La conversación tuvo lugar el martes.");
      await expect.poll(read.text(conflict.locator("del").first())).toMatch(/conversación/);
      await conflict.getByRole("button", { name: "Keep this page's text" }).click();
      await expect.poll(read.text(b.locator(`#p-${contested} .save-state`))).toMatch(/Saved/);
      await expect.poll(read.text(b.locator(`#p-${contested} .rev`))).toBe("r2");
      await a.reload();
      await expect.poll(read.value(a.locator(`#t-${contested}`))).toBe("La charla fue el martes.");
    });
  }

  it("an editor approves and rejects in place on the review page, with counter and progress following", async () => {
    for (const [pid, text] of [
      ["p9", "Milei celebró la victoria de Trump sobre la demócrata Kamala Harris."],
      ["p10", "Milei la llamó traidora y purgó la Cancillería."],
    ] as const) {
      const res = await apiCall(
        ctx.url,
        tokens.tina,
        "PUT",
        `/documents/${DOC_ID}/translations/es/paragraphs/${pid}`,
        {
          text,
          baseRevision: 0,
        },
      );
      expect(res.status).toBe(200);
    }
    const page = await (await ctx.browser.newContext()).newPage();
    await signInPage(page, ctx.url, "eddie", "eddie-password");
    await page.goto(`${ctx.url}${DOC}/review`);
    await page.locator("#review[data-ready]").waitFor({ state: "attached" });
    const count = await page.locator("article.review-card").count();
    expect(count).toBeGreaterThanOrEqual(2);
    const approvedBefore = Number(
      /(\d+) approved/.exec((await page.locator(".progress .numbers").textContent()) ?? "")?.[1],
    );
    await page.locator("#r-p9 .approve-form button").click();
    await expect.poll(read.count(page.locator("#r-p9"))).toBe(0);
    await expect
      .poll(read.text(page.locator("#left-counter")))
      .toMatch(new RegExp(`^${count - 1} paragraph`));
    await expect
      .poll(read.text(page.locator(".progress .numbers")))
      .toContain(`${approvedBefore + 1} approved`);
    await page.locator("#r-p10 input[name=comment]").fill("Falta el matiz.");
    await page.locator("#r-p10 .reject-form button").click();
    await expect.poll(read.count(page.locator("#r-p10"))).toBe(0);
    await expect
      .poll(read.text(page.locator("#left-counter")))
      .toMatch(new RegExp(`^${count - 2} paragraph`));
    const view = await apiCall(ctx.url, tokens.admin, "GET", `/documents/${DOC_ID}/translations/es`);
    const statuses = Object.fromEntries(
      (view.body.paragraphs as { id: string; status: string }[]).map((p) => [p.id, p.status]),
    );
    expect(statuses.p9).toBe("approved");
    expect(statuses.p10).toBe("rejected");
  });
});

describe("moving and inserting in the editor", () => {
  const ctx = useServerAndBrowser();
  let tokens: { admin: string; tina: string };
  beforeAll(async () => {
    tokens = await createUsers(ctx.url);
  });

  it("Ctrl+Enter skips paragraphs already translated and goes to the next that needs work", async () => {
    const res = await apiCall(
      ctx.url,
      tokens.tina,
      "PUT",
      `/documents/${DOC_ID}/translations/es/paragraphs/p3`,
      {
        text:
          "Javier Milei por fin ha tenido su tan esperada conversación telefónica con Donald Trump. " +
          "La llamada llegó tras una semana de espera, más larga de lo que Milei habría querido. " +
          "El político argentino se ve a sí mismo y a Trump como «los dos políticos más relevantes del planeta». " +
          "Y que no hubiera llamada tras la reciente victoria electoral de Trump en Estados Unidos fue un golpe.",
        baseRevision: 0,
      },
    );
    expect(res.status).toBe(200);
    // A whole, clean translation: no finding of any check, so the row needs no more work.
    expect(res.body.qa).toEqual([]);
    const page = await editorPage(ctx.browser, ctx.url, "tina", "tina-password");
    await page
      .locator("#t-p2")
      .fill("El líder argentino esperaba hablar con el presidente electo republicano.");
    await page.locator("#t-p2").press("Control+Enter");
    await expect.poll(read.text(page.locator("#p-p2 .save-state"))).toMatch(/Saved/);
    await expect.poll(read.focused(page.locator("#t-p4"))).toBe(true);
  });

  it("inserts a term at the end after a space when its row's text area never had the caret", async () => {
    const saved = await apiCall(
      ctx.url,
      tokens.tina,
      "PUT",
      `/documents/${DOC_ID}/translations/es/paragraphs/p11`,
      {
        text: "Con el regreso de Trump a la",
        baseRevision: 0,
      },
    );
    expect(saved.status).toBe(200);
    const page = await editorPage(ctx.browser, ctx.url, "tina", "tina-password");
    // A click on a term shows its card; its Insert button puts the target in (the caret never there: at the end).
    const whiteHouse = page.locator("#p-p11 .term", { hasText: "White House" });
    await whiteHouse.click();
    await whiteHouse
      .locator("xpath=following-sibling::span[contains(@class, 'term-card')][1]")
      .locator(".term-insert")
      .click();
    await expect.poll(read.value(page.locator("#t-p11"))).toBe("Con el regreso de Trump a la Casa Blanca");
    // Once the caret is in the text, a term goes where the caret is.
    await page.locator("#t-p11").evaluate((el) => {
      const area = el as HTMLTextAreaElement;
      area.focus();
      area.setSelectionRange(0, 0);
    });
    // A word of its own there too: spaced from the word it would touch.
    await page.locator("#p-p11 .term", { hasText: "IMF" }).click();
    await expect
      .poll(read.value(page.locator("#t-p11")))
      .toBe("FMI Con el regreso de Trump a la Casa Blanca");
  });

  it("checks the glossary live only after a pause, once per new text", async () => {
    const page = await editorPage(ctx.browser, ctx.url, "tina", "tina-password");
    const checks: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/v1/glossary/check")) checks.push(r.postData() ?? "");
    });
    const area = page.locator("#t-p8");
    await area.click();
    await area.pressSequentially("Milei quiere aplicar la sierra mecánica", { delay: 20 });
    await expect
      .poll(read.count(page.locator("#p-p8 .finding.error", { hasText: "sierra mecánica" })))
      .toBe(1);
    expect(checks).toHaveLength(1);
    // Typing and deleting back to the checked text sends nothing new.
    await area.press("x");
    await area.press("Backspace");
    await page.waitForTimeout(1500);
    expect(checks).toHaveLength(1);
    // Text that writes every required target of the row and no forbidden form: one more check (the
    // server runs every check, numbers and spelling too), and the glossary's errors clear.
    const targets = await page.evaluate(() => {
      const cards = JSON.parse(document.getElementById("editor")?.dataset.terms ?? "{}");
      const ids = new Set(
        Array.from(document.querySelectorAll("#p-p8 .source .term"), (el) => el.getAttribute("data-term")),
      );
      return [...ids].map((id) => cards[id as string]?.target as string);
    });
    // The source's numbers too ("seventh visit", "11 months ago"): the number check reads them.
    await area.fill(`Texto correcto: ${targets.join(", ")}, su séptima visita, hace 11 meses.`);
    await expect.poll(read.count(page.locator("#p-p8 .finding.error"))).toBe(0);
    await page.waitForTimeout(1500);
    expect(checks).toHaveLength(2);
  });
});
