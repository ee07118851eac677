import { Parser } from "commonmark";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createDocument } from "../../translations/document.ts";
import { exportMarkdown } from "../../translations/exchange/markdown.ts";
import { selectForExport } from "../../translations/exchange/select.ts";
import { buildState, cleanText, type TranslationEvent } from "../../translations/translation.ts";
import { revisionEvent } from "../fixtures/records.ts";

/** The text of each block as a CommonMark parser reads it back (HTML comments are not text). */
function blockTexts(markdown: string): string[] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  const tree = new Parser().parse(body);
  const blocks: string[] = [];
  for (let block = tree.firstChild; block; block = block.next) {
    if (block.type === "html_block") continue;
    let text = "";
    const walker = block.walker();
    for (let event = walker.next(); event; event = walker.next()) {
      if (!event.entering) continue;
      const node = event.node;
      if (node.type === "text" || node.type === "code") text += node.literal ?? "";
      else if (node.type === "softbreak" || node.type === "linebreak") text += "\n";
      else if (node.type !== "paragraph" && node.type !== "heading" && node.type !== block.type)
        text += `<<${node.type}>>`;
    }
    blocks.push(text);
  }
  return blocks;
}

function exportOf(translations: string[], title = "A title") {
  const doc = createDocument({
    id: "d",
    sourceLang: "en",
    format: "text",
    content: [title, ...translations.map((_, i) => `Source ${i}`)].join("\n"),
    createdBy: "t",
    createdAt: "2026-01-01T00:00:00.000Z",
  });
  const events: TranslationEvent[] = [title, ...translations].map((text, i) =>
    revisionEvent(1, text, { pid: `p${i + 1}` }),
  );
  return exportMarkdown(
    selectForExport(doc, "es", buildState(events), {
      status: "latest",
      incomplete: "error",
      exportedAt: "2026-11-25T00:00:00.000Z",
    }),
  );
}

const TRICKY = [
  "1. Empieza como una lista",
  "1) también así",
  "- un guion al principio",
  "+ un más",
  "# no es un título",
  "> no es una cita",
  "Con *asteriscos* y _guiones bajos_ y __dobles__",
  "Corchetes [como un enlace](http://x) y ![imagen](y)",
  "Código `en línea` y ```triple```",
  "Menor <b>que</b> y <!-- comentario --> y <http://autolink>",
  "Entidades &amp; &copy; &#65; y & suelto",
  "Barra \\ invertida al final \\",
  "Dos espacios al final  ",
  "  Espacios al principio",
  "Tabulador\tdentro",
  "Líneas\npartidas\n\ncon blanco",
  "***",
  "---",
  "===",
  "    cuatro espacios",
  "~~~ valla",
  "| tabla | no |",
  "Precio: 10 $ ~ 20 $ [sic]",
  "Milei’s “chainsaw” — ya",
];

describe("Markdown export", () => {
  it("renders every tricky translation back as exactly its text", () => {
    const markdown = exportOf(TRICKY);
    expect(blockTexts(markdown)).toEqual(["A title", ...TRICKY]);
  });

  it("writes YAML front matter with a YAML library: any title is safe", () => {
    const title = 'Trump: "You are my favorite" --- # not a comment\nnext: line';
    const markdown = exportOf(["Hola"], title.replace("\n", " "));
    const front = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(markdown)?.[1] ?? "");
    expect(front).toMatchObject({
      title: title.replace("\n", " "),
      lang: "es",
      source_lang: "en",
      paragraphs: 2,
      approved: 0,
    });
    expect(blockTexts(markdown)[0]).toBe(title.replace("\n", " "));
  });

  it("escapes a title that ends in hashes", () => {
    expect(blockTexts(exportOf(["x"], "Número #1 ##"))[0]).toBe("Número #1 ##");
  });

  it("renders arbitrary Unicode translations back exactly (property)", () => {
    const translation = fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }).filter((s) => {
      try {
        return cleanText(s) === s;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(fc.array(translation, { minLength: 1, maxLength: 5 }), (texts) => {
        expect(blockTexts(exportOf(texts))).toEqual(["A title", ...texts]);
      }),
      { numRuns: 400 },
    );
  });

  it("renders arbitrary ASCII with every Markdown character back exactly (property)", () => {
    const ascii = fc
      .string({
        unit: fc.constantFrom(..."abc 123.)-+*_[]()<>!#&;`\\~|=:/\"'\t\n"),
        minLength: 1,
        maxLength: 40,
      })
      .filter((s) => s.trim().length > 0);
    fc.assert(
      fc.property(fc.array(ascii, { minLength: 1, maxLength: 4 }), (texts) => {
        expect(blockTexts(exportOf(texts))).toEqual(["A title", ...texts]);
      }),
      { numRuns: 600 },
    );
  });
});
