import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import {
  ApertiumTranslator,
  deformat,
  lowerAfterLeadingName,
  namesIn,
  parseModes,
  reformat,
  stripUnknownMarks,
} from "../../server/mt/apertium.ts";
import { translateSafely } from "../../server/mt/glossary-safe.ts";
import { seedParagraphs, seedTerms } from "../glossary/seed.ts";

function apertiumPairs(): string {
  try {
    return execFileSync("apertium", ["-l"], { encoding: "utf8" });
  } catch {
    return "";
  }
}
const installed = /\beng-spa\b/.test(apertiumPairs());
const pair = { source: "en", target: "es" };
const signal = () => AbortSignal.timeout(20_000);

describe("Apertium stream format", () => {
  it("reads `apertium -l` as BCP 47 pairs", () => {
    expect(parseModes("  eng-spa\n  spa-eng\n  spa-eng_US\n  eng-spa-tagger\n")).toEqual([
      { mode: "eng-spa", source: "en", target: "es" },
      { mode: "spa-eng", source: "es", target: "en" },
      { mode: "spa-eng_US", source: "es", target: "en-US" },
    ]);
  });

  it("escapes the stream's special characters and reads them back", () => {
    const text = "a [b] ^c$ d/e <f> {g} @h \\ i";
    expect(reformat(deformat(text))).toBe(text);
  });

  it("strips the unknown-word marks the source did not have", () => {
    expect(stripUnknownMarks("Javier *Milei y #dijo @cosa", "Javier Milei said thing")).toBe(
      "Javier Milei y dijo cosa",
    );
    expect(stripUnknownMarks("vale *Milei y 5*3", "is *Milei and 5*3")).toBe("vale *Milei y 5*3");
  });

  it("keeps Markdown emphasis that runs into an unknown-word mark", () => {
    // What the engine gives for "Milei's *chainsaw* plan" and "The **chainsaw** is back.":
    expect(stripUnknownMarks("*Milei  **chainsaw* plan", "Milei's *chainsaw* plan")).toBe(
      "Milei  *chainsaw* plan",
    );
    expect(stripUnknownMarks("El ***chainsaw** está", "The **chainsaw** is")).toBe("El **chainsaw** está");
    expect(stripUnknownMarks("El *chainsaw está", "The chainsaw is")).toBe("El chainsaw está");
  });

  it("lowers the capital the engine gives the word after a name that starts a sentence", () => {
    expect(lowerAfterLeadingName("Milei Celebrado la victoria.", "Milei celebrated the victory.")).toBe(
      "Milei celebrado la victoria.",
    );
    expect(
      lowerAfterLeadingName(
        "Zqx0z Era en Washington. «Zqx1z Dijo sí.",
        "Zqx0z was in Washington. “Zqx1z said yes.",
      ),
    ).toBe("Zqx0z era en Washington. «Zqx1z dijo sí.");
    // A capital the source has (a name after the name, a sentence's own start) stays.
    expect(lowerAfterLeadingName("Javier Milei ganó.", "Javier Milei won.")).toBe("Javier Milei ganó.");
    expect(lowerAfterLeadingName("El Presidente habló.", "The president spoke.")).toBe(
      "El Presidente habló.",
    );
    expect(lowerAfterLeadingName("Milei Washington visitó.", "Milei visited Washington.")).toBe(
      "Milei Washington visitó.",
    );
  });

  it("finds names from a known first name or an unknown word", () => {
    const analysis =
      "^Donald/Donald<np><ant><m><sg>$ ^Trump/Trump<n><sg>$ ^met/meet<vblex><past>$ ^the/the<det>$ ^Argentine/argentine<adj>$ ^Javier/Javier<np><ant><m><sg>$ ^Milei/*Milei$^./.<sent>$ ^Palm/Palm<n><sg>$ ^Beach/Beach<n><sg>$";
    expect(namesIn(analysis)).toEqual(["Donald Trump", "Javier Milei"]);
  });

  it("finds a capitalised hyphenated name with an unknown part, not a compound of known words", () => {
    // What lt-proc gives for "from Mar-a-Lago in Coca-Cola and well-known Anglo-Saxon":
    const analysis =
      "^from/from<pr>$ ^Mar/Mar<np><ant><f><sg>$^-/-<guio>$^a/a<det><ind><sg>$^-/-<guio>$^Lago/*Lago$ ^in/in<pr>$ ^well/well<adv>$^-/-<guio>$^known/know<vblex><pp>$ ^Anglo/Anglo<n><sg>$^-/-<guio>$^Saxon/Saxon<n><sg>$";
    expect(namesIn(analysis)).toEqual(["Mar-a-Lago"]);
  });
});

