import { describe, expect, it } from "vitest";
import { GlossaryFormatError } from "../../glossary/exchange.ts";
import { substituteNumbers } from "../../memory/score.ts";
import { MAX_SEGMENT, readTmx, writeTmx } from "../../memory/tmx.ts";
import { readWords } from "../../memory/words.ts";

const TMX = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT" adminlang="en" srclang="en" datatype="plaintext"/>
<body>${body}</body></tmx>`;
const TU = (en: string, es: string) =>
  `<tu><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="es"><seg>${es}</seg></tuv></tu>`;

describe("TMX inline codes", () => {
  it("keeps <bpt>/<ept>, <ph>, <it> and <hi> as numbered placeholders, with their codes", async () => {
    const { units, errors } = await readTmx(
      TMX(
        TU(
          'Press <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> now.<ph x="2">&lt;br/&gt;</ph> See <hi type="link">the guide</hi>.',
          'Pulse <bpt i="1">&lt;b&gt;</bpt>Guardar<ept i="1">&lt;/b&gt;</ept> ahora.<ph x="2">&lt;br/&gt;</ph> <it pos="begin">&lt;i&gt;</it>Vea <hi type="link">la guía</hi>.',
        ),
      ),
      "en",
      "es",
    );
    expect(errors).toEqual([]);
    expect(units[0]).toMatchObject({
      source: "Press {1}Save{/1} now.{3/} See {4}the guide{/4}.",
      target: "Pulse {1}Guardar{/1} ahora.{3/} {4/}Vea {5}la guía{/5}.",
    });
    expect(units[0]?.sourceCodes).toEqual([
      { tag: "bpt", attributes: { i: "1" }, content: "<b>" },
      { tag: "ept", attributes: { i: "1" }, content: "</b>", closes: 1 },
      { tag: "ph", attributes: { x: "2" }, content: "<br/>" },
      { tag: "hi", attributes: { type: "link" }, content: "" },
    ]);
  });

  it("writes each placeholder back as its element on export, and reads back the same", async () => {
    const [unit] = (
      await readTmx(
        TMX(
          TU(
            'A <bpt i="1">&lt;a href="x&amp;y"&gt;</bpt>link<ept i="1">&lt;/a&gt;</ept>, <hi type="b">bold <ph>&lt;br/&gt;</ph></hi> and more.',
            'Un <bpt i="1">&lt;a href="x&amp;y"&gt;</bpt>enlace<ept i="1">&lt;/a&gt;</ept>.',
          ),
        ),
        "en",
        "es",
      )
    ).units;
    if (!unit) throw new Error("no unit");
    const xml = writeTmx(
      [{ ...unit, tool: "OmegaT", date: "2026-01-01T00:00:00.000Z", approved: false }],
      "en",
      "es",
      { version: "1", exportedAt: "2026-01-02T00:00:00.000Z" },
    );
    expect(xml).toContain('<bpt i="1">&lt;a href="x&amp;y"&gt;</bpt>link<ept i="1">&lt;/a&gt;</ept>');
    expect(xml).toContain('<hi type="b">bold <ph>&lt;br/&gt;</ph></hi>');
    const again = (await readTmx(xml, "en", "es")).units[0];
    expect(again).toMatchObject({ source: unit.source, target: unit.target, sourceCodes: unit.sourceCodes });
  });

  it("does not read placeholders as words or numbers, nor substitute into them", () => {
    expect(readWords("Press {1}Save{/1} now {2/}", "en").folded).toEqual(["press", "save", "now"]);
    expect(substituteNumbers("Cuesta {1}15{/1} euros", [{ from: "1", to: "3" }]).text).toBe(
      "Cuesta {1}15{/1} euros",
    );
    expect(substituteNumbers("{1/}Cuesta 15 euros", [{ from: "15", to: "20" }]).text).toBe(
      "{1/}Cuesta 20 euros",
    );
  });
});

describe("hostile TMX", () => {
  it("refuses a DOCTYPE (entity bombs) before anything is read", async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<tmx version="1.4"><header/><body>${TU("&c;", "&c;")}</body></tmx>`;
    await expect(readTmx(bomb, "en", "es")).rejects.toThrow(/DOCTYPE/);
  });

  it("refuses deep nesting, as a format error", async () => {
    const deep = TMX(TU(`${"<hi>".repeat(200)}x${"</hi>".repeat(200)}`, "y"));
    await expect(readTmx(deep, "en", "es")).rejects.toBeInstanceOf(GlossaryFormatError);
  });

  it("skips a unit with a huge segment, in pieces or whole, and reads the rest", async () => {
    const huge = "word ".repeat(MAX_SEGMENT / 4);
    const pieces = Array.from({ length: 50 }, () => `${"z".repeat(MAX_SEGMENT / 40)}<ph>x</ph>`).join("");
    const { units, errors } = await readTmx(
      TMX(TU(huge, "corto") + TU(pieces, "corto") + TU("Fine.", "Bien.")),
      "en",
      "es",
    );
    expect(units.map((u) => u.source)).toEqual(["Fine."]);
    expect(errors).toHaveLength(2);
  });

  it("stops reading past the unit bound and says so", async () => {
    const read = await readTmx(TMX(TU("One.", "Uno.").repeat(12)), "en", "es", 10);
    expect(read.tooMany).toBe(true);
    expect(read.units).toHaveLength(10);
  });

  it("refuses what is not TMX, and TMX without a body", async () => {
    await expect(readTmx("<xliff/>", "en", "es")).rejects.toThrow(/not TMX/);
    await expect(readTmx('<tmx version="1.4"><header/></tmx>', "en", "es")).rejects.toThrow(/body/);
  });
});
