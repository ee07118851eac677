import fc from "fast-check";
import { distance } from "fastest-levenshtein";
import { describe, expect, it } from "vitest";
import { Coder } from "../../memory/coder.ts";
import {
  alignNumbers,
  bagOf,
  inLargerNumber,
  ScoreBound,
  scoreWords,
  substituteNumbers,
} from "../../memory/score.ts";

function score(a: string, b: string, lang = "en") {
  const coder = new Coder(lang);
  const query = coder.code(a, true).coded;
  const candidate = coder.code(b, true).coded;
  return scoreWords(query, candidate, a === b);
}

/** Weblate's score: 100 × (1 − character edit distance / longer length). */
const charScore = (a: string, b: string) =>
  Math.floor(100 * (1 - distance(a.toLowerCase(), b.toLowerCase()) / Math.max(a.length, b.length)));

// Pairs a translator judges: `useful` ones should score high, `misleading` ones low. Plain character
// edit distance gets them backwards: an added "not" or a changed figure is a few characters, and an
// inflected name or a case change of a short sentence looks like a big edit.
const USEFUL = [
  ["The Kirchnerists won the vote in Congress.", "The Kirchnerist won the vote in Congress."],
  ["Milei cut the subsidies of the provinces.", "Milei cuts the subsidy of the province."],
  ["Inflation fell to 2.4% in October.", "Inflation fell to 3.1% in October."],
  ["The chainsaw is back.", "THE CHAINSAW IS BACK!"],
  ["Bullrich denied the claims.", "Bullrich denies the claim."],
] as const;
const MISLEADING = [
  ["The president will sign the decree.", "The president will not sign the decree."],
  ["Congress approved the budget for 2025.", "Congress approved the budget for 2025 and 2026 only."],
  ["The governors supported the reform.", "The governors never supported the reform."],
] as const;

describe("word score", () => {
  it("is 100 only for the identical text, at most 99 otherwise", () => {
    expect(score("Casa Rosada said no.", "Casa Rosada said no.")).toBe(100);
    expect(score("Casa Rosada said no.", "Casa Rosada said no!")).toBe(99);
    expect(score("Casa Rosada said no.", "casa rosada said no.")).toBe(99);
  });

  it("costs little for an inflection and much for an added negation", () => {
    expect(score(USEFUL[0][0], USEFUL[0][1])).toBeGreaterThanOrEqual(95);
    expect(score(MISLEADING[0][0], MISLEADING[0][1])).toBeLessThan(70);
  });

  it("ranks the test set better than character edit distance", () => {
    const usefulWords = USEFUL.map(([a, b]) => score(a, b));
    const misleadingWords = MISLEADING.map(([a, b]) => score(a, b));
    // Every useful pair above the default threshold of 70, every misleading one under it.
    expect(Math.min(...usefulWords)).toBeGreaterThanOrEqual(75);
    expect(Math.max(...misleadingWords)).toBeLessThan(70);
    // Characters: some misleading pair scores above some useful one.
    const usefulChars = USEFUL.map(([a, b]) => charScore(a, b));
    const misleadingChars = MISLEADING.map(([a, b]) => charScore(a, b));
    expect(Math.max(...misleadingChars)).toBeGreaterThan(Math.min(...usefulChars));
  });

  it("works on Spanish stems", () => {
    expect(
      score("Los kirchneristas votaron en contra.", "El kirchnerista votó en contra.", "es"),
    ).toBeGreaterThan(60);
    expect(
      score("El presidente firmará el decreto.", "El presidente no firmará el decreto.", "es"),
    ).toBeLessThan(70);
  });
});

