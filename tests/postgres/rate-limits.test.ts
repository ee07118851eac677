/**
 * On PostgreSQL the request limit and the sign-in throttle count in the database: two processes
 * behind one load balancer give a client one budget, not two.
 */

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropDatabases, freshDatabase } from "./database.ts";
import { ADMIN_PASSWORD, type GlosaProcess, startGlosa } from "./processes.ts";

let a: GlosaProcess;
let b: GlosaProcess;
let url: string;

beforeAll(async () => {
  url = await freshDatabase();
  const limits = { GLOSA_RATE_LIMIT: "on", GLOSA_REQUESTS_PER_MINUTE: "10" };
  a = await startGlosa(url, limits);
  b = await startGlosa(url, limits);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await dropDatabases();
});

const signIn = (p: GlosaProcess, username: string, password: string) =>
  fetch(`${p.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });

describe("limits shared by two processes on one database", () => {
  it("counts a signed-in user's requests on both processes against one budget", async () => {
    const created = await signIn(a, "admin", ADMIN_PASSWORD);
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const statuses: number[] = [];
    // Seven on each: under the limit of 10 in either process alone, over it together.
    for (let i = 0; i < 7; i++)
      for (const p of [a, b]) {
        const res = await fetch(`${p.url}/api/v1/documents?limit=1`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual(Array(4).fill(429));
  });

  it("throttles failed sign-ins for a username across both processes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      for (const p of [a, b]) {
        const res = await signIn(p, "mallory", `guess-${i}`);
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    // Five failures for a username and address, whichever process answered them; then 429.
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses.slice(5)).toEqual(Array(3).fill(429));
  });

  it("counts in an unlogged table: a count waits for no disk flush (migration 019)", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ relpersistence: string; hits: number }>(
        "SELECT relpersistence, (SELECT count(*)::int FROM rate_limits) AS hits FROM pg_class WHERE relname = 'rate_limits'",
      );
      expect(rows).toEqual([{ relpersistence: "u", hits: expect.any(Number) }]);
      expect(rows[0]?.hits).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
