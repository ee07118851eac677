/** Starts the real server (as `npm start` does) on a fresh data directory, and Debian's Chromium. */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

export const ADMIN_PASSWORD = "e2e-admin-password";

/** A translator, an editor and the admin, as [username, password]: tina and edna are made with createUser. */
export const EVERY_ROLE = [
  ["tina", "tina-password"],
  ["edna", "edna-password"],
  ["admin", ADMIN_PASSWORD],
] as const;

export interface Server {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-e2e-"));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: "0",
      GLOSA_DATA_DIR: dir,
      GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GLOSA_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Glosa listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return {
    url,
    dir,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export async function signInPage(
  page: Page,
  url: string,
  username = "admin",
  password = ADMIN_PASSWORD,
): Promise<void> {
  // Fail in seconds, not at the test's timeout, when something is missing from the page.
  page.setDefaultTimeout(10_000);
  await page.goto(`${url}/login`);
  await page.getByLabel(/Username|Usuario/).fill(username);
  await page.getByLabel(/Password|Contraseña/).fill(password);
  await page.getByRole("button", { name: /Sign in|Iniciar sesión/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

/**
 * Ends a signed-in page's session on the server, as signing out in another tab does, and leaves the
 * page as it is. Clearing the browser's cookies is not enough while the page has requests in flight
 * (presence, a panel loading): sessions roll, so each answer sets the cookie again.
 */
export async function endSession(page: Page): Promise<void> {
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute("content");
  const answer = await page.request.post(new URL("/logout", page.url()).href, {
    form: { _csrf: csrf ?? "" },
    maxRedirects: 0,
  });
  expect(answer.status()).toBe(303);
  await page.context().clearCookies();
}

/** Auto-retrying reads for vitest's expect.poll (playwright-core has no `expect` of its own). */
export const read = {
  text: (l: Locator) => () => l.textContent().then((t) => t ?? ""),
  value: (l: Locator) => () => l.inputValue(),
  visible: (l: Locator) => () => l.isVisible(),
  count: (l: Locator) => () => l.count(),
  className: (l: Locator) => () => l.getAttribute("class").then((c) => c ?? ""),
  focused: (l: Locator) => () => l.evaluate((el) => el === document.activeElement).catch(() => false),
};

/** A real server and a browser for one describe block, started before it and stopped after it. */
export function useServerAndBrowser(): { readonly url: string; readonly browser: Browser } {
  const state: { server?: Server; browser?: Browser } = {};
  beforeAll(async () => {
    state.server = await startServer();
    state.browser = await launchBrowser();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.server?.stop();
  });
  return {
    get url() {
      return (state.server as Server).url;
    },
    get browser() {
      return state.browser as Browser;
    },
  };
}

/** An API token, asked of the server as a script would. */
export async function apiToken(url: string, username = "admin", password = ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return ((await res.json()) as { token: string }).token;
}

/**
 * One call to the API with a token (none: as a stranger), as a script would: its status and its JSON
 * (empty when none).
 */
export async function apiCall(
  url: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field in the test
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
}

/** Creates a user whose password is `<username>-password`, with the admin's token. */
export async function createUser(url: string, username: string, role: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/users`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${await apiToken(url)}` },
    body: JSON.stringify({ username, password: `${username}-password`, role }),
  });
  expect(res.status).toBe(201);
}

/** A translator (tina) and an editor (eddie) made on the server, with API tokens for them and the admin. */
export async function team(url: string): Promise<{ admin: string; tina: string; eddie: string }> {
  await createUser(url, "tina", "translator");
  await createUser(url, "eddie", "editor");
  return {
    admin: await apiToken(url),
    tina: await apiToken(url, "tina", "tina-password"),
    eddie: await apiToken(url, "eddie", "eddie-password"),
  };
}

/**
 * A new plain-text document to translate into Spanish, made through the API with `token`: its id and
 * its paragraphs' ids, title first. `saved` holds texts saved first (revision 1), by paragraph index.
 */
export async function newDocument(
  url: string,
  token: string,
  paragraphs: string[],
  saved: Record<number, string> = {},
): Promise<{ doc: string; pids: string[] }> {
  const created = await apiCall(url, token, "POST", "/documents", {
    sourceLang: "en",
    format: "text",
    content: paragraphs.join("\n\n"),
    languages: ["es"],
  });
  expect(created.status).toBe(201);
  const doc = created.body.id as string;
  const pids = (created.body.paragraphs as { id: string }[]).map((p) => p.id);
  for (const [index, text] of Object.entries(saved)) {
    const answer = await apiCall(
      url,
      token,
      "PUT",
      `/documents/${doc}/translations/es/paragraphs/${pids[Number(index)]}`,
      {
        text,
        baseRevision: 0,
      },
    );
    expect(answer.status).toBe(200);
  }
  return { doc, pids };
}

/** How the editor is opened: the interface language (by the browser's locale) and the device. */
export interface EditorOptions {
  locale?: string;
  width?: number;
  hasTouch?: boolean;
  isMobile?: boolean;
  javaScriptEnabled?: boolean;
}

/** The editor in `lng` (`en`, `es`) at `width` px, a phone's touch below 700 px. */
export function editorOptions(lng: string, width: number): EditorOptions {
  return {
    locale: lng === "es" ? "es-ES" : "en-US",
    width,
    ...(width < 700 ? { isMobile: true, hasTouch: true } : {}),
  };
}

/**
 * A page of its own (a new context) signed in as `user` on a document's Spanish translation, in
 * Spanish when the locale is; with scripts, once the editor is ready.
 */
export async function openEditor(
  browser: Browser,
  url: string,
  [username, password]: readonly [string, string, ...unknown[]],
  doc: string,
  { locale = "en-US", width = 1280, ...device }: EditorOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width, height: 800 }, ...device });
  const page = await context.newPage();
  await signInPage(page, url, username, password);
  await page.goto(`${url}/documents/${doc}/es${locale.startsWith("es") ? "?lng=es" : ""}`);
  if (device.javaScriptEnabled !== false)
    await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
  return page;
}
