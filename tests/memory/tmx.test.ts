import { describe, expect, it } from "vitest";
import { readTmx, writeTmx } from "../../memory/tmx.ts";

const unit = (i: number) =>
  `<tu><tuv xml:lang="en"><seg>Unit ${i}</seg></tuv><tuv xml:lang="es"><seg>Unidad ${i}</seg></tuv></tu>`;
const tmx = (body: string, header = '<header creationtool="Tool" srclang="en"/>') =>
  `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4">${header}<body>${body}</body></tmx>`;

describe("readTmx", () => {
  it("reads more units than the generic XML element bound allows (the memory takes 100,000 a file)", async () => {
    // 5 elements a unit: 51,000 units are past the 250,000 elements a glossary or XLIFF file may have.
    const count = 51_000;
    const read = await readTmx(tmx(Array.from({ length: count }, (_, i) => unit(i)).join("")), "en", "es");
    expect(read.errors).toEqual([]);
    expect(read.units).toHaveLength(count);
    expect(read.units.at(-1)).toEqual({
      source: `Unit ${count - 1}`,
      target: `Unidad ${count - 1}`,
      tool: "Tool",
    });
  }, 60_000);

  it("reads only the units of the body, with the header's tool unless a unit names its own", async () => {
    const read = await readTmx(
      tmx(
        `${unit(1)}<tu creationtool="Own">${unit(2).slice(4)}<tu><tuv xml:lang="en"><seg>x</seg></tuv></tu>`,
      ),
      "en",
      "es",
    );
    expect(read.units).toEqual([
      { source: "Unit 1", target: "Unidad 1", tool: "Tool" },
      { source: "Unit 2", target: "Unidad 2", tool: "Own" },
    ]);
    expect(read.errors).toEqual([{ line: 1, message: "The unit has no es segment." }]);
    const outside = await readTmx(tmx(unit(1), `<header>${unit(9)}</header>`), "en", "es");
    expect(outside.units.map((u) => u.source)).toEqual(["Unit 1"]);
  });

  it("writes what it reads: markup characters, references and line ends in texts, tools and titles", async () => {
    const pieces = [
      "a",
      "&",
      "&amp;",
      "&#13;",
      "<",
      ">",
      '"',
      "'",
      "\t",
      "\n",
      "\r\n",
      "é",
      "😀",
      "]]>",
      "&lt;",
    ];
    const text = (seed: number) =>
      Array.from({ length: 9 }, (_, i) => pieces[(seed * 7 + i * 5) % pieces.length]).join("x");
    const units = Array.from({ length: 40 }, (_, i) => ({
      source: text(i),
      target: text(i + 3),
      tool: text(i + 1),
      date: "2026-11-26T10:00:00.000Z",
      approved: i % 2 === 0,
      ...(i % 3 === 0 ? { document: { id: "d", title: text(i + 2) } } : {}),
    }));
    const xml = await writeTmx(units, "en", "es", { version: "1", exportedAt: "2026-11-26T10:00:00.000Z" });
    const read = await readTmx(xml, "en", "es");
    const collapse = (s: string) => s.replace(/\s+/g, " ").trim();
    expect(read.errors).toEqual([]);
    expect(read.units.map((u) => [u.source, u.target, u.tool])).toEqual(
      units.map((u) => [collapse(u.source), collapse(u.target), u.tool]),
    );
  });
});