describe("score bound", () => {
  // Inflections, numbers of other values and negations: what the bound must count and never overcount.
  const WORDS = ["the", "vote", "votes", "voted", "not", "never", "15", "20", "Milei", "Congress", "a", "of"];
  const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 14 }).map((w) => w.join(" "));

  it("is never under the score, and rules out only what scores under the floor", () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 99 }), (a, b, min) => {
        const coder = new Coder("en");
        const candidate = coder.code(b, true).coded;
        const query = coder.code(a, false).coded;
        const bound = new ScoreBound();
        bound.load(query, coder.keyCount, coder.formCount);
        const upper = bound.bound(bagOf(candidate), min);
        bound.clear();
        const exact = scoreWords(query, candidate, false);
        if (upper < 0) expect(exact).toBeLessThan(min);
        else expect(exact).toBeLessThanOrEqual(upper);
      }),
      { numRuns: 2000 },
    );
  });

  it("pairs the same numbers through the band of a match's score as through every cell", () => {
    const numbered = fc
      .array(fc.constantFrom(...WORDS, "15", "20", "44", "2018"), { minLength: 1, maxLength: 30 })
      .map((w) => w.join(" "));
    // The other text is this one edited a little (a narrow band) or any other (a wide one).
    const edit = fc.record({ at: fc.nat(40), word: fc.constantFrom(...WORDS, "7", "") });
    fc.assert(
      fc.property(
        numbered,
        fc.array(edit, { maxLength: 4 }),
        numbered,
        fc.boolean(),
        (a, edits, other, near) => {
          const words = a.split(" ");
          for (const { at, word } of edits)
            words.splice(at % words.length, word === "" ? 1 : 0, ...(word ? [word] : []));
          const b = near ? words.join(" ") || "15" : other;
          const coder = new Coder("en");
          const candidate = coder.code(b, true).coded;
          const query = coder.code(a, false).coded;
          const score = scoreWords(query, candidate, a === b);
          expect(alignNumbers(query, candidate, score)).toEqual(alignNumbers(query, candidate));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("counts an added negation and inflections, which a count of shared keys does not", () => {
    const coder = new Coder("en");
    const candidate = coder.code("the president will not sign the decree", true).coded;
    const query = coder.code("the presidents will sign the decrees", false).coded;
    const bound = new ScoreBound();
    bound.load(query, coder.keyCount, coder.formCount);
    // Six of seven keys shared would allow 85; the negation costs three words and each inflection a tenth.
    expect(bound.bound(bagOf(candidate), 0)).toBe(54);
    expect(scoreWords(query, candidate, false)).toBe(54);
  });
});

describe("number substitution", () => {
  it("puts the new value where the old one stands once", () => {
    expect(substituteNumbers("Un préstamo de 15.000 millones", [{ from: "15", to: "20" }])).toEqual({
      text: "Un préstamo de 20.000 millones",
      replaced: [{ from: "15", to: "20" }],
    });
  });

  it("leaves a value that stands twice, or not at all, as it is", () => {
    expect(substituteNumbers("15 y 15", [{ from: "15", to: "20" }]).replaced).toEqual([]);
    expect(substituteNumbers("quince", [{ from: "15", to: "20" }]).replaced).toEqual([]);
    expect(substituteNumbers("150", [{ from: "15", to: "20" }]).replaced).toEqual([]);
    // The 15 after a decimal separator is a fraction's digits, not the value.
    expect(substituteNumbers("un 1,15 %", [{ from: "15", to: "20" }]).replaced).toEqual([]);
  });

  it("reads a decimal or a grouped number as one number, not as its digit runs", () => {
    expect(inLargerNumber("$7.5 billion", 1, 2)).toBe(true);
    expect(inLargerNumber("$7.5 billion", 3, 4)).toBe(true);
    expect(inLargerNumber("$1,500 billion", 3, 6)).toBe(true);
    expect(inLargerNumber("$15 billion.", 1, 3)).toBe(false);
    expect(inLargerNumber("in 2018, 15 people", 3, 7)).toBe(false);
    expect(inLargerNumber("in 2018, 15 people", 9, 11)).toBe(false);
  });
});
