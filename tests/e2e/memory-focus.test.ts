/**
 * The memory panel follows the focus (a new user's trial): every row that had the focus kept its
 * panel open, a trail of panels that grew the page. Only the row being translated shows its matches;
 * focusing into the panel (a match's button, Try again) keeps it, and Ctrl+1…5 insert the focused
 * row's own matches.
 */

import type { Route } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  apiToken,
  createUser,
  EVERY_ROLE,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const USERS = EVERY_ROLE;

const SOURCES = [
  "The harbour reopened after the storm on Tuesday morning.",
  "Ferries to the islands will run on the winter timetable.",
  "The port authority thanked the volunteers who cleared the docks.",
  "Fishing boats were told to stay in until the weekend.",
];
const TEXTS = [
  "El puerto reabrió tras la tormenta el martes por la mañana.",
  "Los transbordadores a las islas seguirán el horario de invierno.",
  "La autoridad portuaria agradeció a los voluntarios que limpiaron los muelles.",
  "Se pidió a los pesqueros que no salieran hasta el fin de semana.",
];

describe("the memory panel of the focused row only", () => {
  const ctx = useServerAndBrowser();
  let doc = "";
  let pids: string[] = [];
  beforeAll(async () => {
    const admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
    // The memory learns each paragraph's translation from another document.
    const seed = await newDocument(ctx.url, admin, ["Harbour news", ...SOURCES]);
    for (const [i, text] of TEXTS.entries()) {
      const saved = await apiCall(
        ctx.url,
        admin,
        "PUT",
        `/documents/${seed.doc}/translations/es/paragraphs/${seed.pids[i + 1]}`,
        { text, baseRevision: 0 },
      );
      expect(saved.status).toBe(200);
    }
    ({ doc, pids } = await newDocument(ctx.url, admin, ["Harbour news again", ...SOURCES]));
  });

  for (const [i, user] of USERS.entries()) {
    for (const width of [1280, 375]) {
      const spanish = i !== 0;
      it(`shows one panel, the focused row's, moving through the rows, as ${user[0]} at ${width} px${spanish ? " (es)" : ""}`, async () => {
        const page = await openEditor(ctx.browser, ctx.url, user, doc, {
          locale: spanish ? "es-ES" : "en-US",
          width,
        });
        const rowOf = (n: number) => page.locator(`#p-${pids[n]}`);
        const shownPanels = page.locator(".memory-matches:visible");
        await rowOf(1).locator("textarea").focus();
        await expect.poll(read.text(rowOf(1).locator(".memory-match").first())).toContain(TEXTS[0]);
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        // Alt+↓ through every row: the row left closes its panel, the row reached shows its own.
        for (let n = 2; n <= SOURCES.length; n++) {
          await page.keyboard.press("Alt+ArrowDown");
          await expect.poll(read.focused(rowOf(n).locator("textarea"))).toBe(true);
          await expect.poll(read.text(rowOf(n).locator(".memory-match").first())).toContain(TEXTS[n - 1]);
          expect(await read.visible(rowOf(n - 1).locator(".memory-matches"))()).toBe(false);
          expect(await shownPanels.count()).toBe(1);
        }
        // The page did not grow by a panel per row visited.
        const after = await page.evaluate(() => document.documentElement.scrollHeight);
        expect(after).toBeLessThan(height + 200);
        // Ctrl+1 inserts the focused row's own first match.
        const last = rowOf(SOURCES.length).locator("textarea");
        await last.press("Control+1");
        await expect.poll(read.value(last)).toBe(TEXTS[SOURCES.length - 1]);
        // Back to the first row: its list shows at once, the other's closes.
        await rowOf(1).locator("textarea").focus();
        expect(await read.visible(rowOf(1).locator(".memory-matches"))()).toBe(true);
        expect(await read.visible(rowOf(SOURCES.length).locator(".memory-matches"))()).toBe(false);
        // Focus into the panel itself (its insert button, by Tab) keeps it open; Enter inserts.
        const button = rowOf(1).locator(".memory-insert").first();
        await button.focus();
        expect(await read.visible(rowOf(1).locator(".memory-matches"))()).toBe(true);
        await page.keyboard.press("Enter");
        await expect.poll(read.value(rowOf(1).locator("textarea"))).toBe(TEXTS[0]);
        expect(await read.visible(rowOf(1).locator(".memory-matches"))()).toBe(true);
        expect(await shownPanels.count()).toBe(1);
        await page.context().close();
      });
    }
  }

  it("keeps the panel open when its Try again is clicked after a failed lookup, as editor (es)", async () => {
    const page = await openEditor(ctx.browser, ctx.url, USERS[1], doc, { locale: "es-ES", width: 375 });
    let fail = false;
    await page.route(
      (u) => u.pathname.endsWith("/suggestions"),
      async (route: Route) => {
        if (fail) await route.abort();
        else await route.continue();
      },
    );
    const row = page.locator(`#p-${pids[2]}`);
    await page.locator(`#p-${pids[1]} textarea`).focus();
    await expect.poll(read.count(page.locator(`#p-${pids[1]} .memory-match`))).toBeGreaterThan(0);
    fail = true;
    await row.locator("textarea").focus();
    const again = row.getByRole("button", { name: "Volver a intentarlo" });
    await expect.poll(read.count(again)).toBe(1);
    fail = false;
    await again.click();
    await expect.poll(read.text(row.locator(".memory-match").first())).toContain(TEXTS[1]);
    expect(await read.visible(row.locator(".memory-matches"))()).toBe(true);
    expect(await page.locator(".memory-matches:visible").count()).toBe(1);
    await page.context().close();
  });
});
