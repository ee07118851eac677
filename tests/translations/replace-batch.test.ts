import { describe, expect, it } from "vitest";
import { Finder } from "../../translations/replace.ts";
import { groupChosen, planReplace, planUndo } from "../../translations/replace-batch.ts";
import { newestBatches, summarizeBatches } from "../../translations/replace-batches.ts";
import { applyEvent, buildState, isOutdated, type TranslationEvent } from "../../translations/translation.ts";

const rev = (pid: string, revision: number, text: string, extra: object = {}): TranslationEvent => ({
  type: "revision",
  pid,
  revision,
  text,
  status: "translated",
  author: "tina",
  createdAt: "2026-03-01T00:00:00.000Z",
  ...extra,
});

const context = {
  documentId: "d1",
  lang: "es",
  batch: "b1",
  author: "eddie",
  now: "2026-03-02T00:00:00.000Z",
  paragraphs: new Set(["p1", "p2", "p3", "p4"]),
  finder: new Finder({ find: "motosierra", replace: "sierra", lang: "es" }),
  maxTextLength: 20_000,
};

describe("planning a replace batch", () => {
  const state = buildState([
    rev("p1", 1, "La motosierra."),
    rev("p2", 1, "Una motosierra.", { status: "draft" }),
    rev("p3", 1, "Motosierra"),
    rev("p3", 2, "Motosierra otra vez"),
    rev("p4", 1, "Motosierra"),
  ]);

  it("writes one revision per paragraph on the previewed revision, keeps drafts drafts, and says why it left the rest", () => {
    const chosen = groupChosen(["d1/p1/1/3", "d1/p2/1/4", "d1/p3/1/0", "d1/p9/1/0", "d1/p1/1/3"]);
    const plan = planReplace(state, context, chosen.get("d1") ?? new Map());
    expect(
      plan.events.map((e) => [
        e.pid,
        e.revision,
        e.type === "revision" && e.text,
        e.type === "revision" && e.status,
      ]),
    ).toEqual([
      ["p1", 2, "La sierra.", "translated"],
      ["p2", 2, "Una sierra.", "draft"],
    ]);
    expect(plan.events.every((e) => e.type === "revision" && e.batch === "b1" && e.author === "eddie")).toBe(
      true,
    );
    expect(plan.skipped).toEqual([
      { documentId: "d1", pid: "p3", revision: 1, latest: 2, reason: "changed" },
      { documentId: "d1", pid: "p9", revision: 1, latest: 0, reason: "missing" },
    ]);
  });

  it("leaves a paragraph the replacement would empty, and one whose occurrence is not where the id says", () => {
    const empty = new Finder({ find: "motosierra", replace: "", lang: "es" });
    const plan = planReplace(
      state,
      { ...context, finder: empty },
      groupChosen(["d1/p4/1/0", "d1/p1/1/5"]).get("d1") ?? new Map(),
    );
    expect(plan.events).toEqual([]);
    expect(plan.skipped.map((s) => [s.pid, s.reason])).toEqual([
      ["p4", "invalid"],
      ["p1", "missing"],
    ]);
  });

  it("refuses ids that are not occurrence ids, or that mix revisions of one paragraph", () => {
    expect(() => groupChosen(["d1/p1/x/3"])).toThrow(/not an occurrence id/);
    expect(() => groupChosen(["d1/p1/1/3/4"])).toThrow(/not an occurrence id/);
    expect(() => groupChosen(["d1/p1/1/3", "d1/p1/2/3"])).toThrow(/same revision/);
  });

  it("undoes exactly the batch's revisions that are still the latest", () => {
    const after = buildState([
      rev("p1", 1, "La motosierra."),
      rev("p1", 2, "La sierra.", { batch: "b1" }),
      rev("p2", 1, "Una motosierra."),
      rev("p2", 2, "Una sierra.", { batch: "b1" }),
      rev("p2", 3, "Una sierra nueva."),
      rev("p3", 1, "Otra", { batch: "b0" }),
    ]);
    const plan = planUndo(after, { ...context, batch: "u1", undoes: "b1" }, [
      { pid: "p1", revision: 2 },
      { pid: "p2", revision: 2 },
      { pid: "p3", revision: 1 },
    ]);
    expect(plan.events).toMatchObject([
      { pid: "p1", revision: 3, text: "La motosierra.", revertOf: 1, batch: "u1" },
    ]);
    expect(plan.skipped.map((s) => [s.pid, s.reason])).toEqual([
      ["p2", "changed"],
      ["p3", "not_in_batch"],
    ]);
  });

  it("puts a draft back as a draft: an undo sends nothing to review that was not there", () => {
    const after = buildState([
      rev("p1", 1, "Una motosierra.", { status: "draft" }),
      rev("p1", 2, "Una sierra.", { status: "draft", batch: "b1" }),
      rev("p2", 1, "La motosierra."),
      rev("p2", 2, "La sierra.", { batch: "b1" }),
    ]);
    const plan = planUndo(after, { ...context, batch: "u1", undoes: "b1" }, [
      { pid: "p1", revision: 2 },
      { pid: "p2", revision: 2 },
    ]);
    expect(plan.events).toMatchObject([
      { pid: "p1", revision: 3, text: "Una motosierra.", status: "draft", revertOf: 1 },
      { pid: "p2", revision: 3, text: "La motosierra.", status: "translated", revertOf: 1 },
    ]);
  });

  it("puts back the approval or rejection of the text the batch replaced, by its reviewer", () => {
    const review = (pid: string, revision: number, action: "approve" | "reject", comment?: string) =>
      ({
        type: "review",
        pid,
        revision,
        action,
        author: "rita",
        createdAt: "2026-03-01T01:00:00.000Z",
        ...(comment ? { comment } : {}),
      }) as TranslationEvent;
    const state = buildState([
      rev("p1", 1, "La motosierra."),
      review("p1", 1, "approve"),
      rev("p2", 1, "Una motosierra."),
      review("p2", 1, "reject", "Revisa la cifra"),
      rev("p3", 1, "Motosierra"),
    ]);
    const plan = planReplace(
      state,
      context,
      groupChosen(["d1/p1/1/3", "d1/p2/1/4", "d1/p3/1/0"]).get("d1") ?? new Map(),
    );
    for (const event of plan.events) applyEvent(state, event);
    expect(["p1", "p2", "p3"].map((pid) => state.get(pid)?.revisions.at(-1)?.status)).toEqual([
      "translated",
      "translated",
      "translated",
    ]);
    const undo = planUndo(
      state,
      { ...context, author: "tina", batch: "u1", undoes: "b1" },
      plan.revisions.map(({ pid, revision }) => ({ pid, revision })),
    );
    expect(undo.reviews).toMatchObject([
      { pid: "p1", revision: 3, action: "approve", author: "rita", restoredBy: "tina" },
      {
        pid: "p2",
        revision: 3,
        action: "reject",
        comment: "Revisa la cifra",
        author: "rita",
        restoredBy: "tina",
      },
    ]);
    for (const event of [...undo.events, ...undo.reviews]) applyEvent(state, event);
    expect(state.get("p1")).toMatchObject({ lastApproved: 3 });
    expect(state.get("p1")?.revisions.at(-1)).toMatchObject({ text: "La motosierra.", status: "approved" });
    expect(state.get("p2")?.rejection).toMatchObject({ comment: "Revisa la cifra", author: "rita" });
    expect(state.get("p3")?.revisions.at(-1)?.status).toBe("translated");
  });

  it("leaves a translation confirmed against a newer source current, and one made against an older one outdated", () => {
    // p1 was fixed after the source changed in version 2; p2 was made against version 1 and not yet.
    const events = [
      rev("p1", 1, "La motosierra."),
      rev("p1", 2, "La motosierra, otra vez.", { sourceVersion: 2 }),
      rev("p2", 1, "Una motosierra."),
    ];
    const changed = { changedIn: 2 };
    const replaced = buildState(events);
    const chosen = groupChosen(["d1/p1/2/3", "d1/p2/1/4"]);
    const plan = planReplace(replaced, context, chosen.get("d1") ?? new Map());
    for (const event of plan.events) applyEvent(replaced, event);
    expect(isOutdated(replaced.get("p1"), changed)).toBe(false);
    expect(isOutdated(replaced.get("p2"), changed)).toBe(true);
    // Undo restores the earlier text as current as it was.
    const undo = planUndo(
      replaced,
      { ...context, batch: "u1", undoes: "b1" },
      plan.revisions.map(({ pid, revision }) => ({ pid, revision })),
    );
    for (const event of undo.events) applyEvent(replaced, event);
    expect(isOutdated(replaced.get("p1"), changed)).toBe(false);
    expect(isOutdated(replaced.get("p2"), changed)).toBe(true);
  });
});

