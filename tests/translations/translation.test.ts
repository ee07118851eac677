import { describe, expect, it } from "vitest";
import { ConflictError, GlosaError, NotFoundError } from "../../translations/errors.ts";
import { needsReview } from "../../translations/review.ts";
import {
  applyEvent,
  buildState,
  cleanText,
  clearRevision,
  emptyState,
  repeatsReview,
  revertRevision,
  reviewRevision,
  type SaveInput,
  saveRevision,
  statusOf,
  type TranslationEvent,
} from "../../translations/translation.ts";
import { revisionEvent } from "../fixtures/records.ts";

const now = "2026-01-01T00:00:00.000Z";

function saved(events: TranslationEvent[]) {
  return buildState(events).get("p1");
}

/** Translator a saves "Hola" over nothing in p1, unless `fields` say otherwise. */
const input = (fields: Partial<SaveInput> = {}): SaveInput => ({
  pid: "p1",
  text: "Hola",
  baseRevision: 0,
  status: "translated",
  author: "a",
  now,
  ...fields,
});
const revision = (n: number, text: string) => revisionEvent(n, text, { author: "a", createdAt: now });

describe("saving revisions", () => {
  it("numbers revisions from 1 and refuses a stale base", () => {
    const first = saveRevision(undefined, input());
    expect(first).toMatchObject({ revision: 1, text: "Hola", status: "translated" });
    const state = saved([first as TranslationEvent]);
    const stale = () => saveRevision(state, input({ text: "Otra", author: "b" }));
    expect(stale).toThrow(ConflictError);
    try {
      stale();
    } catch (error) {
      expect((error as ConflictError).extra).toEqual({
        current: { revision: 1, text: "Hola", author: "a", createdAt: now, status: "translated" },
      });
    }
  });

  it("creates no revision when the text is the latest one, unless a draft becomes a translation", () => {
    const draft = saveRevision(undefined, input({ status: "draft" }));
    const state = saved([draft as TranslationEvent]);
    expect(saveRevision(state, input({ baseRevision: 1, status: "draft" }))).toBeNull();
    expect(saveRevision(state, input({ baseRevision: 1 }))).toMatchObject({
      revision: 2,
    });
  });

  it("makes an approved paragraph translated again when saved", () => {
    const events: TranslationEvent[] = [
      revision(1, "Hola"),
      { type: "review", pid: "p1", revision: 1, action: "approve", author: "e", createdAt: now },
    ];
    const state = saved(events);
    expect(statusOf(state)).toBe("approved");
    const next = saveRevision(state, input({ text: "Hola!", baseRevision: 1 }));
    const after = buildState([...events, next as TranslationEvent]).get("p1");
    expect(statusOf(after)).toBe("translated");
    expect(after?.lastApproved).toBe(1);
  });
});

describe("reviews and reverts", () => {
  const events: TranslationEvent[] = [revision(1, "Uno"), revision(2, "Dos")];

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
    const after = buildState([...events, review as TranslationEvent]).get("p1");
    expect(statusOf(after)).toBe("rejected");
    expect(after?.rejection).toMatchObject({ comment: "Tono", author: "e" });
    expect(after?.revisions[1]).toMatchObject({ status: "rejected", comment: "Tono" });
  });

  it("queues for review what was marked translated since the last approval, never a draft", () => {
    const approve = (n: number) =>
      reviewRevision(saved(events.slice(0, n)), {
        pid: "p1",
        revision: n,
        action: "approve",
        author: "e",
        now,
      }) as TranslationEvent;
    expect(needsReview(saved([revision(1, "Uno")]))).toBe(true);
    expect(needsReview(saved([revisionEvent(1, "Uno", { status: "draft" })]))).toBe(false);
    const approved = [revision(1, "Uno"), approve(1)];
    expect(needsReview(saved(approved))).toBe(false);
    // A draft on top of an approved text waits for its translator, not for a reviewer.
    expect(needsReview(saved([...approved, revisionEvent(2, "Dos", { status: "draft" })]))).toBe(false);
    expect(needsReview(saved([...approved, revision(2, "Dos")]))).toBe(true);
  });

  it("makes no event for a decision the revision has already, but does for another one or a later source", () => {
    const decide = (history: TranslationEvent[], action: "approve" | "reject", sourceVersion?: number) =>
      reviewRevision(saved(history), {
        pid: "p1",
        revision: 2,
        action,
        author: "e",
        now,
        ...(sourceVersion !== undefined ? { sourceVersion } : {}),
      });
    const approval = decide(events, "approve") as TranslationEvent;
    expect(approval).toMatchObject({ type: "review", action: "approve" });
    const approved = [...events, approval];
    expect(decide(approved, "approve")).toBeNull();
    expect(decide(approved, "approve", 1)).toBeNull();
    // Confirming the text against a later source is a change (an outdated translation approved again).
    expect(decide(approved, "approve", 2)).toMatchObject({ action: "approve", sourceVersion: 2 });
    const rejection = decide(approved, "reject") as TranslationEvent;
    expect(rejection).toMatchObject({ action: "reject" });
    expect(decide([...approved, rejection], "reject")).toBeNull();
    expect(decide([...approved, rejection], "approve")).toMatchObject({ action: "approve" });
  });

  it("says a review repeats the paragraph's latest review only for the same revision and decision", () => {
    const approve = { revision: 2, action: "approve" as const };
    expect(repeatsReview(undefined, approve)).toBe(false);
    expect(repeatsReview(approve, approve)).toBe(true);
    expect(repeatsReview({ revision: 1, action: "approve" }, approve)).toBe(false);
    expect(repeatsReview({ revision: 2, action: "reject" }, approve)).toBe(false);
    expect(repeatsReview({ ...approve, sourceVersion: 3 }, { ...approve, sourceVersion: 2 })).toBe(true);
    expect(repeatsReview({ ...approve, sourceVersion: 2 }, { ...approve, sourceVersion: 3 })).toBe(false);
    expect(
      repeatsReview({ revision: 2, action: "reject", sourceVersion: 2 }, { revision: 2, action: "reject" }),
    ).toBe(true);
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
