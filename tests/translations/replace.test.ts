import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Finder,
  findOccurrences,
  MAX_OCCURRENCES,
  pluralOf,
  replaceOccurrences,
  withCaseOf,
} from "../../translations/replace.ts";

const text = (t: string, pid = "p1") => ({ documentId: "d1", pid, revision: 3, text: t });

describe("find and replace", () => {
  it("finds whole words only, case aside, and keeps each occurrence's case; a word of the same stem is an inflection to confirm", () => {
    const { occurrences } = findOccurrences({ find: "motosierra", replace: "cortadora", lang: "es" }, [
      text("Motosierra en mano; la motosierra y MOTOSIERRA, no motosierrista."),
    ]);
    expect(occurrences.map((o) => [o.text, o.kind, o.proposed])).toEqual([
      ["Motosierra", "exact", "Cortadora"],
      ["motosierra", "exact", "cortadora"],
      ["MOTOSIERRA", "exact", "CORTADORA"],
      ["motosierrista", "inflection", "cortadora"],
    ]);
    expect(occurrences[1]).toMatchObject({ pid: "p1", revision: 3, id: "d1/p1/3/23" });
  });

  it("offers no place that already reads as its replacement, and counts those places", () => {
    const same = findOccurrences({ find: "Casa Rosada", replace: "Casa Rosada", lang: "es" }, [
      text("La Casa Rosada, la CASA ROSADA y la casa rosada."),
    ]);
    // Capitals kept: the second's replacement is adapted to it and changes nothing either; the third
    // gets the replacement's capitals (a name), a change to offer.
    expect(same.occurrences.map((o) => [o.text, o.proposed])).toEqual([["casa rosada", "Casa Rosada"]]);
    expect(same.unchanged).toBe(2);
    const cased = findOccurrences(
      { find: "Casa Rosada", replace: "Casa Rosada", lang: "es", matchCase: false, inflections: true },
      [text("las Casas Rosadas")],
    );
    expect(cased.unchanged).toBe(0);
    const mixed = findOccurrences(
      { find: "casa rosada", replace: "Casa Rosada", lang: "es", matchCase: true },
      [text("la casa rosada, la Casa Rosada")],
    );
    expect(mixed.occurrences.map((o) => o.text)).toEqual(["casa rosada"]);
    expect(mixed.unchanged).toBe(0);
    // Past the cap, the count leaves them out too.
    const finder = new Finder({ find: "Milei", replace: "Milei", lang: "es" });
    expect(finder.count("Milei, Milei")).toBe(0);
    expect(finder.unchanged).toBe(2);
  });

  it("offers inflected forms apart, with the plural of the new word", () => {
    const { occurrences } = findOccurrences({ find: "motosierra", replace: "cortadora", lang: "es" }, [
      text("Las motosierras de Milei y su Motosierra."),
    ]);
    expect(occurrences.map((o) => [o.text, o.kind, o.proposed])).toEqual([
      ["motosierras", "inflection", "cortadoras"],
      ["Motosierra", "exact", "Cortadora"],
    ]);
  });

  it("leaves inflections out when asked, and matches case exactly with matchCase", () => {
    const none = findOccurrences({ find: "motosierra", replace: "x", lang: "es", inflections: false }, [
      text("motosierras"),
    ]);
    expect(none.occurrences).toEqual([]);
    const cased = findOccurrences({ find: "Motosierra", replace: "Tijera", lang: "es", matchCase: true }, [
      text("motosierra Motosierra"),
    ]);
    expect(cased.occurrences.map((o) => o.start)).toEqual([11]);
  });

  it("finds phrases of several words across other spacing and punctuation", () => {
    const { occurrences } = findOccurrences({ find: "Fondo Monetario", replace: "FMI", lang: "es" }, [
      text("El Fondo  Monetario Internacional; el fondo monetario."),
    ]);
    expect(occurrences.map((o) => o.text)).toEqual(["Fondo  Monetario", "fondo monetario"]);
  });

  it("replaces the chosen occurrences only, offsets kept", () => {
    const t = "Motosierra, motosierras y motosierra.";
    const { occurrences } = findOccurrences({ find: "motosierra", replace: "cortadora", lang: "es" }, [
      text(t),
    ]);
    expect(replaceOccurrences(t, occurrences)).toBe("Cortadora, cortadoras y cortadora.");
    expect(
      replaceOccurrences(
        t,
        [occurrences[0], occurrences[2]].filter((o) => o !== undefined),
      ),
    ).toBe("Cortadora, motosierras y cortadora.");
  });

  it("pluralises Spanish and English words", () => {
    expect(pluralOf("ley", "es")).toBe("leyes");
    expect(pluralOf("luz", "es")).toBe("luces");
    expect(pluralOf("canción", "es")).toBe("canciones");
    expect(pluralOf("policy", "en")).toBe("policies");
    expect(pluralOf("tax", "en")).toBe("taxes");
    expect(withCaseOf("IMF", "fondo")).toBe("FONDO");
    expect(withCaseOf("fondo monetario", "FMI")).toBe("FMI");
    expect(withCaseOf("fondo monetario", "Fondo")).toBe("fondo");
    expect(withCaseOf("Fondo", "fondo Monetario")).toBe("Fondo Monetario");
    // A name capitalised past its first letter is kept as typed (the trial's "presupuesto General").
    expect(withCaseOf("presupuesto", "Presupuesto General")).toBe("Presupuesto General");
    expect(withCaseOf("presupuesto", "Casa Rosada")).toBe("Casa Rosada");
    expect(withCaseOf("teléfono", "iPhone")).toBe("iPhone");
  });

  it("refuses empty and oversized queries", () => {
    expect(() => findOccurrences({ find: " ,, ", replace: "", lang: "es" }, [])).toThrow(/word/);
    expect(() => findOccurrences({ find: "a".repeat(201), replace: "", lang: "es" }, [])).toThrow(/200/);
    expect(() => findOccurrences({ find: "a ".repeat(13), replace: "", lang: "es" }, [])).toThrow(/12/);
  });

  it("stops at the occurrence bound and counts the rest", () => {
    const many = Array.from({ length: 30 }, (_, i) => text("la ".repeat(50), `p${i}`));
    const result = findOccurrences({ find: "la", replace: "el", lang: "es" }, many);
    expect(result.occurrences).toHaveLength(MAX_OCCURRENCES);
    expect(result.omitted).toBe(1500 - MAX_OCCURRENCES);
  });

  it("counts without building exactly the occurrences it would find, proposals the same when remembered", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("Motosierra", "motosierras", "MOTOSIERRA", "la", "motos", ",", " "), {
          maxLength: 40,
        }),
        fc.boolean(),
        (parts, matchCase) => {
          const query = { find: "motosierra", replace: "tijera", lang: "es", matchCase };
          const finder = new Finder(query);
          const t = text(parts.join(" "));
          const found = finder.find(t);
          expect(finder.count(t.text)).toBe(found.length);
          // A second search (proposals now remembered) proposes what a fresh finder does.
          expect(finder.find(t)).toEqual(new Finder(query).find(t));
          for (const o of found) expect(o.proposed).toBe(new Finder(query).propose(o.text, o.kind));
        },
      ),
    );
  });

  it("stays linear on hostile input (no backtracking)", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }).filter((s) => /[\p{L}\p{N}]/u.test(s)),
        fc.constantFrom("a", "aa", "a-a", "'", "a'a'", " "),
        (find, unit) => {
          const hostile = unit.repeat(20_000);
          const started = performance.now();
          findOccurrences({ find, replace: "b", lang: "es" }, [text(hostile)]);
          return performance.now() - started < 2000;
        },
      ),
      { numRuns: 25 },
    );
  });

  it("in Markdown offers prose only: not a link's or image's destination, a code span, an autolink or an HTML tag", () => {
    const written =
      "Vea [Milei](https://example.com/milei), ejecute `milei --help` o ``milei`` y ![Milei](fotos/milei.png " +
      '"milei"), <https://milei.example>, <span class="milei">milei</span>, milei@example.com.';
    const query = { find: "milei", replace: "Javier", lang: "es" };
    const markdown = findOccurrences(query, [{ ...text(written), markdown: true }]).occurrences;
    expect(markdown.map((o) => [written.slice(o.start - 1, o.end + 1), o.proposed])).toEqual([
      ["[Milei]", "Javier"],
      ["[Milei]", "Javier"],
      [">milei<", "javier"],
    ]);
    expect(new Finder(query).count(written, true)).toBe(3);
    // A plain-text document's translation is searched whole.
    expect(findOccurrences(query, [text(written)]).occurrences.length).toBeGreaterThan(8);
    expect(new Finder(query).count(written)).toBe(findOccurrences(query, [text(written)]).occurrences.length);
  });

  it("stays linear on hostile Markdown (links, code spans, tags by the thousand)", () => {
    for (const unit of ["](", "`a", "<a ", "](a `b` <c", "[a](b) "]) {
      const hostile = unit.repeat(20_000);
      const started = performance.now();
      findOccurrences({ find: "a", replace: "b", lang: "es" }, [{ ...text(hostile), markdown: true }]);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it("returns occurrences within the text they name", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom("sí", "la", "Casa"), (t, find) => {
        const { occurrences } = findOccurrences({ find, replace: "x", lang: "es" }, [text(t)]);
        return occurrences.every((o) => t.slice(o.start, o.end) === o.text);
      }),
    );
  });
});
