/**
 * Which units of a TMX file the memory takes: what a translation save refuses is refused here too (an
 * attack stored `&#x7F;` in a unit that "Fill exact matches" then stopped at), a segment too long says
 * so rather than "no segment", and the pair's own language tag wins over a regional one.
 */

import { describe, expect, it } from "vitest";
import { MAX_SEGMENT, readTmx } from "../../memory/tmx.ts";
import { cleanText } from "../../translations/translation.ts";

const TMX = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT" adminlang="en" srclang="en" datatype="plaintext"/>
<body>${body}</body></tmx>`;
const TU = (en: string, es: string, esTag = "es") =>
  `<tu><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="${esTag}"><seg>${es}</seg></tuv></tu>`;

describe("TMX units a save would refuse", () => {
  it("refuses a segment with a control character (DEL, C1) as a unit problem, and keeps tab and line ends", async () => {
    // C0 controls never get this far: XML 1.0 refuses them, written or referenced (the reader's format error).
    const controls = ["&#x7F;", "&#x85;", "&#x9F;", "&#x80;", "\u007f", "\u0085"];
    const { units, errors } = await readTmx(
      TMX(
        [
          TU("Good morning.", "Buenos días."),
          ...controls.map((c, i) => TU(`Control ${i}.`, `Control${c} ${i}.`)),
          TU(`Source&#x7F; side.`, "Lado de origen."),
          TU("Tab\tand line\nend.", "Tabulador\ty salto\nde línea."),
        ].join("\n"),
      ),
      "en",
      "es",
    );
    expect(units.map((u) => u.source)).toEqual(["Good morning.", "Tab and line end."]);
    expect(errors).toHaveLength(controls.length + 1);
    for (const error of errors.slice(0, controls.length))
      expect(error).toMatchObject({
        code: "tmx_segment_control_characters",
        params: { lang: "es" },
        message: "The es segment contains control characters.",
      });
    expect(errors.at(-1)).toMatchObject({ code: "tmx_segment_control_characters", params: { lang: "en" } });
    // The rule is the save's own: every unit kept is a text a save takes.
    for (const unit of units) expect(() => cleanText(unit.target)).not.toThrow();
  });
});

describe("TMX unit problems in order", () => {
  it("says a segment over the bound is too long, not missing, whichever side it is on", async () => {
    const huge = "x".repeat(MAX_SEGMENT + 1);
    const { units, errors } = await readTmx(
      TMX([TU(huge, "Corto."), TU("Short.", huge), TU("Fine.", "Bien.")].join("")),
      "en",
      "es",
    );
    expect(units.map((u) => u.source)).toEqual(["Fine."]);
    expect(errors.map((e) => e.code)).toEqual(["tmx_segment_too_long", "tmx_segment_too_long"]);
    expect(errors[0]?.params).toEqual({ max: MAX_SEGMENT });
  });
});

describe("TMX language tags", () => {
  const both = (first: string, second: string) =>
    `<tu><tuv xml:lang="en"><seg>The bus is late.</seg></tuv><tuv xml:lang="${first}"><seg>${first} text.</seg></tuv><tuv xml:lang="${second}"><seg>${second} text.</seg></tuv></tu>`;

  it("takes the pair's own language over a regional variant, in either order", async () => {
    for (const [first, second] of [
      ["es-AR", "es"],
      ["es", "es-AR"],
    ] as const) {
      const { units } = await readTmx(TMX(both(first, second)), "en", "es");
      expect(units).toHaveLength(1);
      expect(units[0]?.target).toBe("es text.");
      expect(units[0]?.targetTag).toBeUndefined();
    }
  });

  it("takes a regional variant when the language's own tag is absent, and the exact region for a regional pair", async () => {
    const [regional] = (await readTmx(TMX(both("es-AR", "es-MX")), "en", "es")).units;
    expect(regional).toMatchObject({ target: "es-AR text.", targetTag: "es-AR" });
    const [exact] = (await readTmx(TMX(both("es", "es-AR")), "en", "es-AR")).units;
    expect(exact).toMatchObject({ target: "es-AR text." });
    expect(exact?.targetTag).toBeUndefined();
  });
});
