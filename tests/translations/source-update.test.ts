import { describe, expect, it } from "vitest";
import { createDocument, type Document } from "../../translations/document.ts";
import {
  alignSource,
  compareSourceVersions,
  planSourceUpdate,
  type SourceUpdateInput,
} from "../../translations/source-update.ts";
import { buildState, statusOf, type TranslationEvent } from "../../translations/translation.ts";

const NOW = "2026-02-01T00:00:00.000Z";
const sentences = [
  "Milei and Trump spoke on Tuesday for the first time since the election.",
  "The call lasted twelve minutes, according to the Casa Rosada.",
  "Both leaders promised to meet in Florida before the inauguration.",
  "The opposition criticised the president for the delay in the call.",
];

function doc(paragraphs: string[]): Document {
  return createDocument({
    id: "d",
    sourceLang: "en",
    format: "text",
    content: ["Trump and Milei talk", ...paragraphs].join("\n\n"),
    createdBy: "ed",
    createdAt: "2026-01-01T00:00:00.000Z",
    languages: ["es"],
  });
}

function input(next: Document, extra: Partial<SourceUpdateInput> = {}): SourceUpdateInput {
  return { parsed: next, baseVersion: 1, outdateTrivial: false, author: "ed", now: NOW, ...extra };
}

const saved = (pid: string, text: string): TranslationEvent => ({
  type: "revision",
  pid,
  revision: 1,
  text,
  status: "translated",
  author: "tina",
  createdAt: "2026-01-02T00:00:00.000Z",
});

describe("planning a source update", () => {
  const before = doc([`${sentences[0]} ${sentences[1]}`, sentences[2] as string, sentences[3] as string]);
  const state = buildState([
    saved("p2", "Milei y Trump hablaron el martes. La llamada duró doce minutos."),
    saved("p3", "Ambos prometieron reunirse."),
    saved("p4", "La oposición criticó."),
  ]);

  it("a split keeps the id on the first part and carries the translation into the second, outdated", () => {
    const after = doc([
      sentences[0] as string,
      sentences[1] as string,
      sentences[2] as string,
      sentences[3] as string,
    ]);
    const plan = planSourceUpdate(before, new Map([["es", state]]), input(after));
    expect(plan.changes.split).toEqual([{ from: "p2", into: ["p2", "v2p1"] }]);
    expect(plan.changes.added).toEqual(["v2p1"]);
    expect(plan.carry.es).toEqual([
      expect.objectContaining({
        pid: "v2p1",
        revision: 1,
        text: "Milei y Trump hablaron el martes. La llamada duró doce minutos.",
      }),
    ]);
    const next = buildState(plan.carry.es ?? []);
    const added = plan.document.paragraphs.find((p) => p.id === "v2p1");
    expect(statusOf(next.get("v2p1"), added)).toBe("outdated");
    expect(
      statusOf(
        state.get("p2"),
        plan.document.paragraphs.find((p) => p.id === "p2"),
      ),
    ).toBe("outdated");
    expect(plan.languages.es).toEqual({ outdated: 2, removed: 0 });
    // Version 1 is kept on the first update, with version 2.
    expect(plan.versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it("a merge keeps the first id and joins both translations as its starting text", () => {
    const after = doc([`${sentences[0]} ${sentences[1]}`, `${sentences[2]} ${sentences[3]}`]);
    const plan = planSourceUpdate(before, new Map([["es", state]]), input(after));
    expect(plan.changes.merged).toEqual([{ from: ["p3", "p4"], into: "p3" }]);
    expect(plan.changes.removed).toEqual(["p4"]);
    expect(plan.carry.es).toEqual([
      expect.objectContaining({
        pid: "p3",
        revision: 2,
        text: "Ambos prometieron reunirse. La oposición criticó.",
      }),
    ]);
  });

  it("takes the word diffs worked out with the alignment (in the parse pool) as they are", () => {
    const after = doc([
      `${sentences[0]} ${sentences[1]}`,
      (sentences[2] as string).replace("Florida", "Miami"),
      sentences[3] as string,
    ]);
    const worked = alignSource(
      before.paragraphs,
      after.paragraphs.map((p) => p.source),
    );
    const own = planSourceUpdate(before, new Map(), input(after));
    const given = planSourceUpdate(before, new Map(), input(after, worked));
    expect(given.paragraphs.map((p) => p.diff)).toEqual(own.paragraphs.map((p) => p.diff));
    expect(worked.diffs.filter((d) => d !== null)).toHaveLength(1);
    expect(own.paragraphs[2]?.diff).toContainEqual({ op: "insert", text: "Miami" });
    const marked = worked.diffs.map((d) => d && [{ op: "equal" as const, text: "from the thread" }]);
    const used = planSourceUpdate(before, new Map(), input(after, { ...worked, diffs: marked }));
    expect(used.paragraphs[2]?.diff).toEqual([{ op: "equal", text: "from the thread" }]);
    // Unchanged paragraphs get none, as before.
    expect(given.paragraphs.map((p) => p.diff === undefined)).toEqual([true, true, false, true]);
  });

  it("keeps a paragraph outdated through a later update that does not touch it", () => {
    const edited = (sentences[2] as string).replace("Florida", "Miami");
    const first = planSourceUpdate(
      before,
      new Map([["es", state]]),
      input(doc([`${sentences[0]} ${sentences[1]}`, edited, sentences[3] as string])),
    );
    const v2 = first.document;
    const p3 = () => v2.paragraphs.find((p) => p.id === "p3");
    expect(statusOf(state.get("p3"), p3())).toBe("outdated");
    const second = planSourceUpdate(
      v2,
      new Map([["es", state]]),
      input(doc([`${sentences[0]} ${sentences[1]}`, edited, `${sentences[3]} Again.`]), { baseVersion: 2 }),
    );
    const planned = (id: string) => second.document.paragraphs.find((p) => p.id === id);
    expect(planned("p3")?.changedIn).toBe(2);
    expect(statusOf(state.get("p3"), planned("p3"))).toBe("outdated");
    expect(statusOf(state.get("p4"), planned("p4"))).toBe("outdated");
    expect(statusOf(state.get("p2"), planned("p2"))).toBe("translated");
  });

  it("refuses a stale base version", () => {
    expect(() => planSourceUpdate(before, new Map(), input(before, { baseVersion: 2 }))).toThrow(/version 1/);
  });

  it("compares two kept versions paragraph by paragraph", () => {
    const after = doc([
      `${sentences[0]} ${sentences[1]}`,
      (sentences[2] as string).replace("Florida", "Texas"),
    ]);
    const plan = planSourceUpdate(before, new Map(), input(after));
    const [v1, v2] = plan.versions as [never, never];
    const rows = compareSourceVersions(v1, v2);
    expect(rows.map((r) => `${r.id}:${r.fate}`)).toEqual([
      "p1:unchanged",
      "p2:unchanged",
      "p3:changed",
      "p4:removed",
    ]);
  });
});
