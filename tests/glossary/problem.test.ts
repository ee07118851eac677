import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROBLEM_CODES } from "../../glossary/problem.ts";

const problems = (lang: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../locales/${lang}/translation.json`, import.meta.url), "utf8")) as {
      glossary: { problem: Record<string, string> };
    }
  ).glossary.problem;

describe("glossary problem codes", () => {
  it.each(["en", "es"])("each has a sentence in %s, and no sentence is left without a code", (lang) => {
    const sentences = problems(lang);
    // A refused file's problem may also have a sentence naming the file (`<code>_named`, the import page's).
    const codes = new Set(Object.keys(sentences).map((key) => key.replace(/_named$/, "")));
    expect([...codes].sort()).toEqual([...PROBLEM_CODES].sort());
    for (const sentence of Object.values(sentences)) expect(sentence.trim()).not.toBe("");
  });

  it("name the same values in English and Spanish", () => {
    const [en, es] = [problems("en"), problems("es")];
    const values = (s = "") => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const code of PROBLEM_CODES) expect(values(es[code]), code).toEqual(values(en[code]));
    for (const key of Object.keys(en).filter((k) => k.endsWith("_named"))) {
      expect(values(es[key]), key).toEqual(values(en[key]));
      expect(values(en[key]), key).toEqual([...values(en[key.replace(/_named$/, "")]), "name"].sort());
    }
  });
});
