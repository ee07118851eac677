import { describe, expect, it } from "vitest";
import { create } from "xmlbuilder2";
import { exportTbx, TBX_NS, tbxChunks } from "../../glossary/tbx.ts";
import type { Term } from "../../glossary/term.ts";
import { joinSlices, literalText } from "../../glossary/xml.ts";

/** The export as xmlbuilder2 wrote it element by element before it was written in slices. */
function xmlbuilderTbx(terms: Term[], lang?: string): string {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(TBX_NS, "tbx", {
    type: "TBX-Basic",
    style: "dca",
    "xml:lang": terms[0]?.sourceLang ?? "en",
  });
  root.ele("tbxHeader").ele("fileDesc").ele("sourceDesc").ele("p").txt("Exported from Glosa");
  const body = root.ele("text").ele("body");
  for (const term of terms) {
    const entry = body.ele("conceptEntry", { id: `c-${term.id}` });
    if (!term.translatable) entry.ele("admin", { type: "x-glosa-doNotTranslate" }).txt("yes");
    if (term.caseSensitive) entry.ele("admin", { type: "x-glosa-caseSensitive" }).txt("yes");
    if (term.description) entry.ele("descrip", { type: "definition" }).txt(literalText(term.description));
    const termSec = (sec: ReturnType<typeof entry.ele>, text: string, status: string) => {
      const s = sec.ele("termSec");
      s.ele("term").txt(literalText(text));
      s.ele("termNote", { type: "administrativeStatus" }).txt(status);
    };
    termSec(entry.ele("langSec", { "xml:lang": term.sourceLang }), term.source, "preferredTerm-admn-sts");
    for (const [targetLang, target] of Object.entries(term.targets)) {
      if ((lang && targetLang !== lang) || (!target.text && target.forbidden.length === 0)) continue;
      const sec = entry.ele("langSec", { "xml:lang": targetLang });
      if (target.text) termSec(sec, target.text, "preferredTerm-admn-sts");
      for (const forbidden of target.forbidden) termSec(sec, forbidden, "deprecatedTerm-admn-sts");
    }
  }
  return root.end({ prettyPrint: true });
}

const tricky: Term[] = [
  {
    id: "t1",
    sourceLang: "en",
    source: `Tom &amp; Jerry <b> "quoted" 'single'\r\nnext\tline`,
    description: 'Said "so" > & < \r and\nmore',
    translatable: false,
    caseSensitive: true,
    targets: {
      es: { text: "Tom y Jerry & co", forbidden: ["T&J", "<tj>"] },
      fr: { text: "", forbidden: ["Tom & Jerry"] },
      de: { text: "", forbidden: [] },
    },
  },
  {
    id: "t2",
    sourceLang: "en",
    source: "plain",
    description: "",
    translatable: true,
    caseSensitive: false,
    targets: {},
  },
];

function manyTerms(n: number): Term[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    sourceLang: "en",
    source: `term ${i} & co`,
    description: i % 3 ? "" : `definition ${i}`,
    translatable: i % 5 !== 0,
    caseSensitive: i % 7 === 0,
    targets: { es: { text: `término ${i}`, forbidden: i % 2 ? [`malo ${i}`] : [] } },
  }));
}

describe("TBX export", () => {
  it("writes the same bytes as xmlbuilder2 did, for every language choice and for no terms", async () => {
    for (const [terms, lang] of [
      [tricky, undefined],
      [tricky, "es"],
      [tricky, "fr"],
      [[], undefined],
      [manyTerms(50), "es"],
    ] as const) {
      const expected = xmlbuilderTbx([...terms], lang);
      expect(exportTbx(terms, lang)).toBe(expected);
      expect(await joinSlices(tbxChunks(terms, lang))).toBe(expected);
    }
  });

  it("gives the event loop back between slices and sends the file in pieces", async () => {
    const terms = manyTerms(20_000);
    const order: string[] = [];
    setImmediate(() => order.push("timer"));
    const pieces: string[] = [];
    for await (const piece of tbxChunks(terms, "es")) {
      pieces.push(piece);
      order.push("piece");
    }
    // The timer queued before the export ran while it was being written, not after its last piece.
    expect(order.indexOf("timer")).toBeGreaterThan(-1);
    expect(order.indexOf("timer")).toBeLessThan(order.lastIndexOf("piece"));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(exportTbx(terms, "es"));
  });
});
