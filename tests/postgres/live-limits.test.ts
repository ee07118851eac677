/**
 * The bound on live streams per user holds across processes on one database (shared slots with
 * expiry, migration 017), and signing out in one process ends the session's streams in the others.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIVE } from "../../server/live.ts";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { PgStore } from "../../server/storage/pg-store.ts";
import { browserSession } from "../browser-session.ts";
import { openStream, type SseStream } from "../sse.ts";
import { dropDatabases, freshDatabase } from "./database.ts";
import { ADMIN_PASSWORD, adminToken, type GlosaProcess, startGlosa } from "./processes.ts";

const TRANSLATION = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;
let url: string;
let a: GlosaProcess;
let b: GlosaProcess;
let admin: string;
const streams: SseStream[] = [];

async function open(p: GlosaProcess, headers: Record<string, string>): Promise<SseStream> {
  const stream = await openStream(`${p.url}${TRANSLATION}/events`, headers);
  streams.push(stream);
  return stream;
}

beforeAll(async () => {
  url = await freshDatabase();
  a = await startGlosa(url);
  b = await startGlosa(url);
  admin = await adminToken(a);
});

afterAll(async () => {
  for (const s of streams) s.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await dropDatabases();
});

describe("stream slots in the database", () => {
  it("gives at most `max` slots per owner, even to claims racing from several connections", async () => {
    const store = await PgStore.open(url);
    try {
      const ids = Array.from({ length: 10 }, (_, i) => `race-${i}`);
      const won = await Promise.all(ids.map((id) => store.claimStreamSlot("zoe", id, 3, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(3);
      // Another owner has slots of their own.
      expect(await store.claimStreamSlot("yann", "other", 3, 60_000)).toBe(true);
      const first = ids[won.indexOf(true)] as string;
      await store.releaseStreamSlot(first);
      expect(await store.claimStreamSlot("zoe", "after-release", 3, 60_000)).toBe(true);
      expect(await store.claimStreamSlot("zoe", "one-too-many", 3, 60_000)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("frees the slots of a process that stopped renewing them once they expire, not before", async () => {
    const store = await PgStore.open(url);
    try {
      expect(await store.claimStreamSlot("crash", "kept", 2, 60_000)).toBe(true);
      expect(await store.claimStreamSlot("crash", "lapsing", 2, 300)).toBe(true);
      expect(await store.claimStreamSlot("crash", "refused", 2, 300)).toBe(false);
      // Renewed: still held after its first expiry would have passed.
      await store.renewStreamSlots(["lapsing"], 600);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await store.claimStreamSlot("crash", "still-refused", 2, 300)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await store.claimStreamSlot("crash", "after-expiry", 2, 300)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe("live streams bounded across processes", () => {
  it("counts a user's streams on both processes against one bound, and frees a closed one's slot", async () => {
    const bearer = { authorization: `Bearer ${admin}` };
    const max = DEFAULT_LIVE.maxPerUser;
    const opened: SseStream[] = [];
    for (let i = 0; i < max; i++) {
      const s = await open(i % 2 ? b : a, bearer);
      expect(s.status).toBe(200);
      await s.next("hello");
      opened.push(s);
    }
    // Under the bound in either process alone, over it together.
    const refused = await open(b, bearer);
    expect(refused.status).toBe(429);
    const againOnA = await open(a, bearer);
    expect(againOnA.status).toBe(429);

    (opened[0] as SseStream).close();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const s = await open(b, bearer);
      status = s.status;
    }
    expect(status).toBe(200);
    for (const s of streams) s.close();
  });

  it("ends a session's streams on the other process when it signs out", async () => {
    const session = await browserSession(a.url, "admin", ADMIN_PASSWORD);
    // Another user's slots are free again once the previous test's streams closed.
    const onB = await open(b, { cookie: session.cookie });
    let status = onB.status;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await open(b, { cookie: session.cookie })).status;
    }
    expect(status).toBe(200);
    const live = streams[streams.length - 1] as SseStream;
    await live.next("hello");
    const out = await fetch(`${a.url}/logout`, {
      method: "POST",
      headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: session.csrf }),
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    // Well before the next heartbeat (20 s) would have found the session gone.
    const ended = await Promise.race([
      live.ended.then(() => "ended"),
      new Promise((resolve) => setTimeout(() => resolve("still open"), 5_000)),
    ]);
    expect(ended).toBe("ended");
  });
});
