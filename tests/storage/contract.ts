/**
 * The storage contract: every adapter (the file store today, PostgreSQL later) passes these.
 * `open` opens the adapter on a location; opening it again on the same location must see
 * everything written before.
 */

import { describe, expect, it } from "vitest";
import {
  DuplicateTermError,
  GlossaryFullError,
  InvalidCursorError,
  LastAdminError,
  RevisionConflictError,
  SourceVersionConflictError,
  type Store,
  TermGoneError,
  UserExistsError,
} from "../../server/storage/store.ts";
import type { Document } from "../../translations/document.ts";
import { PLAIN_TERM, revisionEvent } from "../fixtures/records.ts";

const AUDIT = { at: "2026-01-01T00:00:00.000Z", actor: "tina", action: "translation.save", object: "x" };

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

/** An initialised store with a user, the glossary and the document, as a reopen expects one. */
async function initialise(store: Store): Promise<void> {
  await store.setMeta({ version: 1, initializedAt: "now" });
  await store.putUser({ username: "u", role: "editor", passwordHash: "h", disabled: false, createdAt: "c" });
  await store.writeTerms([PLAIN_TERM]);
  await store.putDocument(doc);
}

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

    it("keeps a document of thousands of paragraphs whole, with its audit entry, across a reopen", async () => {
      const where = await location();
      const a = await open(where);
      await a.setMeta({ version: 1, initializedAt: "now" });
      await a.putUser({ username: "u", role: "editor", passwordHash: "h", disabled: false, createdAt: "c" });
      await a.writeTerms([PLAIN_TERM]);
      const long: Document = {
        ...doc,
        id: "long",
        paragraphs: Array.from({ length: 3000 }, (_, i) => ({
          id: `p${i + 1}`,
          index: i,
          kind: "paragraph" as const,
          source: `Párrafo ${i} «con comillas», "dobles" y \\ barras ${"x".repeat(i % 50)}`,
        })),
      };
      await a.putDocument(long, { ...AUDIT, action: "document.create", object: "document:long" });
      const written = await a.updateDocumentLanguages("long", (languages) => [...languages, "fr"]);
      expect(written?.languages).toEqual(["es", "fr"]);
      await a.close();

      // Read each way a process reads documents: alone, in a page of the list, in the whole list.
      const b = await open(where);
      const expected = { ...long, languages: ["es", "fr"] };
      expect((await b.listDocumentsPage({ limit: 10 })).documents.find((d) => d.id === "long")).toEqual(
        expected,
      );
      expect((await b.listDocuments()).find((d) => d.id === "long")).toEqual(expected);
      expect(await b.getDocument("long")).toEqual(expected);
      expect((await b.listAudit(10)).map((e) => e.action)).toContain("document.create");
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

    it("keeps a waiver and its lifting (an undo) across a reopen", async () => {
      const where = await location();
      const a = await open(where);
      await initialise(a);
      await a.appendTranslationEvents("doc1", "es", [revisionEvent(1, "Hola")]);
      const waiver = {
        type: "waiver" as const,
        pid: "p1",
        revision: 1,
        termId: "t1",
        code: "missing-term",
        reason: "Cita",
        author: "tina",
        createdAt: "2026-01-01T00:00:01.000Z",
      };
      await a.appendTranslationEvents("doc1", "es", [waiver], { ...AUDIT, action: "finding.waive" });
      await a.appendTranslationEvents("doc1", "es", [{ ...waiver, reason: "", lifted: true }], {
        ...AUDIT,
        action: "finding.unwaive",
      });
      await a.close();
      const b = await open(where);
      const events = await b.readTranslationEvents("doc1", "es");
      expect(events.at(-1)).toMatchObject({ type: "waiver", lifted: true, termId: "t1" });
      expect(events.filter((e) => e.type === "waiver")).toHaveLength(2);
      await b.close();
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

    it("refuses the second of two appends made on the same revision, writing nothing", async () => {
      const store = await open(await location());
      await store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno")], AUDIT);
      const results = await Promise.allSettled([
        store.appendTranslationEvents("d", "es", [revisionEvent(2, "mine")], AUDIT),
        store.appendTranslationEvents("d", "es", [revisionEvent(2, "theirs")], AUDIT),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(RevisionConflictError);
      expect((await store.readTranslationEvents("d", "es")).map((e) => e.revision)).toEqual([1, 2]);
      await expect(
        store.appendTranslationEvents(
          "d",
          "es",
          [{ type: "review", pid: "p1", revision: 1, action: "approve", author: "e", createdAt: "c" }],
          AUDIT,
        ),
      ).rejects.toBeInstanceOf(RevisionConflictError);
      await store.appendTranslationEvents(
        "d",
        "es",
        [{ type: "review", pid: "p1", revision: 2, action: "approve", author: "e", createdAt: "c" }],
        AUDIT,
      );
      expect(await store.readTranslationEvents("d", "es")).toHaveLength(3);
      await store.close();
    });

    it("writes an import of many paragraphs as one commit: a conflict on one writes none", async () => {
      const store = await open(await location());
      await store.appendTranslationEvents("d", "es", [revisionEvent(1, "uno", { pid: "p2" })], AUDIT);
      const error = await store
        .appendTranslationEvents(
          "d",
          "es",
          [revisionEvent(1, "a", { pid: "p1" }), revisionEvent(1, "b", { pid: "p2" })],
          { ...AUDIT, action: "translation.import" },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RevisionConflictError);
      expect((error as RevisionConflictError).pid).toBe("p2");
      expect(await store.readTranslationEvents("d", "es")).toHaveLength(1);
      expect((await store.listAudit(10)).map((e) => e.action)).toEqual(["translation.save"]);
      // The paragraph that was not in conflict was not written either: its revision 1 is still free.
      await store.appendTranslationEvents("d", "es", [revisionEvent(1, "a", { pid: "p1" })], AUDIT);
      await store.close();
    });

    it("stores every change with its audit entry, and a refused change with none", async () => {
      const store = await open(await location());
      await store.putUser(
        { username: "u", role: "editor", passwordHash: "h", disabled: false, createdAt: "c" },
        {
          ...AUDIT,
          action: "user.create",
        },
      );
      await store.writeAccounts(
        { tokens: [{ id: "k", username: "u", hash: "abc", name: "n", createdAt: "c" }] },
        { ...AUDIT, action: "token.create" },
      );
      await store.writeTerms([PLAIN_TERM], [], { ...AUDIT, action: "term.create" });
      await store.putDocument(doc, { ...AUDIT, action: "document.create" });
      await store.appendTranslationEvents("doc1", "es", [revisionEvent(1, "Hola")], AUDIT);
      await expect(
        store.appendTranslationEvents("doc1", "es", [revisionEvent(1, "otra")], {
          ...AUDIT,
          action: "refused",
        }),
      ).rejects.toBeInstanceOf(RevisionConflictError);
      expect((await store.listAudit(10)).map((e) => e.action)).toEqual([
        "translation.save",
        "document.create",
        "term.create",
        "token.create",
        "user.create",
      ]);
      await store.close();
    });

    it("creates a user once, and updates only the fields given, keeping an enabled admin", async () => {
      const where = await location();
      const store = await open(where);
      await store.setMeta({ version: 1 });
      const user = (username: string, role: "admin" | "editor") => ({
        username,
        role,
        passwordHash: `hash of ${username}`,
        disabled: false,
        createdAt: "c",
      });
      await store.createUser(user("ada", "admin"), { ...AUDIT, action: "user.create" });
      await store.createUser(user("ed", "editor"), { ...AUDIT, action: "user.create" });
      await expect(
        store.createUser({ ...user("ed", "admin"), passwordHash: "other" }, { ...AUDIT, action: "refused" }),
      ).rejects.toEqual(new UserExistsError("ed"));
      await store.writeAccounts({
        tokens: [{ id: "k", username: "ed", hash: "abc", name: "n", createdAt: "c" }],
      });
      // Fields not given stay as held; the tokens go in the same write.
      expect(
        await store.updateUser(
          "ed",
          { disabled: true, endTokens: true },
          { ...AUDIT, action: "user.disable" },
        ),
      ).toEqual({ ...user("ed", "editor"), disabled: true });
      expect(await store.listTokens("ed")).toEqual([]);
      expect(await store.updateUser("ed", { role: "admin" })).toMatchObject({
        role: "admin",
        disabled: true,
      });
      expect(
        await store.updateUser("nobody", { role: "admin" }, { ...AUDIT, action: "refused" }),
      ).toBeUndefined();
      // The only enabled admin keeps the role and the access.
      await expect(
        store.updateUser("ada", { role: "editor" }, { ...AUDIT, action: "refused" }),
      ).rejects.toEqual(new LastAdminError("ada"));
      await expect(store.updateUser("ada", { disabled: true })).rejects.toBeInstanceOf(LastAdminError);
      await store.updateUser("ed", { disabled: false });
      await store.updateUser(
        "ada",
        { role: "editor", passwordHash: "new hash" },
        { ...AUDIT, action: "user.role" },
      );
      await store.close();
      const again = await open(where);
      expect(await again.getUser("ada")).toEqual({ ...user("ada", "editor"), passwordHash: "new hash" });
      expect(await again.getUser("ed")).toMatchObject({
        role: "admin",
        disabled: false,
        passwordHash: "hash of ed",
      });
      expect((await again.listAudit(10)).map((e) => e.action)).toEqual([
        "user.role",
        "user.disable",
        "user.create",
        "user.create",
      ]);
      await again.close();
    });

    it("moves a history's version with every append and the glossary's with every term write", async () => {
      const store = await open(await location());
      expect(await store.translationVersion("doc1", "es")).toBe(0);
      const first = await store.appendTranslationEvents("doc1", "es", [revisionEvent(1, "a")], AUDIT);
      expect(await store.translationVersion("doc1", "es")).toBe(first);
      const second = await store.appendTranslationEvents("doc1", "es", [revisionEvent(2, "b")], AUDIT);
      expect(second).toBeGreaterThan(first);
      expect(await store.translationVersion("doc1", "es")).toBe(second);
      await expect(
        store.appendTranslationEvents("doc1", "es", [revisionEvent(2, "c")], AUDIT),
      ).rejects.toBeInstanceOf(RevisionConflictError);
      expect(await store.translationVersion("doc1", "es")).toBe(second);
      expect(await store.translationVersion("doc1", "fr")).toBe(0);
      const glossary = await store.glossaryVersion();
      await store.writeTerms([PLAIN_TERM], [], AUDIT);
      expect(await store.glossaryVersion()).toBeGreaterThan(glossary);
      await store.close();
    });

    it("gives a history written before a reopen a version, not 0 (no history yet), and moves it on", async () => {
      const where = await location();
      const store = await open(where);
      await initialise(store);
      await store.appendTranslationEvents("doc1", "es", [revisionEvent(1, "a")], AUDIT);
      await store.close();
      // Reopened, the history read by nothing yet: a cache comparing versions must not take it for empty.
      const again = await open(where);
      const version = await again.translationVersion("doc1", "es");
      expect(version).toBeGreaterThan(0);
      expect(await again.translationVersion("doc1", "fr")).toBe(0);
      const next = await again.appendTranslationEvents("doc1", "es", [revisionEvent(2, "b")], AUDIT);
      expect(next).toBeGreaterThan(version);
      expect(await again.translationVersion("doc1", "es")).toBe(next);
      await again.close();
    });

    it("pages documents by (createdAt, id), a cursor leading to the next page and none after the last", async () => {
      const s = await open(await location());
      // Written out of order, two sharing a createdAt (ordered by id), one rewritten later.
      const at = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
      const specs: [string, string][] = [
        ["e", at(3)],
        ["b", at(1)],
        ["d", at(2)],
        ["a", at(2)],
        ["c", at(5)],
      ];
      for (const [id, createdAt] of specs) await s.putDocument({ ...doc, id, createdAt });
      await s.putDocument({ ...doc, id: "d", createdAt: at(2), title: "rewritten" });
      const ids: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await s.listDocumentsPage({ limit: 2, ...(after ? { after } : {}) });
        expect(page.documents.length).toBeLessThanOrEqual(2);
        ids.push(...page.documents.map((d) => d.id));
        after = page.next;
        pages++;
      } while (after && pages < 10);
      expect(ids).toEqual(["b", "a", "d", "e", "c"]);
      expect(pages).toBe(3);
      // And back from the last page by `previous`, to a first page that has none.
      const p2 = await s.listDocumentsPage({
        limit: 2,
        after: (await s.listDocumentsPage({ limit: 2 })).next as string,
      });
      expect(p2.documents.map((d) => d.id)).toEqual(["d", "e"]);
      const p3 = await s.listDocumentsPage({ limit: 2, after: p2.next as string });
      expect(p3.documents.map((d) => d.id)).toEqual(["c"]);
      expect(p3.next).toBeUndefined();
      const back2 = await s.listDocumentsPage({ limit: 2, before: p3.previous as string });
      expect(back2.documents.map((d) => d.id)).toEqual(["d", "e"]);
      expect(back2.next).toBe(p2.next);
      const back1 = await s.listDocumentsPage({ limit: 2, before: back2.previous as string });
      expect(back1.documents.map((d) => d.id)).toEqual(["b", "a"]);
      expect(back1.previous).toBeUndefined();
      expect((await s.listDocumentsPage({ limit: 2 })).previous).toBeUndefined();
      expect((await s.listDocumentsPage({ limit: 200 })).next).toBeUndefined();
      const whole = await s.listDocumentsPage({ limit: 5 });
      expect(whole.documents.map((d) => d.id)).toEqual(ids);
      expect(whole.next).toBeUndefined();
      expect(whole.documents.find((d) => d.id === "d")?.title).toBe("rewritten");
      // A document added after a page was handed out shows on the pages after it, once.
      const first = await s.listDocumentsPage({ limit: 2 });
      await s.putDocument({ ...doc, id: "f", createdAt: at(4) });
      const rest = await s.listDocumentsPage({ limit: 200, after: first.next as string });
      expect(rest.documents.map((d) => d.id)).toEqual(["d", "e", "f", "c"]);
      await s.close();
    });

    it("refuses a page limit outside 1 to 200 and a cursor it did not hand out", async () => {
      const s = await open(await location());
      await s.putDocument(doc);
      for (const limit of [0, 201, 1.5, -1])
        await expect(s.listDocumentsPage({ limit })).rejects.toBeInstanceOf(RangeError);
      expect((await s.listDocumentsPage({ limit: 1 })).documents).toHaveLength(1);
      for (const after of ["", "not a cursor!", Buffer.from("[1,2]").toString("base64url")])
        await expect(s.listDocumentsPage({ limit: 10, after })).rejects.toBeInstanceOf(InvalidCursorError);
      await s.close();
    });

    // Comments and source queries (issue 17).
    it("keeps comments with their history and audit entry, listed per document and in an inbox", async () => {
      const where = await location();
      const a = await open(where);
      await a.setMeta({ version: 1 });
      const base = {
        documentId: "doc1",
        pid: "p1",
        lang: "es",
        createdAt: "2026-01-01T00:00:01.000Z",
        resolved: false,
        history: [],
      };
      await a.putComment(
        { ...base, id: "c1", scope: "translation", author: "tina", text: "Hola @eddie", mentions: ["eddie"] },
        { ...AUDIT, action: "comment.create" },
      );
      const query = {
        ...base,
        id: "c2",
        scope: "source" as const,
        author: "tina",
        text: "15 or 50?",
        mentions: [],
        createdAt: "2026-01-01T00:00:02.000Z",
      };
      await a.putComment(query);
      await a.putComment({
        ...base,
        documentId: "other",
        id: "c3",
        scope: "translation",
        author: "x",
        text: "y",
        mentions: [],
      });
      const edited = {
        ...base,
        id: "c1",
        scope: "translation" as const,
        author: "tina",
        text: "Hola @ana",
        mentions: ["ana"],
        history: [{ text: "Hola @eddie", action: "edit" as const, by: "tina", at: "t" }],
      };
      await a.putComment(edited, { ...AUDIT, action: "comment.edit" });
      await a.close();

      const b = await open(where);
      expect((await b.listComments("doc1")).map((c) => c.id)).toEqual(["c1", "c2"]);
      expect(await b.getComment("c1")).toEqual(edited);
      expect(await b.getComment("nope")).toBeUndefined();
      const inbox = async (username: string, kind: "mentions" | "queries", author?: string) =>
        (await b.listInbox({ username, kind, limit: 10, ...(author ? { author } : {}) })).comments.map(
          (c) => c.id,
        );
      expect(await inbox("ana", "mentions")).toEqual(["c1"]);
      expect(await inbox("eddie", "mentions")).toEqual([]);
      expect(await inbox("eddie", "queries")).toEqual(["c2"]);
      expect(await inbox("eddie", "queries", "tina")).toEqual(["c2"]);
      expect(await inbox("eddie", "queries", "eddie")).toEqual([]);
      expect(await b.countInbox("ana")).toEqual({ mentions: 1, queries: 1 });
      await b.putComment({ ...query, resolved: true });
      expect(await inbox("eddie", "queries")).toEqual([]);
      expect(await b.countInbox("ana", "tina")).toEqual({ mentions: 1, queries: 0 });
      expect((await b.listAudit(10)).map((e) => e.action)).toEqual(["comment.edit", "comment.create"]);
      await b.close();
    });

    it("pages an inbox list newest first by cursor, same time ordered by id, and refuses a forged cursor", async () => {
      const s = await open(await location());
      await s.setMeta({ version: 1 });
      // 7 mentions, two of them at the same instant; pages of 3 must cover them once each, in order.
      const times = ["05", "01", "03", "03", "02", "06", "04"];
      for (const [i, second] of times.entries())
        await s.putComment({
          id: `m${i}`,
          documentId: "doc1",
          pid: "p1",
          lang: "es",
          scope: "translation",
          author: "tina",
          text: "@ana",
          mentions: ["ana"],
          createdAt: `2026-01-01T00:00:${second}.000Z`,
          resolved: false,
          history: [],
        });
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await s.listInbox({
          username: "ana",
          kind: "mentions",
          limit: 3,
          ...(after ? { after } : {}),
        });
        expect(page.comments.length).toBeLessThanOrEqual(3);
        seen.push(...page.comments.map((c) => c.id));
        after = page.next;
      } while (after);
      expect(seen).toEqual(["m5", "m0", "m6", "m3", "m2", "m4", "m1"]);
      for (const forged of [
        "!",
        Buffer.from("[1]").toString("base64url"),
        Buffer.from("{").toString("base64url"),
      ])
        await expect(
          s.listInbox({ username: "ana", kind: "mentions", limit: 3, after: forged }),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      await s.close();
    });

    // Translation memory: imported TMX units.
    it("adds imported memory units by id once, keeps their first origin, with their audit entry, and moves the memory's version", async () => {
      const where = await location();
      const s = await open(where);
      await s.setMeta({ version: 1 });
      const unit = {
        id: "m1",
        sourceLang: "en",
        targetLang: "es",
        source: "Casa Rosada",
        target: "Casa Rosada",
        createdAt: "2026-01-01T00:00:00.000Z",
        createdBy: "eddie",
      };
      const before = await s.memoryVersion();
      const entry = (added: readonly { id: string }[]) => ({
        ...AUDIT,
        action: "memory.import",
        details: { created: added.map((u) => u.id) },
      });
      const first = await s.addMemoryUnits(
        [unit, { ...unit, id: "m2", source: "chainsaw", target: "motosierra" }, { ...unit, tool: "Trados" }],
        entry,
      );
      expect(first.map((u) => u.id)).toEqual(["m1", "m2"]);
      expect(await s.memoryVersion()).toBe(before + 1);
      const second = await s.addMemoryUnits(
        [
          { ...unit, tool: "OmegaT" },
          { ...unit, id: "m3", source: "Kirchnerists", target: "kirchneristas" },
        ],
        entry,
      );
      expect(second.map((u) => u.id)).toEqual(["m3"]);
      expect(await s.memoryVersion()).toBe(before + 2);
      await s.close();
      const again = await open(where);
      expect((await again.listMemoryUnits()).map((u) => [u.id, u.tool])).toEqual([
        ["m1", undefined],
        ["m2", undefined],
        ["m3", undefined],
      ]);
      const audit = (await again.listAudit(10)).filter((e) => e.action === "memory.import");
      expect(audit.map((e) => e.details)).toEqual([{ created: ["m3"] }, { created: ["m1", "m2"] }]);
      await again.close();
    });

    it("keeps a large memory import whole, in order, with its audit entry, across a reopen", async () => {
      const where = await location();
      const s = await open(where);
      await s.setMeta({ version: 1 });
      const units = Array.from({ length: 5_001 }, (_, i) => ({
        id: `big${i}`,
        sourceLang: "en",
        targetLang: "es",
        source: `Source ${i} "quoted" \\ back`,
        target: `Destino ${i} «citado»`,
        createdAt: "2026-01-01T00:00:00.000Z",
        createdBy: "eddie",
      }));
      expect(await s.addMemoryUnits(units, () => ({ ...AUDIT, action: "memory.import" }))).toHaveLength(
        5_001,
      );
      await s.close();
      const again = await open(where);
      const read = await again.listMemoryUnits();
      expect(read).toHaveLength(5_001);
      expect(read[5_000]).toMatchObject({ id: "big5000", source: 'Source 5000 "quoted" \\ back' });
      expect((await again.listAudit(10)).map((e) => e.action)).toContain("memory.import");
      await again.close();
    });

    it("hands out imported units in pages after a position, and the head that says where they end", async () => {
      const where = await location();
      const s = await open(where);
      await s.setMeta({ version: 1 });
      expect(await s.memoryHead()).toEqual({ version: await s.memoryVersion(), position: 0 });
      expect(await s.listMemoryUnitsAfter(0, 10)).toEqual({ units: [], position: 0 });
      const unit = (i: number) => ({
        id: `p${i}`,
        sourceLang: "en",
        targetLang: "es",
        source: `Source ${i}`,
        target: `Destino ${i}`,
        createdAt: "2026-01-01T00:00:00.000Z",
        createdBy: "eddie",
      });
      await s.addMemoryUnits([0, 1, 2].map(unit));
      const head = await s.memoryHead();
      expect(head.version).toBe(await s.memoryVersion());
      const first = await s.listMemoryUnitsAfter(0, 2);
      expect(first.units.map((u) => u.id)).toEqual(["p0", "p1"]);
      const second = await s.listMemoryUnitsAfter(first.position, 2);
      expect(second.units.map((u) => u.id)).toEqual(["p2"]);
      expect(second.position).toBe(head.position);
      // A unit held already is no new unit: only p3 comes after the head read before.
      await s.addMemoryUnits([unit(1), unit(3)]);
      const after = await s.listMemoryUnitsAfter(head.position, 10);
      expect(after.units.map((u) => u.id)).toEqual(["p3"]);
      expect(await s.listMemoryUnitsAfter(after.position, 10)).toEqual({
        units: [],
        position: after.position,
      });
      expect(await s.memoryHead()).toEqual({ version: head.version + 1, position: after.position });
      await s.close();
      const again = await open(where);
      expect(await again.memoryHead()).toEqual({ version: expect.any(Number), position: after.position });
      expect((await again.listMemoryUnitsAfter(first.position, 10)).units.map((u) => u.id)).toEqual([
        "p2",
        "p3",
      ]);
      await again.close();
    });

    it("keeps a large glossary import and an import that added nothing, with their audit entries, across a reopen", async () => {
      const where = await location();
      const s = await open(where);
      await s.setMeta({ version: 1 });
      const terms = Array.from({ length: 2_001 }, (_, i) => ({
        ...PLAIN_TERM,
        id: `t${i}`,
        source: `term ${i} "quoted" \\ back`,
      }));
      await s.writeTerms(terms, [], { ...AUDIT, action: "glossary.import" });
      await s.writeTerms([], [], { ...AUDIT, action: "glossary.import" });
      await s.addMemoryUnits([], () => ({ ...AUDIT, action: "memory.import" }));
      await s.close();
      const again = await open(where);
      const read = await again.listTerms();
      expect(read).toHaveLength(2_001);
      expect(read.find((t) => t.id === "t2000")).toMatchObject({ source: 'term 2000 "quoted" \\ back' });
      const actions = (await again.listAudit(10)).map((e) => e.action);
      expect(actions.filter((a) => a === "glossary.import")).toHaveLength(2);
      expect(actions).toContain("memory.import");
      await again.close();
    });

    // The duplicate rule (glossary/term.ts isSameTerm) is the store's: every write path checks it.
    it("refuses a term that is the same as one held or one written with it, writing nothing", async () => {
      const where = await location();
      const s = await open(where);
      const term = (id: string, source: string, caseSensitive = false) => ({
        ...PLAIN_TERM,
        id,
        source,
        caseSensitive,
      });
      await s.setMeta({ version: 1 });
      await s.writeTerms([term("a", "Café")], [], { ...AUDIT, action: "term.create" });
      const version = await s.glossaryVersion();
      const refused = async (write: Promise<unknown>, id: string, heldId: string) => {
        const error = await write.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DuplicateTermError);
        expect((error as DuplicateTermError).term.id).toBe(id);
        expect((error as DuplicateTermError).held?.id).toBe(heldId);
      };
      await refused(s.writeTerms([term("b", "CAFE")], [], AUDIT), "b", "a");
      // Case-sensitive terms that differ in case stand side by side, and beside a case-insensitive one.
      await s.writeTerms([term("c", "US", true), term("d", "us", true), term("e", "Us")]);
      await refused(s.writeTerms([term("f", "uS")]), "f", "e");
      await refused(s.writeTerms([term("g", "US")]), "g", "c");
      // A rename to another term's source; a term renamed in case only is still itself.
      await refused(s.writeTerms([term("a", "us", true)]), "a", "d");
      await s.writeTerms([term("a", "CAFÉ")]);
      // Two of one write, and a source freed in the same write.
      await refused(s.writeTerms([term("h", "menu"), term("i", "Menú")]), "i", "h");
      await s.writeTerms([term("j", "café")], ["a"]);
      expect(await s.glossaryVersion()).toBe(version + 3);
      await s.close();
      const again = await open(where);
      expect((await again.listTerms()).map((t) => t.id).sort()).toEqual(["c", "d", "e", "j"]);
      await refused(again.writeTerms([term("k", "Cafe")]), "k", "j");
      expect((await again.listAudit(10)).map((e) => e.action)).toEqual(["term.create"]);
      await again.close();
    });

    it("refuses a term write that replaces or removes a term gone, or adds past the limit, writing nothing", async () => {
      const where = await location();
      const s = await open(where);
      const term = (id: string, source: string) => ({ ...PLAIN_TERM, id, source });
      await s.setMeta({ version: 1 });
      await s.writeTerms([term("a", "alpha"), term("b", "beta")], [], AUDIT, { maxTerms: 2 });
      const version = await s.glossaryVersion();
      const refusal = (write: Promise<unknown>) =>
        write.then(
          () => undefined,
          (e: unknown) => e,
        );
      // Removed by another writer: neither updated back nor removed again.
      await s.writeTerms([], ["b"]);
      expect(await refusal(s.writeTerms([term("b", "beta two")], [], AUDIT, { held: ["b"] }))).toEqual(
        new TermGoneError("b"),
      );
      expect(await refusal(s.writeTerms([], ["b"], AUDIT, { held: ["b"] }))).toBeInstanceOf(TermGoneError);
      // One place left: a write adding two is refused, one adding one (and removing one) is not.
      const full = await refusal(
        s.writeTerms([term("c", "gamma"), term("d", "delta")], [], AUDIT, { maxTerms: 2 }),
      );
      expect(full).toBeInstanceOf(GlossaryFullError);
      expect(full).toMatchObject({ limit: 2, count: 1, adding: 2 });
      await s.writeTerms([term("c", "gamma"), term("d", "delta")], ["a"], AUDIT, { maxTerms: 2 });
      expect(
        await refusal(s.importTerms([term("e", "epsilon")], [], () => AUDIT, { maxTerms: 2 })),
      ).toBeInstanceOf(GlossaryFullError);
      // Past the limit (lowered since), a write that adds nothing still goes through.
      await s.writeTerms([term("c", "gamma two")], [], AUDIT, { maxTerms: 1, held: ["c"] });
      expect(await s.glossaryVersion()).toBe(version + 3);
      await s.close();
      const again = await open(where);
      expect((await again.listTerms()).map((t) => [t.id, t.source]).sort()).toEqual([
        ["c", "gamma two"],
        ["d", "delta"],
      ]);
      expect((await again.listAudit(10)).length).toBe(3);
      await again.close();
    });

    it("adds an import's terms not held yet, skips the rest with the term held, audited from what was added", async () => {
      const where = await location();
      const s = await open(where);
      const term = (id: string, source: string, description = "") => ({
        ...PLAIN_TERM,
        id,
        source,
        description,
      });
      await s.setMeta({ version: 1 });
      await s.writeTerms([term("a", "summit"), term("b", "chainsaw")]);
      const version = await s.glossaryVersion();
      const written = await s.importTerms(
        [term("n1", "Summit"), term("n2", "runoff"), term("n3", "Runoff"), term("n4", "landslide")],
        [term("b", "chainsaw", "updated")],
        (w) => ({ ...AUDIT, action: "glossary.import", details: { created: w.added.map((t) => t.id) } }),
      );
      expect(written.added.map((t) => t.id)).toEqual(["n2", "n4"]);
      expect(written.skipped.map(({ term, held }) => [term.id, held?.id])).toEqual([
        ["n1", "a"],
        ["n3", "n2"],
      ]);
      expect(await s.glossaryVersion()).toBe(version + 1);
      // An update that would duplicate refuses the whole write.
      await expect(s.importTerms([term("n5", "ballot")], [term("b", "SUMMIT")])).rejects.toBeInstanceOf(
        DuplicateTermError,
      );
      await s.close();
      const again = await open(where);
      const held = await again.listTerms();
      expect(held.map((t) => t.id).sort()).toEqual(["a", "b", "n2", "n4"]);
      expect(held.find((t) => t.id === "b")?.description).toBe("updated");
      const audit = (await again.listAudit(10)).filter((e) => e.action === "glossary.import");
      expect(audit.map((e) => e.details)).toEqual([{ created: ["n2", "n4"] }]);
      await again.close();
    });

    // --- Source versions (source updates, issue #13) ---

    it("keeps source versions with the document, across a reopen, each once", async () => {
      const where = await location();
      const a = await open(where);
      await a.setMeta({ version: 1, initializedAt: "now" });
      await a.putUser({ username: "ed", role: "editor", passwordHash: "h", disabled: false, createdAt: "c" });
      await a.writeTerms([PLAIN_TERM]);
      await a.putDocument(doc);
      expect(await a.listSourceVersions("doc1")).toEqual([]);
      const v2: Document = {
        ...doc,
        version: 2,
        paragraphs: [{ id: "p1", index: 0, kind: "title", source: "T2" }],
      };
      const record = (d: Document, version: number) => ({
        documentId: d.id,
        version,
        title: d.title,
        paragraphs: d.paragraphs,
        createdAt: `2026-01-0${version}T00:00:00.000Z`,
        createdBy: "ed",
      });
      await a.updateDocumentSource(v2, [record(doc, 1), record(v2, 2)], 1, {
        ...AUDIT,
        action: "document.update_source",
      });
      await a.close();
      const b = await open(where);
      expect((await b.getDocument("doc1"))?.version).toBe(2);
      expect((await b.listSourceVersions("doc1")).map((v) => v.version)).toEqual([1, 2]);
      expect((await b.listSourceVersions("doc1"))[0]?.paragraphs[0]?.source).toBe("T");
      expect((await b.listAudit(5))[0]?.action).toBe("document.update_source");
      // A record already kept is not written twice.
      const v3: Document = { ...v2, version: 3 };
      await b.updateDocumentSource(v3, [record(doc, 1), record(v3, 3)], 2);
      expect((await b.listSourceVersions("doc1")).map((v) => v.version)).toEqual([1, 2, 3]);
      await b.close();
    });

    it("refuses a source update based on a version that is not the current one, writing nothing", async () => {
      const s = await open(await location());
      await s.putDocument(doc);
      const v2: Document = { ...doc, version: 2, title: "first" };
      const other: Document = { ...doc, version: 2, title: "second" };
      const results = await Promise.allSettled([
        s.updateDocumentSource(v2, [], 1),
        s.updateDocumentSource(other, [], 1),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(SourceVersionConflictError);
      expect(refused.reason.current).toBe(2);
      await expect(s.updateDocumentSource({ ...doc, version: 2 }, [], 5)).rejects.toBeInstanceOf(
        SourceVersionConflictError,
      );
      expect((await s.getDocument("doc1"))?.version).toBe(2);
      // Target languages stay as stored, whatever the update's document says.
      await s.putDocument({ ...doc, version: 2, languages: ["es", "pt"] });
      await s.updateDocumentSource({ ...doc, version: 3, languages: ["es"] }, [], 2);
      expect((await s.getDocument("doc1"))?.languages).toEqual(["es", "pt"]);
      expect((await s.getDocument("doc1"))?.version).toBe(3);
      await s.close();
    });

    it("writes a document's target languages alone, keeping a source update made meanwhile", async () => {
      const s = await open(await location());
      await s.putDocument(doc);
      // A source update lands between the service's read and the language write: it stays.
      await s.updateDocumentSource({ ...doc, version: 2, title: "new source" }, [], 1);
      const added = await s.updateDocumentLanguages("doc1", (ls) => [...ls, "pt"], {
        ...AUDIT,
        action: "document.add_language",
      });
      expect(added?.languages).toEqual([...doc.languages, "pt"]);
      const stored = await s.getDocument("doc1");
      expect(stored?.title).toBe("new source");
      expect(stored?.version).toBe(2);
      expect(stored?.languages).toEqual([...doc.languages, "pt"]);
      expect((await s.listAudit(1))[0]?.action).toBe("document.add_language");
      // Racing source updates and language changes all land.
      await Promise.all([
        s.updateDocumentLanguages("doc1", (ls) => ls.filter((l) => l !== "pt")),
        s.updateDocumentSource({ ...doc, version: 3, title: "third" }, [], 2),
        s.updateDocumentLanguages("doc1", (ls) => [...ls, "fr"]),
      ]);
      const last = await s.getDocument("doc1");
      expect(last?.title).toBe("third");
      expect(last?.version).toBe(3);
      expect(last?.languages).toEqual([...doc.languages, "fr"]);
      expect(await s.updateDocumentLanguages("nope", (ls) => [...ls, "de"])).toBeUndefined();
      expect(await s.getDocument("nope")).toBeUndefined();
      await s.close();
    });

    // Scale (issues 11 and 12).

    it("pages the audit log newest first, both ways, across a reopen and with entries added meanwhile", async () => {
      const where = await location();
      let s = await open(where);
      await initialise(s);
      for (let i = 1; i <= 7; i++)
        await s.appendTranslationEvents("doc1", "es", [revisionEvent(i, `t${i}`)], {
          ...AUDIT,
          object: `e${i}`,
        });
      const objects = (page: { entries: { object: string }[] }) => page.entries.map((e) => e.object);
      const first = await s.listAuditPage({ limit: 3 });
      expect(objects(first)).toEqual(["e7", "e6", "e5"]);
      expect(first.previous).toBeUndefined();
      await s.appendAudit({ ...AUDIT, object: "e8" });
      const second = await s.listAuditPage({ limit: 3, after: first.next as string });
      expect(objects(second)).toEqual(["e4", "e3", "e2"]);
      await s.close();
      s = await open(where);
      const last = await s.listAuditPage({ limit: 3, after: second.next as string });
      expect(objects(last)).toEqual(["e1"]);
      expect(last.next).toBeUndefined();
      const back = await s.listAuditPage({ limit: 3, before: last.previous as string });
      expect(objects(back)).toEqual(["e4", "e3", "e2"]);
      const top = await s.listAuditPage({ limit: 3, before: back.previous as string });
      expect(objects(top)).toEqual(["e7", "e6", "e5"]);
      expect(objects(await s.listAuditPage({ limit: 3, before: top.previous as string }))).toEqual(["e8"]);
      for (const limit of [0, 201])
        await expect(s.listAuditPage({ limit })).rejects.toBeInstanceOf(RangeError);
      for (const after of [
        "",
        "nope!",
        first.next?.slice(1) ?? "x",
        Buffer.from("[1]").toString("base64url"),
      ])
        await expect(s.listAuditPage({ limit: 3, after })).rejects.toBeInstanceOf(InvalidCursorError);
      await s.close();
    });

    it("reads the versions of many histories in one call, 0 for those with none", async () => {
      const s = await open(await location());
      await s.putDocument(doc);
      const es = await s.appendTranslationEvents("doc1", "es", [revisionEvent(1, "Hola")]);
      expect(
        await s.translationVersions([
          { document: "doc1", lang: "es" },
          { document: "doc1", lang: "fr" },
          { document: "nodoc", lang: "es" },
          { document: "doc1", lang: "es" },
        ]),
      ).toEqual([es, 0, 0, es]);
      expect(await s.translationVersions([])).toEqual([]);
      await s.close();
    });

    // Find and replace (findstats): one batch across histories, one audit entry.
    it("appends a batch across histories with one audit entry, and a conflict anywhere writes none", async () => {
      const where = await location();
      const s = await open(where);
      await s.setMeta({ version: 1 });
      await s.putDocument(doc);
      await s.putDocument({ ...doc, id: "doc2" });
      await s.appendTranslationEvents("doc2", "es", [revisionEvent(1, "Uno")]);
      const batch = { ...AUDIT, action: "translation.replace" };
      // doc2 expects revision 1 to be p1's latest: it is 1, so this conflicts and nothing is written.
      await expect(
        s.appendTranslationBatch(
          [
            { documentId: "doc1", lang: "es", events: [revisionEvent(1, "A")] },
            { documentId: "doc2", lang: "es", events: [revisionEvent(1, "B")] },
          ],
          batch,
        ),
      ).rejects.toBeInstanceOf(RevisionConflictError);
      expect(await s.readTranslationEvents("doc1", "es")).toEqual([]);
      expect(await s.translationVersion("doc1", "es")).toBe(0);
      expect((await s.listAudit(10)).map((e) => e.action)).not.toContain("translation.replace");

      const versions = await s.appendTranslationBatch(
        [
          { documentId: "doc2", lang: "es", events: [revisionEvent(2, "B")] },
          { documentId: "doc1", lang: "es", events: [revisionEvent(1, "A")] },
        ],
        batch,
      );
      expect(versions).toEqual([2, 1]);
      expect((await s.listAudit(10)).filter((e) => e.action === "translation.replace")).toHaveLength(1);
      // The heads moved: the same batch again is a conflict.
      await expect(
        s.appendTranslationBatch(
          [{ documentId: "doc1", lang: "es", events: [revisionEvent(1, "A")] }],
          batch,
        ),
      ).rejects.toBeInstanceOf(RevisionConflictError);
      await s.close();
      const again = await open(where);
      expect((await again.readTranslationEvents("doc2", "es")).map((e) => e.revision)).toEqual([1, 2]);
      expect(await again.readTranslationEvents("doc1", "es")).toHaveLength(1);
      await again.close();
    });

    // Quality checks: per-language settings and accepted words.
    it("keeps quality settings and accepted words per language, audited, across a reopen", async () => {
      const where = await location();
      const a = await open(where);
      await a.setMeta({ version: 1, initializedAt: "now" });
      await a.putUser({ username: "u", role: "editor", passwordHash: "h", disabled: false, createdAt: "c" });
      await a.writeTerms([PLAIN_TERM]);
      expect(await a.readQuality()).toEqual({ settings: {}, words: {} });
      const before = await a.qualityVersion();
      const settings = { checks: { spelling: { enabled: false } }, titleLimit: 90 };
      await a.putQualitySettings("es", settings, { ...AUDIT, action: "quality.settings" });
      await a.addAcceptedWords("es", ["cambiario", "interanual"], {
        ...AUDIT,
        action: "quality.accept_word",
      });
      await a.addAcceptedWords("es", ["cambiario"]);
      await a.addAcceptedWords("pt-BR", ["bolsonarista"]);
      expect(await a.qualityVersion()).toBeGreaterThan(before);
      const expected = {
        settings: { es: settings },
        words: { es: ["cambiario", "interanual"], "pt-BR": ["bolsonarista"] },
      };
      expect(await a.readQuality()).toEqual(expected);
      expect((await a.listAudit(10)).map((e) => e.action)).toEqual([
        "quality.accept_word",
        "quality.settings",
      ]);
      await a.putQualitySettings("es", { checks: {} });
      await a.close();
      const b = await open(where);
      expect(await b.readQuality()).toEqual({ ...expected, settings: { es: { checks: {} } } });
      await b.close();
    });

    // Pre-translation jobs (issue #16): only a store shared by processes keeps them (PostgreSQL).
    it("keeps a job's status and a cancel asked by another process, when it shares jobs", async () => {
      const a = await open(await location());
      if (!a.putJob || !a.getJob || !a.requestJobCancel) return void (await a.close());
      const job = { id: "j1", documentId: "doc1", lang: "es", state: "running", done: 0, total: 12 };
      expect(await a.getJob("j1")).toBeUndefined();
      expect(await a.requestJobCancel("j1")).toBe(false);
      await a.putJob({ ...job, body: { ...job, providers: {} } });
      expect(await a.requestJobCancel("j1")).toBe(true);
      // Progress written after the cancel was asked keeps the request.
      await a.putJob({ ...job, done: 6, body: { ...job, done: 6 } });
      expect(await a.getJob("j1")).toEqual({
        ...job,
        done: 6,
        body: { ...job, done: 6 },
        cancelRequested: true,
        updatedAt: expect.any(Date),
      });
      await a.close();
    });

    it("lets one job of a document and language run at a time, and a dead one be replaced", async () => {
      const a = await open(await location());
      if (!a.claimJob || !a.getJob || !a.putJob) return void (await a.close());
      const job = (id: string) => ({
        id,
        documentId: "doc1",
        lang: "es",
        state: "running",
        done: 0,
        total: 3,
        body: { id },
      });
      expect(await a.claimJob(job("k1"), 60_000)).toEqual({});
      expect(await a.claimJob(job("k2"), 60_000)).toEqual({ running: "k1" });
      expect(await a.claimJob({ ...job("k3"), lang: "fr" }, 60_000)).toEqual({});
      // Finished: the next one may start; a finished job is never made running again.
      await a.putJob({ ...job("k1"), state: "done", body: { id: "k1", state: "done" } });
      expect(await a.claimJob(job("k4"), 60_000)).toEqual({});
      await a.putJob(job("k1"));
      expect((await a.getJob("k1"))?.state).toBe("done");
      // A running job not written for longer than the stale bound is failed and replaced.
      expect(await a.claimJob(job("k5"), 0)).toEqual({});
      expect((await a.getJob("k4"))?.state).toBe("failed");
      await a.close();
    });
  });
}
