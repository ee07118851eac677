import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exportGlossaryCsv, parseGlossaryCsv } from "../../glossary/csv.ts";
import { GlossaryFormatError, planImport } from "../../glossary/exchange.ts";
import { seedCsv, seedTerms } from "./seed.ts";

function formatError(read: () => unknown): GlossaryFormatError {
  try {
    read();
  } catch (error) {
    if (error instanceof GlossaryFormatError) return error;
    throw error;
  }
  throw new Error("expected a GlossaryFormatError");
}

const options = { sourceLang: "en", targetLang: "es" };

describe("glossary CSV", () => {
  it("reads the seed's form: 19 terms with flags, notes and forbidden forms", () => {
    const parsed = parseGlossaryCsv(seedCsv, options);
    expect(parsed.errors).toEqual([]);
    expect(parsed.terms).toHaveLength(19);
    const chainsaw = parsed.terms.find((t) => t.term.source === "chainsaw")?.term;
    expect(chainsaw).toEqual({
      sourceLang: "en",
      source: "chainsaw",
      description: 'Milei\'s emblem for cutting public spending ("la motosierra"). Keep the metaphor.',
      translatable: true,
      caseSensitive: false,
      targets: { es: { text: "motosierra", forbidden: ["sierra mecánica", "sierra de cadena"] } },
    });
    const casa = parsed.terms.find((t) => t.term.source === "Casa Rosada")?.term;
    expect(casa).toMatchObject({ translatable: false, caseSensitive: true });
  });

  it("reads a header-less two-column file, with or without a BOM", () => {
    const parsed = parseGlossaryCsv('\uFEFFIMF,FMI\r\n"chainsaw, the",motosierra\r\n', options);
    expect(parsed.terms.map((t) => [t.term.source, t.term.targets.es?.text])).toEqual([
      ["IMF", "FMI"],
      ["chainsaw, the", "motosierra"],
    ]);
  });

  it("reads a header naming its languages in words, in English, Spanish or their own language", () => {
    const read = (csv: string) =>
      parseGlossaryCsv(csv, { sourceLang: "fr", targetLang: "de" }).terms.map((t) => [
        t.term.sourceLang,
        t.term.source,
        Object.keys(t.term.targets).join(),
      ]);
    expect(read("English,Spanish\nIMF,FMI\n")).toEqual([["en", "IMF", "es"]]);
    expect(read("Inglés , ESPAÑOL\nIMF,FMI\n")).toEqual([["en", "IMF", "es"]]);
    expect(read("English,Portuguese,Description\nIMF,FMI,the fund\n")).toEqual([["en", "IMF", "pt"]]);
    // A term and its translation that happen to be one language's names stay a term.
    expect(read("Spanish,español\nIMF,FMI\n")).toEqual([
      ["fr", "Spanish", "de"],
      ["fr", "IMF", "de"],
    ]);
    expect(read("Polish,pulir\nIMF,FMI\n")).toEqual([
      ["fr", "Polish", "de"],
      ["fr", "IMF", "de"],
    ]);
    // Words that name no language are a term, as before.
    expect(read("Casa Rosada,Casa Rosada\n")).toEqual([["fr", "Casa Rosada", "de"]]);
  });

  it("refuses whole a file that is not a glossary: Glosa's own Markdown exports renamed .csv", () => {
    for (const name of ["bilingual-export.csv", "markdown-export.md"]) {
      const text = readFileSync(new URL(`../fixtures/wrong-files/${name}`, import.meta.url), "utf8");
      const error = formatError(() => parseGlossaryCsv(text, options));
      expect(error, name).toMatchObject({ code: "csv_not_glossary", params: { first: "---" } });
      expect(error.message, name).toMatch(/header naming its columns/);
    }
  });

  it("refuses whole a header-less file whose rows are mostly not a term and its translation", () => {
    // Prose whose first line happens to hold a comma: its other lines are no terms either.
    const prose = [
      "In Buenos Aires, the president spoke",
      "",
      "Javier Milei has finally had his phone conversation with Donald Trump.",
      "The call came after a week-long wait.",
      "And the fact that there was no call was a blow.",
    ].join("\n");
    expect(formatError(() => parseGlossaryCsv(prose, options))).toMatchObject({
      code: "csv_few_terms",
      params: { pairs: 1, rows: 4 },
    });
  });

  it("still reads a header-less glossary with a few bad rows, and a third column (OmegaT's comment)", async () => {
    const parsed = parseGlossaryCsv(
      "chainsaw,motosierra,a tool\nsenator\nrunoff,balotaje,second round\nturnout,participación\n",
      options,
    );
    const plan = await planImport([], parsed);
    expect(plan.create.map((t) => t.source)).toEqual(["chainsaw", "runoff", "turnout"]);
    expect(plan.errors).toEqual([expect.objectContaining({ line: 2, code: "invalid_term" })]);
  });

  it("reads Phrase-style headers and reports unknown columns", () => {
    const parsed = parseGlossaryCsv(
      "term,description,translatable,case sensitive,es,pos\npurge,,yes,no,purga,noun\n",
      options,
    );
    expect(parsed.terms[0]?.term).toMatchObject({
      source: "purge",
      targets: { es: { text: "purga", forbidden: [] } },
    });
    expect(parsed.ignored).toEqual(["pos"]);
  });

  it("names the line of a bad row and keeps the good ones", () => {
    const parsed = parseGlossaryCsv("en,es,translatable\npurge,purga,maybe\nembargo,embargo,yes\n", options);
    expect(parsed.errors).toEqual([
      {
        line: 2,
        message: expect.stringContaining("translatable"),
        code: "invalid_flag",
        params: { column: "translatable", value: "maybe" },
      },
    ]);
    expect(parsed.terms).toHaveLength(1);
  });

  it("refuses a file with a broken quote and no row before it, and an empty file, each with its code", () => {
    expect(formatError(() => parseGlossaryCsv('en,es\n\n"purge,purga\nx,y\n', options))).toMatchObject({
      line: 3,
      code: "csv_quote_not_closed",
      params: { line: 3 },
    });
    expect(formatError(() => parseGlossaryCsv("", options))).toMatchObject({ code: "no_rows" });
  });

  it("keeps the rows before an unclosed quote and refuses the rest from the row where it opens", () => {
    const parsed = parseGlossaryCsv(
      'en,es\nsenator,senador\n"chainsaw\nline",motosierra\n\n"purge,purga\nembargo,embargo\n',
      options,
    );
    expect(parsed.terms.map((t) => t.term.source)).toEqual(["senator", "chainsaw\nline"]);
    expect(parsed.errors).toEqual([
      {
        line: 6,
        code: "csv_quote_not_closed",
        params: { line: 6 },
        message: "a quote opened on line 6 is never closed: this row and every one after it were not read",
      },
    ]);
    expect(parsed.errors[0]?.message).not.toMatch(/Quote Not Closed/);
  });

  it("refuses a row with a stray quote and reads on; after a bad closing quote, refuses the rest", () => {
    const stray = parseGlossaryCsv('en,es\na,b\nc"d",e\nf,g\n', options);
    expect(stray.terms.map((t) => t.term.source)).toEqual(["a", "f"]);
    expect(stray.errors).toEqual([expect.objectContaining({ line: 3, code: "csv_stray_quote" })]);
    const closing = parseGlossaryCsv('en,es\na,b\n"c"d,e\nf,g\n', options);
    expect(closing.terms.map((t) => t.term.source)).toEqual(["a"]);
    expect(closing.errors).toEqual([
      expect.objectContaining({ line: 3, code: "csv_unreadable_from", params: { line: 3 } }),
    ]);
  });

  it.each([
    ["source,target,note"],
    ["Source,Target,Description"],
    ["term,translation,notes"],
    ["TERM,TRANSLATION"],
  ])("reads a %s header with the languages the import names", (header) => {
    const parsed = parseGlossaryCsv(`${header}\nchainsaw,motosierra,a tool\n`, {
      sourceLang: "en",
      targetLang: "es-AR",
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.ignored).toEqual([]);
    expect(parsed.terms[0]?.term).toMatchObject({
      sourceLang: "en",
      source: "chainsaw",
      targets: { "es-AR": { text: "motosierra", forbidden: [] } },
    });
  });

  it("plans updates for known terms and reports invalid rows", async () => {
    const existing = seedTerms();
    const parsed = parseGlossaryCsv("en,es\nchainsaw,motosierra eléctrica\nnew term,\n,nada\n", options);
    const plan = await planImport(existing, parsed);
    expect(plan.update.map((t) => [t.id, t.targets.es?.text])).toEqual([
      ["chainsaw", "motosierra eléctrica"],
    ]);
    expect(plan.create).toEqual([]);
    expect(plan.errors.map((e) => [e.line, e.code, e.reasons?.map((r) => r.code)])).toEqual([
      [3, "invalid_term", ["target_required"]],
      [4, "invalid_term", ["source_required"]],
    ]);
  });

  it("refuses a term of 10,000 characters", async () => {
    const plan = await planImport([], parseGlossaryCsv(`en,es\n${"x".repeat(10_000)},y\n`, options));
    expect(plan.create).toEqual([]);
    expect(plan.errors[0]?.message).toMatch(/at most/);
    expect(plan.errors[0]?.reasons).toEqual([
      expect.objectContaining({ code: "source_too_long", params: { max: 500 } }),
    ]);
  });

  it("exports no cell a spreadsheet would run as a formula, and reads such cells back exactly", () => {
    const hostile = [
      '=HYPERLINK("http://evil.example","x")',
      "+1 555",
      "-ismo",
      "@handle",
      "'=already quoted",
      "=cmd|' /C calc'!A0",
    ];
    const terms = hostile.map((text, i) => ({
      ...seedTerms()[0],
      id: `t${i}`,
      source: `${text} ${i}`,
      description: text,
      targets: { es: { text, forbidden: [] } },
    }));
    const csv = exportGlossaryCsv(terms as ReturnType<typeof seedTerms>);
    for (const line of csv.split(/\r?\n/).slice(1))
      for (const cell of line.split(",")) expect(cell.replace(/^"/, ""), line).not.toMatch(/^[=+\-@\t\r]/);
    const again = parseGlossaryCsv(csv, options).terms.map((t) => t.term);
    expect(again.map((t) => [t.source, t.description, t.targets.es?.text])).toEqual(
      terms.map((t) => [t.source, t.description, t.targets.es.text]),
    );
  });

  it("round-trips through export", () => {
    const terms = seedTerms();
    const again = parseGlossaryCsv(exportGlossaryCsv(terms), options).terms.map((t) => t.term);
    expect(again).toEqual(terms.map(({ id: _id, ...t }) => t));
  });
});

describe("glossary CSV columns", () => {
  it("reads notes, note and definition as the description, on purpose", () => {
    for (const name of ["notes", "Note", "definition"]) {
      const parsed = parseGlossaryCsv(`en,es,${name}\npurge,purga,a political cleansing\n`, options);
      expect(parsed.terms[0]?.term.description).toBe("a political cleansing");
      expect(parsed.ignored).toEqual([]);
    }
  });

  it("never lets a synonym overwrite the description: the synonym is reported as ignored", () => {
    for (const header of ["en,es,description,notes", "en,es,notes,description"]) {
      const row = header.startsWith("en,es,description")
        ? "purge,purga,the note,other"
        : "purge,purga,other,the note";
      const parsed = parseGlossaryCsv(`${header}\n${row}\n`, options);
      expect(parsed.terms[0]?.term.description).toBe("the note");
      expect(parsed.ignored).toEqual(["notes"]);
    }
  });

  it("reports a repeated language column and unknown columns instead of overwriting", () => {
    const parsed = parseGlossaryCsv("en,es,ES,pos\npurge,purga,depuración,noun\n", options);
    expect(parsed.terms[0]?.term.targets.es?.text).toBe("purga");
    expect(parsed.ignored).toEqual(["ES", "pos"]);
  });
});
