import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";
/** Paragraph 11 with a changed number and a misspelled word. */
const TEXT =
  "Argentina necesita que EE UU respalde un paquete del Fondo Monetario Internacional (FMI) de unos 16.000 millones de dólares, además de los 44.000 millones prestdos en 2018.";

/** The editor signed in as `username`, TEXT typed into paragraph 11; page errors collected. */
async function typedParagraph(browser: Browser, url: string, username = "admin", password = ADMIN_PASSWORD) {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signInPage(page, url, username, password);
  await page.goto(`${url}${DOC}`);
  await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
  const area = page.locator("#t-p11");
  await area.click();
  await area.fill(TEXT);
  return { page, area, errors };
}

describe("quality checks in the editor, in Chromium", () => {
  const ctx = useServerAndBrowser();

  it("shows a number finding while typing, selects its span, and adds a word to the dictionary (admin)", async () => {
    const { page, area, errors } = await typedParagraph(ctx.browser, ctx.url);
    const text = TEXT;
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

  it("underlines the spans findings point at in the focused text area, as translator and as editor", async () => {
    const api = async (path: string, token: string | null, body: object) => {
      const res = await fetch(`${ctx.url}/api/v1${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { token?: string };
    };
    const admin = (await api("/tokens", null, { username: "admin", password: ADMIN_PASSWORD })).token ?? "";
    for (const [username, role] of [
      ["tina", "translator"],
      ["eddie", "editor"],
    ])
      await api("/users", admin, { username, password: `${username}-password`, role });

    for (const username of ["tina", "eddie"]) {
      const { page, area, errors } = await typedParagraph(
        ctx.browser,
        ctx.url,
        username,
        `${username}-password`,
      );
      // Not the word the admin's test added to the dictionary.
      const text = TEXT.replace("prestdos", "prestads");
      await area.fill(text);
      const mirror = page.locator("#p-p11 .finding-marks");
      const numberMark = mirror.locator('.mark.error[data-code="number-mismatch"]');
      await expect.poll(read.text(numberMark), { timeout: 15_000 }).toBe("16.000 millones");
      // Only the focused row has a mirror; screen readers read the findings list, not the mirror.
      expect(await page.locator(".finding-marks").count()).toBe(1);
      expect(await mirror.getAttribute("aria-hidden")).toBe("true");
      const look = await numberMark.evaluate((el) => {
        const s = getComputedStyle(el);
        return { line: s.textDecorationLine, style: s.textDecorationStyle, colour: s.textDecorationColor };
      });
      expect(look).toEqual({ line: "underline", style: "solid", colour: "rgb(179, 38, 30)" });
      // The mirror lies exactly under the text area, and the mark inside it.
      const [box, under, mark] = await Promise.all([
        area.boundingBox(),
        mirror.boundingBox(),
        numberMark.boundingBox(),
      ]);
      if (!box || !under || !mark) throw new Error("no boxes");
      for (const side of ["x", "y", "width", "height"] as const)
        expect(Math.abs(under[side] - box[side]), side).toBeLessThan(1);
      expect(mark.x).toBeGreaterThanOrEqual(box.x);
      expect(mark.y + mark.height).toBeLessThanOrEqual(box.y + box.height);

      // Typing before the span moves the mark with it by the next frame, before any new check.
      await area.press("Home");
      await page.keyboard.type("Hoy ");
      await expect.poll(read.text(numberMark), { timeout: 500 }).toBe("16.000 millones");

      // Spelling, once the dictionary is loaded: a wavy underline, the warning's colour.
      // Text and style read in one evaluation: the mirror is redrawn every frame, and a mark read
      // in two steps may be detached (its computed style then empty) by the second.
      const spellingMark = () =>
        mirror.evaluate((m) => {
          const el = m.querySelector('.mark.warning[data-code="spelling"]');
          return el ? `${el.textContent} ${getComputedStyle(el).textDecorationStyle}` : "";
        });
      let tries = 0;
      await expect
        .poll(
          async () => {
            const seen = await spellingMark();
            if (seen) return seen;
            await area.fill(`${text}${" ".repeat(++tries)}`);
            await page.waitForTimeout(1200);
            return "";
          },
          { timeout: 40_000, interval: 500 },
        )
        .toBe("prestads wavy");

      // Another row focused: the mirror moves there (none left behind).
      await page.locator("#t-p10").click();
      await expect.poll(read.count(page.locator("#p-p11 .finding-marks"))).toBe(0);
      expect(await page.locator(".finding-marks").count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 120_000);
});
