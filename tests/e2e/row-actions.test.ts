/**
 * The editor row's buttons (Save, Save as draft, Clear, Approve): at 1280 px they sit together on one
 * line, saved or with unsaved changes, with open comments on the paragraph, in English and Spanish,
 * for every role; on a 375 px phone they and the row's links wrap inside the row and the page never
 * scrolls sideways.
 */

import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  editorOptions,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const USERS = [
  ["tina", "tina-password", "translator"],
  ["edna", "edna-password", "editor"],
  ["admin", ADMIN_PASSWORD, "admin"],
] as const;

/** The boxes of a row's buttons, or of its buttons and links. */
function actionBoxes(row: Locator, selector = ".meta > button") {
  return row.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => {
        const b = el.getBoundingClientRect();
        return { text: el.textContent ?? "", left: b.left, right: b.right, top: b.top, bottom: b.bottom };
      }),
  );
}

/** Whether every box shares one line: each one's vertical extent overlaps every other's. */
function oneLine(boxes: { top: number; bottom: number }[]): boolean {
  return Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
}

async function noSidewaysScroll(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

describe("the editor row's actions", () => {
  const ctx = useServerAndBrowser();
  let doc = "";
  let pid = "";
  beforeAll(async () => {
    const admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
    ({
      doc,
      pids: [, pid = ""],
    } = await newDocument(
      ctx.url,
      admin,
      ["Actions", "The president-elect spoke with the Argentine leader for a week."],
      { 1: "El presidente electo habló con el líder argentino durante una semana." },
    ));
    // Open comments make the Comments link its longest ("2 comentarios abiertos").
    for (const text of ["¿Seguro?", "Revisa el verbo."])
      expect(
        (
          await apiCall(
            ctx.url,
            admin,
            "POST",
            `/documents/${doc}/translations/es/paragraphs/${pid}/comments`,
            {
              text,
            },
          )
        ).status,
      ).toBe(201);
  });

  for (const user of USERS)
    for (const lng of ["en", "es"] as const) {
      it(`keeps them on one line at 1280 px and wraps them inside the row at 375 px, as ${user[2]} (${lng})`, async () => {
        for (const width of [1280, 375]) {
          const page = await openEditor(ctx.browser, ctx.url, user, doc, editorOptions(lng, width));
          const row = page.locator(`#p-${pid}`);
          const rowBox = await row.boundingBox();
          for (const state of ["saved", "unsaved"]) {
            if (state === "unsaved") {
              await row.locator("textarea").press("End");
              await row.locator("textarea").pressSequentially(" Ya.");
              await expect.poll(read.className(row)).toMatch(/unsaved/);
            }
            const boxes = await actionBoxes(row);
            // Save, Save as draft, Clear (and Approve for editors and admins).
            expect(boxes.length).toBe(user[2] === "translator" ? 3 : 4);
            if (width === 1280) expect(oneLine(boxes), `${state}: ${JSON.stringify(boxes)}`).toBe(true);
            else {
              expect(await noSidewaysScroll(page)).toBe(true);
              for (const b of await actionBoxes(row, ".meta > a, .meta > button")) {
                expect(b.left).toBeGreaterThanOrEqual(rowBox?.x ?? 0);
                expect(b.right).toBeLessThanOrEqual((rowBox?.x ?? 0) + (rowBox?.width ?? 0));
              }
            }
          }
          await page.context().close();
        }
      });
    }
});
