/**
 * Live editors across two real Glosa processes on one database: a stream opened on one process hears
 * saves, approvals, comments and presence made through the other (LISTEN/NOTIFY fan-out).
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { openStream, type SseStream } from "../sse.ts";
import { dropDatabases, freshDatabase } from "./database.ts";
import { ADMIN_PASSWORD, type GlosaProcess, startGlosa } from "./processes.ts";

const TRANSLATION = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;
let a: GlosaProcess;
let b: GlosaProcess;
let admin: string;
let ana: string;
const streams: SseStream[] = [];

async function call(base: string, method: string, path: string, token: string, body?: object) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

beforeAll(async () => {
  const url = await freshDatabase();
  a = await startGlosa(url);
  b = await startGlosa(url);
  admin = (await call(a.url, "POST", "/api/v1/tokens", "", { username: "admin", password: ADMIN_PASSWORD }))
    .body.token as string;
  await call(a.url, "POST", "/api/v1/users", admin, {
    username: "ana",
    password: "ana-password",
    role: "editor",
  });
  ana = (await call(b.url, "POST", "/api/v1/tokens", "", { username: "ana", password: "ana-password" })).body
    .token as string;
});

afterAll(async () => {
  for (const s of streams) s.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await dropDatabases();
});

describe("live streams across processes", () => {
  it("fans presence, saves, approvals and comments out from one process to the other", async () => {
    const onA = await openStream(`${a.url}${TRANSLATION}/events`, { authorization: `Bearer ${admin}` });
    streams.push(onA);
    await onA.next("hello");
    const onB = await openStream(`${b.url}${TRANSLATION}/events`, { authorization: `Bearer ${ana}` });
    streams.push(onB);
    const helloB = await onB.next("hello");
    const both = await onA.next("presence", (d) => d.users.length === 2, 10_000);
    expect(both.users.map((u: { username: string }) => u.username).sort()).toEqual(["admin", "ana"]);

    expect(
      (
        await call(b.url, "POST", `${TRANSLATION}/presence`, ana, {
          connection: helloB.connection,
          pid: "p6",
        })
      ).status,
    ).toBe(204);
    await onA.next("presence", (d) => d.users.some((u: { pid: string | null }) => u.pid === "p6"), 10_000);

    const text = "Javier Milei por fin habló con Donald Trump.";
    expect(
      (await call(b.url, "PUT", `${TRANSLATION}/paragraphs/p3`, ana, { text, baseRevision: 0 })).status,
    ).toBe(200);
    expect(await onA.next("paragraph", (d) => d.pid === "p3", 10_000)).toMatchObject({
      revision: 1,
      text,
      author: "ana",
    });
    await call(b.url, "POST", `${TRANSLATION}/paragraphs/p3/review`, ana, { action: "approve", revision: 1 });
    expect(await onA.next("paragraph", (d) => d.status === "approved", 10_000)).toMatchObject({
      pid: "p3",
      kind: "review",
    });

    await call(a.url, "POST", `${TRANSLATION}/paragraphs/p5/comments`, admin, {
      text: "¿15 o 50?",
      scope: "source",
    });
    expect(await onB.next("comment", () => true, 10_000)).toMatchObject({
      pid: "p5",
      author: "admin",
      open: 1,
    });

    onB.close();
    await onA.next("presence", (d) => d.users.length === 1, 10_000);
  });

  it("keeps both of an edit and a resolve of one comment made at once through two processes", async () => {
    for (let round = 0; round < 5; round++) {
      const created = await call(a.url, "POST", `${TRANSLATION}/paragraphs/p7/comments`, admin, {
        text: "first",
      });
      const url = `/api/v1/comments/${created.body.id}`;
      const [edit, resolve] = await Promise.all([
        call(a.url, "PATCH", url, admin, { text: `second ${round}` }),
        call(b.url, "PATCH", url, ana, { resolved: true }),
      ]);
      expect([edit.status, resolve.status]).toEqual([200, 200]);
      const thread = await call(b.url, "GET", `${TRANSLATION}/paragraphs/p7/comments`, ana);
      const comment = (thread.body.comments as { id: string; text: string; resolved: boolean }[]).find(
        (c) => c.id === created.body.id,
      );
      expect(comment).toMatchObject({ text: `second ${round}`, resolved: true });
    }
  });
});
