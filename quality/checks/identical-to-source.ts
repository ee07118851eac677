import { finding, type QualityCheck, type QualityFinding } from "../finding.ts";

/**
 * A translation that is its source unchanged, or that keeps one of the source's sentences as it was
 * (an assembled memory suggestion whose new sentence was never translated). Paragraphs and sentences
 * made only of names and numbers ("Pedro Sánchez", "Real Madrid 2 - Barcelona 1") are the same in
 * every language and pass; so do sentences of fewer than five words.
 */
export const identicalToSource: QualityCheck = {
  code: "identical-to-source",
  severity: "warning",
  run({ source, target }) {
    // Most translations differ from the first word on: no need to normalise the whole of both.
    const first = /\S+/;
    if (first.exec(source)?.[0].toLowerCase() === first.exec(target)?.[0].toLowerCase()) {
      if (squeeze(source) === squeeze(target))
        return namesOnly(source) ? [] : [finding(this, "same", "same", {}, { start: 0, end: target.length })];
    }
    return sentencesKept(this, source, target);
  },
};

/** Sentences are read up to this many words long: a longer one is still found by its first words. */
const SENTENCE_WORDS = 5;
/** Text after a sentence's closing punctuation and spaces: where the next one starts. */
const BOUNDARY = /(?<=[.!?…])\s+/u;

/** The target's sentences that are one of the source's, as it was (several sentences, five words or more). */
function sentencesKept(check: QualityCheck, source: string, target: string): QualityFinding[] {
  const sourceSentences = source.split(BOUNDARY);
  if (sourceSentences.length < 2) return [];
  const kept = new Set<string>();
  for (const sentence of sourceSentences) {
    // Most translations hold none of their source's sentences: their opening words, looked for as
    // they are written, rule that out before anything is normalised.
    if (sentence.length < 20 || !target.includes(sentence.slice(0, 20))) continue;
    if (hasWords(sentence, SENTENCE_WORDS) && !namesOnly(sentence)) kept.add(squeeze(sentence));
  }
  if (kept.size === 0) return [];
  const found: QualityFinding[] = [];
  let at = 0;
  for (const part of target.split(BOUNDARY)) {
    const start = target.indexOf(part, at);
    at = start + part.length;
    const squeezed = squeeze(part);
    if (!kept.has(squeezed)) continue;
    found.push(
      finding(
        check,
        `sentence:${squeezed.slice(0, 120)}`,
        "sentence",
        { sentence: shortened(part.trim()) },
        {
          start,
          end: start + part.length,
        },
      ),
    );
  }
  return found;
}

/** A sentence as a message quotes it: its first 120 characters. */
function shortened(sentence: string): string {
  return sentence.length <= 120 ? sentence : `${sentence.slice(0, 119)}…`;
}

/** Whether a text has at least `n` words (runs of non-spaces). */
function hasWords(text: string, n: number): boolean {
  let words = 0;
  for (const _ of text.matchAll(/\S+/g)) if (++words >= n) return true;
  return false;
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

/** No word of four letters or more that starts in lower case: names, numbers and short particles only. */
function namesOnly(text: string): boolean {
  return !/(?<!\p{L})\p{Ll}\p{L}{3,}/u.test(text);
}
