/**
 * Statistics over every document's histories, read one history at a time and kept as compact
 * facts per history while its store version holds (translations/stats.ts says what counts).
 */

import { stringify } from "csv-stringify/sync";
import type { Document } from "../../translations/document.ts";
import {
  type Fact,
  factsOf,
  type GroupBy,
  type StatsFilter,
  type StatsRow,
  StatsTally,
  sourceInfo,
} from "../../translations/stats.ts";
import type { Store } from "../storage/store.ts";
import type { TranslationService } from "./translations.ts";

/** Histories whose facts are kept (a few dozen bytes per counted event). */
const CACHED_HISTORIES = 10_000;
/** Documents counted between two turns of the event loop. */
const YIELD_EVERY = 25;

export interface StatsResult {
  groupBy: GroupBy;
  filter: StatsFilter;
  rows: StatsRow[];
  total: StatsRow;
}

export class StatsService {
  readonly #facts = new Map<string, { version: number; doc: Document; facts: Fact[] }>();

  constructor(
    private readonly store: Store,
    private readonly translations: TranslationService,
  ) {}

  async compute(groupBy: GroupBy, filter: StatsFilter): Promise<StatsResult> {
    const tally = new StatsTally(groupBy, filter);
    const documents = filter.documentId
      ? [await this.translations.getDocument(filter.documentId)]
      : await this.translations.listDocuments();
    for (const [i, doc] of documents.entries()) {
      // Other requests get a turn every few documents: a newsroom's whole history is not one block.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      for (const lang of doc.languages) {
        if (filter.lang && lang !== filter.lang) continue;
        tally.add(await this.#factsOf(doc, lang));
      }
    }
    return { groupBy, filter, rows: tally.rows(), total: tally.total() };
  }

  /** When each source version of the document came about; none for a document never updated. */
  async #versionTimes(doc: Document): Promise<Map<number, string> | undefined> {
    const list = (this.store as SourceVersionStore).listSourceVersions;
    if (((doc as { version?: number }).version ?? 1) <= 1 || !list) return undefined;
    const versions = await list.call(this.store, doc.id);
    return new Map(versions.map((v) => [v.version, v.createdAt]));
  }

  async #factsOf(doc: Document, lang: string): Promise<Fact[]> {
    const key = `${doc.id}/${lang}`;
    const version = await this.store.translationVersion(doc.id, lang);
    const kept = this.#facts.get(key);
    this.#facts.delete(key);
    if (kept && kept.version === version && kept.doc === doc) {
      this.#facts.set(key, kept);
      return kept.facts;
    }
    if (version === 0) return [];
    const facts = factsOf(
      doc.id,
      lang,
      sourceInfo(doc, await this.#versionTimes(doc)),
      await this.store.readTranslationEvents(doc.id, lang),
    );
    this.#facts.set(key, { version, doc, facts });
    if (this.#facts.size > CACHED_HISTORIES) this.#facts.delete(this.#facts.keys().next().value as string);
    return facts;
  }
}

/** What a store that keeps source versions (source updates) offers: read only when there is one. */
interface SourceVersionStore {
  listSourceVersions?(documentId: string): Promise<{ version: number; createdAt: string }[]>;
}

/** The rows as CSV, one line per group and origin columns, with a header. */
export function statsCsv(result: StatsResult): string {
  const kinds = ["translated", "reviewed", "approved"] as const;
  const origins = ["total", "human", "memory", "mt"] as const;
  const header = [
    result.groupBy,
    ...kinds.flatMap((k) => origins.map((o) => `${k}_${o}`)),
    "approvals",
    "median_hours_to_approval",
    "mean_hours_to_approval",
  ];
  const line = (row: StatsRow) => [
    row.key,
    ...kinds.flatMap((k) => origins.map((o) => row[k][o])),
    row.approvals,
    row.medianHoursToApproval ?? "",
    row.meanHoursToApproval ?? "",
  ];
  return stringify([header, ...result.rows.map(line)], { escape_formulas: true });
}
