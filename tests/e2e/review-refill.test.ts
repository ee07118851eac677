/**
 * The review page of a long document: deciding cards here brings the next waiting ones into the page
 * (counter, page range and Previous / Next follow), an emptied page moves on, and a rejection's comment
 * is sent with Ctrl+Enter as the editor's boxes are (Enter too). In every role that reviews, at 375 px
 * and in Spanish; a translator gets no review actions.
 */

import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiToken, createUser, read, signInPage, useServerAndBrowser } from "./browser.ts";

describe("the review page refills as cards are decided on it", () => {
  const ctx = useServerAndBrowser();
  let users: Promise<void> | undefined;

  /** The translator, editor and second admin of these tests, made once. */
  function ensureUsers(): Promise<void> {
    users ??= (async () => {
      await createUser(ctx.url, "tomas", "translator");
      await createUser(ctx.url, "elena", "editor");
      await createUser(ctx.url, "adela", "admin");
    })();
    return users;
  }

  /** A document of `count` paragraphs, every one saved as translated by the translator: all wait. */
  async function waitingDocument(count: number): Promise<string> {
    await ensureUsers();
    const editor = { "Content-Type": "application/json", Authorization: `Bearer ${await apiToken(ctx.url)}` };
    const content = Array.from({ length: count }, (_, i) => `Line ${i + 1}: the minister spoke.`).join("\n");
    const created = await fetch(`${ctx.url}/api/v1/documents`, {
      method: "POST",
      headers: editor,
      body: JSON.stringify({ sourceLang: "en", format: "text", content, languages: ["es"] }),
    });
    expect(created.status).toBe(201);
    const doc = (await created.json()) as { id: string; paragraphs: { id: string }[] };
    expect(doc.paragraphs.length).toBe(count);
    const translator = {
      "Content-Type": "application/json",
      Authorization: `Bearer ${await apiToken(ctx.url, "tomas", "tomas-password")}`,
    };
    for (const [i, p] of doc.paragraphs.entries()) {
      const res = await fetch(`${ctx.url}/api/v1/documents/${doc.id}/translations/es/paragraphs/${p.id}`, {
        method: "PUT",
        headers: translator,
        body: JSON.stringify({
          text: `Línea ${i + 1}: habló el ministro.`,
          baseRevision: 0,
          status: "translated",
        }),
      });
      expect(res.status).toBe(200);
    }
    return doc.id;
  }

  async function openReview(
    username: string,
    doc: string,
    options: BrowserContextOptions = {},
    query = "",
  ): Promise<Page> {
    const page = await (await ctx.browser.newContext(options)).newPage();
    await signInPage(page, ctx.url, username, username === "admin" ? undefined : `${username}-password`);
    await page.goto(`${ctx.url}/documents/${doc}/es/review${query}`);
    await page.locator("#review[data-ready]").waitFor({ state: "attached" });
    return page;
  }

  /** The `n`th paragraph's card, as the page numbers them (#1 is the first line). */
  const card = (page: Page, n: number) => page.locator(`article.review-card[data-n="${n}"]`);
  const cards = (page: Page) => page.locator("article.review-card");
  const nextLink = (page: Page) => page.locator("nav.pager a[rel=next]");
  const previousLink = (page: Page) => page.locator("nav.pager a[rel=prev]");
  /** The card the keys act on. */
  const selectedNumber = (page: Page) => () =>
    page.locator("article.review-card.selected").getAttribute("data-n");

  /** Approves the selected card with `a` and waits for the counter to say `left`. */
  async function approveWithKey(page: Page, left: string) {
    await page.keyboard.press("a");
    await expect.poll(read.text(page.locator("#left-counter"))).toBe(left);
  }

  it("an editor at 1280 px approves with a: the next waiting cards come in, the links follow, an emptied page moves on", async () => {
    const doc = await waitingDocument(70);
    const elena = await openReview("elena", doc, { viewport: { width: 1280, height: 900 } });
    await expect.poll(read.count(cards(elena))).toBe(50);
    await expect.poll(read.text(elena.locator("#left-counter"))).toBe("70 paragraphs left to review");
    await expect.poll(read.text(elena.locator("#page-range"))).toContain("#1–#50");
    await expect.poll(() => nextLink(elena).getAttribute("href")).toMatch(/\?after=49$/);

    for (let left = 69; left >= 65; left--) await approveWithKey(elena, `${left} paragraphs left to review`);
    // The page holds 50 again: #51 to #55 came in behind the others, and the links moved with them.
    await expect.poll(read.count(cards(elena))).toBe(50);
    await expect.poll(read.count(card(elena, 55))).toBe(1);
    await expect.poll(read.count(card(elena, 56))).toBe(0);
    await expect.poll(read.text(elena.locator("#page-range"))).toContain("#6–#55");
    await expect.poll(() => nextLink(elena).getAttribute("href")).toMatch(/\?after=54$/);
    await expect.poll(read.text(nextLink(elena))).toBe("Next 50 →");
    expect(await selectedNumber(elena)()).toBe("6");

    // The next page holds the last 15; deciding them all goes back to the first page's cards.
    await nextLink(elena).click();
    await elena.waitForURL(/\?after=54$/);
    await elena.locator("#review[data-ready]").waitFor({ state: "attached" });
    await expect.poll(read.count(cards(elena))).toBe(15);
    await expect.poll(read.count(previousLink(elena))).toBe(1);
    for (let left = 64; left >= 50; left--) await approveWithKey(elena, `${left} paragraphs left to review`);
    await elena.waitForURL((u) => u.search === "");
    await elena.locator("#review[data-ready]").waitFor({ state: "attached" });
    await expect.poll(read.count(cards(elena))).toBe(50);
    await expect.poll(read.text(elena.locator("#left-counter"))).toBe("50 paragraphs left to review");
    await expect.poll(read.count(elena.locator("nav.pager"))).toBe(0);
    await elena.context().close();
  });

  it("an editor rejects with Ctrl+Enter (and with Enter) in the comment box, and the page refills", async () => {
    const doc = await waitingDocument(60);
    const elena = await openReview("elena", doc, { viewport: { width: 1280, height: 900 } });
    await expect.poll(read.count(cards(elena))).toBe(50);

    await elena.keyboard.press("r");
    const box = card(elena, 1).locator("input[name=comment]");
    await expect.poll(read.focused(box)).toBe(true);
    await elena.keyboard.type("Falta el cargo del ministro.");
    await elena.keyboard.press("Control+Enter");
    await expect.poll(read.count(card(elena, 1))).toBe(0);
    await expect.poll(read.text(elena.locator("#left-counter"))).toBe("59 paragraphs left to review");
    await expect.poll(read.count(card(elena, 51))).toBe(1);
    await expect.poll(read.count(cards(elena))).toBe(50);

    // ⌘+Enter on a Mac sends it too.
    await elena.keyboard.press("r");
    await expect.poll(read.focused(card(elena, 2).locator("input[name=comment]"))).toBe(true);
    await elena.keyboard.type("Revisa la concordancia.");
    await elena.keyboard.press("Meta+Enter");
    await expect.poll(read.count(card(elena, 2))).toBe(0);
    await expect.poll(read.text(elena.locator("#left-counter"))).toBe("58 paragraphs left to review");

    // Enter still sends the one-line comment.
    await elena.keyboard.press("r");
    await expect.poll(read.focused(card(elena, 3).locator("input[name=comment]"))).toBe(true);
    await elena.keyboard.type("Sobra una coma.");
    await elena.keyboard.press("Enter");
    await expect.poll(read.count(card(elena, 3))).toBe(0);
    await expect.poll(read.text(elena.locator("#left-counter"))).toBe("57 paragraphs left to review");
    await expect.poll(read.count(card(elena, 53))).toBe(1);
    await expect.poll(read.count(cards(elena))).toBe(50);

    // The translator sees the comments sent.
    const translator = `Bearer ${await apiToken(ctx.url, "tomas", "tomas-password")}`;
    const view = (await (
      await fetch(`${ctx.url}/api/v1/documents/${doc}/translations/es`, {
        headers: { Authorization: translator },
      })
    ).json()) as { paragraphs: { id: string; status: string }[] };
    expect(view.paragraphs.slice(0, 4).map((p) => p.status)).toEqual([
      "rejected",
      "rejected",
      "rejected",
      "translated",
    ]);
    await elena.context().close();
  });

  it("an admin at 375 px in Spanish: approving and rejecting with Ctrl+Enter refill the page until the Next link goes", async () => {
    const doc = await waitingDocument(55);
    const adela = await openReview("adela", doc, {
      locale: "es-ES",
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    await expect.poll(read.count(cards(adela))).toBe(50);
    await expect.poll(read.text(adela.locator("#left-counter"))).toBe("Quedan 55 párrafos por revisar");
    await expect.poll(read.text(nextLink(adela))).toBe("50 siguientes →");

    for (let left = 54; left >= 52; left--)
      await approveWithKey(adela, `Quedan ${left} párrafos por revisar`);
    await expect.poll(read.count(cards(adela))).toBe(50);
    await expect.poll(read.count(card(adela, 53))).toBe(1);
    await expect.poll(() => nextLink(adela).getAttribute("href")).toMatch(/\?after=52$/);

    await adela.keyboard.press("r");
    await expect.poll(read.focused(card(adela, 4).locator("input[name=comment]"))).toBe(true);
    await adela.keyboard.type("Cambia «ministro» por «titular».");
    await adela.keyboard.press("Control+Enter");
    await expect.poll(read.text(adela.locator("#left-counter"))).toBe("Quedan 51 párrafos por revisar");
    await expect.poll(read.count(card(adela, 54))).toBe(1);
    await expect.poll(read.count(cards(adela))).toBe(50);

    // One left beyond the page: one more decision brings it in, and the Next link goes.
    await approveWithKey(adela, "Quedan 50 párrafos por revisar");
    await expect.poll(read.count(card(adela, 55))).toBe(1);
    await expect.poll(read.count(cards(adela))).toBe(50);
    await expect.poll(read.count(adela.locator("nav.pager"))).toBe(0);
    await expect.poll(read.text(adela.locator("#review"))).not.toContain("No queda nada");
    await adela.context().close();
  });

  it("the admin at 1280 px decides a whole page without a reload: the page ends with nothing left", async () => {
    const doc = await waitingDocument(52);
    const admin = await openReview("admin", doc, { viewport: { width: 1280, height: 900 } });
    await expect.poll(read.count(cards(admin))).toBe(50);
    // Marks this page: a reload would lose the mark.
    await admin.evaluate(() => document.body.setAttribute("data-same-page", "yes"));
    await approveWithKey(admin, "51 paragraphs left to review");
    await approveWithKey(admin, "50 paragraphs left to review");
    // The last two cards came in as room was made.
    await expect.poll(read.count(card(admin, 52))).toBe(1);
    await expect.poll(read.count(cards(admin))).toBe(50);
    for (let left = 49; left >= 1; left--)
      await approveWithKey(admin, `${left} ${left === 1 ? "paragraph" : "paragraphs"} left to review`);
    await expect.poll(read.count(cards(admin))).toBe(1);
    expect(await admin.locator("body[data-same-page=yes]").count()).toBe(1);
    await expect.poll(read.count(card(admin, 52))).toBe(1);
    await admin.keyboard.press("r");
    await admin.keyboard.type("Último: revisa el verbo.");
    await admin.keyboard.press("Control+Enter");
    await expect.poll(read.text(admin.locator("#left-counter"))).toBe("Nothing left to review");
    await expect.poll(read.text(admin.locator("#all-done"))).toContain("Nothing left to review");
    await admin.context().close();
  });

  it("an editor pressing a six times in a row approves six cards, each once, and six come in", async () => {
    const doc = await waitingDocument(60);
    const elena = await openReview("elena", doc, { viewport: { width: 1280, height: 900 } });
    await expect.poll(read.count(cards(elena))).toBe(50);
    for (let i = 0; i < 6; i++) await elena.keyboard.press("a", { delay: 10 });
    await expect.poll(read.text(elena.locator("#left-counter"))).toBe("54 paragraphs left to review");
    await expect.poll(read.count(card(elena, 56))).toBe(1);
    await expect.poll(read.count(cards(elena))).toBe(50);
    // Settled: no decided card came back with a page read while its decision was on its way.
    await elena.waitForTimeout(600);
    await expect.poll(read.count(cards(elena))).toBe(50);
    for (let n = 1; n <= 6; n++) expect(await card(elena, n).count()).toBe(0);
    expect(await selectedNumber(elena)()).toBe("7");
    const view = (await (
      await fetch(`${ctx.url}/api/v1/documents/${doc}/translations/es`, {
        headers: { Authorization: `Bearer ${await apiToken(ctx.url)}` },
      })
    ).json()) as { paragraphs: { status: string }[] };
    expect(view.paragraphs.filter((p) => p.status === "approved").length).toBe(6);
    expect(view.paragraphs.slice(0, 6).every((p) => p.status === "approved")).toBe(true);
    await elena.context().close();
  });

  it("a page read that comes back after a decision made meanwhile never brings the decided card back", async () => {
    const doc = await waitingDocument(55);
    const elena = await openReview("elena", doc, { viewport: { width: 1280, height: 900 } });
    await expect.poll(read.count(cards(elena))).toBe(50);
    // The script's first read of the page after #1 is decided is answered as the server read it, but
    // only once #2 is decided too.
    let readByServer: () => void = () => {};
    const serverRead = new Promise<void>((resolve) => {
      readByServer = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    await elena.route(
      (url) => url.pathname.endsWith("/review"),
      async (route) => {
        const request = route.request();
        if (request.resourceType() !== "fetch" || request.method() !== "GET" || held) return route.continue();
        held = true;
        const response = await route.fetch();
        readByServer();
        await released;
        await route.fulfill({ response });
      },
    );
    await approveWithKey(elena, "54 paragraphs left to review");
    await serverRead;
    await approveWithKey(elena, "53 paragraphs left to review");
    expect(await card(elena, 2).count()).toBe(0);
    release();
    await expect.poll(read.count(card(elena, 52))).toBe(1);
    await expect.poll(read.count(cards(elena))).toBe(50);
    await elena.waitForTimeout(500);
    expect(await card(elena, 2).count()).toBe(0);
    expect(await card(elena, 1).count()).toBe(0);
    await expect.poll(read.count(cards(elena))).toBe(50);
    await expect.poll(read.text(elena.locator("#left-counter"))).toBe("53 paragraphs left to review");
    await elena.context().close();
  });

  it("a translator gets no review actions: no Review link, no Approve, the review page and API refused", async () => {
    const doc = await waitingDocument(51);
    const tomas = await (await ctx.browser.newContext()).newPage();
    await signInPage(tomas, ctx.url, "tomas", "tomas-password");
    await tomas.goto(`${ctx.url}/documents/${doc}/es`);
    await tomas.locator("#editor[data-ready]").waitFor({ state: "attached" });
    expect(await tomas.locator("button.approve").count()).toBe(0);
    expect(await tomas.getByRole("link", { name: "Review" }).count()).toBe(0);
    expect((await tomas.goto(`${ctx.url}/documents/${doc}/es/review`))?.status()).toBe(403);
    expect((await tomas.goto(`${ctx.url}/review`))?.status()).toBe(403);
    expect(await tomas.locator("article.review-card").count()).toBe(0);
    const refused = await fetch(`${ctx.url}/api/v1/documents/${doc}/translations/es/paragraphs/p1/review`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${await apiToken(ctx.url, "tomas", "tomas-password")}`,
      },
      body: JSON.stringify({ action: "approve", revision: 1 }),
    });
    expect(refused.status).toBe(403);
    await tomas.context().close();
  });
});
