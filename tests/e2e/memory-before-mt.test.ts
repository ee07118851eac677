/**
 * A slow machine translation engine does not hold back the memory's matches (trial finding): the
 * focused row shows its 100 % match at once, says the machine's suggestion is on its way, and adds it
 * when it comes. Every role; English on a desktop, Spanish on a phone.
 */

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stub, startStub } from "../mt/stubs.ts";
import {
  apiToken,
  createUser,
  EVERY_ROLE,
  launchBrowser,
  newDocument,
  openEditor,
  read,
  type Server,
  startServer,
} from "./browser.ts";

/** How long the engine takes: the memory's match must show well before. */
const ENGINE_MS = 4_000;
const MACHINE = "Una traducción automática, lenta.";
const REPEATED = "The newsletter goes out every Friday with the week's best stories from the region.";
const KEPT = "El boletín sale cada viernes con las mejores historias de la semana en la región.";

describe("memory matches while a machine translation is on its way", () => {
  let stub: Stub;
  let server: Server;
  let browser: Browser;
  let admin: string;
  beforeAll(async () => {
    stub = await startStub((req) => {
      if (req.path === "/languages") return { status: 200, body: [{ code: "en", targets: ["es"] }] };
      const q = (req.body as { q: string | string[] }).q;
      return {
        status: 200,
        body: { translatedText: Array.isArray(q) ? q.map(() => MACHINE) : MACHINE },
        delayMs: ENGINE_MS,
      };
    });
    server = await startServer({
      GLOSA_MT: "libretranslate",
      GLOSA_LIBRETRANSLATE_URL: stub.url,
      GLOSA_MT_TIMEOUT_MS: "10000",
    });
    browser = await launchBrowser();
    await createUser(server.url, "tina", "translator");
    await createUser(server.url, "edna", "editor");
    admin = await apiToken(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stub?.close();
  });

  for (const [i, who] of EVERY_ROLE.entries()) {
    const phone = i === 1;
    it(`shows the 100 % match before the engine answers, then both, as ${who[0]}${phone ? " (es, 375 px)" : ""}`, async () => {
      // An earlier article whose line is translated (the memory holds it), and a new one repeating
      // it; a line of each role's own, as the engine's answers are cached.
      const line = `${REPEATED} (${who[0]})`;
      await newDocument(server.url, admin, ["Friday newsletter", line], { 1: KEPT });
      const { doc } = await newDocument(server.url, admin, ["This week's newsletter", line]);
      const page = await openEditor(browser, server.url, who, doc, {
        ...(phone ? { locale: "es-ES", width: 375, isMobile: true, hasTouch: true } : {}),
      });
      const row = page.locator("article.para").nth(1);
      const started = Date.now();
      await row.locator("textarea").focus();
      const match = row.locator(".memory-match").first();
      await match.waitFor({ timeout: ENGINE_MS - 1_000 });
      expect(Date.now() - started).toBeLessThan(ENGINE_MS - 1_000);
      expect(await read.text(match)()).toContain(KEPT);
      expect(await read.text(row.locator(".memory-waiting"))()).toMatch(
        phone ? /traducción automática está en camino/ : /Machine translation on its way/,
      );
      // The match can be taken now, with the keyboard, the engine still working.
      await page.keyboard.press("Control+1");
      expect(await row.locator("textarea").inputValue()).toBe(KEPT);
      // Then the engine's suggestion joins it, and the wait line goes.
      await row.locator(".memory-match", { hasText: MACHINE }).waitFor({ timeout: ENGINE_MS + 5_000 });
      expect(await row.locator(".memory-waiting").count()).toBe(0);
      expect(await read.text(row.locator(".memory-match").first())()).toContain(KEPT);
      await page.context().close();
    });
  }
});
