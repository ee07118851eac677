/**
 * What the checks find in a machine suggestion is shown with the suggestion in the editor's panel,
 * before it is inserted, not only once it is saved (the trial: the API said so, the panel did not).
 * In every role, in English at 1280 px and in Spanish on a phone.
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
/** An engine that drops every name and term: its suggestion misses the glossary's required targets. */
const MACHINE = "Una traducción automática sin los términos.";

describe("a machine suggestion's findings in the memory panel", () => {
  let stub: Stub;
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    stub = await startStub((req) => {
      if (req.path === "/languages") return { status: 200, body: [{ code: "en", targets: ["es"] }] };
      const q = (req.body as { q: string | string[] }).q;
      return { status: 200, body: { translatedText: Array.isArray(q) ? q.map(() => MACHINE) : MACHINE } };
    });
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

  for (const [username, role] of ROLES)
    for (const [lng, width] of [
      ["en", 1280],
      ["es", 375],
    ] as const)
      it(`lists them under the suggestion, as ${role} (${lng}, ${width} px)`, async () => {
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
        const match = page.locator("#p-p2 .memory-match", { hasText: "libretranslate" });
        await match.waitFor();
        const findings = match.locator(".memory-findings li");
        await expect
          .poll(read.text(findings.first()))
          .toMatch(lng === "en" ? /warning.*Missing term/ : /advertencia.*Falta un término/);
        // The row's own list still speaks of the translator's text only: nothing typed, nothing found.
        expect(await page.locator("#p-p2 > .findings li").count()).toBe(0);
        await context.close();
      });
});
