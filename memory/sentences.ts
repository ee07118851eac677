/**
 * Sentences of a paragraph, by the Unicode rules Intl.Segmenter follows for the language, and the
 * sentence pairs a translated paragraph teaches: when source and translation have as many sentences,
 * the n-th translates the n-th (a paragraph whose sentence counts differ teaches nothing at this level).
 */

import { primaryLang } from "../glossary/language.ts";

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(lang: string): Intl.Segmenter {
  const primary = primaryLang(lang);
  let segmenter = segmenters.get(primary);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(primary, { granularity: "sentence" });
    segmenters.set(primary, segmenter);
  }
  return segmenter;
}

/** The sentences of a text, trimmed, empty ones left out. */
export function splitSentences(text: string, lang: string): string[] {
  const out: string[] = [];
  for (const { segment } of segmenterFor(lang).segment(text)) {
    const sentence = segment.trim();
    if (sentence) out.push(sentence);
  }
  return out;
}

/** Source and target sentences paired one to one, or none when the counts differ or there is only one. */
export function pairSentences(
  source: string,
  target: string,
  sourceLang: string,
  targetLang: string,
): { source: string; target: string }[] {
  const from = splitSentences(source, sourceLang);
  if (from.length < 2) return [];
  const to = splitSentences(target, targetLang);
  if (to.length !== from.length) return [];
  return from.map((s, i) => ({ source: s, target: to[i] as string }));
}
