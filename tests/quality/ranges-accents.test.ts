import { describe, expect, it } from "vitest";
import { readNumbers } from "../../quality/numbers.ts";
import { Spellers } from "../../server/spelling.ts";
import { run, spans, wordList } from "./helpers.ts";

describe("number-mismatch and number ranges, scores and dates", () => {
  const clean: [string, string][] = [
    ["The 2018-19 season.", "La temporada 2018-19."],
    ["The 2018-19 season.", "La temporada 2018-2019."],
    ["The 2018–19 budget.", "El presupuesto de 2018-2019."],
    ["The 2018-2019 season.", "La temporada 2018-19."],
    ["The 2023/24 academic year.", "El curso 2023-2024."],
    ["From 1998-2001 he ruled.", "Gobernó de 1998 a 2001."],
    ["A 1-0 win.", "Una victoria por 1-0."],
    ["A 1-0 win.", "Una victoria por 1 a 0."],
    ["They won 3–2.", "Ganaron 3-2."],
    ["They won 3–2 after extra time.", "Ganaron por 3 a 2 en la prórroga."],
    ["After 9/11.", "Tras el 9/11."],
    ["After 9/11, the US changed.", "Tras el 11-S, EE UU cambió."],
    ["After 9/11, the US changed.", "Tras el 11 de septiembre, EE UU cambió."],
    ["The 3/11 Madrid bombings.", "Los atentados del 11-M en Madrid."],
  ];
  it.each(clean)("accepts %j → %j", (source, target) => {
    expect(run("number-mismatch", source, target)).toEqual([]);
  });

  const wrong: [string, string][] = [
    ["The 2018-19 season.", "La temporada 2018-2020."],
    ["The 2018-19 season.", "La temporada 2017-18."],
    ["They won 1-0.", "Ganaron 2-0."],
    ["After 9/11.", "Tras el 11-M."],
    ["In 3/4 of cases.", "En la mitad de los casos."],
  ];
  it.each(wrong)("flags %j → %j", (source, target) => {
    expect(run("number-mismatch", source, target).length).toBeGreaterThan(0);
  });

  it("reads a range's short end both ways, and a score's or a date's as written", () => {
    const values = (text: string) => readNumbers(text, "en").map((n) => n.values);
    expect(values("2018-19")).toEqual([[2018], [19, 2019]]);
    expect(values("1999–2000")).toEqual([[1999], [2000]]);
    expect(values("1-0 and 9/11")).toEqual([[1], [0], [9], [11]]);
  });
});

describe("spelling: accents left off common Spanish words", () => {
  // A speller that knows every word, as Hunspell knows `ademas` (ademar) and `numero` (numerar).
  const speller = wordList();

  const slips: [string, string, string][] = [
    ["Ademas, el Gobierno subió los impuestos.", "Ademas", "Además"],
    ["El numero de parados bajó.", "numero", "número"],
    ["La decisión sera recurrida.", "sera", "será"],
    ["El primer ministro ingles llegó ayer.", "ingles", "inglés"],
    ["Los lideres del G20 se reunieron.", "lideres", "líderes"],
    ["Es el ultimo día del plazo.", "ultimo", "último"],
    ["No habrá mas recortes.", "mas", "más"],
    ["Nunca jamas lo aceptará.", "jamas", "jamás"],
    ["La pagina web del ministerio.", "pagina", "página"],
  ];
  it.each(slips)("flags the slip in %j and suggests the accented word", (target, word, suggestion) => {
    const found = run("spelling", "", target, { speller });
    expect(spans(found, target)).toEqual([[`spelling:${word.toLowerCase()}`, word]]);
    expect(found[0]?.variant).toBe("accent");
    expect(found[0]?.params).toEqual({ word, suggestion });
  });

  const correct = [
    "Además, el Gobierno subió los impuestos.",
    "El número de parados bajó y la decisión será recurrida.",
    // Both spellings are common words: only the grammar tells them apart.
    "Esta semana está en Madrid y publica su libro.",
    "El Gobierno ultima el acuerdo; la crisis continua preocupa.",
    // A name, not a slip.
    "El expresidente Artur Mas declaró ayer.",
  ];
  it.each(correct)("leaves %j alone", (target) => {
    expect(run("spelling", "", target, { speller })).toEqual([]);
  });

  it("leaves a slip alone when the source has the word or an editor accepted it", () => {
    expect(run("spelling", "Mas said so.", "mas lo dijo", { speller })).toEqual([]);
    expect(run("spelling", "", "mas lo dijo", { speller, knownWords: new Set(["mas"]) })).toEqual([]);
  });

  it("flags the slip with the real Spanish dictionary, which knows the accentless form", async () => {
    const real = await new Spellers().ready("es");
    expect(real?.correct("ademas")).toBe(true);
    const target = "Ademas, la temporada 2018-19 fue la peor.";
    const found = run(
      "spelling",
      "Also, the 2018-19 season was the worst.",
      target,
      real ? { speller: real } : {},
    );
    expect(spans(found, target)).toEqual([["spelling:ademas", "Ademas"]]);
  }, 60_000);
});
