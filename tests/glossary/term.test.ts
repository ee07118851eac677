import { describe, expect, it } from "vitest";
import { parseGlossaryCsv } from "../../glossary/csv.ts";
import { planImport } from "../../glossary/exchange.ts";
import { findDuplicate, isSameTerm, type Term, type TermInput, validateTerm } from "../../glossary/term.ts";
import { hasForbiddenCharacters } from "../../glossary/text.ts";
import { cleanText } from "../../translations/translation.ts";

function term(source: string, extra: Partial<TermInput> = {}): TermInput {
  return {
    sourceLang: "en",
    source,
    description: "",
    translatable: true,
    caseSensitive: false,
    targets: { es: { text: "embajador", forbidden: [] } },
    ...extra,
  };
}

const fields = (t: TermInput) => validateTerm(t).map((p) => p.field);

describe("what a stored text may hold", () => {
  it.each([
    ["U+FFFF", "a\uFFFFb"],
    ["U+FFFE", "a\uFFFEb"],
    ["a lone high surrogate", "a\uD800b"],
    ["a lone low surrogate", "a\uDC00b"],
    ["NUL", "a\u0000b"],
    ["a C1 control", "a\u0085b"],
  ])("refuses %s, in terms and in translations alike", (_name, text) => {
    expect(hasForbiddenCharacters(text)).toBe(true);
    expect(() => cleanText(text)).toThrow(/control/);
  });

  it("accepts tab, newline, astral characters and U+FDD0", () => {
    for (const text of ["a\tb\nc", "emoji 😀 ok", "\uFDD0"]) expect(hasForbiddenCharacters(text)).toBe(false);
  });
});

describe("validateTerm", () => {
  it("refuses characters XML cannot carry in every text field", () => {
    expect(fields(term("a\uFFFF"))).toEqual(["source"]);
    expect(fields(term("ambassador", { description: "x\uD800" }))).toEqual(["description"]);
    expect(
      fields(term("ambassador", { targets: { es: { text: "emba\uFFFEjador", forbidden: [] } } })),
    ).toEqual(["targets.es"]);
    expect(
      fields(term("ambassador", { targets: { es: { text: "embajador", forbidden: ["\u0007"] } } })),
    ).toEqual(["targets.es.forbidden"]);
  });

  it("refuses a forbidden form that reads as the required target", () => {
    // A forbidden run of the target's words is found inside every correct use of the target too.
    expect(
      fields(term("chainsaw", { targets: { es: { text: "sierra eléctrica", forbidden: ["Sierra"] } } })),
    ).toEqual(["targets.es.forbidden"]);
    for (const forbidden of ["embajador", "Embajador", "émbajador", "embajadores"]) {
      const problems = validateTerm(
        term("ambassador", { targets: { es: { text: "embajador", forbidden: [forbidden] } } }),
      );
      expect(problems).toEqual([
        expect.objectContaining({ field: "targets.es.forbidden", code: "forbidden_is_target" }),
      ]);
    }
    // A do-not-translate term requires its source form: forbidding it is the same mistake.
    expect(
      fields(
        term("Casa Rosada", {
          translatable: false,
          targets: { es: { text: "", forbidden: ["casa rosada"] } },
        }),
      ),
    ).toEqual(["targets.es.forbidden"]);
    // Case matters for a case-sensitive term: another case is another form.
    expect(
      fields(term("NATO", { caseSensitive: true, targets: { es: { text: "OTAN", forbidden: ["Otan"] } } })),
    ).toEqual([]);
    expect(
      fields(term("ambassador", { targets: { es: { text: "embajador", forbidden: ["diplomático"] } } })),
    ).toEqual([]);
  });
});

describe("duplicate terms", () => {
  const existing: Term[] = [{ id: "t1", ...term("ambassador") }];

  it("are the same source in the same language, case- and accent-insensitively", () => {
    expect(findDuplicate(existing, term("ambassador"))?.id).toBe("t1");
    expect(findDuplicate(existing, term("Ambassador"))?.id).toBe("t1");
    expect(findDuplicate(existing, term(" ámbassador "))?.id).toBe("t1");
    expect(findDuplicate(existing, term("ambassador", { sourceLang: "fr" }))).toBeUndefined();
    expect(findDuplicate(existing, term("ambassadors"))).toBeUndefined();
    // A term is not its own duplicate (an update keeps its id).
    expect(findDuplicate(existing, { id: "t1", ...term("Ambassador") })).toBeUndefined();
  });

  it("keep case apart when a term is case-sensitive", () => {
    const us = term("US", { caseSensitive: true });
    expect(isSameTerm(us, term("us"))).toBe(false);
    expect(isSameTerm(us, term("US"))).toBe(true);
    expect(isSameTerm(term("C++"), term("c++"))).toBe(true);
  });
});

describe("an import reports duplicate rows with their line", () => {
  const options = { sourceLang: "en", targetLang: "es" };
  const existing: Term[] = [{ id: "t1", ...term("café", { caseSensitive: false }) }];

  it("within the file and against the glossary; the term's own identity still updates it", async () => {
    const csv = "en,es\nambassador,embajador\nAmbassador,embajadora\nCAFÉ,cafetería\ncafe,café\n";
    const plan = await planImport(existing, parseGlossaryCsv(csv, options));
    expect(plan.create.map((t) => t.source)).toEqual(["ambassador"]);
    expect(plan.update.map((t) => [t.id, t.targets.es?.text])).toEqual([["t1", "cafetería"]]);
    expect(plan.errors).toEqual([
      {
        line: 3,
        message: expect.stringMatching(/duplicate term.*line 2/),
        code: "duplicate_of_line",
        params: { source: "Ambassador", line: 2 },
      },
      {
        line: 5,
        message: expect.stringMatching(/duplicate term.*line 4/),
        code: "duplicate_of_line",
        params: { source: "cafe", line: 4 },
      },
    ]);
  });

  it("against an existing term written differently", async () => {
    const plan = await planImport(existing, parseGlossaryCsv("en,es\ncafe,cafetería\n", options));
    expect(plan.update).toEqual([]);
    expect(plan.create).toEqual([]);
    expect(plan.errors).toEqual([
      {
        line: 2,
        message: expect.stringMatching(/already in the glossary as "café"/),
        code: "duplicate_in_glossary",
        params: { source: "cafe", existing: "café" },
      },
    ]);
  });

  it("reports a forbidden form equal to the target and characters that cannot be stored", async () => {
    const csv = "en,es,forbidden:es\nambassador,embajador,Embajador\nchainsaw\uFFFF,motosierra,\n";
    const plan = await planImport([], parseGlossaryCsv(csv, options));
    expect(plan.create).toEqual([]);
    expect(plan.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(plan.errors[0]?.message).toMatch(/forbidden form/);
    expect(plan.errors[1]?.message).toMatch(/U\+FFFE/);
    expect(plan.errors.map((e) => e.reasons?.map((r) => [r.code, r.params]))).toEqual([
      [["forbidden_is_target", { lang: "es", form: "Embajador", target: "embajador" }]],
      [["unstorable_characters", {}]],
    ]);
  });
});
