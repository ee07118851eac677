/**
 * In Chromium, in Spanish: a file that is not a glossary imports nothing and says why, naming it; a
 * file past the import limit (10 MB) brings the import page back with its name and the limit, the
 * form ready for another file, with scripts and without. New-user trial, imports.
 */

import { copyFile, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import {
  apiCall,
  apiToken,
  createUser,
  launchBrowser,
  type Server,
  signInPage,
  startServer,
} from "./browser.ts";

/** The trial's 14.8 MB file: 14,813,335 bytes, 14.1 MB of 1,048,576 bytes. */
const HUGE_BYTES = 14_813_335;
const SAID_HUGE = (name: string) => `${name} ocupa 14,1 MB; Glosa importa archivos de hasta 10 MB.`;

describe("import refusals in Chromium, in Spanish", () => {
  let server: Server;
  let browser: Browser;
  let admin: string;
  const file = (name: string) => path.join(server.dir, name);
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await apiToken(server.url);
    await createUser(server.url, "eddie", "editor");
    const fixture = (name: string) => new URL(`../fixtures/wrong-files/${name}`, import.meta.url);
    await copyFile(fixture("bilingual-export.csv"), file("bilingual.csv"));
    for (const name of ["huge.csv", "huge.xlf", "huge.tmx"]) {
      await writeFile(file(name), "");
      await truncate(file(name), HUGE_BYTES);
    }
    await writeFile(file("terms.csv"), "en,es\nrunoff,balotaje\n");
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = async (username: string, password: string | undefined, width: number, javaScript = true) => {
    const context = await browser.newContext({
      locale: "es-ES",
      viewport: { width, height: 800 },
      javaScriptEnabled: javaScript,
    });
    const page = await context.newPage();
    await signInPage(page, server.url, username, password);
    return { page, context };
  };

  const termCount = async () => (await apiCall(server.url, admin, "GET", "/glossary")).body.terms.length;

  /** Chooses `name` in the form and sends it; the answer's status. */
  async function send(page: Page, action: string, name: string): Promise<number> {
    const form = page.locator(`form[action="${action}"]`);
    await form.locator('input[type="file"]').setInputFiles(file(name));
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === action, {
        timeout: 30_000,
      }),
      form.locator('button[type="submit"]').click(),
    ]);
    await page.waitForLoadState();
    return answer.status();
  }

  /** The page is the import page again, its form empty and its button ready. */
  async function expectFormReady(page: Page, action: string) {
    const form = page.locator(`form[action="${action}"]`);
    expect(await form.locator('input[type="file"]').isVisible()).toBe(true);
    expect(await form.locator('input[type="file"]').inputValue()).toBe("");
    expect(await form.locator('button[type="submit"]').isEnabled()).toBe(true);
  }

  it("editor at 375 px: a bilingual export named .csv imports nothing; a 14.8 MB CSV is named with the limit; then a real file imports", async () => {
    const before = await termCount();
    const { page, context } = await open("eddie", "eddie-password", 375);
    await page.goto(`${server.url}/glossary`);
    await page.getByText("Importar un archivo de glosario (CSV o TBX)").click();

    expect(await send(page, "/glossary/import", "bilingual.csv")).toBe(400);
    const alert = page.getByRole("alert");
    expect(await alert.textContent()).toContain(
      "No se ha importado nada: bilingual.csv no es un glosario: un CSV de glosario empieza por una cabecera",
    );
    expect(await termCount()).toBe(before);
    await expectFormReady(page, "/glossary/import");

    expect(await send(page, "/glossary/import", "huge.csv")).toBe(413);
    expect(await page.getByRole("alert").textContent()).toContain(SAID_HUGE("huge.csv"));
    expect(await page.textContent("body")).not.toContain("Demasiado grande");
    await expectFormReady(page, "/glossary/import");
    // Nothing at 375 px is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    expect(await send(page, "/glossary/import", "terms.csv")).toBe(200);
    expect(await page.getByRole("status").first().textContent()).toContain("Creados: 1");
    expect(await termCount()).toBe(before + 1);
    await context.close();
  });

  it("admin, with scripts and without: the XLIFF and TMX pages say a 14.8 MB file's name and the limit (413)", async () => {
    for (const javaScript of [true, false]) {
      const { page, context } = await open("admin", undefined, 1280, javaScript);
      const xliff = `/documents/${SEED_DOCUMENT_ID}/es/import`;
      await page.goto(`${server.url}/documents/${SEED_DOCUMENT_ID}/es/export`);
      expect(await send(page, xliff, "huge.xlf")).toBe(413);
      expect(await page.getByRole("alert").first().textContent()).toContain(SAID_HUGE("huge.xlf"));
      await expectFormReady(page, xliff);

      await page.goto(`${server.url}/memory`);
      expect(await send(page, "/memory/import", "huge.tmx")).toBe(413);
      expect(await page.getByRole("alert").first().textContent()).toContain(SAID_HUGE("huge.tmx"));
      await expectFormReady(page, "/memory/import");
      await context.close();
    }
  });
});
