import { describe, expect, it } from "vitest";
import { documentNames } from "../../quality/checks/spelling.ts";
import { run, spans, wordList } from "./helpers.ts";

describe("double-space", () => {
  it("finds double spaces and edge whitespace the source lacks", () => {
    const target = " La llamada  llegó. ";
    expect(spans(run("double-space", "The call came.", target), target)).toEqual([
      ["double-space:double", "  "],
      ["double-space:leading", " "],
      ["double-space:trailing", " "],
    ]);
  });
  it("accepts single spaces, and what the source has too", () => {
    expect(run("double-space", "The call came.", "La llamada llegó.")).toEqual([]);
    expect(run("double-space", "Two  spaces", "Dos  espacios")).toEqual([]);
    expect(run("double-space", "A\nB", "A\nB")).toEqual([]);
  });
});

describe("identical-to-source", () => {
  it("warns about an untranslated paragraph", () => {
    const found = run("identical-to-source", "The call came after a week.", "The call came after a week.");
    expect(found.map((f) => [f.code, f.severity])).toEqual([["identical-to-source", "warning"]]);
  });
  it.each([
    ["Javier Milei"],
    ["Real Madrid 2 - Barcelona 1"],
    ["EL PAÍS USA Edition"],
    ["Mar-a-Lago"],
    ["15.000"],
  ])("accepts names and numbers kept as they are: %j", (text) => {
    expect(run("identical-to-source", text, text)).toEqual([]);
  });
});

describe("identical-to-source, a sentence kept", () => {
  const source =
    "Javier Milei finally spoke with Donald Trump. Nobody in Buenos Aires expected it so soon. The call lasted ten minutes.";
  it("warns about a sentence of the source left in the translation, and points at it", () => {
    const target =
      "Javier Milei por fin habló con Donald Trump. Nobody in Buenos Aires expected it so soon. La llamada duró diez minutos.";
    const found = run("identical-to-source", source, target);
    expect(spans(found, target)).toEqual([
      [
        "identical-to-source:sentence:nobody in buenos aires expected it so soon.",
        "Nobody in Buenos Aires expected it so soon.",
      ],
    ]);
    expect(found[0]?.params).toEqual({ sentence: "Nobody in Buenos Aires expected it so soon." });
  });
  it("accepts short sentences, names kept as they are, and translated sentences", () => {
    expect(run("identical-to-source", "He said no. It was over.", "Dijo que no. It was over.")).toEqual([]);
    const names = "The match ended. Real Madrid 2 - Barcelona 1 Sevilla.";
    expect(
      run("identical-to-source", names, "El partido terminó. Real Madrid 2 - Barcelona 1 Sevilla."),
    ).toEqual([]);
    expect(
      run(
        "identical-to-source",
        source,
        "Javier Milei por fin habló con Donald Trump. Nadie en Buenos Aires lo esperaba tan pronto. La llamada duró diez minutos.",
      ),
    ).toEqual([]);
  });
});

describe("length", () => {
  const title =
    "Trump a Milei: «Eres mi presidente favorito», en su primera llamada desde las elecciones de EE UU";
  it("accepts a title within the limit and a translation of comparable length", () => {
    // Under 20 characters a source says little about its translation's length.
    expect(run("length", "Trump tells Milei", title.slice(0, 100), { kind: "title" })).toEqual([]);
    expect(
      run(
        "length",
        "Trump tells Milei: ‘You are my favorite president’ in first call since US election",
        title,
        { kind: "title" },
      ),
    ).toEqual([]);
  });
  it("flags a title over the limit from the limit on", () => {
    const long = `${title} y otras noticias`;
    const found = run(
      "length",
      "Trump tells Milei: ‘You are my favorite president’ in first call since US election and other news",
      long,
      { kind: "title", settings: { checks: {}, titleLimit: 110 } },
    );
    expect(spans(found, long)).toEqual([["length:title", long.slice(110)]]);
    expect(
      run("length", "A much shorter title", title, {
        kind: "title",
        settings: { checks: {}, titleLimit: 200 },
      }).map((f) => f.key),
    ).toEqual(["length:long"]);
  });
  it("warns when a translation is more than twice or under half its source", () => {
    expect(run("length", "The call came after a week-long wait.", "Llegó.").map((f) => f.key)).toEqual([
      "length:short",
    ]);
    expect(run("length", "Yes", "Sí, por supuesto, claro que sí")).toEqual([]);
  });
});

