/**
 * Import, export, import: a unit comes back with the same text and codes, or is refused with a
 * reason at the first import. An attack's literal `{1}` beside a <bpt> exported as a second <bpt>; a
 * second <seg> and a <sub> inside a code were dropped without a word.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ReadUnit, readTmx, writeTmx } from "../../memory/tmx.ts";

const TMX = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="9" segtype="sentence" o-tmf="tw" adminlang="en" srclang="en" datatype="html"/>
<body>${body}</body></tmx>`;
const TU = (en: string, es: string) =>
  `<tu><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="es"><seg>${es}</seg></tuv></tu>`;

const kept = (u: ReadUnit) => ({
  source: u.source,
  target: u.target,
  sourceCodes: u.sourceCodes,
  targetCodes: u.targetCodes,
});

async function roundTrip(units: ReadUnit[]): Promise<ReadUnit[]> {
  const xml = await writeTmx(
    units.map((u) => ({ ...u, tool: "Trados", date: "2026-01-01T00:00:00.000Z", approved: false })),
    "en",
    "es",
    { version: "test", exportedAt: "2026-01-01T00:00:00.000Z" },
  );
  const again = await readTmx(xml, "en", "es");
  expect(again.errors).toEqual([]);
  return again.units;
}

describe("TMX text shaped like a placeholder", () => {
  it("refuses a segment with inline codes and literal {1}, {/1} or {2/}, naming the side", async () => {
    const { units, errors } = await readTmx(
      TMX(
        [
          TU(
            'Collide {1} literal then <bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept> and {2/} lit <ph x="3">&lt;br/&gt;</ph>',
            "Choque",
          ),
          TU("Fine", 'Cierre {/1} suelto <ph x="1">&lt;br/&gt;</ph>'),
          TU("Literal {1} and {2/} without codes", "Literal {1} y {2/} sin códigos"),
          TU('Braces {<ph x="1">&lt;br/&gt;</ph>} and { 1 } stay', "Llaves"),
        ].join("\n"),
      ),
      "en",
      "es",
    );
    expect(errors.map((e) => [e.code, e.params])).toEqual([
      ["tmx_segment_placeholder_text", { lang: "en" }],
      ["tmx_segment_placeholder_text", { lang: "es" }],
    ]);
    expect(units.map((u) => u.source)).toEqual([
      "Literal {1} and {2/} without codes",
      "Braces {{1/}} and { 1 } stay",
    ]);
    expect((await roundTrip(units)).map(kept)).toEqual(units.map(kept));
  });

  it("gives back every unit it keeps unchanged through export and import again (generated segments)", async () => {
    const literal = fc
      .stringMatching(/^[a-z {}/0-9&<>"]{0,8}$/)
      .map((t) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    const piece = fc.oneof(
      literal,
      literal.map((t) => `<hi type="b">${t}</hi>`),
      literal.map((t) => `<ph x="1">&lt;br${t}/&gt;</ph>`),
      literal.map((t) => `<bpt i="7">&lt;i&gt;</bpt>${t}<ept i="7">&lt;/i&gt;</ept>`),
      fc.constant('<it pos="begin">&lt;u&#13;&gt;</it>'),
      fc.constant('<bpt i="9">&lt;s&gt;</bpt>'),
    );
    const segment = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => `x ${p.join("")}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(segment, segment), { minLength: 1, maxLength: 5 }),
        async (pairs) => {
          const { units } = await readTmx(TMX(pairs.map(([en, es]) => TU(en, es)).join("\n")), "en", "es");
          expect((await roundTrip(units)).map(kept)).toEqual(units.map(kept));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a carriage return inside a code through the round trip, written as &#13;", async () => {
    const { units } = await readTmx(
      TMX(TU('Line <ph x="1" type="a&#13;b">&lt;br&#13;&gt;</ph> end', "Línea")),
      "en",
      "es",
    );
    expect(units[0]?.sourceCodes?.[0]).toMatchObject({ content: "<br\r>", attributes: { type: "a\rb" } });
    expect((await roundTrip(units)).map(kept)).toEqual(units.map(kept));
  });
});

describe("TMX markup the memory cannot keep", () => {
  it("refuses a unit whose side has a second <seg>, or a <sub> inside a code, with a problem each", async () => {
    const { units, errors } = await readTmx(
      TMX(
        [
          `<tu><tuv xml:lang="en"><seg>first</seg><seg>second</seg></tuv><tuv xml:lang="es"><seg>uno</seg></tuv></tu>`,
          TU(
            'A <bpt i="1">&lt;a title="<sub>Sub text</sub>"&gt;</bpt>link<ept i="1">&lt;/a&gt;</ept>',
            "Un enlace",
          ),
          TU("Kept", "Guardada"),
        ].join("\n"),
      ),
      "en",
      "es",
    );
    expect(errors.map((e) => [e.line, e.code, e.params])).toEqual([
      [3, "tmx_tuv_two_segments", { lang: "en" }],
      [4, "tmx_segment_sub", { lang: "en" }],
    ]);
    expect(units.map((u) => u.source)).toEqual(["Kept"]);
  });
});
