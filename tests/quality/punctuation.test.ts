import { describe, expect, it } from "vitest";
import { run, spans } from "./helpers.ts";

const check = (source: string, target: string, targetLang = "es") =>
  spans(run("punctuation", source, target, { targetLang }), target);

describe("punctuation", () => {
  const clean: [string, string][] = [
    ["Why did Trump wait a week?", "¿Por qué esperó Trump una semana?"],
    ["If not, what will we do?", "Si no, ¿qué haremos?"],
    ["What a victory!", "¡Qué victoria!"],
    ["Really? Yes!", "¿De verdad? ¡Sí!"],
    ["How dare you!", "¿Cómo te atreves!"],
    ["He said: “Now, make America great again.”", "Dijo: «Ahora, haz a Estados Unidos grande otra vez»."],
    [
      "“Donald Trump to President Javier Milei: ‘You are my favorite president,’” Adorni posted.",
      "«Donald Trump al presidente Javier Milei: “Eres mi presidente favorito”», publicó Adorni.",
    ],
    ["Trump tells Milei: ‘You are my favorite president’", "Trump a Milei: «Eres mi presidente favorito»"],
    ["The peso fell 2%; the bonds rose.", "El peso cayó un 2%; los bonos subieron."],
    ["Read https://example.com/?q=1!", "Lee https://example.com/?q=1!"],
    ["A headline without a full stop", "Un titular sin punto"],
    ["Milei declared.", "declaró Milei…"],
  ];
  it.each(clean)("accepts %j → %j", (source, target) => {
    expect(check(source, target)).toEqual([]);
  });

  it("asks for the opening ¿ and ¡ and the closing ? and !", () => {
    expect(check("Why?", "Por qué?")).toEqual([["punctuation:open?", "?"]]);
    expect(check("Great!", "Genial!")).toEqual([["punctuation:open!", "!"]]);
    expect(check("Why?", "¿Por qué.")).toEqual([["punctuation:close¿", "¿"]]);
  });

  it("finds unbalanced quotation marks", () => {
    expect(check("He said “no.”", "Dijo «no.")).toEqual([["punctuation:quote«", "«"]]);
    expect(check("He said “no.”", "Dijo «no» y “sí.")).toContainEqual(["punctuation:quote“", "“"]);
  });

  it("warns about straight quotes and the inner pair used outside in Spanish", () => {
    const straight = run("punctuation", 'He said "no."', 'Dijo "no".');
    expect(straight.map((f) => [f.variant, f.severity])).toEqual([["straight", "warning"]]);
    expect(check("He said “no.”", "Dijo “no”.")).toEqual([["punctuation:style", "“"]]);
  });

  it("follows the language's configured quote style", () => {
    const settings = { checks: {}, quoteStyle: { outer: ["“", "”"], inner: ["‘", "’"] } as const };
    const found = run("punctuation", "He said “no.”", "Dijo «no».", {
      settings: { ...settings, quoteStyle: { outer: ["“", "”"], inner: ["‘", "’"] } },
    });
    expect(found.map((f) => f.variant)).toEqual(["style"]);
    expect(
      run("punctuation", "He said “no.”", "Dijo “no”.", {
        settings: { ...settings, quoteStyle: { outer: ["“", "”"], inner: ["‘", "’"] } },
      }),
    ).toEqual([]);
    // English has no default house style: curly and straight are both accepted.
    expect(check("Dijo «no».", 'He said "no."', "en")).toEqual([]);
  });

  it("asks for the sentence-final mark the source has", () => {
    const target = "La llamada llegó tras una semana";
    expect(check("The call came after a week.", target)).toEqual([["punctuation:final", ""]]);
  });

  it("warns about a space before : ; ? ! in Spanish", () => {
    expect(check("Why?", "¿Por qué ?")).toEqual([["punctuation:space-before", " ?"]]);
    expect(check("He said: no", "Dijo : no")).toEqual([["punctuation:space-before", " :"]]);
  });
});
