import { describe, expect, it } from "vitest";
import { ConflictError, GlosaError, NotFoundError } from "../../translations/errors.ts";
import {
  applyEvent,
  buildState,
  cleanText,
  clearRevision,
  emptyState,
  revertRevision,
  reviewRevision,
  saveRevision,
  statusOf,
  type TranslationEvent,
} from "../../translations/translation.ts";

const now = "2026-01-01T00:00:00.000Z";

function saved(events: TranslationEvent[]) {
  return buildState(events).get("p1");
}

describe("saving revisions", () => {
  it("numbers revisions from 1 and refuses a stale base", () => {
    const first = saveRevision(undefined, {
      pid: "p1",
      text: "Hola",
      baseRevision: 0,
      status: "translated",
      author: "a",
      now,
    });
    expect(first).toMatchObject({ revision: 1, text: "Hola", status: "translated" });
    const state = saved([first as TranslationEvent]);
    expect(() =>
      saveRevision(state, {
        pid: "p1",
        text: "Otra",
        baseRevision: 0,
        status: "translated",
        author: "b",
        now,
      }),
    ).toThrow(ConflictError);
    try {
      saveRevision(state, {
        pid: "p1",
        text: "Otra",
        baseRevision: 0,
        status: "translated",
        author: "b",
        now,
      });
    } catch (error) {
      expect((error as ConflictError).extra).toEqual({
        current: { revision: 1, text: "Hola", author: "a", createdAt: now },
      });
    }
  });

  it("creates no revision when the text is the latest one, unless a draft becomes a translation", () => {
    const draft = saveRevision(undefined, {
      pid: "p1",
      text: "Hola",
      baseRevision: 0,
      status: "draft",
      author: "a",
      now,
    });
    const state = saved([draft as TranslationEvent]);
    expect(
      saveRevision(state, { pid: "p1", text: "Hola", baseRevision: 1, status: "draft", author: "a", now }),
    ).toBeNull();
    expect(
      saveRevision(state, {
        pid: "p1",
        text: "Hola",
        baseRevision: 1,
        status: "translated",
        author: "a",
        now,
      }),
    ).toMatchObject({
      revision: 2,
    });
  });

  it("makes an approved paragraph translated again when saved", () => {
    const events: TranslationEvent[] = [
      {
        type: "revision",
        pid: "p1",
        revision: 1,
        text: "Hola",
        status: "translated",
        author: "a",
        createdAt: now,
      },
      { type: "review", pid: "p1", revision: 1, action: "approve", author: "e", createdAt: now },
    ];
    const state = saved(events);
    expect(statusOf(state)).toBe("approved");
    const next = saveRevision(state, {
      pid: "p1",
      text: "Hola!",
      baseRevision: 1,
      status: "translated",
      author: "a",
      now,
    });
    const after = buildState([...events, next as TranslationEvent]).get("p1");
    expect(statusOf(after)).toBe("translated");
    expect(after?.lastApproved).toBe(1);
  });
});

describe("reviews and reverts", () => {
  const events: TranslationEvent[] = [
    {
      type: "revision",
      pid: "p1",
      revision: 1,
      text: "Uno",
      status: "translated",
      author: "a",
      createdAt: now,
    },
    {
      type: "revision",
      pid: "p1",
      revision: 2,
      text: "Dos",
      status: "translated",
      author: "a",
      createdAt: now,
    },
  ];

  it("approves only the latest revision", () => {
    const state = saved(events);
    expect(() =>
      reviewRevision(state, { pid: "p1", revision: 1, action: "approve", author: "e", now }),
    ).toThrow(ConflictError);
    expect(() =>
      reviewRevision(state, { pid: "p1", revision: 9, action: "approve", author: "e", now }),
    ).toThrow(NotFoundError);
    const review = reviewRevision(state, {
      pid: "p1",
      revision: 2,
      action: "reject",
      comment: "Tono",
      author: "e",
      now,
    });
    const after = buildState([...events, review]).get("p1");
    expect(statusOf(after)).toBe("rejected");
    expect(after?.rejection).toMatchObject({ comment: "Tono", author: "e" });
    expect(after?.revisions[1]).toMatchObject({ status: "rejected", comment: "Tono" });
  });

  it("reverts by appending the old text as a new revision", () => {
    const state = saved(events);
    const revert = revertRevision(state, { pid: "p1", revision: 1, author: "b", now });
    expect(revert).toMatchObject({ revision: 3, text: "Uno", author: "b", revertOf: 1 });
    expect(() => revertRevision(state, { pid: "p1", revision: 5, author: "b", now })).toThrow(NotFoundError);
  });

  it("clears explicitly, as a revision", () => {
    const state = saved(events);
    const clear = clearRevision(state, { pid: "p1", baseRevision: 2, author: "a", now });
    expect(clear).toMatchObject({ revision: 3, text: "", status: "untranslated" });
    const after = emptyState();
    for (const e of [...events, clear as TranslationEvent]) applyEvent(after, e);
    expect(statusOf(after.get("p1"))).toBe("untranslated");
  });
});

describe("cleaning text", () => {
  it("refuses empty and whitespace-only text", () => {
    expect(() => cleanText("  \n\t ")).toThrow(GlosaError);
  });
  it("refuses control characters other than tab and newline", () => {
    expect(() => cleanText("a\u0000b")).toThrow(/control/);
    expect(() => cleanText("a\u001bb")).toThrow(/control/);
    expect(() => cleanText("a\u0085b")).toThrow(/control/);
    expect(cleanText("a\tb\nc")).toBe("a\tb\nc");
  });
  it("refuses text over the maximum", () => {
    expect(() => cleanText("x".repeat(11), 10)).toThrow(/longer/);
  });
  it("stores NFC and unix newlines", () => {
    expect(cleanText("Cafe\u0301\r\nya")).toBe("Café\nya");
  });
});
