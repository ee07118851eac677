/**
 * Fresh PostgreSQL databases for tests: each is created on the local server and dropped (FORCE)
 * when the test file ends, so runs never see each other's data.
 */

import { randomBytes } from "node:crypto";
import pg from "pg";

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
