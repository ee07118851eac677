import { describe, expect, it } from "vitest";
import {
  type Comment,
  CommentForbiddenError,
  deleteComment,
  editComment,
  openCounts,
  parseMentions,
  resolveComment,
  textSegments,
  threadFor,
} from "../../translations/comment.ts";

const users = new Set(["ana", "eddie", "j.doe"]);
const exists = (name: string) => users.has(name);

const comment = (over: Partial<Comment> = {}): Comment => ({
  id: "c1",
  documentId: "d",
  pid: "p1",
  scope: "translation",
  lang: "es",
  author: "ana",
  text: "hola",
  createdAt: "2026-01-01T00:00:00.000Z",
  mentions: [],
  resolved: false,
  history: [],
  ...over,
});
const ana = { username: "ana", canResolve: false, canModerate: false };
const eddie = { username: "eddie", canResolve: true, canModerate: false };
const admin = { username: "root", canResolve: true, canModerate: true };

describe("mentions", () => {
  it("keeps existing users once each, lower-cased, without trailing dots, ignoring e-mail addresses", () => {
    expect(parseMentions("@Ana, @eddie and @ana again; @ghost; mail x@ana.com; @j.doe.", exists)).toEqual([
      "ana",
      "eddie",
      "j.doe",
    ]);
  });
});

describe("text segments", () => {
  it("links http(s) URLs only, leaving trailing punctuation and other schemes as text", () => {
    expect(textSegments("see https://elpais.com/x?a=1. or javascript:alert(1) ftp://h")).toEqual([
      { text: "see " },
      { text: "https://elpais.com/x?a=1", href: "https://elpais.com/x?a=1" },
      { text: ". or javascript:alert(1) ftp://h" },
    ]);
  });

  it("marks mentions that were stored, and nothing else", () => {
    expect(textSegments("@ana and @ghost", ["ana"])).toEqual([
      { text: "@ana", mention: "ana" },
      { text: " and @ghost" },
    ]);
  });
});

describe("commands", () => {
  it("edits only by the author, keeping the earlier text", () => {
    expect(() => editComment(comment(), "x", [], eddie, "t")).toThrow(CommentForbiddenError);
    const edited = editComment(comment(), "adiós", [], ana, "t1");
    expect(edited).toMatchObject({ text: "adiós", editedAt: "t1" });
    expect(edited.history).toEqual([{ text: "hola", action: "edit", by: "ana", at: "t1" }]);
  });

  it("deletes by the author or a moderator, resolves by an editor", () => {
    expect(() => deleteComment(comment(), eddie, "t")).toThrow(CommentForbiddenError);
    expect(deleteComment(comment(), admin, "t")).toMatchObject({ deleted: true, text: "" });
    expect(() => resolveComment(comment(), true, ana, "t")).toThrow(CommentForbiddenError);
    expect(resolveComment(comment(), true, eddie, "t")).toMatchObject({
      resolved: true,
      resolvedBy: "eddie",
    });
  });

  it("shows a language's thread with the source thread, and counts what is open", () => {
    const all = [
      comment({ id: "a", createdAt: "2" }),
      comment({ id: "b", lang: "fr", createdAt: "1" }),
      comment({ id: "c", lang: "fr", scope: "source", createdAt: "3" }),
      comment({ id: "d", resolved: true, createdAt: "4" }),
      comment({ id: "e", deleted: true, createdAt: "5" }),
    ];
    expect(threadFor(all, "p1", "es").map((c) => c.id)).toEqual(["a", "c", "d"]);
    expect(openCounts(all, "es").get("p1")).toBe(2);
  });
});
