/**
 * Fresh PostgreSQL databases for tests: each is created on the local server and dropped (FORCE)
 * when the test file ends, so runs never see each other's data.
 */

import { randomBytes } from "node:crypto";
import pg from "pg";
import { PgStore } from "../../server/storage/pg-store.ts";
import type { Store } from "../../server/storage/store.ts";

/** The maintenance database tests create theirs from. */
export const ADMIN_URL = process.env.GLOSA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const created: string[] = [];

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database and returns its URL. */
export async function freshDatabase(): Promise<string> {
  const name = `glosa_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  created.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops every database this file created; call from afterAll. */
export async function dropDatabases(): Promise<void> {
  const names = created.splice(0);
  await admin(async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/**
 * Runs `race` on one store, then on two stores on one database (two processes, each its own pool),
 * each on a fresh database.
 */
export async function onOneAndTwo(race: (...stores: [Store, ...Store[]]) => Promise<void>): Promise<void> {
  const one = await PgStore.open(await freshDatabase());
  try {
    await race(one);
  } finally {
    await one.close();
  }
  const url = await freshDatabase();
  const first = await PgStore.open(url);
  const second = await PgStore.open(url);
  try {
    await race(first, second);
  } finally {
    await first.close();
    await second.close();
  }
}
