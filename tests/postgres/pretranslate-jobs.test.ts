/**
 * A pre-translation job started through one Glosa process is shown and cancelled through another
 * on the same database (behind a load balancer either may answer): its status lives in
 * pretranslate_jobs, the process running it writes progress there and reads the cancel flag.
 */

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { type Stub, startStub } from "../mt/stubs.ts";
import { dropDatabases, freshDatabase } from "./database.ts";
import { adminToken, type GlosaProcess, startGlosa } from "./processes.ts";

let a: GlosaProcess;
let b: GlosaProcess;
let libre: Stub;
let token: string;
let databaseUrl: string;

const jobs = `/documents/${SEED_DOCUMENT_ID}/translations/es/pretranslate`;

async function api(p: GlosaProcess, method: string, route: string, body?: unknown) {
  const res = await fetch(`${p.url}/api/v1${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Reads the job through `p` until `until` holds (or 20 s pass). */
async function waitFor(p: GlosaProcess, id: string, until: (job: Record<string, unknown>) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await api(p, "GET", `${jobs}/${id}`);
    expect(res.status).toBe(200);
    if (until(res.body) || Date.now() > deadline) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  // A slow LibreTranslate: each batch of paragraphs takes a second, so the job is seen running.
  libre = await startStub((req) => {
    if (req.path.endsWith("/languages")) return { status: 200, body: [{ code: "en", targets: ["es"] }] };
    const q = (req.body as { q: string[] }).q;
    return { status: 200, body: { translatedText: q.map((s) => `ES ${s}`) }, delayMs: 1000 };
  });
  const mt = { GLOSA_MT: "libretranslate", GLOSA_LIBRETRANSLATE_URL: libre.url };
  databaseUrl = await freshDatabase();
  a = await startGlosa(databaseUrl, mt);
  b = await startGlosa(databaseUrl, mt);
  token = await adminToken(a);
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await libre?.close();
  await dropDatabases();
});

describe("pre-translation jobs across two processes", () => {
  it("starts one job when two processes are asked at once: the other answers 409 naming it", async () => {
    const [first, second] = await Promise.all([api(a, "POST", jobs, {}), api(b, "POST", jobs, {})]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const [won, lost] = first.status === 202 ? [first, second] : [second, first];
    expect(lost.body).toMatchObject({ error: { code: "job_running", details: { job: won.body.id } } });
    // Known at once to both processes, then cancelled (nothing written) so the next tests start clean.
    expect((await api(a, "GET", `${jobs}/${won.body.id}`)).status).toBe(200);
    expect((await api(b, "DELETE", `${jobs}/${won.body.id}`)).body).toMatchObject({ state: "cancelled" });
  });

  it("shows progress of a job running in the other process and cancels it there: nothing is written", async () => {
    const started = await api(a, "POST", jobs, {});
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const midway = await waitFor(b, id, (job) => (job.done as number) > 0);
    expect(midway).toMatchObject({ id, state: "running", total: 12 });
    const cancelled = await api(b, "DELETE", `${jobs}/${id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, state: "cancelled", filled: 0 });
    expect((await api(a, "GET", `${jobs}/${id}`)).body).toMatchObject({ state: "cancelled" });
    const view = await api(b, "GET", `/documents/${SEED_DOCUMENT_ID}/translations/es`);
    expect((view.body.paragraphs as { text: string | null }[]).every((p) => !p.text)).toBe(true);
  });

  it("shows a job finished in the other process, and 404 for a job no process knows", async () => {
    const started = await api(b, "POST", jobs, {});
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const done = await waitFor(a, id, (job) => job.state !== "running");
    expect(done).toMatchObject({ state: "done", total: 12, done: 12, filled: 12 });
    // A finished job is not cancelled.
    expect((await api(a, "DELETE", `${jobs}/${id}`)).body).toMatchObject({ state: "done" });
    expect((await api(a, "GET", `${jobs}/no-such-job`)).status).toBe(404);
    expect((await api(a, "GET", `/documents/other/translations/es/pretranslate/${id}`)).status).toBe(404);
  });

  it("shows a job whose process died as failed, and lets a new one start", async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // What a process killed mid-job leaves: a running row whose heartbeat stopped two minutes ago.
      const body = {
        id: "dead-job",
        documentId: SEED_DOCUMENT_ID,
        lang: "es",
        state: "running",
        total: 12,
        done: 6,
      };
      await client.query(
        `INSERT INTO pretranslate_jobs (id, document, lang, state, done, total, body, updated_at)
         VALUES ('dead-job', $1, 'es', 'running', 6, 12, $2, now() - interval '2 minutes')`,
        [SEED_DOCUMENT_ID, JSON.stringify(body)],
      );
    } finally {
      await client.end();
    }
    expect((await api(a, "GET", `${jobs}/dead-job`)).body).toMatchObject({
      state: "failed",
      error: "the process running it stopped",
    });
    const started = await api(b, "POST", jobs, {});
    expect(started.status).toBe(202);
    expect((await api(a, "GET", `${jobs}/dead-job`)).body).toMatchObject({ state: "failed" });
    await api(a, "DELETE", `${jobs}/${started.body.id}`);
  });
});
