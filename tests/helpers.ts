/** Builds a real app on a real store in a temp directory: no mocks of our own storage. */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import request from "supertest";
import { createApp, type GlosaApp } from "../server/app.ts";
import { type Config, loadConfig } from "../server/config.ts";
import { type AppDeps, buildServices } from "../server/context.ts";
import { initializeStore } from "../server/seed.ts";
import { Spellers } from "../server/spelling.ts";
import type { DiskWriter } from "../server/storage/commit-log.ts";
import { FileStore } from "../server/storage/file-store.ts";

export const ADMIN_PASSWORD = "admin-password-for-tests";

export interface TestApp {
  app: GlosaApp;
  store: FileStore;
  dir: string;
  config: Config;
  close(): Promise<void>;
}

export async function tempDir(prefix = "glosa-test-"): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function makeApp(
  env: Record<string, string> = {},
  // Spelling is off unless a test passes spellers: findings must not depend on when a dictionary loads.
  options: {
    seed?: boolean;
    disk?: DiskWriter;
    spellers?: Spellers;
    live?: AppDeps["live"];
    /** A data directory to open instead of a new one (removed by close all the same). */
    dir?: string;
  } = {},
): Promise<TestApp> {
  const dir = options.dir ?? (await tempDir());
  const config = loadConfig({
    NODE_ENV: "test",
    GLOSA_DATA_DIR: dir,
    GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    GLOSA_LOG_LEVEL: "silent",
    ...env,
  });
  const store = await FileStore.open(dir, options.disk ? { disk: options.disk } : {});
  if (options.seed !== false) await initializeStore(store, buildServices({ store, config }), config);
  const app = createApp({
    config,
    store,
    logger: pino({ level: "silent" }),
    sessionSecret: "s".repeat(40),
    spellers: options.spellers ?? Spellers.none(),
    ...(options.live ? { live: options.live } : {}),
  });
  return {
    app,
    store,
    dir,
    config,
    async close() {
      await app.shutdown();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The CSRF token from a page's first form. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no CSRF token on the page");
  return match[1];
}

/** A supertest agent signed in through the real login form. */
export async function signIn(app: GlosaApp, username = "admin", password = ADMIN_PASSWORD) {
  const agent = request.agent(app);
  const page = await agent.get("/login");
  const res = await agent
    .post("/login")
    .type("form")
    .send({ _csrf: csrfFrom(page.text), username, password, next: "/" });
  if (res.status !== 303) throw new Error(`sign-in failed for ${username}: ${res.status}`);
  const home = await agent.get("/");
  return { agent, csrf: csrfFrom(home.text) };
}

/** A bearer token through the API. */
export async function apiToken(
  app: GlosaApp,
  username = "admin",
  password = ADMIN_PASSWORD,
): Promise<string> {
  const res = await request(app).post("/api/v1/tokens").send({ username, password });
  if (res.status !== 201)
    throw new Error(`token failed for ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** Creates a user through the admin API and returns their token. */
export async function userWithRole(
  app: GlosaApp,
  adminToken: string,
  username: string,
  role: "translator" | "editor" | "admin",
) {
  const password = `${username}-password`;
  const res = await request(app)
    .post("/api/v1/users")
    .set("Authorization", `Bearer ${adminToken}`)
    .send({ username, password, role });
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { username, password, token: await apiToken(app, username, password) };
}

/** Reads any response body as text (supertest leaves unknown types such as XML unparsed). */
export async function textOf(
  req: request.Test,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const res = await req.buffer(true).parse((response, done) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      body += chunk;
    });
    response.on("end", () => done(null, body));
  });
  return { status: res.status, headers: res.headers as Record<string, string>, text: res.body as string };
}

/** An app with a translator "tina" and an editor "eddie" (passwords "<name>-password") beside admin. */
export async function makeAppWithTeam(
  env: Record<string, string> = {},
  options: Parameters<typeof makeApp>[1] = {},
) {
  const t = await makeApp(env, options);
  const admin = await apiToken(t.app);
  const tina = await userWithRole(t.app, admin, "tina", "translator");
  const eddie = await userWithRole(t.app, admin, "eddie", "editor");
  return { t, tokens: { admin, translator: tina.token, editor: eddie.token } };
}

/** The longest stretch, in ms, during which this thread ran no timer while `work` ran. */
export async function longestStallDuring(
  work: () => Promise<unknown>,
): Promise<{ stall: number; elapsed: number }> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { stall: Math.max(stall, performance.now() - last), elapsed: performance.now() - started };
}

/** The memory page's TMX import form, posted by a signed-in person (English to Spanish). */
export function importTmxPage(session: Awaited<ReturnType<typeof signIn>>, file: string, query = "") {
  return session.agent
    .post(`/memory/import${query}`)
    .field("_csrf", session.csrf)
    .field("sourceLang", "en")
    .field("targetLang", "es")
    .attach("file", Buffer.from(file), "memory.tmx");
}

/** The sign-in link of a 401 page, decoded: where signing in returns to. */
export function returnPath(html: string): string {
  const match = /href="\/login\?next=([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error("no sign-in link on the page");
  return decodeURIComponent(match[1].replaceAll("&amp;", "&"));
}

/** A memory's TMX export through the API, read as text whatever its content type. */
export async function memoryExport(app: GlosaApp, token: string, query = "sourceLang=en&targetLang=es") {
  const exported = await request(app)
    .get(`/api/v1/memory/export?${query}`)
    .set("Authorization", `Bearer ${token}`)
    .buffer(true)
    .parse((res, done) => {
      let text = "";
      res.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      res.on("end", () => done(null, text));
    });
  return { status: exported.status, text: exported.body as string };
}
