/**
 * Progress, last change and the number waiting for review of each document × language, as the
 * documents list and the review queue show them, cached by the history's store version.
 */

import { countWords, type Document } from "../../../translations/document.ts";
import { needsReview } from "../../../translations/review.ts";
import { latestRevision, statusOf, type TranslationState } from "../../../translations/translation.ts";
import type { Store } from "../../storage/store.ts";
import type { Progress, TranslationSummary } from "./model.ts";
import type { TranslationRepository } from "./repository.ts";

/** Most summaries kept (a few hundred bytes each): every document × language of a large newsroom. */
const CACHED_SUMMARIES = 100_000;

export class TranslationSummaries {
  /**
   * Summaries by document × language, each with the document object and the history's store
   * version it was computed from: a list page checks the version (cheap) and recomputes only what
   * moved, so it never reads a whole history for a translation that has not changed.
   */
  readonly #summaries = new Map<string, { doc: Document; version: number; summary: TranslationSummary }>();

  constructor(
    private readonly store: Store,
    private readonly repository: TranslationRepository,
  ) {}

  /**
   * The summary of a document's translation into `lang`, from the cache while the history's
   * version and the document are unchanged, and otherwise from its state (itself cached).
   */
  async summary(doc: Document, lang: string): Promise<TranslationSummary> {
    return this.#summaryAt(doc, lang, await this.store.translationVersion(doc.id, lang));
  }

  /** The summaries of many document × language pairs (a list page), their versions read in one store call. */
  async summaries(pairs: readonly { doc: Document; lang: string }[]): Promise<TranslationSummary[]> {
    const versions = await this.store.translationVersions(
      pairs.map((p) => ({ document: p.doc.id, lang: p.lang })),
    );
    return Promise.all(pairs.map((p, i) => this.#summaryAt(p.doc, p.lang, versions[i] ?? 0)));
  }

  /** The summary at a version the caller knows (its own write's): no round trip to read it. */
  summaryAt(doc: Document, lang: string, version: number): Promise<TranslationSummary> {
    return this.#summaryAt(doc, lang, version);
  }

  async #summaryAt(doc: Document, lang: string, version: number): Promise<TranslationSummary> {
    const key = `${doc.id}/${lang}`;
    const kept = this.#summaries.get(key);
    if (kept && kept.version === version && kept.doc === doc) {
      this.#summaries.delete(key);
      this.#summaries.set(key, kept);
      return kept.summary;
    }
    const summary = summarize(doc, await this.repository.stateAt(doc.id, lang, version));
    // Tagged with the version read before the state: at worst a later call computes it again.
    this.#summaries.delete(key);
    this.#summaries.set(key, { doc, version, summary });
    if (this.#summaries.size > CACHED_SUMMARIES) {
      const oldest = this.#summaries.keys().next().value as string;
      this.#summaries.delete(oldest);
    }
    return summary;
  }
}

/**
 * Words of each paragraph's source, counted once per document version: documents are immutable
 * (frozen) once stored, so the counts live as long as the object does.
 */
const wordCounts = new WeakMap<Document, number[]>();

function wordsOf(doc: Document): number[] {
  let counts = wordCounts.get(doc);
  if (!counts) {
    counts = doc.paragraphs.map((p) => countWords(p.source));
    wordCounts.set(doc, counts);
  }
  return counts;
}

function summarize(doc: Document, state: TranslationState): TranslationSummary {
  let last: TranslationSummary["last"];
  for (const translation of state.values()) {
    const latest = latestRevision(translation);
    if (latest && (!last || latest.createdAt > last.at))
      last = { at: latest.createdAt, author: latest.author };
  }
  let waiting = 0;
  for (const paragraph of doc.paragraphs) if (needsReview(state.get(paragraph.id), paragraph)) waiting++;
  return { progress: progressOf(doc, state), last, waiting };
}

export function progressOf(doc: Document, state: TranslationState): Progress {
  const progress: Progress = {
    total: doc.paragraphs.length,
    translated: 0,
    approved: 0,
    outdated: 0,
    words: { total: 0, translated: 0, approved: 0 },
  };
  const counts = wordsOf(doc);
  for (const [i, paragraph] of doc.paragraphs.entries()) {
    const words = counts[i] ?? 0;
    progress.words.total += words;
    const status = statusOf(state.get(paragraph.id), paragraph);
    if (status === "outdated") progress.outdated++;
    if (status === "translated" || status === "approved") {
      progress.translated++;
      progress.words.translated += words;
    }
    if (status === "approved") {
      progress.approved++;
      progress.words.approved += words;
    }
  }
  return progress;
}
