/**
 * In Chromium, every role: the /memory page says why a unit with control characters was left out of
 * an import and why a pair into its own language is refused, and "Fill exact matches" fills what it
 * can and says what it left out (a match this server cannot save) instead of stopping with a 400.
 */

import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiToken,
  createUser,
  launchBrowser,
  read,
  type Server,
  signInPage,
  startServer,
} from "./browser.ts";

const TMX = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>${body}</body></tmx>`;
const TU = (en: string, es: string) =>
  `<tu><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="es"><seg>${es}</seg></tuv></tu>`;
const LONG = `Texto largo ${"y más ".repeat(130)}fin.`;

const ROLES = [
  ["tina", "tina-password", "translator"],
  ["eddie", "eddie-password", "editor"],
  ["admin", undefined, "admin"],
] as const;

describe("TMX import rules and Fill exact matches in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let admin: string;
  beforeAll(async () => {
    // This server saves at most 700 characters (the seed article's longest paragraph has 641): the long unit is a match no save takes.
    server = await startServer({ GLOSA_MAX_TEXT_LENGTH: "700" });
    browser = await launchBrowser();
    admin = await apiToken(server.url);
    await createUser(server.url, "tina", "translator");
    await createUser(server.url, "eddie", "editor");
    const res = await fetch(`${server.url}/api/v1/memory/import?sourceLang=en&targetLang=es`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/x-tmx+xml" },
      body: TMX(TU("First one.", "Primero.") + TU("Second one.", LONG) + TU("Third one.", "Tercero.")),
    });
    expect(res.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = async (username: string, password: string | undefined, spanish: boolean, width = 1280) => {
    const context = await browser.newContext({
      ...(spanish ? { locale: "es-ES" } : {}),
      viewport: { width, height: 800 },
    });
    const page = await context.newPage();
    await signInPage(page, server.url, username, password);
    return { page, context };
  };

  it("says on /memory, in English and Spanish and at 375 px, why a unit or a pair was refused; a translator has no import form", async () => {
    const file = path.join(server.dir, "control.tmx");
    await writeFile(file, TMX(TU("A bridge fell.", "Cayó&#x7F; un puente.") + TU("Rain.", "Lluvia.")));
    for (const [username, password, role] of ROLES) {
      for (const spanish of [false, true]) {
        const { page, context } = await open(username, password, spanish, spanish ? 375 : 1280);
        await page.goto(`${server.url}/memory`);
        const form = page.locator('form[action="/memory/import"]');
        if (role === "translator") {
          expect(await form.count()).toBe(0);
          await context.close();
          continue;
        }
        await form.locator('input[type="file"]').setInputFiles(file);
        await form.locator('input[name="targetLang"]').fill("es");
        await form.locator('button[type="submit"]').click();
        const finding = page.locator(".finding").first();
        await expect
          .poll(read.text(finding))
          .toContain(
            spanish
              ? "El segmento en es tiene caracteres de control, que una traducción no puede contener."
              : "The es segment contains control characters, which a translation cannot hold.",
          );

        const again = page.locator('form[action="/memory/import"]');
        await again.locator('input[type="file"]').setInputFiles(file);
        await again.locator('input[name="targetLang"]').fill("en");
        await again.locator('button[type="submit"]').click();
        await expect
          .poll(read.text(page.locator(".flash.error")))
          .toContain(
            spanish
              ? "El idioma de destino es el mismo que el de origen."
              : "The target language is the source language.",
          );
        // Nothing runs off a phone's screen.
        if (spanish)
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await context.close();
      }
    }
  }, 120_000);

  it("fills what it can and says what it left out, for every role, in English and Spanish", async () => {
    for (const [username, password] of ROLES) {
      for (const spanish of [false, true]) {
        const created = await fetch(`${server.url}/api/v1/documents`, {
          method: "POST",
          headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
          body: JSON.stringify({
            sourceLang: "en",
            format: "text",
            content: "First one.\n\nSecond one.\n\nThird one.",
            languages: ["es"],
          }),
        });
        const doc = ((await created.json()) as { id: string }).id;
        const { page, context } = await open(username, password, spanish, spanish ? 375 : 1280);
        await page.goto(`${server.url}/documents/${doc}/es`);
        const fill = page.locator("form.fill-exact button");
        // On a phone the editor's tools fold into a disclosure: opened first.
        if (!(await fill.isVisible())) await page.locator("details:has(form.fill-exact) > summary").click();
        await fill.click();
        await page.waitForURL((u) => u.pathname === `/documents/${doc}/es`);
        const flashes = page.locator(".flash");
        await expect
          .poll(read.text(flashes.first()))
          .toContain(spanish ? "2 párrafos" : "2 paragraphs were filled");
        await expect
          .poll(read.text(page.locator(".flash.error")))
          .toContain(
            spanish
              ? "Se ha omitido 1 coincidencia: su texto no se puede guardar como traducción"
              : "1 match was left out: its text cannot be saved as a translation",
          );
        const view = await fetch(`${server.url}/api/v1/documents/${doc}/translations/es`, {
          headers: { Authorization: `Bearer ${admin}` },
        });
        const { paragraphs } = (await view.json()) as { paragraphs: { status: string }[] };
        expect(paragraphs.map((p) => p.status)).toEqual(["draft", "untranslated", "draft"]);
        await context.close();
      }
    }
  }, 180_000);
});
