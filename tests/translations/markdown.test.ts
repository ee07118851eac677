import { HtmlRenderer, Parser } from "commonmark";
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

describe("Markdown documents: a translation is Markdown, in the source's blocks", () => {
  const ARTICLE = [
    "# Milei meets Trump",
    "",
    "The *chainsaw* plan, as [reported](https://example.com/a) by the **press**:",
    "",
    "1. Cut ministries",
    "2. Close agencies",
    "   - the statistics office",
    "   - the news agency",
    "",
    "- Dollarise",
    "- Deregulate",
    "",
    "> We will not stop,",
    "> the president said.",
    "",
    "## Reactions",
    "",
    "The IMF welcomed it.",
    "",
  ].join("\n");

  const SPANISH: Record<string, string> = {
    "Milei meets Trump": "Milei se reúne con Trump",
    "The *chainsaw* plan, as [reported](https://example.com/a) by the **press**:":
      "El plan de la *motosierra*, según [informó](https://example.com/a) la **prensa**:",
    "Cut ministries": "Recortar ministerios",
    "Close agencies": "Cerrar organismos",
    "the statistics office": "el instituto de estadística",
    "the news agency": "la agencia de noticias",
    Dollarise: "Dolarizar",
    Deregulate: "Desregular",
    "We will not stop,\nthe president said.": "No vamos a parar,\ndijo el presidente.",
    Reactions: "Reacciones",
    "The IMF welcomed it.": "El FMI lo celebró.",
  };

  function markdownDocument() {
    return createDocument({
      id: "d",
      sourceLang: "en",
      format: "markdown",
      content: ARTICLE,
      createdBy: "t",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
  }

  /** The rendered HTML's shape: element names only, text left out (with `blocksOnly`, inline ones too). */
  function shape(markdown: string, blocksOnly = false): string {
    const html = new HtmlRenderer().render(new Parser().parse(markdown.replace(/^---\n[\s\S]*?\n---\n/, "")));
    return [...html.matchAll(/<(\/?[a-z0-9]+)/g)]
      .map((m) => m[1] as string)
      .filter((tag) => !blocksOnly || !/^\/?(a|em|strong|code)$/.test(tag))
      .join(" ");
  }

  it("splits each list item, quote and heading into a paragraph of its kind", () => {
    const doc = markdownDocument();
    expect(doc.format).toBe("markdown");
    expect(doc.paragraphs.map((p) => [p.kind, p.source, p.marker ?? "", p.depth ?? 0, p.quote ?? 0])).toEqual(
      [
        ["title", "Milei meets Trump", "", 0, 0],
        [
          "paragraph",
          "The *chainsaw* plan, as [reported](https://example.com/a) by the **press**:",
          "",
          0,
          0,
        ],
        ["list-item", "Cut ministries", "1.", 0, 0],
        ["list-item", "Close agencies", "2.", 0, 0],
        ["list-item", "the statistics office", "-", 1, 0],
        ["list-item", "the news agency", "-", 1, 0],
        ["list-item", "Dollarise", "-", 0, 0],
        ["list-item", "Deregulate", "-", 0, 0],
        ["quote", "We will not stop,\nthe president said.", "", 0, 1],
        ["heading", "Reactions", "", 0, 0],
        ["paragraph", "The IMF welcomed it.", "", 0, 0],
      ],
    );
    expect(doc.paragraphs[2]).toMatchObject({ ordered: true, start: 1 });
  });

  it("exports the translated inline markup as written, and renders to the source's structure", () => {
    const doc = markdownDocument();
    const events = doc.paragraphs.map((p) =>
      revisionEvent(1, SPANISH[p.source] ?? `?? ${p.source}`, { pid: p.id }),
    );
    const markdown = exportMarkdown(
      selectForExport(doc, "es", buildState(events), {
        status: "latest",
        incomplete: "error",
        exportedAt: "2026-11-25T00:00:00.000Z",
      }),
    );
    expect(markdown).toContain(
      "El plan de la *motosierra*, según [informó](https://example.com/a) la **prensa**:",
    );
    expect(markdown).not.toContain("\\*");
    expect(markdown).not.toContain("\\[");
    expect(markdown).not.toContain("\\>");
    expect(shape(markdown)).toBe(shape(ARTICLE));
    const html = new HtmlRenderer().render(new Parser().parse(markdown.replace(/^---\n[\s\S]*?\n---\n/, "")));
    expect(html).toContain("<li>Recortar ministerios</li>");
    expect(html).toContain("<li>el instituto de estadística</li>");
    expect(html).toContain("<blockquote>\n<p>No vamos a parar,\ndijo el presidente.</p>");
    expect(html).toContain("<h2>Reacciones</h2>");
    expect(html).toContain('<em>motosierra</em>, según <a href="https://example.com/a">informó</a>');
  });

  it("escapes only what would open another block at the start of a translated line", () => {
    const doc = markdownDocument();
    const events = doc.paragraphs.map((p, i) =>
      revisionEvent(1, i === 1 ? "# no\n1. tampoco\n> ni esto *sí énfasis*" : (SPANISH[p.source] ?? "x"), {
        pid: p.id,
      }),
    );
    const markdown = exportMarkdown(
      selectForExport(doc, "es", buildState(events), {
        status: "latest",
        incomplete: "error",
        exportedAt: "2026-11-25T00:00:00.000Z",
      }),
    );
    expect(markdown).toContain("\\# no\n1\\. tampoco\n\\> ni esto *sí énfasis*");
    expect(shape(markdown, true)).toBe(shape(ARTICLE, true));
  });

  it("keeps escaping everything in plain-text documents", () => {
    expect(exportOf(["*énfasis* y [enlace](x)"])).toContain("\\*énfasis\\* y \\[enlace\\](x)");
  });

  it("refuses lists and quotes nested past the bound, before parsing", () => {
    expect(() =>
      createDocument({
        id: "d",
        sourceLang: "en",
        format: "markdown",
        content: `Title\n\n${"> ".repeat(40)}deep`,
        createdBy: "t",
        createdAt: "x",
      }),
    ).toThrow(/nest/);
  });
});
