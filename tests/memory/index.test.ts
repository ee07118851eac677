import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryIndex, type MemoryUnit } from "../../memory/index.ts";

const unit = (key: string, source: string, target: string, extra: Partial<MemoryUnit> = {}): MemoryUnit => ({
  key,
  source,
  target,
  approved: false,
  updatedAt: "2026-11-01T00:00:00.000Z",
  ...extra,
});

// A small vocabulary, so that generated sentences share words and near-duplicates abound.
const WORDS = [
  "the",
  "president",
  "presidents",
  "not",
  "signed",
  "decree",
  "Milei",
  "Congress",
  "15",
  "20",
  "vote",
  "a",
];
const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 })
  .map((w) => `${w.join(" ")}.`);

const keysOf = (matches: { unit: MemoryUnit; score: number }[]) =>
  matches.map((m) => `${m.unit.key}:${m.score}`).sort();

/** Whether a match ranks before another: higher score, then approved, then newer. */
const better = (a: { unit: MemoryUnit; score: number }, b: { unit: MemoryUnit; score: number }) =>
  a.score !== b.score
    ? a.score > b.score
    : a.unit.approved !== b.unit.approved
      ? a.unit.approved
      : a.unit.updatedAt > b.unit.updatedAt;

/**
 * The full scan's answer to `search`: the best unit of each distinct (source, target) pair, best first
 * (score, then approved, then newest), the unit `exclude` names left out.
 */
const fullScanTop = (index: MemoryIndex, query: string, min: number, limit: number, exclude?: string) => {
  const best = new Map<string, { unit: MemoryUnit; score: number }>();
  for (const m of index.scan(query, min)) {
    if (m.unit.key === exclude) continue;
    const pair = `${m.unit.source}\u0000${m.unit.target}`;
    const known = best.get(pair);
    if (!known || better(m, known)) best.set(pair, m);
  }
  return [...best.values()]
    .sort((a, b) => (better(a, b) ? -1 : 1))
    .slice(0, limit)
    .map((m) => `${m.unit.key}:${m.score}`);
};

