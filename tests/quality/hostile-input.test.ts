/**
 * Every quality check, and what they read text with, takes time in proportion to the text: texts
 * of 200,000 characters built to make a backtracking expression or a parser read them again and
 * again finish well inside the test's timeout (each of these took from seconds to minutes before).
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QUALITY_CHECKS } from "../../quality/checks/index.ts";
import { parsable } from "../../quality/checks/markup-mismatch.ts";
import { blankNonProse, MOST_REPORTED, type QualityContext } from "../../quality/finding.ts";
import { readNumbers } from "../../quality/numbers.ts";
import { hostileTexts, repeat, run, wordList } from "./helpers.ts";

const LENGTH = 200_000;
const HOSTILE = hostileTexts(LENGTH);
const repeated = (piece: string, length = LENGTH) => repeat(piece, length);

const context = (target: string, format: QualityContext["format"], source = target): QualityContext => ({
  source,
  target,
  sourceLang: "en",
  targetLang: "es",
  kind: "paragraph",
  format,
  settings: { checks: {} },
  knownWords: new Set(),
  speller: wordList("a", "b"),
});

describe("quality checks on hostile 200,000-character texts", () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`read ${name} once, as source or translation, and report at most a few findings of a kind`, () => {
      // Markdown: every check runs, the markup check too.
      for (const format of ["markdown"] as const)
        for (const check of QUALITY_CHECKS) {
          for (const found of [
            check.run(context(text, format, "Trump said 15 things in 2019 [here](https://x.example).")),
            check.run(context(`${text} `, format, text)),
          ]) {
            const byVariant = new Map<string, number>();
            for (const f of found) byVariant.set(f.variant, (byVariant.get(f.variant) ?? 0) + 1);
            for (const count of byVariant.values()) expect(count).toBeLessThanOrEqual(MOST_REPORTED);
          }
        }
      expect(blankNonProse(text)).toHaveLength(text.length);
    });
  }

  it("still finds a space before a question mark after a long run of spaces", () => {
    const target = `¿Qué${" ".repeat(LENGTH)}?`;
    expect(run("punctuation", "What?", target).filter((f) => f.variant === "space_before")).toEqual([
      expect.objectContaining({ start: 4, end: target.length }),
    ]);
  });

  it("still blanks URLs, tags, link targets and addresses among thousands of pieces", () => {
    const text = `${repeated("](", 1000)} see [it](https://x.example/a) or <b>me</b> at ana@x.example.`;
    const blanked = blankNonProse(text);
    expect(blanked).not.toContain("x.example");
    expect(blanked).not.toContain("<b>");
    const blank = (piece: string) => text.replace(piece, " ".repeat(piece.length));
    expect(blanked).toBe(
      blank("](https://x.example/a)").replace("<b>", "   ").replace("ana@x.example.", " ".repeat(14)),
    );
  });

  it("reports one number of many missing once for each of the first few, in time", () => {
    const source = repeated("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 ");
    const found = run("number-mismatch", source, repeated("99 "));
    expect(found.length).toBeLessThanOrEqual(MOST_REPORTED);
    expect(found.length).toBeGreaterThan(0);
  });

  it("reads spelled numbers among thousands of digits", () => {
    const numbers = readNumbers(repeated("dos 1 "), "es");
    expect(numbers).toHaveLength(66_666);
    expect(numbers.slice(0, 2).map((n) => n.values)).toEqual([[2], [1]]);
  });
});

describe("markup that commonmark.js reads again at each opener", () => {
  it("is not parsed; ordinary Markdown prose of the same length is", () => {
    expect(parsable(repeated("[a](b"))).toBe(false);
    expect(parsable(repeated("a <!--"))).toBe(false);
    expect(parsable(repeated("See [the report](https://x.example/report) and <b>this</b>. "))).toBe(true);
  });

  it("still compares the links of ordinary paragraphs", () => {
    const found = run("markup-mismatch", "See [the report](https://x.example).", "Vea el informe.", {
      format: "markdown",
    });
    expect(found.map((f) => f.key)).toEqual(["markup-mismatch:link https://x.example"]);
  });
});

describe("the expressions made linear answer as the ones they replace", () => {
  // The expressions as they were: quadratic on long runs, the same on short texts.
  const SPACE_BEFORE_BEFORE = /[ \u00a0]+(?=[:;?!](?:\s|$|[»”"]))/gu;

  it("a space before : ; ? ! is found where it was", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ \u00a0a:;?!»\n"]{0,30}$/), (text) => {
        const was = [...text.matchAll(SPACE_BEFORE_BEFORE)].map((m) => [m.index, m[0].length]);
        const now = run("punctuation", "", text, { targetLang: "en" })
          .filter((f) => f.variant === "space_before")
          .map((f) => [f.start, (f.end as number) - (f.start as number) - 1]);
        expect(now).toEqual(was.slice(0, MOST_REPORTED));
      }),
    );
  });

  it("blanking keeps the length and changes characters only to spaces", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(?:[a@.<>\]( )"/:]|http:\/\/|www\.|\]\(){0,30}$/), (text) => {
        const blanked = blankNonProse(text);
        expect(blanked).toHaveLength(text.length);
        for (let i = 0; i < text.length; i++) expect([text.charAt(i), " "]).toContain(blanked.charAt(i));
      }),
    );
  });

  it("an address is blanked as before: from where its run of address characters starts", () => {
    const ADDRESS_BEFORE = /[\w.+-]+@[\w-]+\.[\w.-]+/giu;
    fc.assert(
      fc.property(fc.stringMatching(/^[a.+@ x-]{0,30}$/), (text) => {
        const was = text.replace(ADDRESS_BEFORE, (m) => " ".repeat(m.length));
        expect(blankNonProse(text)).toBe(was);
      }),
    );
  });
});
