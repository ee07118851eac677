/**
 * What a browser and a load balancer are told when the store cannot do its work: /healthz says
 * whether the store can be read, and a sign-in on a full disk is a 503 page, not a 403.
 */

import { writeFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, csrfFrom, makeApp } from "../helpers.ts";
import { fillableDisk } from "../storage/disks.ts";

/** An app on a data directory stopped cleanly and then given a document log that is not a document. */
async function appOnDamagedStore() {
  const first = await makeApp();
  await first.app.shutdown();
  await first.store.close();
  await writeFile(path.join(first.dir, "documents", "damaged.jsonl"), '{"tx":1,"document":{"id":"other"}}\n');
  return makeApp({}, { dir: first.dir, seed: false });
}

describe("/healthz", () => {
  it("answers 503 while the store cannot list its documents, not ok", async () => {
    const t = await appOnDamagedStore();
    const res = await request(t.app).get("/healthz");
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: "unavailable", error: { code: "store_unreadable" } });
    // Nothing of the data directory's layout is told to an unauthenticated caller.
    expect(res.text).not.toContain("damaged.jsonl");
    await t.close();
  });

  it("answers ok on a full disk: reads still work, and each refused write says so itself", async () => {
    const disk = fillableDisk(() => 0);
    const t = await makeApp({}, { disk });
    disk.full = true;
    const res = await request(t.app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    await t.close();
  });
});

describe("signing in on a full disk", () => {
  it("shows the sign-in form (its token is kept in memory, not on the disk) and answers the sign-in 503 in the reader's language", async () => {
    const disk = fillableDisk(() => 0);
    const t = await makeApp({}, { disk });
    disk.full = true;
    const agent = request.agent(t.app);
    const page = await agent.get("/login").set("Accept-Language", "es").set("Accept", "text/html");
    expect(page.status).toBe(200);
    const res = await agent
      .post("/login")
      .type("form")
      .set("Accept-Language", "es")
      .set("Accept", "text/html")
      .send({ _csrf: csrfFrom(page.text), username: "admin", password: ADMIN_PASSWORD, next: "/" });
    expect(res.status).toBe(503);
    expect(res.text).toContain("¿está lleno el disco?");
    disk.full = false;
    await t.close();
  });

  it("answers 503 storage_unavailable, not 403, when the disk fills between the form and the sign-in", async () => {
    const disk = fillableDisk(() => 0);
    const t = await makeApp({}, { disk });
    const agent = request.agent(t.app);
    const page = await agent.get("/login").expect(200);
    disk.full = true;
    const res = await agent
      .post("/login")
      .type("form")
      .set("Accept", "text/html")
      .send({ _csrf: csrfFrom(page.text), username: "admin", password: ADMIN_PASSWORD, next: "/" });
    expect(res.status).toBe(503);
    expect(res.text).toContain("is the disk full?");
    disk.full = false;
    await t.close();
  });
});
