/**
 * How much of a translation came from the machine (or the memory) and how much was edited after:
 * for each paragraph's current text, the nearest revision in its history that came from a
 * suggestion, and the word edit distance from that suggestion to the text now.
 */

import { suggestionEdit } from "./origin-edit.ts";
import { currentText, type ParagraphTranslation } from "./translation.ts";

export interface OriginStats {
  /** Paragraphs with a current text. */
  withText: number;
  /** Of those, how many started as a machine translation, and as a memory match. */
  fromMachine: number;
  fromMemory: number;
  /** Machine-started paragraphs whose text is still exactly the machine's. */
  machineUnedited: number;
  /** Words edited from the machine's texts to the current ones, over all machine-started paragraphs. */
  machineEditedWords: number;
}

export function originStats(translations: Iterable<ParagraphTranslation | undefined>): OriginStats {
  const stats: OriginStats = {
    withText: 0,
    fromMachine: 0,
    fromMemory: 0,
    machineUnedited: 0,
    machineEditedWords: 0,
  };
  for (const p of translations) {
    const text = currentText(p);
    if (text === null || !p) continue;
    stats.withText++;
    const start = [...p.revisions]
      .reverse()
      .find((r) => r.origin === "mt" || r.origin === "memory" || r.originEdit);
    if (!start) continue;
    const from = start.origin === "mt" || start.origin === "memory" ? start.origin : start.originEdit?.from;
    // Words edited before the starting revision was saved (its suggestion), then since.
    const before =
      start.origin && start.originEdit
        ? start.originEdit.words
        : start.origin
          ? 0
          : (start.originEdit?.words ?? 0);
    const since = suggestionEdit(start.text, text);
    // Not one word of the suggestion is left: the text was typed afresh, the translator's own.
    if (since.kept === 0) continue;
    const words = before + since.words;
    if (from === "memory") {
      stats.fromMemory++;
      continue;
    }
    stats.fromMachine++;
    stats.machineEditedWords += words;
    if (words === 0) stats.machineUnedited++;
  }
  return stats;
}
