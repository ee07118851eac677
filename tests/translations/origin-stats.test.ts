import { describe, expect, it } from "vitest";
import { wordEditDistance } from "../../translations/origin-edit.ts";
import { originStats } from "../../translations/origin-stats.ts";
import { type ParagraphTranslation, type Revision, saveRevision } from "../../translations/translation.ts";

const rev = (revision: number, text: string, extra: Partial<Revision> = {}): Revision => ({
  revision,
  text,
  author: "a",
  createdAt: "2026-01-01T00:00:00Z",
  status: "translated",
  ...extra,
});
const para = (...revisions: Revision[]): ParagraphTranslation => ({ revisions, waivers: [] });

describe("word edit distance", () => {
  it("counts words inserted, deleted or replaced, a replacement once", () => {
    expect(wordEditDistance("la casa roja", "la casa roja")).toBe(0);
    expect(wordEditDistance("la casa roja", "la casa azul")).toBe(1);
    expect(wordEditDistance("la casa roja", "la gran casa roja y azul")).toBe(3);
    expect(wordEditDistance("la casa roja", "casa")).toBe(2);
  });
});

describe("origin statistics", () => {
  it("counts machine-started paragraphs and the words edited since, through later human edits", () => {
    const stats = originStats([
      para(rev(1, "el vocero dijo", { origin: "mt", status: "draft" })),
      para(
        rev(1, "el portavoz dijo", { origin: "mt", status: "draft" }),
        rev(2, "el vocero dijo", { originEdit: { from: "mt", words: 1 } }),
        rev(3, "el vocero dijo hoy"),
      ),
      para(rev(1, "tecleado a mano")),
      para(rev(1, "de la memoria", { origin: "memory" })),
      // A machine text replaced word for word: the translator's own.
      para(rev(1, "la frase automática", { origin: "mt", status: "draft" }), rev(2, "otra cosa escrita")),
      undefined,
    ]);
    expect(stats).toEqual({
      withText: 5,
      fromMachine: 2,
      fromMemory: 1,
      machineUnedited: 1,
      machineEditedWords: 2,
    });
  });
});

describe("saving over a suggestion", () => {
  const save = (extra: Partial<Parameters<typeof saveRevision>[1]>) =>
    saveRevision(undefined, {
      pid: "p1",
      text: "una frase que escribí yo",
      baseRevision: 0,
      status: "translated",
      author: "tina",
      now: "2026-01-01T00:00:00Z",
      ...extra,
    });

  it("credits an edited suggestion to it, and a text that kept none of its words to the translator", () => {
    const edited = save({ origin: "mt", suggestion: "una frase que escribió la máquina" });
    expect(edited).toMatchObject({ origin: "mt", originEdit: { from: "mt", words: 3 } });
    const retyped = save({ origin: "mt", suggestion: "el motor tradujo otra cosa" });
    expect(retyped?.origin).toBeUndefined();
    expect(retyped?.originEdit).toBeUndefined();
    const memory = save({ origin: "memory", suggestion: "nada en común aquí" });
    expect(memory?.origin).toBeUndefined();
  });
});
