/**
 * The storage contract: every adapter (the file store today, PostgreSQL later) passes these.
 * `open` opens the adapter on a location; opening it again on the same location must see
 * everything written before.
 */

import { describe, expect, it } from "vitest";
import type { Store } from "../../server/storage/store.ts";
import type { Document } from "../../translations/document.ts";
import { PLAIN_TERM, revisionEvent } from "../fixtures/records.ts";

const doc: Document = {
  id: "doc1",
  title: "T",
  slug: "t",
  sourceLang: "en",
  createdAt: "2026-01-01T00:00:00.000Z",
  createdBy: "a",
  languages: ["es"],
  paragraphs: [{ id: "p1", index: 0, kind: "title", source: "T" }],
};

export function storeContract(
  name: string,
  open: (location: string) => Promise<Store>,
  location: () => Promise<string>,
) {
  describe(`${name} (storage contract)`, () => {
    it("keeps every kind of record across a reopen", async () => {
      const where = await location();
      const a = await open(where);
      await a.setMeta({ version: 1, initializedAt: "now" });
      await a.putUser({ username: "u", role: "editor", passwordHash: "h", disabled: false, createdAt: "c" });
      await a.putToken({ id: "k", username: "u", hash: "abc", name: "n", createdAt: "c" });
      await a.writeTerms([PLAIN_TERM]);
      await a.putDocument(doc);
      await a.appendTranslationEvents("doc1", "es", [revisionEvent(1, "Hola")]);
      await a.appendAudit({ at: "c", actor: "u", action: "x", object: "y" });
      await a.setSession("sid", { data: { a: 1 }, expires: Date.now() + 60_000 });
      const secret = await a.secret("s", () => "secret-value");
      await a.close();

      const b = await open(where);
      expect(await b.getMeta()).toMatchObject({ initializedAt: "now" });
      expect(await b.getUser("u")).toMatchObject({ role: "editor" });
      expect(await b.findTokenByHash("abc")).toMatchObject({ id: "k" });
      expect(await b.listTerms()).toHaveLength(1);
      expect(await b.getDocument("doc1")).toEqual(doc);
      expect(await b.readTranslationEvents("doc1", "es")).toHaveLength(1);
      expect(await b.listAudit(10)).toHaveLength(1);
      expect(await b.getSession("sid")).toMatchObject({ data: { a: 1 } });
      expect(await b.secret("s", () => "other")).toBe(secret);
      await b.close();
    });

    it("appends translation events in order and never rewrites them", async () => {
      const s = await open(await location());
      await s.putDocument(doc);
      for (let i = 1; i <= 50; i++)
        await s.appendTranslationEvents("doc1", "es", [revisionEvent(i, `t${i}`, { status: "draft" })]);
      const events = await s.readTranslationEvents("doc1", "es");
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      await s.close();
    });

    it("never lets a caller change what is stored through a record it was given or gave", async () => {
      const s = await open(await location());
      const mine = structuredClone(doc);
      await s.putDocument(mine);
      mine.title = "changed after put";
      const got = (await s.getDocument("doc1")) as Document;
      try {
        got.title = "changed after get";
      } catch {
        // Frozen records refuse the change outright: that is fine too.
      }
      expect((await s.getDocument("doc1"))?.title).toBe("T");
      await s.close();
    });

    it("deletes tokens and terms, prunes expired sessions", async () => {
      const s = await open(await location());
      await s.putToken({ id: "k", username: "u", hash: "abc", name: "n", createdAt: "c" });
      await s.deleteToken("k");
      expect(await s.findTokenByHash("abc")).toBeUndefined();
      await s.writeTerms([PLAIN_TERM]);
      await s.writeTerms([], ["t"]);
      expect(await s.listTerms()).toEqual([]);
      await s.setSession("old", { data: {}, expires: 1 });
      await s.pruneSessions(Date.now());
      expect(await s.getSession("old")).toBeUndefined();
      await s.close();
    });
  });
}
