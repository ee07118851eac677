import { describe, expect, it } from "vitest";
import { read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

describe("the translator's editor in Chromium", () => {
  const ctx = useServerAndBrowser();

  it("opens on the seed document and shows its paragraphs with a highlighted glossary term", async () => {
    const page = await ctx.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await signInPage(page, ctx.url);
    await page.getByRole("link", { name: /Trump tells Milei/ }).click();
    await page.waitForURL(`**${DOC}`);
    await expect.poll(read.count(page.locator("article.para"))).toBe(12);
    await expect.poll(read.text(page.locator("article.para .source p").first())).toMatch(/Trump tells Milei/);
    const term = page.locator(".term", { hasText: "chainsaw" }).first();
    await expect.poll(read.visible(term)).toBe(true);
    await term.hover();
    // The card is the term's sibling, which the term controls: not inside it (no button in a button).
    const card = term.locator("xpath=following-sibling::span[contains(@class, 'term-card')][1]");
    await expect.poll(read.visible(card)).toBe(true);
    await expect.poll(read.text(card)).toContain("motosierra");
    await expect.poll(read.text(card)).toContain("sierra mecánica");
    expect(await term.locator(".term-card, button").count()).toBe(0);
    expect(await term.getAttribute("aria-controls")).toBe(await card.getAttribute("id"));
    expect(await term.getAttribute("aria-expanded")).toBe("true");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("saves with Ctrl+Enter, moves to the next paragraph, and keeps the text after a reload", async () => {
    const page = await ctx.browser.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}${DOC}`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const area = page.locator("#t-p2");
    await area.click();
    await area.fill(
      "El líder argentino lleva una semana esperando hablar con el presidente electo republicano",
    );
    await expect.poll(read.className(page.locator("#p-p2"))).toMatch(/unsaved/);
    await area.press("Control+Enter");
    await expect.poll(read.text(page.locator("#p-p2 .save-state"))).toMatch(/Saved/);
    await expect.poll(read.className(page.locator("#p-p2"))).toMatch(/status-translated/);
    await expect.poll(read.text(page.locator("#p-p2 .rev"))).toBe("r1");
    await expect.poll(read.focused(page.locator("#t-p3"))).toBe(true);
    // The row now offers what a reload would: history, clear, and (for an admin) approve.
    await expect.poll(read.count(page.locator("#p-p2 a.history"))).toBe(1);
    await expect.poll(read.count(page.locator('#p-p2 button[value="clear"]'))).toBe(1);
    await page.locator("#p-p2 button.approve").click();
    await expect.poll(read.className(page.locator("#p-p2"))).toMatch(/status-approved/);
    await expect.poll(read.count(page.locator("#p-p2 button.approve"))).toBe(0);
    await page.reload();
    await expect.poll(read.value(page.locator("#t-p2"))).toMatch(/presidente electo republicano/);
    await expect.poll(read.text(page.locator(".progress .numbers").first())).toContain("1 of 12 translated");
    await page.close();
  });

  it("inserts a term's target at the cursor when the term is clicked, and checks the glossary while typing", async () => {
    const page = await ctx.browser.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}${DOC}`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const area = page.locator("#t-p8");
    await area.click();
    await area.fill("Milei quiere aplicar la sierra mecánica de ");
    await expect
      .poll(read.text(page.locator(`#p-p8 .finding.error[data-code="forbidden-term"]`)))
      .toContain("sierra mecánica");
    await page.locator("#p-p8 .term", { hasText: "chainsaw" }).click();
    await expect.poll(read.value(area)).toBe("Milei quiere aplicar la sierra mecánica de motosierra");
    // Right after a full stop, the term is a word of its own, not glued on.
    await area.press("End");
    await area.type(".");
    await page.locator("#p-p8 .term", { hasText: "chainsaw" }).click();
    await expect
      .poll(read.value(area))
      .toBe("Milei quiere aplicar la sierra mecánica de motosierra. motosierra");
    await page.close();
  });

  it("shows the conflict when two people save the same paragraph, keeping the loser's text", async () => {
    const a = await (await ctx.browser.newContext()).newPage();
    const b = await (await ctx.browser.newContext()).newPage();
    await signInPage(a, ctx.url);
    await signInPage(b, ctx.url);
    await a.goto(`${ctx.url}${DOC}`);
    await b.goto(`${ctx.url}${DOC}`);
    await a.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await b.locator("#editor[data-ready]").waitFor({ state: "attached" });
    // Both write at once (one user's two pages now follow each other's saves: a page that had
    // nothing unsaved would take the first save in, and the second would be no conflict).
    await b.locator("#t-p4").fill("La charla fue el martes.");
    await a.locator("#t-p4").fill("La conversación tuvo lugar el martes.");
    await a.locator("#t-p4").press("Control+Enter");
    await expect.poll(read.text(a.locator("#p-p4 .save-state"))).toMatch(/Saved/);
    await b.locator("#p-p4 button[value=save]").click();
    const conflict = b.locator("#p-p4 .conflict");
    await expect.poll(read.visible(conflict)).toBe(true);
    await expect.poll(read.text(conflict)).toContain("La conversación tuvo lugar el martes.");
    await expect.poll(read.visible(conflict.locator("del").first())).toBe(true);
    await expect.poll(read.value(b.locator("#t-p4"))).toBe("La charla fue el martes.");
    // The row says what is saved now: the other person's translated r1, not "untranslated".
    await expect.poll(read.text(b.locator("#p-p4 .status-label"))).toMatch(/translated/);
    await expect.poll(read.text(b.locator("#p-p4 .rev"))).toBe("r1");
    // Both pages are the admin's: their own save, said as such.
    await conflict.getByRole("button", { name: "Keep this page's text" }).click();
    await expect.poll(read.text(b.locator("#p-p4 .save-state"))).toMatch(/Saved/);
    await expect.poll(read.text(b.locator("#p-p4 .rev"))).toBe("r2");
    await a.reload();
    await expect.poll(read.value(a.locator("#t-p4"))).toBe("La charla fue el martes.");
  });

  it("works without JavaScript: the form posts and comes back to the next paragraph", async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}${DOC}`);

    await page.locator("#t-p5").fill("El miércoles por la mañana, Milei felicitó a Trump.");
    await page.locator("#p-p5 button[value=save]").click();
    await page.waitForURL(/#p-p6$/);
    await expect
      .poll(read.value(page.locator("#t-p5")))
      .toBe("El miércoles por la mañana, Milei felicitó a Trump.");
    await expect.poll(read.text(page.locator("#p-p5 .status-label"))).toContain("translated");
    await context.close();
  });
});