describe.skipIf(!installed)("Apertium engine (apertium and apertium-eng-spa installed)", () => {
  const apertium = new ApertiumTranslator();
  afterAll(() => apertium.close());

  it("lists the installed pairs", async () => {
    expect(await apertium.pairs()).toContainEqual({ mode: "eng-spa", source: "en", target: "es" });
  });

  it("translates a batch in order through its long-lived pipelines", async () => {
    const out = await apertium.translate(["The house is red.", "Hello.", "The house is red."], pair, {
      signal: signal(),
    });
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/casa/i);
    expect(out[1]).toMatch(/hola/i);
    expect(out[2]).toBe(out[0]);
  });

  it("refuses a pair it does not have", async () => {
    await expect(
      apertium.translate(["x"], { source: "en", target: "ja" }, { signal: signal() }),
    ).rejects.toThrow(/unsupported pair/);
  });

  it("keeps every do-not-translate term and name of the seed article exactly as in the source", async () => {
    expect(seedParagraphs).toHaveLength(12);
    const index = new GlossaryIndex(seedTerms(), "en", "es");
    const results = await translateSafely(apertium, index, pair, seedParagraphs, signal());
    expect(results).toHaveLength(12);
    for (const [i, source] of seedParagraphs.entries()) {
      const text = results[i]?.text ?? "";
      for (const m of index.match(source).filter((m) => !m.term.translatable)) expect(text).toContain(m.text);
      for (const name of ["Trump", "Milei", "Musk"]) if (source.includes(name)) expect(text).toContain(name);
      expect(text).not.toMatch(/Triunfo|triunfo|Zqx\d+z|[*#@]\p{L}/u);
      // What the checks see: no do-not-translate term changed.
      expect(index.check(source, text).filter((f) => f.code === "untranslatable-changed")).toEqual([]);
    }
    // "spokesperson" comes out as "portavoz", which the glossary replaces with "vocero".
    const withSpokesperson = seedParagraphs.findIndex((p) => p.includes("spokesperson"));
    expect(results[withSpokesperson]?.text).toContain("vocero");
    expect(results[withSpokesperson]?.substituted).toContain("spokesperson");
  });

  it("shares one engine between Spanish variants and starts it ahead of the first request", async () => {
    const engine = new ApertiumTranslator();
    try {
      expect(await engine.running()).toBe(0);
      await engine.warm({ source: "en", target: "es-AR" });
      expect(engine.started.sort()).toEqual(["eng-spa>false", "eng-spa>true"]);
      // A pipeline of each pool is running, its dictionaries read: the first paragraph does not wait.
      expect(await engine.running()).toBe(2);
      const [es] = await engine.translate(
        ["The house"],
        { source: "en", target: "es" },
        { signal: signal() },
      );
      const [mx] = await engine.translate(
        ["The house"],
        { source: "en", target: "es-MX" },
        { signal: signal() },
      );
      expect(es).toBe(mx);
      expect(engine.started).toHaveLength(2);
    } finally {
      engine.close();
    }
  });

  it("keeps Markdown emphasis around a glossary term, and no capital after a sentence's leading name", async () => {
    const index = new GlossaryIndex(seedTerms(), "en", "es");
    const texts = [
      "Milei's *chainsaw* plan, explained",
      "The **chainsaw** is back.",
      "Milei celebrated the victory.",
    ];
    const results = await translateSafely(apertium, index, pair, texts, signal());
    // The trial's "Milei motosierra* plan" and "El motosierra** es": the engine's unknown-word mark
    // ran into the emphasis and both went; the glossary's target went in after.
    expect(results[0]?.text).toContain("*motosierra*");
    expect(results[1]?.text).toContain("**motosierra**");
    expect(results[2]?.text).toMatch(/^Milei \p{Ll}/u);
  });

  it("keeps a hyphenated place name and a text's own placeholder-like word", async () => {
    const index = new GlossaryIndex(seedTerms(), "en", "es");
    // The document gives the context in which "Trump" is a name.
    const text = "Trump spoke from Mar-a-Lago about the code Zqx0z.";
    const context = ["President-elect Donald Trump called.", text];
    const [result] = await translateSafely(apertium, index, pair, [text], signal(), context);
    expect(result?.text).toContain("Mar-a-Lago");
    expect(result?.text).toContain("Zqx0z");
    expect(result?.text).toContain("Trump");
  });
});
