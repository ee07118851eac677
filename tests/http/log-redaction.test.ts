/** The request log never holds what lets someone act as a user: credentials, cookies, CSRF tokens. */

import { rm } from "node:fs/promises";
import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type GlosaApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import { initializeStore } from "../../server/seed.ts";
import { Spellers } from "../../server/spelling.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { ADMIN_PASSWORD, apiToken, signIn, tempDir } from "../helpers.ts";

describe("the request log", () => {
  const lines: string[] = [];
  let app: GlosaApp;
  let store: FileStore;
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    const config = loadConfig({
      NODE_ENV: "test",
      GLOSA_DATA_DIR: dir,
      GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GLOSA_LOG_LEVEL: "info",
    });
    store = await FileStore.open(dir);
    await initializeStore(store, buildServices({ store, config }), config);
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    app = createApp({ config, store, logger, sessionSecret: "s".repeat(40), spellers: Spellers.none() });
  });
  afterAll(async () => {
    await app.shutdown();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("logs requests with their bearer token, session cookie and CSRF token redacted", async () => {
    const token = await apiToken(app);
    const { agent, csrf } = await signIn(app);
    lines.length = 0;
    await agent
      .put("/api/v1/documents/el-pais-trump-milei/translations/es/paragraphs/p2")
      .set("X-CSRF-Token", csrf)
      .send({ text: "Texto", baseRevision: 0 });
    await request(app).get("/api/v1/documents").set("Authorization", `Bearer ${token}`);
    const log = lines.join("\n");
    // The requests were logged, with their headers.
    expect(log).toContain("/api/v1/documents/el-pais-trump-milei/translations/es/paragraphs/p2");
    expect(log).toContain('"x-csrf-token":"[Redacted]"');
    expect(log).not.toContain(csrf);
    expect(log).not.toContain(token);
    expect(log).not.toMatch(/glosa\.sid=s%3A/);
  });
});
