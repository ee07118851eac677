import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import { PhraseMatcher } from "../../glossary/matcher.ts";
import { seedParagraphs, seedTerms } from "./seed.ts";

const index = new GlossaryIndex(seedTerms(), "en", "es");
const found = (text: string) => index.match(text).map((m) => [m.termId, m.text]);

describe("matching the seed glossary in the seed article", () => {
  it("finds every seed term that appears in the article, at the right offsets", () => {
    const all = seedParagraphs.flatMap((p) => index.match(p).map((m) => ({ ...m, paragraph: p })));
    for (const m of all) expect(m.paragraph.slice(m.start, m.end)).toBe(m.text);
    const ids = new Set(all.map((m) => m.termId));
    for (const id of [
      "Casa Rosada",
      "chainsaw",
      "Kirchnerist",
      "president-elect",
      "spokesperson",
      "Foreign Minister",
      "Foreign Ministry",
      "Minister of Deregulation",
      "International Monetary Fund",
      "IMF",
      "Conservative Political Action Conference",
      "CPAC",
      "Mar-a-Lago",
      "public spending",
      "embargo",
      "purge",
      "White House",
      "Republican",
      "Democrat",
    ])
      expect(ids, id).toContain(id);
    // The title has no glossary term; paragraph 2 has Republican and president-elect, in order.
    expect(found(seedParagraphs[0] as string)).toEqual([]);
    expect(found(seedParagraphs[1] as string)).toEqual([
      ["Republican", "Republican"],
      ["president-elect", "president-elect"],
    ]);
    const p = seedParagraphs[1] as string;
    const m = index.match(p)[1];
    expect(m?.start).toBe(p.indexOf("president-elect"));
    expect(m?.end).toBe(p.indexOf("president-elect") + "president-elect".length);
    expect(m?.target).toBe("presidente electo");
  });

  it("tells Foreign Minister from Foreign Ministry", () => {
    expect(found("Foreign Minister Diana Mondino")).toEqual([["Foreign Minister", "Foreign Minister"]]);
    expect(found("within the Foreign Ministry to")).toEqual([["Foreign Ministry", "Foreign Ministry"]]);
  });

  it("matches president-elect in any case, with a space or a non-breaking hyphen", () => {
    expect(found("President-elect Donald Trump")).toEqual([["president-elect", "President-elect"]]);
    expect(found("the president elect")).toEqual([["president-elect", "president elect"]]);
    expect(found("the president\u2011elect")).toEqual([["president-elect", "president\u2011elect"]]);
  });

  it("accepts inflected forms: Kirchnerists, purges, Democrats", () => {
    expect(found("two Kirchnerists met")).toEqual([["Kirchnerist", "Kirchnerists"]]);
    expect(found("the purges")).toEqual([["purge", "purges"]]);
    expect(found("the Democrats")).toEqual([["Democrat", "Democrats"]]);
  });

  it("keeps case-sensitive terms case-sensitive", () => {
    expect(found("the imf said")).toEqual([]);
    expect(found("the IMF said")).toEqual([["IMF", "IMF"]]);
    expect(found("the casa rosada")).toEqual([]);
    expect(found("the Casa Rosada")).toEqual([["Casa Rosada", "Casa Rosada"]]);
  });

  it("prefers the longest term where terms overlap", () => {
    const m = new PhraseMatcher("en", [
      { text: "Monetary Fund", caseSensitive: false, ref: "short" },
      { text: "International Monetary Fund", caseSensitive: false, ref: "long" },
    ]);
    expect(m.find("the International Monetary Fund said").map((x) => x.ref)).toEqual(["long"]);
  });

  it("treats curly and straight apostrophes alike, and ignores accents unless asked", () => {
    const m = new PhraseMatcher("en", [
      { text: "Trump's estate", caseSensitive: false, ref: "estate" },
      { text: "Cafe", caseSensitive: false, ref: "cafe" },
    ]);
    expect(m.find("Trump’s estate").map((x) => x.ref)).toEqual(["estate"]);
    expect(m.find("un café").map((x) => x.ref)).toEqual(["cafe"]);
  });

  it("matches whole words only", () => {
    const m = new PhraseMatcher("xx", [{ text: "arg", caseSensitive: false, ref: "arg" }]);
    expect(m.find("Argentina argues")).toEqual([]);
    expect(m.find("an arg.")).toHaveLength(1);
  });

  it("falls back to exact word matching for a language without a stemmer", () => {
    const m = new PhraseMatcher("ja-x", [{ text: "cat", caseSensitive: false, ref: "cat" }]);
    expect(m.find("cats and a cat")).toEqual([{ ref: "cat", start: 11, end: 14, text: "cat" }]);
  });
});

describe("matcher properties", () => {
  const words = [
    "president",
    "elect",
    "Foreign",
    "Minister",
    "Ministry",
    "IMF",
    "casa",
    "Rosada",
    "chainsaw",
    "the",
    "ﬁ",
    "İ",
    "ß",
  ];
  const text = fc
    .array(
      fc.oneof(
        fc.constantFrom(...words),
        fc.string({ maxLength: 6 }),
        fc.constantFrom(" ", "-", "’", "\u00a0", ", "),
      ),
      {
        maxLength: 40,
      },
    )
    .map((parts) => parts.join(""));

  it("never overlaps, keeps offsets inside the text, and returns the text at those offsets", () => {
    fc.assert(
      fc.property(text, (t) => {
        const matches = index.match(t);
        let last = 0;
        for (const m of matches) {
          expect(m.start).toBeGreaterThanOrEqual(last);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.end).toBeLessThanOrEqual(t.length);
          expect(t.slice(m.start, m.end)).toBe(m.text);
          last = m.end;
        }
      }),
      { numRuns: 400 },
    );
  });

  it("case folding never moves offsets: an upper-cased text gives the same matches at the same places", () => {
    const insensitive = new GlossaryIndex(
      seedTerms().map((t) => ({ ...t, caseSensitive: false })),
      "en",
      "es",
    );
    const spans = (s: string) => insensitive.match(s).map((m) => [m.termId, m.start, m.end]);
    fc.assert(
      fc.property(text, (t) => {
        const upper = t.toUpperCase();
        fc.pre(upper.length === t.length && upper.toLowerCase() === t.toLowerCase());
        expect(spans(upper)).toEqual(spans(t));
      }),
      { numRuns: 300 },
    );
  });
});
