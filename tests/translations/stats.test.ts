import { describe, expect, it } from "vitest";
import type { Document } from "../../translations/document.ts";
import {
  factsOf,
  type GroupBy,
  isoWeek,
  type StatsFilter,
  StatsTally,
  sourceInfo,
} from "../../translations/stats.ts";
import type { TranslationEvent } from "../../translations/translation.ts";

const doc: Document = {
  id: "d1",
  title: "T",
  slug: "t",
  sourceLang: "en",
  createdAt: "2026-03-02T08:00:00.000Z",
  createdBy: "eddie",
  languages: ["es"],
  paragraphs: [
    { id: "p1", index: 0, kind: "title", source: "Milei meets Trump" }, // 3 words
    { id: "p2", index: 1, kind: "paragraph", source: "The chainsaw is back, said the president." }, // 7 words
  ],
};

const rev = (
  pid: string,
  revision: number,
  author: string,
  at: string,
  extra: object = {},
): TranslationEvent => ({
  type: "revision",
  pid,
  revision,
  text: "x",
  status: "translated",
  author,
  createdAt: at,
  ...extra,
});
const review = (
  pid: string,
  revision: number,
  action: "approve" | "reject",
  at: string,
): TranslationEvent => ({
  type: "review",
  pid,
  revision,
  action,
  author: "eddie",
  createdAt: at,
});

// Hand-counted: tina translates p1 (3 words, memory) and p2 (7, human) on 2 March; ana re-saves p2
// as a draft (not counted) then translated by mt on 3 March; eddie rejects p2 r1, approves p1 r1
// (10 h after creation) and p2 r3 (ana's, 26 h after), and a revert and a replace batch count nothing.
const events: TranslationEvent[] = [
  rev("p1", 1, "tina", "2026-03-02T09:00:00.000Z", { origin: "memory" }),
  rev("p2", 1, "tina", "2026-03-02T10:00:00.000Z"),
  review("p2", 1, "reject", "2026-03-02T11:00:00.000Z"),
  review("p1", 1, "approve", "2026-03-02T18:00:00.000Z"),
  rev("p2", 2, "ana", "2026-03-03T08:00:00.000Z", { status: "draft" }),
  rev("p2", 3, "ana", "2026-03-03T09:00:00.000Z", { origin: "mt" }),
  review("p2", 3, "approve", "2026-03-03T10:00:00.000Z"),
  rev("p1", 2, "eddie", "2026-03-04T10:00:00.000Z", { batch: "b1" }),
  rev("p1", 3, "eddie", "2026-03-04T11:00:00.000Z", { revertOf: 1 }),
  review("p1", 3, "approve", "2026-03-04T12:00:00.000Z"),
];

function table(by: GroupBy, filter: StatsFilter = {}) {
  const tally = new StatsTally(by, filter);
  tally.add(factsOf("d1", "es", sourceInfo(doc), events));
  return { rows: tally.rows(), total: tally.total() };
}

