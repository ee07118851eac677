import { describe, expect, it } from "vitest";
import { readNumbers } from "../../quality/numbers.ts";
import { run, spans } from "./helpers.ts";

const values = (text: string, lang: string) => readNumbers(text, lang).map((n) => n.values);

describe("reading numbers", () => {
  it("reads thousands and decimals with each language's marks", () => {
    expect(values("15,000 people and 2.5%", "en")).toEqual([[15000], [2.5]]);
    expect(values("15.000 personas y un 2,5%", "es")).toEqual([[15000, 15], [1], [2.5]]);
    expect(values("15 000 personas", "es")).toEqual([[15000]]);
    expect(values("1,234,567.89 dollars", "en")).toEqual([[1234567.89]]);
    expect(values("1.234.567,89 euros", "es")).toEqual([[1234567.89]]);
  });

  it("multiplies by a scale word", () => {
    expect(values("$15 billion", "en")).toEqual([[15e9]]);
    expect(values("15.000 millones", "es")[0]).toContain(15e9);
    expect(values("15 000 millones", "es")).toEqual([[15e9]]);
    expect(values("3 mil millones", "es")).toEqual([[3e9]]);
    expect(values("1,5 millones", "es")).toEqual([[1.5e6]]);
  });

  it("reads ordinals and small numbers in words, and leaves decades out", () => {
    expect(values("the 21st century", "en")).toEqual([[21]]);
    expect(values("el 1.º de mayo, la 2ª vuelta", "es")).toEqual([[1], [2]]);
    expect(values("dos semanas", "es")).toEqual([[2]]);
    expect(values("the 1990s", "en")).toEqual([]);
  });
});

describe("number-mismatch", () => {
  const clean: [string, string][] = [
    ["The IMF loaned $44 billion in 2018.", "El FMI prestó 44.000 millones de dólares en 2018."],
    ["The IMF loaned $44 billion in 2018.", "El FMI prestó 44 000 millones de dólares en 2018."],
    ["About 15,000 people marched.", "Unas 15.000 personas se manifestaron."],
    ["About 15,000 people marched.", "Unas 15 000 personas se manifestaron."],
    ["Inflation fell to 2.5% in October.", "La inflación bajó al 2,5% en octubre."],
    ["Inflation fell to 2.5 percent.", "La inflación bajó al 2,5 por ciento."],
    ["It was his 7th visit in 11 months.", "Fue su 7.ª visita en 11 meses."],
    ["Talks lasted 2 hours.", "Las conversaciones duraron dos horas."],
    ["from November 14 to 16", "del 14 al 16 de noviembre"],
    [
      "Unemployment hit 12.3% among 1.2 million young people.",
      "El paro llegó al 12,3% entre 1,2 millones de jóvenes.",
    ],
    ["A 1,500-page report", "Un informe de 1.500 páginas"],
    ["The 1990s were different.", "Los años noventa fueron distintos."],
    ["See https://elpais.com/2024/11/13 for more.", "Más en https://elpais.com/2024/11/13."],
    ["The G20 met.", "El G20 se reunió."],
    ["The vote began at 7:30 p.m. with 12 deputies.", "La votación empezó a las 19.30 con 12 diputados."],
    ["Polls close at 9pm.", "Los colegios cierran a las 21.00."],
  ];
  it.each(clean)("accepts %j → %j", (source, target) => {
    expect(run("number-mismatch", source, target)).toEqual([]);
  });

  it("flags a changed number as an error and points at the one that replaced it", () => {
    const target = "unos 16.000 millones de dólares";
    const found = run("number-mismatch", "approximately $15 billion", target);
    expect(spans(found, target)).toEqual([["number-mismatch:15000000000", "16.000 millones"]]);
    expect(found[0]?.severity).toBe("error");
    expect(found[0]?.params).toEqual({ number: "15 billion", found: "16.000 millones" });
  });

  it("flags a missing number, a wrong decimal and a wrong year", () => {
    expect(run("number-mismatch", "over 70 leaders", "muchos líderes")[0]?.variant).toBe("missing");
    expect(run("number-mismatch", "2.5%", "25%")).toHaveLength(1);
    expect(run("number-mismatch", "in 2018", "en 2019")).toHaveLength(1);
    expect(run("number-mismatch", "15 billion", "15 millones")).toHaveLength(1);
    expect(
      run("number-mismatch", "at 7:30 p.m. with 12 deputies", "a las 19.30 con 13 diputados"),
    ).toHaveLength(1);
  });
});
