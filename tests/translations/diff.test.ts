import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffTexts, isTrivialChange, MAX_EDIT_LENGTH, side } from "../../translations/diff.ts";

describe("word diffs", () => {
  it("rebuilds both texts: equal+delete gives `from`, equal+insert gives `to`", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.string({ unit: "grapheme", maxLength: 200 }),
        (a, b) => {
          const { changes } = diffTexts(a, b);
          expect(side(changes, "from")).toBe(a);
          expect(side(changes, "to")).toBe(b);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rebuilds both texts from word-like edits of a sentence", () => {
    const words = fc.array(
      fc.constantFrom("la", "motosierra", "Casa", "Rosada", ",", " ", "  ", "\n", "é", "年"),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(words, words, (a, b) => {
        const from = a.join(" ");
        const to = b.join(" ");
        const { changes } = diffTexts(from, to);
        expect(side(changes, "from")).toBe(from);
        expect(side(changes, "to")).toBe(to);
        for (let i = 1; i < changes.length; i++) expect(changes[i]?.op).not.toBe(changes[i - 1]?.op);
      }),
    );
  });

  it("works word by word", () => {
    expect(diffTexts("la sierra mecánica de Milei", "la motosierra de Milei").changes).toEqual([
      { op: "equal", text: "la " },
      { op: "delete", text: "sierra mecánica " },
      { op: "insert", text: "motosierra " },
      { op: "equal", text: "de Milei" },
    ]);
  });

  it("falls back to characters for scripts without spaces", () => {
    const { changes } = diffTexts("米莱总统接听了电话", "米莱总统拨打了电话");
    expect(changes).toEqual([
      { op: "equal", text: "米莱总统" },
      { op: "delete", text: "接听" },
      { op: "insert", text: "拨打" },
      { op: "equal", text: "了电话" },
    ]);
  });

  it("answers at once for completely different long texts, showing both", () => {
    const a = Array.from({ length: 4000 }, (_, i) => `alfa${i}`).join(" ");
    const b = Array.from({ length: 4000 }, (_, i) => `beta${i}`).join(" ");
    const started = Date.now();
    const result = diffTexts(a, b);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.tooDifferent).toBe(true);
    expect(result.changes).toEqual([
      { op: "delete", text: a },
      { op: "insert", text: b },
    ]);
    expect(MAX_EDIT_LENGTH).toBeGreaterThan(100);
  });

  it("tells whitespace- and punctuation-only changes", () => {
    expect(isTrivialChange({ op: "insert", text: ", " })).toBe(true);
    expect(isTrivialChange({ op: "delete", text: "." })).toBe(true);
    expect(isTrivialChange({ op: "insert", text: "y" })).toBe(false);
    expect(isTrivialChange({ op: "equal", text: " " })).toBe(false);
  });
});