describe("what became of replace batches", () => {
  it("says who and when, what an undo would still revert, what was saved since, and what undid what", () => {
    const at = (day: number) => ({ createdAt: `2026-03-0${day}T00:00:00.000Z` });
    const d1 = buildState([
      rev("p1", 1, "La motosierra."),
      rev("p1", 2, "La sierra.", { batch: "b1", author: "eddie", ...at(2) }),
      rev("p2", 1, "Una motosierra."),
      rev("p2", 2, "Una sierra.", { batch: "b1", author: "eddie", ...at(2) }),
      rev("p2", 3, "Una sierra nueva.", at(3)),
      rev("p3", 1, "Motosierra"),
      rev("p3", 2, "Sierra", { batch: "b2", author: "ana", ...at(4) }),
      rev("p3", 3, "Motosierra", { batch: "u2", author: "ana", revertOf: 1, ...at(5) }),
    ]);
    const d2 = buildState([
      rev("p1", 1, "Motosierra"),
      rev("p1", 2, "Sierra", { batch: "b1", author: "eddie", ...at(2) }),
    ]);
    const batches = summarizeBatches("d2", d2, summarizeBatches("d1", d1));
    const [u2, b2, b1, ...rest] = newestBatches(batches);
    expect(rest).toEqual([]);
    expect(b1).toMatchObject({
      batch: "b1",
      author: "eddie",
      at: "2026-03-02T00:00:00.000Z",
      documents: ["d1", "d2"],
      undoneBy: [],
    });
    expect(b1?.paragraphs).toHaveLength(3);
    expect(b1?.undoable).toEqual([
      { documentId: "d1", pid: "p1", revision: 2 },
      { documentId: "d2", pid: "p1", revision: 2 },
    ]);
    expect(b1?.changed).toEqual([{ documentId: "d1", pid: "p2", revision: 2 }]);
    // Undone: nothing left to revert, and not "changed since" either.
    expect(b2).toMatchObject({ batch: "b2", undoneBy: ["u2"], undoable: [], changed: [] });
    expect(u2).toMatchObject({
      batch: "u2",
      author: "ana",
      undoes: "b2",
      undoable: [{ pid: "p3", revision: 3 }],
    });
  });
});
