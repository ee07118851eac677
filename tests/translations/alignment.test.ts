import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Alignment,
  alignParagraphs,
  type OldParagraph,
  SIMILARITY_THRESHOLD,
  similarity,
  wordSet,
} from "../../translations/alignment.ts";

const seed = readFileSync(new URL("../fixtures/seed/article-trump-milei.txt", import.meta.url), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter(Boolean);
const old: OldParagraph[] = seed.map((source, i) => ({ id: `p${i + 1}`, source }));
const at = (i: number) => seed[i] as string;

function fates(alignment: Alignment) {
  return alignment.paragraphs.map((p) => `${p.fate}:${p.from.join("+")}`);
}

/** Every old paragraph is either carried into a new one or listed as removed: none is lost. */
function expectNothingLost(alignment: Alignment, before: OldParagraph[]) {
  const reached = new Set([...alignment.paragraphs.flatMap((p) => p.from), ...alignment.removed]);
  for (const p of before) expect(reached.has(p.id)).toBe(true);
}

describe("paragraph alignment on the seed article", () => {
  it("a version aligned with itself is unchanged, in place", () => {
    const a = alignParagraphs(old, seed);
    expect(fates(a)).toEqual(old.map((p) => `unchanged:${p.id}`));
    expect(a.removed).toEqual([]);
  });

  it("a corrected paragraph is edited and keeps its id", () => {
    const next = [...seed];
    next[3] = at(3).replace("Tuesday", "Wednesday").replace("spokesperson", "press secretary");
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[3]).toMatchObject({ fate: "edited", from: ["p4"] });
    expect(fates(a).filter((f) => f.startsWith("unchanged"))).toHaveLength(seed.length - 1);
  });

  it("a paragraph inserted at the top is added, every other keeps its id", () => {
    const next = ["UPDATE: the Casa Rosada released a statement on Thursday night.", ...seed];
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[0]).toMatchObject({ fate: "added", from: [] });
    expect(a.paragraphs.slice(1).map((p) => p.from[0])).toEqual(old.map((p) => p.id));
    expect(a.paragraphs.slice(1).every((p) => p.fate === "unchanged" && !p.moved)).toBe(true);
  });

  it("two swapped paragraphs keep their ids; one of them has moved", () => {
    const next = [...seed];
    [next[4], next[5]] = [at(5), at(4)];
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[4]).toMatchObject({ fate: "unchanged", from: ["p6"] });
    expect(a.paragraphs[5]).toMatchObject({ fate: "unchanged", from: ["p5"] });
    expect(a.paragraphs.filter((p) => p.moved)).toHaveLength(1);
  });

  it("a paragraph split in two: both parts come from it", () => {
    const sentences = at(4).split(/(?<=\.) /);
    const next = [
      ...seed.slice(0, 4),
      sentences.slice(0, 2).join(" "),
      sentences.slice(2).join(" "),
      ...seed.slice(5),
    ];
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[4]).toMatchObject({ fate: "split", from: ["p5"] });
    expect(a.paragraphs[5]).toMatchObject({ fate: "split", from: ["p5"] });
    expect(a.removed).toEqual([]);
  });

  it("two paragraphs merged into one: it comes from both", () => {
    const next = [...seed.slice(0, 6), `${at(6)} ${at(7)}`, ...seed.slice(8)];
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[6]).toMatchObject({ fate: "merged", from: ["p7", "p8"] });
    expect(a.removed).toEqual([]);
  });

  it("the last paragraph removed is listed as removed", () => {
    const a = alignParagraphs(old, seed.slice(0, -1));
    expect(a.removed).toEqual([`p${seed.length}`]);
    expect(a.paragraphs.every((p) => p.fate === "unchanged")).toBe(true);
  });

  it("a rewritten headline is still matched with the old one", () => {
    const next = [...seed];
    next[0] = "Trump tells Milei he is his ‘favorite president’ in their first call since the US election";
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[0]).toMatchObject({ fate: "edited", from: ["p1"] });
  });

  it("punctuation, quotes and whitespace only: a trivial change", () => {
    const next = [...seed];
    next[2] = at(2).replaceAll("“", '"').replaceAll("”", '"').replace("liked.", "liked !");
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[2]).toMatchObject({ fate: "trivial", from: ["p3"] });
  });

  it("a new paragraph unlike any other is added, the one it replaced removed", () => {
    const next = [...seed];
    next[8] = "Weather in Buenos Aires remained mild throughout the week, forecasters said.";
    const a = alignParagraphs(old, next);
    expect(a.paragraphs[8]).toMatchObject({ fate: "added" });
    expect(a.removed).toEqual(["p9"]);
  });
});

describe("the similarity threshold", () => {
  it("lies above every pair of different seed paragraphs", () => {
    let highest = 0;
    for (let i = 0; i < seed.length; i++)
      for (let j = i + 1; j < seed.length; j++)
        highest = Math.max(highest, similarity(wordSet(at(i)), wordSet(at(j))));
    expect(highest).toBeLessThan(0.35);
    expect(highest).toBeLessThan(SIMILARITY_THRESHOLD);
  });

  it("lies below a paragraph with a third of its words rewritten", () => {
    for (const text of seed.slice(2)) {
      const edited = text
        .split(" ")
        .map((w, i) => (i % 3 === 0 ? `${w}x` : w))
        .join(" ");
      expect(similarity(wordSet(text), wordSet(edited))).toBeGreaterThan(0.6);
    }
  });
});

describe("alignment properties", () => {
  const texts = fc.array(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 30 });

  it("aligning a version with itself changes nothing", () => {
    fc.assert(
      fc.property(texts, (list) => {
        const before = list.map((source, i) => ({ id: `p${i}`, source }));
        const a = alignParagraphs(before, list);
        expect(a.removed).toEqual([]);
        expect(a.paragraphs.map((p) => [p.fate, p.from])).toEqual(before.map((p) => ["unchanged", [p.id]]));
      }),
    );
  });

  it("every paragraph that existed before an update stays reachable", () => {
    fc.assert(
      fc.property(texts, texts, (a, b) => {
        const before = a.map((source, i) => ({ id: `p${i}`, source }));
        const alignment = alignParagraphs(before, b);
        expectNothingLost(alignment, before);
        expect(alignment.paragraphs).toHaveLength(b.length);
        // No old paragraph is both carried and removed.
        const carried = new Set(alignment.paragraphs.flatMap((p) => p.from));
        for (const id of alignment.removed) expect(carried.has(id)).toBe(false);
      }),
    );
  });
});
