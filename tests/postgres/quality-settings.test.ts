/**
 * Quality settings across two real Glosa processes on one database: each process keeps them in
 * memory, and a change made through one applies to the other's next check within a second.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropDatabases, freshDatabase } from "./database.ts";
import { ADMIN_PASSWORD, type GlosaProcess, startGlosa } from "./processes.ts";

let a: GlosaProcess;
let b: GlosaProcess;
let admin: string;

async function call(base: string, method: string, path: string, body?: object) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(admin ? { authorization: `Bearer ${admin}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

beforeAll(async () => {
  const url = await freshDatabase();
  [a, b] = await Promise.all([startGlosa(url), startGlosa(url)]);
  admin = (await call(a.url, "POST", "/api/v1/tokens", { username: "admin", password: ADMIN_PASSWORD })).body
    .token as string;
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await dropDatabases();
});

const codesOn = async (base: string) => {
  const res = await call(base, "POST", "/api/v1/glossary/check", {
    sourceLang: "en",
    targetLang: "es",
    source: "The same sentence.",
    target: "The same sentence.",
  });
  expect(res.status).toBe(200);
  return (res.body.findings as { code: string; severity: string }[]).map((f) => `${f.code}:${f.severity}`);
};

/** How long until `base`'s checks show `wanted`, checking every 20 ms; Infinity past 5 s. */
async function until(base: string, wanted: (codes: string[]) => boolean): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 5_000) {
    if (wanted(await codesOn(base))) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number.POSITIVE_INFINITY;
}

describe("quality settings across processes", () => {
  it("apply in the other process within a second of a change, both ways", async () => {
    expect(await codesOn(b.url)).toEqual(["identical-to-source:warning"]);
    // Checked many times, so that B holds the settings in memory before A changes them.
    for (let i = 0; i < 20; i++) await codesOn(b.url);

    const off = await call(a.url, "PUT", "/api/v1/quality/settings/es", {
      checks: { "identical-to-source": { enabled: false } },
    });
    expect(off.status).toBe(200);
    expect(await until(b.url, (codes) => codes.length === 0)).toBeLessThan(1_000);

    const error = await call(b.url, "PUT", "/api/v1/quality/settings/es", {
      checks: { "identical-to-source": { severity: "error" } },
    });
    expect(error.status).toBe(200);
    expect(await until(a.url, (codes) => codes.includes("identical-to-source:error"))).toBeLessThan(1_000);
  });
});
