import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlosaApp } from "../../server/app.ts";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import type { FileStore } from "../../server/storage/file-store.ts";
import { browserSession } from "../browser-session.ts";
import { apiToken, makeApp, type TestApp, userWithRole } from "../helpers.ts";
import { openStream, type SseStream } from "../sse.ts";

const TRANSLATION = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es`;

describe("live editors over server-sent events", () => {
  let t: TestApp;
  let app: GlosaApp;
  let store: FileStore;
  let server: Server;
  let origin: string;
  let admin: string;
  let tina: { token: string };
  let eddie: { token: string; password: string };
  const streams: SseStream[] = [];
  const open = async (headers: Record<string, string>, lang = "es") => {
    const s = await openStream(
      `${origin}/api/v1/documents/${SEED_DOCUMENT_ID}/translations/${lang}/events`,
      headers,
    );
    streams.push(s);
    return s;
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const call = (method: string, path: string, token: string, body?: object) =>
    fetch(`${origin}${path}`, {
      method,
      headers: { ...bearer(token), "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    t = await makeApp({ GLOSA_RATE_LIMIT: "off" }, { live: { heartbeatMs: 300, maxPerUser: 3 } });
    ({ app, store } = t);
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    admin = await apiToken(app);
    tina = await userWithRole(app, admin, "tina", "translator");
    eddie = await userWithRole(app, admin, "eddie", "editor");
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await app.shutdown();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it("needs a caller who may read the document, and a document and language that exist", async () => {
    expect((await open({})).status).toBe(401);
    expect((await open(bearer("nope"))).status).toBe(401);
    expect((await open(bearer(tina.token), "de")).status).toBe(404);
    const unknown = await openStream(
      `${origin}/api/v1/documents/nope/translations/es/events`,
      bearer(tina.token),
    );
    streams.push(unknown);
    expect(unknown.status).toBe(404);
  });

  it("shows who is here and on which paragraph, streams others' saves, approvals and comments", async () => {
    const a = await open(bearer(tina.token));
    expect(a.status).toBe(200);
    const hello = await a.next("hello");
    expect(hello.username).toBe("tina");
    const session = await browserSession(origin, "eddie", eddie.password);
    const b = await open({ cookie: session.cookie });
    const helloB = await b.next("hello");
    const both = await a.next("presence", (d) => d.users.length === 2);
    expect(both.users.map((u: { username: string }) => u.username).sort()).toEqual(["eddie", "tina"]);

    // Focus goes up with the session and its CSRF header, as the editor's script sends it.
    const focus = await fetch(`${origin}${TRANSLATION}/presence`, {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
      body: JSON.stringify({ connection: helloB.connection, pid: "p4" }),
    });
    expect(focus.status).toBe(204);
    const editing = await a.next("presence", (d) => d.users.some((u: { pid: string }) => u.pid === "p4"));
    expect(editing.users.find((u: { pid: string }) => u.pid === "p4").username).toBe("eddie");
    // Someone else's connection, or a bad body, is refused.
    expect(
      (
        await call("POST", `${TRANSLATION}/presence`, tina.token, {
          connection: helloB.connection,
          pid: "p1",
        })
      ).status,
    ).toBe(404);
    expect(
      (await call("POST", `${TRANSLATION}/presence`, tina.token, { connection: hello.connection, pid: 5 }))
        .status,
    ).toBe(400);
    expect(
      (
        await call("POST", `${TRANSLATION}/presence`, tina.token, {
          connection: hello.connection,
          pid: "nope",
        })
      ).status,
    ).toBe(404);
    // A connection of this user on another language of the document is not this one.
    await call("POST", `/api/v1/documents/${SEED_DOCUMENT_ID}/languages`, admin, { lang: "fr" });
    expect(
      (
        await call("POST", `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/fr/presence`, tina.token, {
          connection: hello.connection,
          pid: "p1",
        })
      ).status,
    ).toBe(404);

    const saved = await call("PUT", `${TRANSLATION}/paragraphs/p3`, tina.token, {
      text: "Javier Milei por fin habló con Donald Trump.",
      baseRevision: 0,
    });
    expect(saved.status).toBe(200);
    const change = await b.next("paragraph", (d) => d.pid === "p3");
    expect(change).toMatchObject({
      pid: "p3",
      revision: 1,
      status: "translated",
      author: "tina",
      text: "Javier Milei por fin habló con Donald Trump.",
    });
    await call("POST", `${TRANSLATION}/paragraphs/p3/review`, eddie.token, {
      action: "approve",
      revision: 1,
    });
    expect(await a.next("paragraph", (d) => d.status === "approved")).toMatchObject({
      pid: "p3",
      author: "eddie",
    });

    await call("POST", `${TRANSLATION}/paragraphs/p5/comments`, tina.token, {
      text: "<b>ojo</b>",
      scope: "source",
    });
    const comment = await b.next("comment");
    expect(comment).toMatchObject({ pid: "p5", author: "tina", action: "create", scope: "source", open: 1 });
    // Comment text itself is not streamed: the thread is fetched (and escaped) when shown.
    expect(JSON.stringify(comment)).not.toContain("ojo");

    b.close();
    await a.next("presence", (d) => d.users.length === 1);
    a.close();
  });

  it("tells another language's editors of source queries, not of this language's comments", async () => {
    await call("POST", `/api/v1/documents/${SEED_DOCUMENT_ID}/languages`, admin, { lang: "fr" });
    const fr = await open(bearer(eddie.token), "fr");
    await fr.next("hello");
    const es = `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/p9/comments`;
    await call("POST", es, tina.token, { text: "solo español" });
    await call("POST", es, tina.token, { text: "¿cifra?", scope: "source" });
    const heard = await fr.next("comment");
    expect(heard).toMatchObject({ pid: "p9", scope: "source", open: 1 });
    expect(fr.events.filter((e) => e.event === "comment")).toHaveLength(1);
    fr.close();
  });

  it("streams the review queue to reviewers: which document and language changed, in any document", async () => {
    const denied = await openStream(`${origin}/api/v1/review/events`, bearer(tina.token));
    streams.push(denied);
    expect(denied.status).toBe(403);
    const before = app.services.live.size;
    const queue = await openStream(`${origin}/api/v1/review/events`, bearer(eddie.token));
    streams.push(queue);
    expect(queue.status).toBe(200);
    await queue.next("hello");
    const saved = await call("PUT", `${TRANSLATION}/paragraphs/p7`, tina.token, {
      text: "Una frase nueva para la cola.",
      baseRevision: 0,
    });
    expect(saved.status).toBe(200);
    expect(await queue.next("changed")).toEqual({ document: SEED_DOCUMENT_ID, lang: "es" });
    // The queue is no document's room: nobody is announced there.
    expect(queue.events.some((e) => e.event === "presence")).toBe(false);
    queue.close();
    // Its slot is given back, as the next test counts eddie's streams.
    await expect.poll(() => app.services.live.size).toBe(before);
  });

  it("bounds streams per user, and ends a session's streams when it signs out", async () => {
    const session = await browserSession(origin, "eddie", eddie.password);
    const mine = [
      await open({ cookie: session.cookie }),
      await open(bearer(eddie.token)),
      await open(bearer(eddie.token)),
    ];
    for (const s of mine) expect(s.status).toBe(200);
    const fourth = await open(bearer(eddie.token));
    expect(fourth.status).toBe(429);
    expect((fourth as unknown as { events: unknown[] }).events).toEqual([]);
    await fetch(`${origin}/logout`, {
      method: "POST",
      body: new URLSearchParams({ _csrf: session.csrf }),
      headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    await mine[0]?.ended;
    for (const s of mine) s.close();
  });

  it("ends a token's stream at the next heartbeat once the token is revoked", async () => {
    const revocable = await call("POST", "/api/v1/tokens", "", {
      username: "tina",
      password: "tina-password",
    });
    const { token } = (await revocable.json()) as { token: string };
    const s = await open(bearer(token));
    await s.next("hello");
    const [record] = (await store.listTokens("tina")).slice(-1);
    await store.deleteToken(record?.id as string);
    await s.ended;
    expect(s.events.some((e) => e.event === "hello")).toBe(true);
  });
});
