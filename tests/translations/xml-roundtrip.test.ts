import { readFileSync } from "node:fs";
import fc from "fast-check";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { exportTbx } from "../../glossary/tbx.ts";
import { literalText } from "../../glossary/xml.ts";
import { createDocument } from "../../translations/document.ts";
import { selectForExport } from "../../translations/exchange/select.ts";
import { exportTmx } from "../../translations/exchange/tmx.ts";
import { exportXliff } from "../../translations/exchange/xliff.ts";
import { parseXliff } from "../../translations/exchange/xliff-import.ts";
import { buildState, cleanText } from "../../translations/translation.ts";
import { PLAIN_TERM, revisionEvent } from "../fixtures/records.ts";

const seed = readFileSync(new URL("../../default-data/article-trump-milei.txt", import.meta.url), "utf8");
const doc = createDocument({
  id: "d",
  sourceLang: "en",
  format: "text",
  content: seed,
  createdBy: "t",
  createdAt: "c",
});

/** What Glosa exports for paragraph p1 translated as `text`. */
const exportInput = (text: string) =>
  selectForExport(doc, "es", buildState([revisionEvent(1, text)]), {
    status: "latest",
    incomplete: "source",
    exportedAt: "2026-01-01T00:00:00.000Z",
  });

/** The text of every element named `name`, as a conforming XML parser reads it. */
function textsOf(xml: string, name: string): string[] {
  const parser = new SaxesParser({ xmlns: true });
  const texts: string[] = [];
  let inside = false;
  parser.on("opentag", (tag) => {
    if (tag.local === name) {
      inside = true;
      texts.push("");
    }
  });
  parser.on("text", (text) => {
    if (inside) texts[texts.length - 1] += text;
  });
  parser.on("closetag", (tag) => {
    if (tag.local === name) inside = false;
  });
  parser.on("error", (error) => {
    throw error;
  });
  parser.write(xml).close();
  return texts;
}

// Text that tempts an XML writer: entity look-alikes, markup, CR, the non-characters, lone
// surrogates and decomposed accents (which cleanText refuses or normalises), among any code point.
const tricky = fc.constantFrom(
  "&",
  "&amp;",
  "&#38;",
  "&lt;",
  "&quot;",
  "&nbsp;",
  ";",
  "<",
  ">",
  "]]>",
  "\r",
  "\r\n",
  "\n",
  "\t",
  " ",
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "e\u0301",
  "\u0085",
);
const anyText = fc.string({
  unit: fc.oneof(tricky, fc.string({ unit: "binary", maxLength: 1 })),
  maxLength: 40,
});

/** The strings Glosa accepts as a translation. */
function accepted(raw: string): string | null {
  try {
    return cleanText(raw);
  } catch {
    return null;
  }
}
const glosaText = anyText.map(accepted).filter((text): text is string => text !== null);
// XML 1.0 has no way to write these; only XLIFF 2.0 has one (<cp>). See the report on cleanText.
const xmlText = glosaText.filter((text) => !/[\uFFFE\uFFFF]/.test(text));

describe("exports write any text Glosa accepts so that it reads back exactly", () => {
  it("writes the literal text &amp; as &amp;amp;", () => {
    expect(literalText("Tom &amp; Jerry & co")).toBe("Tom &amp;amp; Jerry &amp; co");
    const xml = exportXliff(exportInput("Tom &amp; Jerry & co <b>"));
    expect(xml).toContain('<target xml:space="preserve">Tom &amp;amp; Jerry &amp; co &lt;b&gt;</target>');
  });

  it("XLIFF 2.0: export, then Glosa's own import, gives the same text", async () => {
    await fc.assert(
      fc.asyncProperty(glosaText, async (text) => {
        const file = await parseXliff(exportXliff(exportInput(text)));
        expect(file.units.find((u) => u.id === "p1")?.target).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("TMX: the translation segment reads back as the same text", () => {
    fc.assert(
      fc.property(xmlText, (text) => {
        const segs = textsOf(exportTmx(exportInput(text), "1"), "seg");
        expect(segs[1]).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("TBX: terms, forbidden forms and definitions read back as the same text", () => {
    fc.assert(
      fc.property(xmlText, xmlText, (source, target) => {
        const xml = exportTbx([
          {
            ...PLAIN_TERM,
            source,
            description: target,
            targets: { es: { text: target, forbidden: [source] } },
          },
        ]);
        expect(textsOf(xml, "term")).toEqual([source, target, source]);
        expect(textsOf(xml, "descrip")).toEqual([target]);
      }),
      { numRuns: 300 },
    );
  });
});
