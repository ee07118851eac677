import { describe, expect, it } from "vitest";
import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import { glossaryEvents } from "../../translations/glossary-events.ts";
import { seedTerms } from "./seed.ts";

const index = new GlossaryIndex(seedTerms(), "en", "es");
const codes = (source: string, target: string) =>
  index.check(source, target).map((f) => [f.code, f.termId, f.severity]);

describe("QA checks", () => {
  it("warns about a missing approved term and accepts inflected targets", () => {
    const source = "Milei's chainsaw approach";
    expect(codes(source, "El enfoque de Milei")).toEqual([["missing-term", "chainsaw", "warning"]]);
    expect(codes(source, "La motosierra de Milei")).toEqual([]);
    expect(codes("the chainsaws", "las motosierras")).toEqual([]);
    expect(codes("a Kirchnerist past", "un pasado kirchnerista")).toEqual([]);
    expect(codes("Kirchnerists", "los kirchneristas")).toEqual([]);
  });

  it("flags a forbidden alternative as an error, with the form used", () => {
    const findings = index.check("the chainsaw", "la sierra mecánica de Milei");
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ["forbidden-term", "error"],
      ["missing-term", "warning"],
    ]);
    expect(findings[0]?.params.forms).toBe("sierra mecánica");
  });

  it("flags a changed do-not-translate term", () => {
    expect(codes("At the Casa Rosada", "En la casa rosada")).toEqual([
      ["untranslatable-changed", "Casa Rosada", "error"],
    ]);
    expect(codes("At the Casa Rosada", "En la Casa Rosada")).toEqual([]);
    expect(codes("at CPAC", "en la CPAC")).toEqual([]);
  });

  it("uses the case-sensitive forbidden IMF", () => {
    expect(codes("the IMF", "el IMF")).toEqual([
      ["forbidden-term", "IMF", "error"],
      ["missing-term", "IMF", "warning"],
    ]);
    expect(codes("the IMF", "el FMI")).toEqual([]);
  });

  it("says nothing about an empty translation", () => {
    expect(index.check("the chainsaw", "  ")).toEqual([]);
  });

  it("reports what a change did to the glossary", () => {
    const events = glossaryEvents(
      index,
      "the chainsaw at the Casa Rosada",
      "la sierra mecánica en la Casa Rosada",
      "la motosierra en la casa",
    );
    expect(events.map((e) => [e.termId, e.event])).toEqual(
      expect.arrayContaining([
        ["chainsaw", "added"],
        ["chainsaw", "violation-fixed"],
        ["Casa Rosada", "removed"],
        ["Casa Rosada", "violation-introduced"],
      ]),
    );
  });
});