describe("memory index", () => {
  it("finds exactly the matches a full scan finds (recall 100%)", () => {
    fc.assert(
      fc.property(
        fc.array(sentence, { minLength: 1, maxLength: 40 }),
        sentence,
        fc.integer({ min: 30, max: 100 }),
        fc.array(fc.nat(39), { maxLength: 5 }),
        (sources, query, min, removed) => {
          const index = new MemoryIndex("en", "es");
          for (const [i, s] of sources.entries()) index.put(unit(`u${i}`, s, `t${i}`));
          for (const r of removed) index.remove(`u${r}`);
          const all = index.scan(query, min);
          expect(keysOf(index.matches(query, min))).toEqual(keysOf(all));
          // The top five stop early, and still are the five best of the full scan.
          const top = index.search(query, min, 5).map((m) => m.score);
          const distinct = new Map(all.map((m) => [`${m.unit.source}\u0000${m.unit.target}`, m.score]));
          expect(top).toEqual([...distinct.values()].sort((a, b) => b - a).slice(0, 5));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("answers a lookup asked again after units came and went as a fresh index does", () => {
    const change = fc.record({ at: fc.nat(29), source: fc.option(sentence, { nil: undefined }) });
    fc.assert(
      fc.property(
        fc.array(sentence, { minLength: 1, maxLength: 30 }),
        sentence,
        fc.array(change, { maxLength: 12 }),
        fc.integer({ min: 30, max: 95 }),
        (sources, query, changes, min) => {
          let clock = 0;
          // Every unit its own time: the ranking is a total order, so both lists must be the same units.
          const make = (i: number, s: string) =>
            unit(`u${i}`, s, `t${s.length % 3}`, {
              approved: (i + s.length) % 2 === 0,
              updatedAt: new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString(),
            });
          const index = new MemoryIndex("en", "es");
          const held = new Map<string, MemoryUnit>();
          const put = (u: MemoryUnit) => {
            index.put(u);
            held.set(u.key, u);
          };
          for (const [i, s] of sources.entries()) put(make(i, s));
          const asked = (ix: MemoryIndex) =>
            ix.search(query, min, 3, "u0").map((m) => `${m.unit.key}:${m.score}`);
          asked(index);
          for (const { at, source } of changes) {
            if (source === undefined) {
              index.remove(`u${at}`);
              held.delete(`u${at}`);
            } else put(make(at, source));
            const fresh = new MemoryIndex("en", "es");
            for (const u of held.values()) fresh.put(u);
            const answer = asked(index);
            expect(answer).toEqual(asked(fresh));
            // Asked again with nothing changed (the kept answer): the same, whatever the caller did
            // with the list it was given.
            index.search(query, min, 3, "u0").pop();
            expect(asked(index)).toEqual(answer);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives a first lookup the same best matches as a full scan on long near-duplicates with repeated words", () => {
    // Long variants of one text: the walk's count filter, the keys read beyond the prefix and the
    // batches of bounds all take part (short sentences of a few words barely reach them).
    const base =
      "the president said the decree of the government was not signed by the Congress in 15 days".split(" ");
    const extra = [
      "presidents",
      "decrees",
      "signs",
      "vote",
      "20",
      "never",
      "the",
      "of",
      "Milei",
      "Senate",
      "a",
    ];
    const variant = fc
      .array(fc.record({ at: fc.nat(40), op: fc.nat(2), word: fc.constantFrom(...extra) }), { maxLength: 8 })
      .chain((edits) =>
        fc.nat(2).map((copies) => {
          const words = Array.from({ length: copies + 1 }, () => base).flat();
          for (const { at, op, word } of edits) {
            const i = at % words.length;
            if (op === 0) words[i] = word;
            else if (op === 1) words.splice(i, 0, word);
            else if (words.length > 3) words.splice(i, 1);
          }
          return `${words.join(" ")}.`;
        }),
      );
    fc.assert(
      fc.property(
        fc.array(variant, { minLength: 1, maxLength: 60 }),
        variant,
        fc.integer({ min: 50, max: 99 }),
        fc.array(fc.nat(59), { maxLength: 5 }),
        fc.integer({ min: 1, max: 60 }),
        (sources, query, min, removed, limit) => {
          const index = new MemoryIndex("en", "es");
          const units = sources.map((s, i) =>
            unit(`u${i}`, s, `t${i % 7}`, {
              approved: i % 3 === 0,
              updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
            }),
          );
          for (const u of units) index.put(u);
          for (const r of removed) index.remove(`u${r}`);
          const gone = new Set(removed.map((r) => `u${r}`));
          const expected = fullScanTop(index, query, min, limit);
          expect(expected.every((e) => !gone.has(e.split(":")[0] as string))).toBe(true);
          expect(index.search(query, min, limit).map((m) => `${m.unit.key}:${m.score}`)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("breaks ties at the last score as a full scan does, whatever order the units were added in", () => {
    // Near-duplicates of one text, many of them the same text (one score for all of its units), some
    // with the same translation: hundreds tie at the last score, and which of them the list keeps is
    // decided by approval and date alone. Dates run in no relation to the order the units are added,
    // and the unit left out may be any of them.
    const base = "the president said the decree of the government was not signed by the Congress".split(" ");
    const variant = fc
      .array(
        fc.record({ at: fc.nat(20), op: fc.nat(2), word: fc.constantFrom("presidents", "never", "Senate") }),
        {
          maxLength: 3,
        },
      )
      .map((edits) => {
        const words = [...base];
        for (const { at, op, word } of edits) {
          const i = at % words.length;
          if (op === 0) words[i] = word;
          else if (op === 1) words.splice(i, 0, word);
          else words.splice(i, 1);
        }
        return `${words.join(" ")}.`;
      });
    fc.assert(
      fc.property(
        fc.array(variant, { minLength: 1, maxLength: 8 }),
        fc.array(
          fc.record({ text: fc.nat(7), target: fc.nat(3), approved: fc.boolean(), iso: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 80,
          },
        ),
        fc.integer({ min: 0, max: 1_000_000 }),
        variant,
        fc.integer({ min: 50, max: 95 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(79),
        (texts, picks, seed, query, min, limit, left) => {
          const index = new MemoryIndex("en", "es");
          // Distinct dates in a shuffled order (7919 is a prime above the count): the ranking is a total order.
          const order = picks.map((_, i) => (i * 7919 + seed) % picks.length);
          // Some dates written as toISOString does, some without milliseconds (a walk decides a tie
          // from the first kind without reading the unit, memory/index.ts #times).
          const units = picks.map(({ text, target, approved, iso }, i) => {
            const date = new Date(Date.UTC(2026, 0, 1) + (order[i] as number) * 60_000).toISOString();
            return unit(`u${i}`, texts[text % texts.length] as string, `t${target}`, {
              approved,
              updatedAt: iso ? date : date.replace(".000Z", "Z"),
            });
          });
          for (const u of units) index.put(u);
          const exclude = `u${left % units.length}`;
          expect(index.search(query, min, limit, exclude).map((m) => `${m.unit.key}:${m.score}`)).toEqual(
            fullScanTop(index, query, min, limit, exclude),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("follows texts held by many units as their units come and go, emptied and held again", () => {
    // The index files each distinct source text once (its units share it): a text whose last unit
    // goes must leave the postings, a text held again must come back, and a unit saved again with
    // another target, approval or date must be ranked by what it is now.
    const texts = [
      "the president said the decree was not signed by the Congress.",
      "the president said the decree was signed by the Congress.",
      "the presidents said the decree was never signed by the Senate.",
      "a vote in the Congress on the decree.",
    ];
    const op = fc.record({
      key: fc.nat(11),
      text: fc.option(fc.nat(3), { nil: undefined }),
      target: fc.nat(2),
      approved: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.nat(3),
        fc.integer({ min: 40, max: 90 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(11),
        (ops, q, min, limit, left) => {
          const index = new MemoryIndex("en", "es");
          for (const [i, { key, text, target, approved }] of ops.entries()) {
            if (text === undefined) index.remove(`u${key}`);
            else
              index.put(
                unit(`u${key}`, texts[text] as string, `t${target}`, {
                  approved,
                  updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
                }),
              );
            // Each step a first lookup (its own floor), the unit left out any of them.
            const query = texts[q] as string;
            const floor = min + (i % 7);
            expect(
              index.search(query, floor, limit, `u${left}`).map((m) => `${m.unit.key}:${m.score}`),
            ).toEqual(fullScanTop(index, query, floor, limit, `u${left}`));
          }
          expect(keysOf(index.matches(texts[q] as string, min))).toEqual(
            keysOf(index.scan(texts[q] as string, min)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps the approved and newest of three hundred units tied at the last score, added oldest last", () => {
    const index = new MemoryIndex("en", "es");
    const source = (i: number) =>
      `The president of Argentina said on Tuesday that the decree on ${["wages", "rents", "fares"][i % 3]} was signed by ${["Caputo", "Bullrich", "Adorni", "Petri"][i % 4]} in ${100 + i} days.`;
    // Added newest first: the order a walk meets them in says nothing of their dates.
    for (let i = 0; i < 300; i++)
      index.put(
        unit(`u${i}`, source(i), `t${i}`, {
          approved: i % 5 === 3,
          updatedAt: new Date(Date.UTC(2026, 5, 1) - i * 60_000).toISOString(),
        }),
      );
    const query =
      "The president of Argentina said on Monday that the decree on taxes was signed by Milei in 90 days.";
    const found = index.search(query, 50, 5).map((m) => `${m.unit.key}:${m.score}`);
    expect(found).toEqual(fullScanTop(index, query, 50, 5));
    // All five tie on the score: approval and date chose them, the newest approved units first.
    expect(new Set(found.map((f) => f.split(":")[1])).size).toBe(1);
    expect(found.map((f) => f.split(":")[0])).toEqual(["u3", "u8", "u13", "u18", "u23"]);
  });

  it("ranks best first, leaves out the excluded unit, substitutes numbers", () => {
    const index = new MemoryIndex("en", "es");
    index.put(
      unit(
        "a/p1",
        "Argentina got a loan of 15 billion dollars.",
        "Argentina recibió un préstamo de 15.000 millones de dólares.",
      ),
    );
    index.put(
      unit("b/p1", "Argentina got a loan of 20 billion dollars.", "Argentina recibió 20.000 millones.", {
        approved: true,
      }),
    );
    const [best, second] = index.search("Argentina got a loan of 20 billion dollars.", 70, 5, undefined);
    expect(best?.score).toBe(100);
    expect(second?.score).toBeGreaterThanOrEqual(90);
    expect(second?.text).toBe("Argentina recibió un préstamo de 20.000 millones de dólares.");
    expect(second?.numbers).toEqual([{ from: "15", to: "20" }]);
    expect(
      index.search("Argentina got a loan of 20 billion dollars.", 70, 5, "b/p1").map((m) => m.unit.key),
    ).toEqual(["a/p1"]);
  });

  it("substitutes no number that is part of a decimal or grouped one", () => {
    const index = new MemoryIndex("en", "es");
    index.put(
      unit(
        "a/p1",
        "Argentina got a loan of $15 billion from the fund.",
        "Argentina recibió un préstamo de 15.000 millones de dólares del fondo.",
      ),
    );
    for (const figure of ["$7.5 billion", "$1,500 billion"]) {
      const [match] = index.search(`Argentina got a loan of ${figure} from the fund.`, 50, 5, undefined);
      expect(match?.unit.key).toBe("a/p1");
      // Nothing guessed: the old translation as it was, no "5.000" nor "500.000 millones".
      expect(match?.numbers).toEqual([]);
      expect(match?.text).toBe("Argentina recibió un préstamo de 15.000 millones de dólares del fondo.");
    }
    const [plain] = index.search("Argentina got a loan of $20 billion from the fund.", 50, 5, undefined);
    expect(plain?.text).toBe("Argentina recibió un préstamo de 20.000 millones de dólares del fondo.");
  });

  it("replaces a unit with the same key", () => {
    const index = new MemoryIndex("en", "es");
    index.put(unit("a/p1", "Old source here.", "Viejo."));
    index.put(unit("a/p1", "New source here.", "Nuevo."));
    expect(index.size).toBe(1);
    expect(index.matches("Old source here.", 100)).toEqual([]);
    expect(index.search("New source here.", 100, 5)[0]?.text).toBe("Nuevo.");
  });

  it("assembles a paragraph from sentences found separately", () => {
    const index = new MemoryIndex("en", "es");
    index.put(
      unit(
        "a/p1",
        "Milei won. The peso fell. Markets rose.",
        "Milei ganó. El peso cayó. Los mercados subieron.",
      ),
    );
    const assembly = index.assemble("Milei won. The peso rose sharply. Markets rose.");
    expect(assembly?.text).toBe("Milei ganó. The peso rose sharply. Los mercados subieron.");
    expect(assembly?.sentences.map((s) => s.text)).toEqual(["Milei ganó.", null, "Los mercados subieron."]);
    expect(assembly?.score).toBeGreaterThan(40);
    expect(assembly?.score).toBeLessThan(100);
    expect(index.assemble("Milei won. The peso fell.", "a/p1")).toBeUndefined();
  });

  it("offers a paragraph of one sentence the translation of that sentence in a longer unit", () => {
    const index = new MemoryIndex("en", "es");
    index.put(unit("a/p1", "Milei won. The peso fell.", "Milei ganó. El peso cayó."));
    const assembly = index.assemble("The peso fell.");
    expect(assembly).toMatchObject({ score: 99, text: "El peso cayó." });
    expect(assembly?.sentences).toEqual([{ source: "The peso fell.", text: "El peso cayó." }]);
    // Not from the paragraph itself, and not for a sentence the memory does not hold.
    expect(index.assemble("The peso fell.", "a/p1")).toBeUndefined();
    expect(index.assemble("The peso rose.")).toBeUndefined();
  });

  it("ends an assembled sentence as its source sentence ends, when the remembered one lacks the stop", () => {
    const index = new MemoryIndex("en", "es");
    index.put(unit("a/p1", "Milei won. Markets rose.", "Milei ganó. Los mercados subieron."));
    // Remembered without its full stop (a title, a TMX unit): found, punctuation folded away.
    index.put(unit("b/p1", "The peso fell", "El peso cayó"));
    const assembly = index.assemble("Milei won. The peso fell. Markets rose?");
    expect(assembly?.text).toBe("Milei ganó. El peso cayó. Los mercados subieron.");
    expect(assembly?.sentences.map((s) => s.text)).toEqual([
      "Milei ganó.",
      "El peso cayó.",
      "Los mercados subieron.",
    ]);
    const quoted = index.assemble("Milei won. «The peso fell.»");
    expect(quoted?.text).toBe("Milei ganó. El peso cayó.");
  });

  it("finds whole words in sources and targets, case- and accent-insensitively", () => {
    const index = new MemoryIndex("en", "es");
    index.put(unit("a/p1", "The Casa Rosada spoke.", "Habló la Casa Rosada."));
    index.put(unit("a/p2", "A chainsaw plan.", "Un plan motosierra."));
    index.put(unit("a/p3", "Casablanca is far.", "Casablanca está lejos."));
    const hits = index.concordance("casa rosada", 10);
    expect(hits.map((h) => h.unit.key)).toEqual(["a/p1"]);
    expect(hits[0]?.sourceHits).toEqual([[4, 15]]);
    expect(hits[0]?.targetHits).toEqual([[9, 20]]);
    expect(index.concordance("MOTOSIERRA", 10).map((h) => h.unit.key)).toEqual(["a/p2"]);
    expect(index.concordance("esta", 10).map((h) => h.unit.key)).toEqual(["a/p3"]);
  });

  it("never finds a word inside an inline code's placeholder, and points its hits at the words", () => {
    const index = new MemoryIndex("en", "es");
    index.put(unit("tmx/1", "{1}Cabinet{/1} approved 1 plan{2/}", "{1}Gabinete{/1} aprobó 1 plan{2/}"));
    index.put(unit("tmx/2", "Press {2/} here", "Pulse {2/} aquí"));
    const hits = index.concordance("1", 10);
    expect(hits.map((h) => h.unit.key)).toEqual(["tmx/1"]);
    expect(hits[0]?.sourceHits).toEqual([[24, 25]]);
    expect(hits[0]?.targetHits).toEqual([[23, 24]]);
    expect(index.concordance("2", 10)).toEqual([]);
  });
});
