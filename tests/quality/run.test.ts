import { describe, expect, it } from "vitest";
import type { QualitySettings } from "../../quality/finding.ts";
import { checkTranslation, waiverKey, waives } from "../../quality/run.ts";
import { seedIndex, wordList } from "./helpers.ts";

const check = (source: string, target: string, settings: QualitySettings = { checks: {} }) =>
  checkTranslation({
    source,
    target,
    kind: "paragraph",
    format: "text",
    index: seedIndex,
    settings,
    acceptedWords: new Set(),
  });

describe("checkTranslation", () => {
  it("runs the glossary's checks and the others together, errors first", () => {
    const found = check("The IMF loaned $44 billion.", "El FMI prestó 45.000 millones de dólares  ayer.");
    expect(found.map((f) => [f.code, f.severity])).toEqual([
      ["number-mismatch", "error"],
      ["double-space", "warning"],
    ]);
    const glossary = check("the chainsaw cut 15%.", "la sierra mecánica recortó un 15%.");
    expect(glossary.map((f) => f.code)).toEqual(["forbidden-term", "missing-term"]);
  });

  it("finds nothing in an empty translation", () => {
    expect(check("The IMF loaned $44 billion.", "  ")).toEqual([]);
  });

  it("applies a language's settings: a check off, another severity", () => {
    const source = "The IMF loaned $44 billion.";
    const target = "El FMI prestó 45.000 millones de dólares  ayer.";
    const off = check(source, target, { checks: { "number-mismatch": { enabled: false } } });
    expect(off.map((f) => f.code)).toEqual(["double-space"]);
    const milder = check(source, target, { checks: { "number-mismatch": { severity: "warning" } } });
    expect(milder.map((f) => [f.code, f.severity])).toEqual([
      ["number-mismatch", "warning"],
      ["double-space", "warning"],
    ]);
  });

  it("never flags the glossary's targets or accepted words as misspelled", () => {
    const found = checkTranslation({
      source: "the Kirchnerist chainsaw",
      target: "la motosierra kirchnerista de Cancillería",
      kind: "paragraph",
      format: "text",
      index: seedIndex,
      settings: { checks: {} },
      acceptedWords: new Set(["de"]),
      speller: wordList("la"),
    });
    expect(found.filter((f) => f.code === "spelling")).toEqual([]);
  });

  it("matches waivers by term for glossary findings and by key for the others", () => {
    const [number] = check("$44 billion", "45.000 millones");
    const [term] = check("the chainsaw", "la sierra mecánica");
    if (!number || !term) throw new Error("expected findings");
    expect(waiverKey(number)).toEqual({ termId: "", key: "number-mismatch:44000000000" });
    expect(waiverKey(term)).toEqual({ termId: "chainsaw" });
    expect(waives({ termId: "", key: "number-mismatch:44000000000", code: "number-mismatch" }, number)).toBe(
      true,
    );
    expect(waives({ termId: "", key: "number-mismatch:1", code: "number-mismatch" }, number)).toBe(false);
    // A waiver written before other checks existed: a term and a code, no key.
    expect(waives({ termId: "chainsaw", code: "forbidden-term" }, term)).toBe(true);
    expect(waives({ termId: "", key: "x", code: "forbidden-term" }, term)).toBe(false);
  });
});
