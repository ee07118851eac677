import { describe, expect, it } from "vitest";
import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import {
  disjoint,
  nameSpans,
  protect,
  restore,
  substitute,
  translateSafely,
} from "../../server/mt/glossary-safe.ts";
import type { MachineTranslator } from "../../server/mt/provider.ts";
import { seedTerms } from "../glossary/seed.ts";

const pair = { source: "en", target: "es" };

describe("protected spans", () => {
  it("go out as placeholders and come back exactly, in either style", () => {
    const text = "Trump met Milei at Casa Rosada & <b>";
    const spans = disjoint([...nameSpans(text, ["Trump", "Milei"]), { start: 19, end: 30 }]);
    const token = protect(text, spans, "token");
    expect(token.text).toBe("Zqx0z met Zqx1z at Zqx2z & <b>");
    expect(token.mark).toBe("Zqx");
    expect(restore("Zqx0z conoció a Zqx1z en la Zqx2z & <b>", token.kept, "token")).toEqual({
      text: "Trump conoció a Milei en la Casa Rosada & <b>",
      lost: [],
    });
    const xml = protect(text, spans, "xml");
    expect(xml.text).toBe('<x i="0"/> met <x i="1"/> at <x i="2"/> &amp; &lt;b&gt;');
    expect(restore('<x i="0"/> conoció a <x i="1"/> &amp; &lt;b&gt;', xml.kept, "xml")).toEqual({
      text: "Trump conoció a Milei &amp; <b>".replace("&amp;", "&"),
      lost: ["Casa Rosada"],
    });
  });

  it("leaves a text's own placeholder-like word as written", () => {
    const text = "Trump wrote Zqx0z and zqjx1z";
    const token = protect(text, nameSpans(text, ["Trump"]), "token");
    expect(token.text).not.toMatch(/^Zqx0z/);
    expect(token.text).toBe(`${token.mark}0z wrote Zqx0z and zqjx1z`);
    const output = `${token.mark}0z escribió Zqx0z y zqjx1z`;
    expect(restore(output, token.kept, "token", token.mark)).toEqual({
      text: "Trump escribió Zqx0z y zqjx1z",
      lost: [],
    });
  });

  it("keeps the longer of two overlapping spans and finds names as whole words only", () => {
    expect(
      disjoint([
        { start: 0, end: 5 },
        { start: 0, end: 12 },
        { start: 10, end: 14 },
      ]),
    ).toEqual([{ start: 0, end: 12 }]);
    expect(nameSpans("Trumpet Trump", ["Trump"])).toEqual([{ start: 8, end: 13 }]);
  });
});

describe("required targets", () => {
  it("are put in where the engine's form occurs exactly once, keeping a capital", () => {
    expect(substitute("El portavoz habló.", "portavoz", "vocero")).toBe("El vocero habló.");
    expect(substitute("Portavoz y más.", "portavoz", "vocero")).toBe("Vocero y más.");
    expect(substitute("portavoz y portavoz", "portavoz", "vocero")).toBeNull();
    expect(substitute("un Kirchnerist el pasado", "Kirchnerist", "kirchnerista")).toBe(
      "un kirchnerista el pasado",
    );
    expect(substitute("Dijo: Portavoz", "portavoz", "vocero")).toBe("Dijo: Vocero");
    expect(substitute("nada", "portavoz", "vocero")).toBeNull();
  });
});

describe("translateSafely", () => {
  const index = new GlossaryIndex(seedTerms(), "en", "es");
  // A stand-in engine that translates the names it should not and knows two words.
  const engine: MachineTranslator = {
    name: "naive",
    placeholders: "token",
    pairs: async () => [pair],
    names: async () => ["Donald Trump", "Trump"],
    translate: async (segments) =>
      segments.map((s) =>
        s
          .replace(/Trump/g, "Triunfo")
          .replace(/spokesperson/g, "portavoz")
          .replace(/Casa Rosada/g, "Casa Rosa"),
      ),
  };

  it("keeps do-not-translate terms and names, substitutes required targets, and leaves forbidden ones to the checks", async () => {
    const sources = ["Donald Trump called the Casa Rosada and its spokesperson.", "Trump and the CPAC."];
    const [first, second] = await translateSafely(engine, index, pair, sources, AbortSignal.timeout(1000));
    expect(first?.text).toBe("Donald Trump called the Casa Rosada and its vocero.");
    expect(first?.substituted).toEqual(["spokesperson"]);
    expect(second?.text).toBe("Trump and the CPAC.");
    expect(index.check(sources[0] ?? "", first?.text ?? "")).toEqual([]);
  });

  it("flags a forbidden form it could not replace safely", async () => {
    const blockade: MachineTranslator = {
      ...engine,
      names: async () => [],
      // The term alone comes back as one word, but the sentence uses the forbidden form twice.
      translate: async (segments) =>
        segments.map((s) => (s === "embargo" ? "bloqueo" : "el bloqueo y el bloqueo")),
    };
    const source = "the embargo on Cuba";
    const [result] = await translateSafely(blockade, index, pair, [source], AbortSignal.timeout(1000));
    expect(result?.substituted).toEqual([]);
    expect(index.check(source, result?.text ?? "").map((f) => f.code)).toContain("forbidden-term");
  });
});
