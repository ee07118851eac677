import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n, LOCALES_DIR } from "../server/i18n.ts";
import { templatedTranslator } from "../server/templated-messages.ts";

/** Every message with its dotted key. */
function messages(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => messages(v, prefix ? `${prefix}.${k}` : k));
}

describe("templatedTranslator", () => {
  const i18n = createI18n();

  it.each(["en", "es"])(
    "answers as i18next does for every %s message, with values of every shape",
    async (lng) => {
      await i18n.loadLanguages(lng);
      const t = i18n.getFixedT(lng);
      const plain = (key: string, params?: object) => t(key, params as never) as unknown as string;
      const templated = templatedTranslator(plain);
      const all = messages(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, "translation.json"), "utf8")));
      let compared = 0;
      for (const [key, text] of all) {
        // Formatted values too (`{{ratio, number}}`): the editor once showed "×NaN" for them.
        const names = [...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] as string);
        if (names.length === 0) continue;
        // Twice with different values: the second answer comes from the remembered template.
        for (const value of ["1", "{{x}} & <b>$1 $& \u00a0 ✖", 42]) {
          const params = Object.fromEntries(
            names.map((name, i) => [name, typeof value === "number" ? value + i : `${value}${i}`]),
          );
          expect(templated(key, params), key).toBe(plain(key, params));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(50);
    },
  );

  it("leaves plural and context choices to i18next", () => {
    const calls: unknown[] = [];
    const t = (key: string, params?: object) => {
      calls.push(params);
      return `${key}:${String((params as { count?: number } | undefined)?.count)}`;
    };
    const templated = templatedTranslator(t);
    expect(templated("progress.translated", { count: 1 })).toBe("progress.translated:1");
    expect(templated("progress.translated", { count: 2 })).toBe("progress.translated:2");
    expect(calls).toEqual([{ count: 1 }, { count: 2 }]);
  });

  it("looks a message up once per key and parameter names", () => {
    let lookups = 0;
    const templated = templatedTranslator((_key, params) => {
      lookups++;
      return `The number ${String((params as { number?: unknown } | undefined)?.number)} is missing.`;
    });
    for (let n = 0; n < 100; n++)
      expect(templated("numbers", { number: n })).toBe(`The number ${n} is missing.`);
    expect(lookups).toBe(1);
  });
});
