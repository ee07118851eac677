import { rm } from "node:fs/promises";
import type session from "express-session";
import { describe, expect, it } from "vitest";
import { GlosaSessionStore } from "../../server/session-store.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { tempDir } from "../helpers.ts";

const call = (f: (done: () => void) => void) => new Promise<void>((resolve) => f(resolve));

describe("the session store", () => {
  it("never writes back a signed-in session that ended meanwhile, when a request that loaded it touches it late", async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    const sessions = new GlosaSessionStore(store, 60 * 60 * 1000);
    try {
      const data = {
        cookie: { expires: new Date(Date.now() + 3_600_000) },
        username: "tina",
      } as unknown as session.SessionData;
      await call((done) => sessions.set("s1", data, done));
      expect(await store.getSession("s1")).toBeDefined();
      // Signed out in one tab while a request of another tab still holds the session it loaded.
      await call((done) => sessions.destroy("s1", done));
      const later = {
        ...data,
        cookie: { expires: new Date(Date.now() + 7_200_000) },
      } as unknown as session.SessionData;
      await call((done) => sessions.touch("s1", later, done));
      expect(await store.getSession("s1")).toBeUndefined();
      // A session still kept is extended.
      await call((done) => sessions.set("s2", data, done));
      await call((done) => sessions.touch("s2", later, done));
      expect((await store.getSession("s2"))?.expires).toBeGreaterThan(Date.now() + 3_700_000);
    } finally {
      sessions.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
