/** A real Glosa server on loopback for HTTP benchmarks: fresh data dir, rate limits off. */

import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { createApp, type GlosaApp } from "../server/app.ts";
import { loadConfig } from "../server/config.ts";
import { type AppDeps, buildServices } from "../server/context.ts";
import { initializeStore } from "../server/seed.ts";
import { FileStore } from "../server/storage/file-store.ts";

export const PASSWORD = "bench-admin-password";

export interface BenchServer {
  url: string;
  app: GlosaApp;
  store: FileStore;
  token: string;
  /** Cookie header of a signed-in browser session. */
  cookie: string;
  close(): Promise<void>;
}

export async function startBenchServer(deps: { live?: AppDeps["live"] } = {}): Promise<BenchServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-http-"));
  const config = loadConfig({
    GLOSA_DATA_DIR: dir,
    NODE_ENV: "production",
    GLOSA_RATE_LIMIT: "off",
    GLOSA_ADMIN_PASSWORD: PASSWORD,
    GLOSA_LOG_LEVEL: "silent",
    // Production cookies are Secure: the benchmark plays a TLS proxy on loopback.
    GLOSA_TRUST_PROXY: "on",
  });
  const store = await FileStore.open(dir);
  await initializeStore(store, buildServices({ store, config }), config);
  const app = createApp({
    config,
    store,
    logger: pino({ level: "silent" }),
    sessionSecret: "b".repeat(40),
    ...deps,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = (
    (await (
      await fetch(`${url}/api/v1/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "admin", password: PASSWORD }),
      })
    ).json()) as { token: string }
  ).token;
  const https = { "X-Forwarded-Proto": "https" };
  const login = await fetch(`${url}/login`, { headers: https });
  let cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? "";
  const signedIn = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...https },
    body: new URLSearchParams({ _csrf: csrf, username: "admin", password: PASSWORD }).toString(),
  });
  cookie = (signedIn.headers.get("set-cookie") ?? cookie).split(";")[0] as string;
  return {
    url,
    app,
    store,
    token,
    cookie,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await app.shutdown();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
