/**
 * A machine translation provider paused by its circuit breaker, in the editor: "Try again" and
 * "Pre-translate" say it is paused and when it is tried again, in English and Spanish, as every role,
 * on a desktop and a phone, not "could not translate".
 */

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stub, startStub } from "../mt/stubs.ts";
import {
  ADMIN_PASSWORD,
  createUser,
  launchBrowser,
  read,
  type Server,
  signInPage,
  startServer,
} from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei/es";
const ROLES = [
  ["tina", "translator"],
  ["eddie", "editor"],
  ["admin", "admin"],
] as const;
const PAUSED = {
  en: /libretranslate is paused after repeated failures; trying again in \d+ s\./,
  es: /libretranslate está en pausa tras varios fallos seguidos; se volverá a intentar dentro de \d+ s\./,
};

describe("a paused machine translation provider in the editor", () => {
  let stub: Stub;
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    stub = await startStub((req) =>
      req.path === "/languages"
        ? { status: 200, body: [{ code: "en", targets: ["es"] }] }
        : { status: 500, body: { error: "down" } },
    );
    server = await startServer({ GLOSA_MT: "libretranslate", GLOSA_LIBRETRANSLATE_URL: stub.url });
    browser = await launchBrowser();
    for (const [username, role] of ROLES)
      if (username !== "admin") await createUser(server.url, username, role);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stub?.close();
  });

  for (const [username, role] of ROLES) {
    for (const lng of ["en", "es"] as const) {
      for (const width of [1280, 375]) {
        it(`says when it is tried again, as ${role} (${lng}, ${width} px)`, async () => {
          const context = await browser.newContext({
            viewport: { width, height: width === 375 ? 812 : 900 },
            ...(width === 375 ? { isMobile: true, hasTouch: true } : {}),
          });
          const page = await context.newPage();
          await signInPage(
            page,
            server.url,
            username,
            username === "admin" ? ADMIN_PASSWORD : `${username}-password`,
          );
          await page.goto(`${server.url}${DOC}?lng=${lng}`);
          await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
          await page.locator("#t-p2").focus();
          const line = page.locator("#p-p2 .memory-unavailable");
          await line.waitFor();
          // The first roles' failures opened the breaker; until then each retry is one more failure.
          for (let i = 0; i < 4 && !PAUSED[lng].test((await line.textContent()) ?? ""); i++) {
            // Marked, so that the answer to this retry is told from the line it replaces.
            await line.evaluate((el) => el.setAttribute("data-old", ""));
            await line.locator("button").focus();
            await page.keyboard.press("Enter");
            await page.locator("#p-p2 .memory-unavailable:not([data-old])").waitFor();
          }
          expect(await line.textContent()).toMatch(PAUSED[lng]);
          expect(await line.getAttribute("role")).toBe("status");
          expect(await line.textContent()).not.toMatch(/could not translate|no pudo traducir/i);

          // Pre-translation with only a paused provider says the same, in the reader's language.
          const button = page.locator("#pretranslate button[type=submit]");
          if (await button.isVisible()) {
            await button.click();
            await expect
              .poll(read.text(page.locator("#pretranslate .pretranslate-status")))
              .toMatch(PAUSED[lng]);
          }
          await context.close();
        });
      }
    }
  }
});
