/** The quality area's stored records, shared by the store adapters. */

import type { QualitySettings } from "../../quality/finding.ts";

/** Every language's quality settings and accepted words. */
export interface QualityRecords {
  /** By language tag; a language without an entry uses the defaults. */
  settings: Record<string, QualitySettings>;
  /** By language tag, lower case, sorted. */
  words: Record<string, string[]>;
}

/** One change of the quality records: a language's settings replaced, or words accepted for it. */
export interface QualityChange {
  lang: string;
  settings?: QualitySettings;
  words?: string[];
}

export function emptyQualityRecords(): QualityRecords {
  return { settings: {}, words: {} };
}

/** Applies a change in place (accepted words are a set: adding one twice keeps one). */
export function applyQualityChange(records: QualityRecords, change: QualityChange): void {
  if (change.settings) records.settings[change.lang] = structuredClone(change.settings);
  if (change.words?.length) {
    const words = new Set(records.words[change.lang] ?? []);
    for (const word of change.words) words.add(word);
    records.words[change.lang] = [...words].sort();
  }
}
