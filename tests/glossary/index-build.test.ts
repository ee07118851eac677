import { describe, expect, it } from "vitest";
import { planImport } from "../../glossary/exchange.ts";
import { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import type { Term } from "../../glossary/term.ts";

function terms(n: number): Term[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    sourceLang: "en",
    source: `president number ${i}`,
    description: "",
    translatable: i % 10 !== 0,
    caseSensitive: i % 7 === 0,
    targets: { es: { text: `presidente número ${i}`, forbidden: i % 3 ? [] : [`mandatario ${i}`] } },
  }));
}

/** Whether a timer queued before `work` ran while it was still running. */
async function yieldsWhile(work: () => Promise<unknown>): Promise<boolean> {
  let ran = false;
  let done = false;
  let ranBeforeDone = false;
  setImmediate(() => {
    ran = true;
    ranBeforeDone = !done;
  });
  await work();
  done = true;
  return ran && ranBeforeDone;
}

describe("a large glossary's index and import plan, made in slices", () => {
  it("builds the same index as the one-go constructor, every matcher included", async () => {
    const all = terms(300);
    const built = await GlossaryIndex.build(all, "en", "es");
    const direct = new GlossaryIndex(all, "en", "es");
    const source = "The president number 12 met president number 30 and President Number 7.";
    const target = "El mandatario 12 se reunió con president number 30.";
    expect(built.match(source)).toEqual(direct.match(source));
    expect(built.check(source, target)).toEqual(direct.check(source, target));
    expect([...built.vocabulary()].sort()).toEqual([...direct.vocabulary()].sort());
    expect(built.targetsPresent("presidente número 5")).toEqual(direct.targetsPresent("presidente número 5"));
  });

  it("gives the event loop back while 5,000 terms are indexed and 5,000 rows planned", async () => {
    const all = terms(5_000);
    expect(await yieldsWhile(() => GlossaryIndex.build(all, "en", "es"))).toBe(true);
    const parsed = { terms: all.map((term, i) => ({ term, line: i + 2 })), errors: [], ignored: [] };
    expect(await yieldsWhile(() => planImport([], parsed))).toBe(true);
  });
});
