import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../../glossary/normalize.ts";

// The definition the hand-written scanner must agree with.
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’ʼ‘][\p{L}\p{M}\p{N}]+)*/gu;
const reference = (text: string) =>
  [...text.matchAll(WORD)].map((m) => ({
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
    surface: m[0],
  }));

describe("tokenize", () => {
  it("finds words, keeping apostrophes inside them", () => {
    expect(tokenize("Trump’s estate — U.S. president-elect, 2024's café").map((t) => t.surface)).toEqual([
      "Trump’s",
      "estate",
      "U",
      "S",
      "president",
      "elect",
      "2024's",
      "café",
    ]);
  });

  it("agrees with the regular-expression definition on any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (text) => {
        expect(tokenize(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."ab1 ’'ʼ‘-é\u0301𝐀年\u00a0."), maxLength: 30 }),
        (text) => {
          expect(tokenize(text)).toEqual(reference(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
