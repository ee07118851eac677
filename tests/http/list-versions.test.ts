/**
 * The documents list, /review and GET /api/v1/documents ask the store for the versions of every
 * document × language on the page in one call (one query on PostgreSQL), not one call per pair.
 */

import { rm } from "node:fs/promises";
import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type GlosaApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import { initializeStore } from "../../server/seed.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import type { Store } from "../../server/storage/store.ts";
import { ADMIN_PASSWORD, apiToken, signIn, tempDir } from "../helpers.ts";

/** The store with a count of the calls made to each of its methods. */
function counting(store: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

describe("list pages read the versions of their histories in one store call", () => {
  let app: GlosaApp;
  let file: FileStore;
  let dir: string;
  let calls: Map<string, number>;
  let token: string;

  beforeAll(async () => {
    dir = await tempDir();
    const config = loadConfig({
      NODE_ENV: "test",
      GLOSA_DATA_DIR: dir,
      GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GLOSA_LOG_LEVEL: "silent",
    });
    file = await FileStore.open(dir);
    const counted = counting(file);
    calls = counted.calls;
    await initializeStore(counted.store, buildServices({ store: counted.store, config }), config);
    app = createApp({
      config,
      store: counted.store,
      logger: pino({ level: "silent" }),
      sessionSecret: "s".repeat(40),
    });
    token = await apiToken(app);
    for (let i = 0; i < 6; i++) {
      const res = await request(app)
        .post("/api/v1/documents")
        .set("Authorization", `Bearer ${token}`)
        .send({
          sourceLang: "en",
          format: "text",
          content: `Story ${i}.\n\nMore ${i}.`,
          languages: ["es", "fr", "de"],
        });
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await app.shutdown();
    await file.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("GET /, GET /review and GET /api/v1/documents", async () => {
    const { agent } = await signIn(app);
    const get = [
      () => agent.get("/"),
      () => agent.get("/review"),
      () => request(app).get("/api/v1/documents?limit=50").set("Authorization", `Bearer ${token}`),
      () => request(app).get("/api/v1/documents").set("Authorization", `Bearer ${token}`),
    ];
    for (const page of get) {
      await page(); // The first view computes and keeps the summaries.
      calls.clear();
      expect((await page()).status).toBe(200);
      expect(calls.get("translationVersion") ?? 0).toBe(0);
      expect(calls.get("translationVersions")).toBe(1);
    }
  });
});
