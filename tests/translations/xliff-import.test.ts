import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createDocument } from "../../translations/document.ts";
import { GlosaError } from "../../translations/errors.ts";
import { parseXliff, planXliffImport } from "../../translations/exchange/xliff-import.ts";
import { emptyState } from "../../translations/translation.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/xliff/${name}`, import.meta.url), "utf8");
const seed = readFileSync(new URL("../../default-data/article-trump-milei.txt", import.meta.url), "utf8");
const doc = createDocument({
  id: "el-pais-trump-milei",
  sourceLang: "en",
  format: "text",
  content: seed,
  createdBy: "t",
  createdAt: "c",
});

describe("XLIFF import", () => {
  it("reads an OmegaT-style XLIFF 1.2 file and reports units it cannot place", async () => {
    const file = await parseXliff(fixture("omegat-style-1.2.xlf"));
    expect(file).toMatchObject({
      version: "1.2",
      sourceLang: "en",
      targetLang: "es",
      original: "el-pais-trump-milei",
    });
    const plan = planXliffImport(doc, "es", emptyState(), file);
    expect(plan.updates).toEqual([
      {
        pid: "p2",
        text: "El líder argentino lleva una semana esperando hablar con el presidente electo republicano",
      },
    ]);
    expect(plan.unchanged).toBe(1);
    expect(plan.errors).toEqual([{ unit: "p99", message: expect.stringContaining("No paragraph") }]);
  });

  it("reads a Weblate-style file with inline markup, and refuses a unit whose source changed", async () => {
    const plan = planXliffImport(doc, "es", emptyState(), await parseXliff(fixture("weblate-style-1.2.xlf")));
    expect(plan.updates).toEqual([
      {
        pid: "p4",
        text: "La conversación tuvo lugar el martes, y la confirmó Buenos Aires a través del vocero de Milei, Manuel Adorni.",
      },
    ]);
    expect(plan.errors).toEqual([{ unit: "p5", message: expect.stringContaining("no longer matches") }]);
  });

  it("refuses DTDs, entity bombs and external entities without expanding anything", async () => {
    for (const name of ["billion-laughs.xlf", "external-entity.xlf"]) {
      await expect(parseXliff(fixture(name))).rejects.toThrow(/DOCTYPE/);
    }
  });

  it("refuses what is not XML, not XLIFF, or another version", async () => {
    await expect(parseXliff("not xml at all")).rejects.toThrow(GlosaError);
    await expect(
      parseXliff("<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'><file>"),
    ).rejects.toThrow(/well-formed/);
    await expect(parseXliff("<html/>")).rejects.toThrow(/Not an XLIFF/);
    await expect(parseXliff("<xliff version='3.0'/>")).rejects.toThrow(/Unsupported XLIFF version/);
    await expect(
      parseXliff("<xliff version='1.1' xmlns='urn:oasis:names:tc:xliff:document:1.2'/>"),
    ).rejects.toThrow(/Unsupported XLIFF version/);
  });

  it("refuses targets in another language, and another document's file", async () => {
    const french = fixture("omegat-style-1.2.xlf").replace('target-language="es"', 'target-language="fr"');
    const frenchFile = await parseXliff(french);
    expect(() => planXliffImport(doc, "es", emptyState(), frenchFile)).toThrow(/not es/);
    const other = `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="f1" original="other"><unit id="p1"><segment><source>Another title</source><target>Otro</target></segment></unit></file></xliff>`;
    const otherFile = await parseXliff(other);
    expect(() => planXliffImport(doc, "es", emptyState(), otherFile)).toThrow(/another document/);
  });
});
