import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Lexicon, UNKNOWN_KEY } from "../../glossary/lexicon.ts";
import { type Phrase, PhraseMatcher } from "../../glossary/matcher.ts";
import { foldAccents, foldWord, stemmerFor, tokenize } from "../../glossary/normalize.ts";

describe("Lexicon", () => {
  it("numbers inflected forms of a word alike", () => {
    const lexicon = new Lexicon("en", true);
    expect(lexicon.numberOf("Kirchnerists")).toBe(lexicon.numberOf("kirchnerist"));
    expect(lexicon.numberOf("chainsaw")).not.toBe(lexicon.numberOf("chain"));
    const exact = new Lexicon("en", false);
    expect(exact.numberOf("Kirchnerists")).not.toBe(exact.numberOf("kirchnerist"));
    expect(exact.numberOf("Café")).toBe(exact.numberOf("cafe"));
  });

  it("remembers a source text once and serves the same reading to later matchers", () => {
    const lexicon = new Lexicon("en", true);
    const text = "The Casa Rosada spokesperson spoke.";
    const first = lexicon.read(text, true);
    expect(lexicon.read(text, true)).toBe(first);
    expect(lexicon.rememberedTexts).toBe(1);
    // A matcher built after the reading still finds its phrase in it.
    const matcher = new PhraseMatcher("en", [{ text: "spokespersons", caseSensitive: false, ref: "s" }], {
      lexicon,
      remember: true,
    });
    expect(matcher.find(text)).toEqual([{ ref: "s", start: 16, end: 28, text: "spokesperson" }]);
  });

  it("gives a passing reading numbers only for words some phrase has, and sees a phrase added later", () => {
    const lexicon = new Lexicon("es", true);
    expect(lexicon.read("dos motosierras", false).keys).toEqual([UNKNOWN_KEY, UNKNOWN_KEY]);
    const number = lexicon.numberOf("motosierra");
    expect(lexicon.read("dos motosierras", false).keys).toEqual([UNKNOWN_KEY, number]);
    expect(lexicon.rememberedTexts).toBe(0);
  });

  it("forgets the least recently read texts past its word budget", () => {
    const lexicon = new Lexicon("en", true, { keys: 1_000, rememberedWords: 6 });
    const a = lexicon.read("one two three", true);
    lexicon.read("four five six", true);
    expect(lexicon.read("one two three", true)).toBe(a); // read again: now the most recent
    lexicon.read("seven eight", true);
    expect(lexicon.rememberedTexts).toBe(2);
    expect(lexicon.read("one two three", true)).toBe(a);
    // A text longer than the whole budget is read but not kept.
    lexicon.read("a b c d e f g h", true);
    expect(lexicon.rememberedTexts).toBeLessThanOrEqual(2);
  });

  it("stops numbering texts' words when full, but still matches what its phrases have", () => {
    const lexicon = new Lexicon("en", true, { keys: 3, rememberedWords: 1_000 });
    const matcher = new PhraseMatcher("en", [{ text: "white house", caseSensitive: false, ref: "wh" }], {
      lexicon,
      remember: true,
    });
    matcher.find("a big red barn");
    expect(lexicon.full).toBe(true);
    expect(lexicon.read("at the White House today", true).keys.filter((k) => k !== UNKNOWN_KEY)).toHaveLength(
      2,
    );
    expect(matcher.find("at the White House today").map((m) => m.text)).toEqual(["White House"]);
    expect(lexicon.rememberedTexts).toBe(1);
  });
});

/**
 * The matcher against the plainest possible model of its contract: at each word, try every phrase;
 * the longest wins (the first added among equals); the scan resumes after it.
 */
function reference(phrases: Phrase<number>[], text: string, all: boolean) {
  const stem = stemmerFor("en");
  const key = (surface: string) => stem(foldWord(surface));
  const words = tokenize(text);
  const keyed = phrases
    .map((p) => ({ phrase: p, words: tokenize(p.text) }))
    .filter((p) => p.words.length > 0);
  const fits = (p: (typeof keyed)[number], i: number) =>
    p.words.every((w, k) => {
      const word = words[i + k];
      if (!word || key(word.surface) !== key(w.surface)) return false;
      return !p.phrase.caseSensitive || foldAccents(word.surface).startsWith(foldAccents(w.surface));
    });
  const out: { ref: number; start: number; end: number }[] = [];
  let i = 0;
  while (i < words.length) {
    const here = keyed.filter((p) => fits(p, i));
    const lengths = [...new Set(here.map((p) => p.words.length))].sort((a, b) => a - b);
    const firstOf = (length: number) => here.find((p) => p.words.length === length) as (typeof keyed)[number];
    const at = (p: (typeof keyed)[number]) => ({
      ref: p.phrase.ref,
      start: (words[i] as { start: number }).start,
      end: (words[i + p.words.length - 1] as { end: number }).end,
    });
    if (all) {
      for (const length of lengths) out.push(at(firstOf(length)));
      i++;
    } else if (lengths.length > 0) {
      const longest = firstOf(lengths.at(-1) as number);
      out.push(at(longest));
      i += longest.words.length;
    } else {
      i++;
    }
  }
  return out;
}

describe("PhraseMatcher against the reference model (property)", () => {
  const vocabulary = ["casa", "Casa", "rosada", "Rosadas", "imf", "IMF", "IMFs", "the", "président", "elect"];
  const phrase = fc.record({
    text: fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 3 }).map((w) => w.join(" ")),
    caseSensitive: fc.boolean(),
  });
  const text = fc
    .array(fc.oneof(fc.constantFrom(...vocabulary), fc.constantFrom(" ", "-", ", ", "’s ")), {
      maxLength: 30,
    })
    .map((parts) => parts.join(" "));

  it("finds exactly what the model finds, with fresh, remembered and full lexicons", () => {
    fc.assert(
      fc.property(
        fc.array(phrase, { maxLength: 12 }),
        fc.array(text, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(1, 4, 1_000),
        (raw, texts, keys) => {
          const phrases = raw.map((p, ref) => ({ ...p, ref }));
          const lexicon = new Lexicon("en", true, { keys, rememberedWords: 50 });
          // Some texts are read before the matcher exists, as a document is before a glossary change.
          for (const t of texts.slice(1)) lexicon.read(t, true);
          const matcher = new PhraseMatcher("en", phrases, { lexicon, remember: true });
          for (const t of texts) {
            const strip = (ms: { ref: number; start: number; end: number }[]) =>
              ms.map(({ ref, start, end }) => ({ ref, start, end }));
            expect(strip(matcher.find(t))).toEqual(reference(phrases, t, false));
            expect(strip(matcher.findAll(t))).toEqual(reference(phrases, t, true));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
