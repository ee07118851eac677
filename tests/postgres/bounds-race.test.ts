/**
 * The races of tests/services/bounds-race.ts on PostgreSQL, spread over two apps on two stores on
 * one database (two processes' worth of caches): the store's own lock and check keep a paragraph's
 * comments within their bounds and write a review decision sent many times at once once.
 */

import { pino } from "pino";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createApp, type GlosaApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import { initializeStore } from "../../server/seed.ts";
import { Spellers } from "../../server/spelling.ts";
import { PgStore } from "../../server/storage/pg-store.ts";
import { ADMIN_PASSWORD, apiToken, userWithRole } from "../helpers.ts";
import {
  listen,
  type Node,
  raceCommentCount,
  raceEdits,
  raceReviews,
  raceThreadSize,
} from "../services/bounds-race.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

const stores: PgStore[] = [];
let nodes: Node[];
let first: GlosaApp;
let tokens: { admin: string; translator: string; editor: string };

async function node(url: string): Promise<Node> {
  const config = loadConfig({
    NODE_ENV: "test",
    GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    GLOSA_LOG_LEVEL: "silent",
    GLOSA_RATE_LIMIT: "off",
    GLOSA_DATABASE_URL: url,
  });
  const store = await PgStore.open(url);
  stores.push(store);
  await initializeStore(store, buildServices({ store, config }), config);
  const app = createApp({
    config,
    store,
    logger: pino({ level: "silent" }),
    sessionSecret: "s".repeat(40),
    spellers: Spellers.none(),
  });
  first ??= app;
  const listening = await listen(app);
  return {
    base: listening.base,
    async close() {
      await listening.close();
      await app.shutdown();
    },
  };
}

beforeAll(async () => {
  const url = await freshDatabase();
  nodes = [await node(url), await node(url)];
  const admin = await apiToken(first);
  const tina = await userWithRole(first, admin, "tina", "translator");
  const eddie = await userWithRole(first, admin, "eddie", "editor");
  tokens = { admin, translator: tina.token, editor: eddie.token };
});

afterAll(async () => {
  for (const n of nodes ?? []) await n.close();
  for (const s of stores) await s.close();
  await dropDatabases();
});

describe("bounds under concurrency on PostgreSQL, two apps on one database", () => {
  it("stores exactly GLOSA_MAX_COMMENTS of 400 comments posted at once; the rest are 409", async () => {
    await raceCommentCount(nodes, tokens.translator);
  });

  it("stores no more characters than GLOSA_MAX_THREAD_CHARS of 150 long comments posted at once", async () => {
    await raceThreadSize(nodes, tokens.translator);
  });

  it("writes one of two edits racing for the room left in a paragraph's comments", async () => {
    await raceEdits(nodes, [tokens.translator, tokens.editor]);
  });

  it("writes one event for an approval (and a rejection) sent twelve times at once, by an editor or an admin", async () => {
    await raceReviews(nodes, stores[0] as PgStore, {
      reviewer: tokens.editor,
      reviewerName: "eddie",
      ...tokens,
    });
    await raceReviews(nodes, stores[0] as PgStore, {
      reviewer: tokens.admin,
      reviewerName: "admin",
      ...tokens,
    });
  });
});
