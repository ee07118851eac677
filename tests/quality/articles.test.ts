import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkTranslation } from "../../quality/run.ts";
import { Spellers } from "../../server/spelling.ts";
import { seedParagraphs } from "../glossary/seed.ts";
import { seedIndex } from "./helpers.ts";

const lines = (name: string) =>
  readFileSync(new URL(`../fixtures/quality/${name}`, import.meta.url), "utf8")
    .trim()
    .split("\n");

const spellers = new Spellers();

/** Every finding of every check, the real Spanish dictionary included, for each paragraph pair. */
async function findingsOf(sources: string[], targets: string[], acceptedWords = new Set<string>()) {
  const speller = await spellers.ready("es");
  expect(speller).toBeDefined();
  expect(targets).toHaveLength(sources.length);
  return sources.flatMap((source, i) =>
    checkTranslation({
      source,
      target: targets[i] ?? "",
      kind: i === 0 ? "title" : "paragraph",
      format: "text",
      index: seedIndex,
      settings: { checks: {} },
      acceptedWords,
      ...(speller ? { speller } : {}),
    }).map((f) => ({ paragraph: i, ...f })),
  );
}

describe("all checks on clean translations of real news", () => {
  it("find nothing in a correct Spanish translation of the seed article", async () => {
    expect(await findingsOf(seedParagraphs, lines("seed-article.es.txt"))).toEqual([]);
  }, 60_000);

  it("find nothing in a correct Spanish translation of an article on inflation", async () => {
    // "Cambiario" (of the currency exchange) is in the RAE's dictionary but not in dictionary-es:
    // the word an editor adds to Spanish's accepted words from its first finding.
    const accepted = new Set(["cambiario"]);
    expect(await findingsOf(lines("inflation.en.txt"), lines("inflation.es.txt"), accepted)).toEqual([]);
    expect(
      (await findingsOf(lines("inflation.en.txt"), lines("inflation.es.txt"))).map((f) =>
        "key" in f ? f.key : f.termId,
      ),
    ).toEqual(["spelling:cambiario"]);
  }, 60_000);

  it("find the errors slipped into the seed translation, each at its span", async () => {
    const targets = lines("seed-article.es.txt").map((t, i) =>
      i === 10 ? t.replace("15.000 millones", "16.000 millones").replace("prestados", "prestdos") : t,
    );
    const found = await findingsOf(seedParagraphs, targets);
    expect(
      found.map((f) => [
        f.paragraph,
        f.code,
        "start" in f && f.start !== undefined ? targets[10]?.slice(f.start, f.end) : "",
      ]),
    ).toEqual([
      [10, "number-mismatch", "16.000 millones"],
      [10, "spelling", "prestdos"],
    ]);
  }, 60_000);
});
