import { describe, expect, it } from "vitest";
import { read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";

describe("quality checks in the editor, in Chromium", () => {
  const ctx = useServerAndBrowser();

  it("shows a number finding while typing, selects its span, and adds a word to the dictionary (admin)", async () => {
    const page = await ctx.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInPage(page, ctx.url);
    await page.goto(`${ctx.url}${DOC}`);
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const area = page.locator("#t-p11");
    await area.click();
    const text =
      "Argentina necesita que EE UU respalde un paquete del Fondo Monetario Internacional (FMI) de unos 16.000 millones de dólares, además de los 44.000 millones prestdos en 2018.";
    await area.fill(text);
    const number = page.locator('#p-p11 .finding[data-code="number-mismatch"]');
    await expect.poll(read.text(number), { timeout: 15_000 }).toContain("15 billion");
    await number.locator("button.finding-span").click();
    await expect
      .poll(() =>
        area.evaluate((el) =>
          (el as HTMLTextAreaElement).value.slice(
            (el as HTMLTextAreaElement).selectionStart,
            (el as HTMLTextAreaElement).selectionEnd,
          ),
        ),
      )
      .toBe("16.000 millones");
    // Spelling starts once the Spanish dictionary has loaded (lazily, on the first check).
    const spelling = page.locator('#p-p11 .finding[data-code="spelling"]');
    let tries = 0;
    await expect
      .poll(
        async () => {
          // A different text each time (one more trailing space), or the page would not ask again.
          await area.fill(`${text}${" ".repeat(++tries)}`);
          await page.waitForTimeout(1200);
          return (await spelling.count()) > 0 ? ((await spelling.first().textContent()) ?? "") : "";
        },
        { timeout: 40_000, interval: 500 },
      )
      .toContain("prestdos");
    await spelling.locator("button.add-word").click();
    await expect.poll(read.count(spelling), { timeout: 15_000 }).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