describe("markup-mismatch", () => {
  const md = { format: "markdown" as const };
  it("accepts the same links, emphasis and code", () => {
    expect(
      run(
        "markup-mismatch",
        "Read [the *full* story](https://elpais.com/a) and `npm test`.",
        "Lea [la historia *completa*](https://elpais.com/a) y `npm test`.",
        md,
      ),
    ).toEqual([]);
    expect(run("markup-mismatch", "Plain text", "Texto *con* [enlace](x)", { format: "text" })).toEqual([]);
    expect(run("markup-mismatch", "Price: 5 \\* 3", "Precio: 5 \\* 3", md)).toEqual([]);
  });
  it("flags a dropped or changed link as an error, added markup as a warning", () => {
    const target = "Lea la historia en [EL PAÍS](https://elpais.com/b).";
    const found = run("markup-mismatch", "Read [the story](https://elpais.com/a).", target, md);
    expect(found.map((f) => [f.key, f.severity])).toEqual([
      ["markup-mismatch:link https://elpais.com/a", "error"],
      ["markup-mismatch:link https://elpais.com/b", "warning"],
    ]);
    expect(found[1] && target.slice(found[1].start, found[1].end)).toBe("https://elpais.com/b");
  });
  it("flags lost emphasis, code and inline HTML", () => {
    const found = run(
      "markup-mismatch",
      "A **bold** claim with `code` and <br>",
      "Una afirmación con code y",
      md,
    );
    expect(found.map((f) => f.params.item)).toEqual(["strong **", "code code", "html <br>"]);
  });
});

describe("spelling", () => {
  const speller = wordList(
    "la",
    "llamada",
    "llegó",
    "tras",
    "una",
    "semana",
    "de",
    "espera",
    "el",
    "presidente",
    "electo",
  );
  it("points at words the dictionary does not know", () => {
    const target = "La llamda llegó tras una semana de espera.";
    expect(
      spans(run("spelling", "The call came after a week-long wait.", target, { speller }), target),
    ).toEqual([["spelling:llamda", "llamda"]]);
  });
  it("never flags names from the source, known words, acronyms, URLs or words with digits", () => {
    const target =
      "Milei y Trump, la motosierra, EE UU, https://elpais.com/xyz, 15km, G20 y el presidente electo.";
    const knownWords = new Set(["motosierra", "y"]);
    expect(run("spelling", "Milei and Trump’s chainsaw", target, { speller, knownWords })).toEqual([]);
  });
  it("never flags, written capitalized, a name the document's source writes capitalized elsewhere", () => {
    const names = documentNames([
      "Milei's phone call with Trump",
      "The president-elect of the United States, Donald Trump, spoke with Javier Milei.",
      "the call lasted",
    ]);
    expect([...names]).toEqual(expect.arrayContaining(["milei's", "milei", "trump", "donald", "javier"]));
    expect(names.has("call")).toBe(false);
    const target = "El presidente electo Donald Trump llamó a Milei y a Macri.";
    const source = "He spoke on Wednesday.";
    expect(spans(run("spelling", source, target, { speller }), target).map(([key]) => key)).toEqual([
      "spelling:donald",
      "spelling:trump",
      "spelling:llamó",
      "spelling:a",
      "spelling:milei",
      "spelling:y",
      "spelling:macri",
    ]);
    // With the document's names: only the words it never names (and a name written lower case) stay.
    expect(spans(run("spelling", source, target, { speller, names }), target).map(([key]) => key)).toEqual([
      "spelling:llamó",
      "spelling:a",
      "spelling:y",
      "spelling:macri",
    ]);
    expect(run("spelling", source, "La trump llegó.", { speller, names }).map((f) => f.key)).toEqual([
      "spelling:trump",
    ]);
  });
  it("reports each word once and at most ten words a paragraph", () => {
    const target = "xx1 aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk aaa";
    expect(run("spelling", "", target, { speller }).length).toBe(10);
  });
  it("skips spelling while no dictionary is loaded", () => {
    expect(run("spelling", "", "llamda")).toEqual([]);
  });
});