describe("statistics", () => {
  it("counts source words translated, reviewed and approved per user, by origin (hand-counted)", () => {
    const { rows } = table("user");
    const byUser = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byUser.tina?.translated).toEqual({ total: 10, human: 7, memory: 3, mt: 0 });
    expect(byUser.tina?.approved).toEqual({ total: 3, human: 0, memory: 3, mt: 0 });
    expect(byUser.ana?.translated).toEqual({ total: 7, human: 0, memory: 0, mt: 7 });
    expect(byUser.ana?.approved).toEqual({ total: 7, human: 0, memory: 0, mt: 7 });
    // eddie reviewed p2 r1 (7, human), p1 r1 (3, memory), p2 r3 (7, mt), p1 r3 (3, human: the revert).
    expect(byUser.eddie?.reviewed).toEqual({ total: 20, human: 10, memory: 3, mt: 7 });
    expect(byUser.eddie?.translated.total).toBe(0);
    expect(byUser.eddie?.approved.total).toBe(3);
  });

  it("counts a machine or memory draft marked translated as it is, or edited, as that origin, not as typed", () => {
    // tina pre-translates p1 and p2 by machine (drafts), then marks p1 translated unchanged and p2
    // edited by two words; a translation typed over a draft (nothing kept) stays hers.
    const drafts: TranslationEvent[] = [
      rev("p1", 1, "mt-bot", "2026-03-02T09:00:00.000Z", { origin: "mt", status: "draft" }),
      rev("p2", 1, "mt-bot", "2026-03-02T09:00:00.000Z", { origin: "memory", status: "draft" }),
      rev("p1", 2, "tina", "2026-03-02T10:00:00.000Z", { originEdit: { from: "mt", words: 0 } }),
      rev("p2", 2, "tina", "2026-03-02T10:00:00.000Z", { originEdit: { from: "memory", words: 2 } }),
      review("p1", 2, "approve", "2026-03-02T11:00:00.000Z"),
      rev("p1", 3, "tina", "2026-03-02T12:00:00.000Z"),
    ];
    const tally = new StatsTally("user", {});
    tally.add(factsOf("d1", "es", sourceInfo(doc), drafts));
    const tina = tally.rows().find((r) => r.key === "tina");
    expect(tina?.translated).toEqual({ total: 13, human: 3, memory: 7, mt: 3 });
    expect(tina?.approved).toEqual({ total: 3, human: 0, memory: 0, mt: 3 });
  });

  it("times the first approval of each paragraph from the source, by day", () => {
    const { rows, total } = table("day");
    expect(rows.map((r) => [r.key, r.translated.total, r.approvals, r.medianHoursToApproval])).toEqual([
      ["2026-03-02", 10, 1, 10],
      ["2026-03-03", 7, 1, 26],
      ["2026-03-04", 0, 0, null],
    ]);
    expect(total).toMatchObject({ approvals: 2, medianHoursToApproval: 18, meanHoursToApproval: 18 });
  });

  it("filters by period and user", () => {
    const { rows } = table("lang", { from: "2026-03-03", to: "2026-03-03", user: "ana" });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: "es", translated: { total: 7 }, approved: { total: 7 } });
  });

  it("times an approval after a source update from that update, once per paragraph and source", () => {
    const updated: Document = {
      ...doc,
      paragraphs: doc.paragraphs.map((p) => (p.id === "p2" ? { ...p, changedIn: 2 } : p)),
    } as Document;
    const times = new Map([
      [1, doc.createdAt],
      [2, "2026-03-05T00:00:00.000Z"],
    ]);
    const later: TranslationEvent[] = [
      ...events,
      rev("p2", 4, "ana", "2026-03-05T01:00:00.000Z", { sourceVersion: 2 }),
      // Source versions come from source updates: the review event carries the one it confirms.
      {
        ...review("p2", 4, "approve", "2026-03-05T04:00:00.000Z"),
        sourceVersion: 2,
      } as unknown as TranslationEvent,
    ];
    const tally = new StatsTally("day", {});
    tally.add(factsOf("d1", "es", sourceInfo(updated, times), later));
    const day = tally.rows().find((r) => r.key === "2026-03-05");
    expect(day).toMatchObject({ approvals: 1, medianHoursToApproval: 4 });
    // Before the update, p2's approval against version 1 counted from the creation (26 h), as before.
    expect(tally.rows().find((r) => r.key === "2026-03-03")).toMatchObject({ medianHoursToApproval: 26 });
  });

  it("counts a review repeating the paragraph's latest review (written before the store refused them) once", () => {
    const repeated: TranslationEvent[] = [
      ...events,
      review("p1", 3, "approve", "2026-03-04T12:00:01.000Z"),
      review("p1", 3, "approve", "2026-03-04T12:00:02.000Z"),
      review("p1", 3, "reject", "2026-03-04T13:00:00.000Z"),
      review("p1", 3, "reject", "2026-03-04T13:00:01.000Z"),
      review("p1", 3, "approve", "2026-03-04T14:00:00.000Z"),
    ];
    const tally = new StatsTally("user", {});
    tally.add(factsOf("d1", "es", sourceInfo(doc), repeated));
    const eddie = tally.rows().find((r) => r.key === "eddie");
    // As the hand count above, plus one rejection and one approval of p1 r3 (3 words each).
    expect(eddie?.reviewed.total).toBe(26);
    expect(eddie?.approved.total).toBe(6);
  });

  it("names ISO weeks", () => {
    expect(isoWeek("2026-03-02T00:00:00Z")).toBe("2026-W10");
    expect(isoWeek("2027-01-01T00:00:00Z")).toBe("2026-W53");
    expect(isoWeek("2024-12-30T00:00:00Z")).toBe("2025-W01");
  });
});
