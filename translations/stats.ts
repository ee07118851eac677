/**
 * Statistics of translation work, from the histories: source words translated, reviewed and
 * approved, by origin, and the time from the source to an approval.
 *
 * A history is read once into compact facts (one per counted event), kept while its version
 * holds; any query is then a pass over the facts, grouped as asked.
 *
 * What counts:
 * - translated: every revision saved as `translated`, for its author, with the paragraph's source
 *   words; reverts and find-and-replace batches do not (they translate nothing new);
 * - reviewed: every approve or reject, for the reviewer, but one repeating the paragraph's latest
 *   review (`repeatsReview`: the store refuses those now; older histories may hold some);
 * - approved: every such approve, for the author of the approved revision (whose work it approves);
 * - origin: the revision's (`human` when absent), or the machine or memory text it was saved from (a
 *   pre-translated draft marked translated as it is, or edited: `originEdit`); for reviews, the
 *   reviewed revision's;
 * - time to approval: from the paragraph's source (the document's creation, or the source update
 *   that last changed it, when its time is known) to the first approval of that paragraph against it.
 */

import type { Document } from "./document.ts";
import { countWords } from "./document.ts";
import {
  type ReviewEvent,
  type RevisionOrigin,
  repeatsReview,
  type TranslationEvent,
} from "./translation.ts";

export type FactKind = "translated" | "reviewed" | "approved";

export interface Fact {
  kind: FactKind;
  documentId: string;
  lang: string;
  user: string;
  /** ISO 8601 time of the event. */
  at: string;
  origin: RevisionOrigin;
  words: number;
  /** For the first approval of a paragraph against its source: hours since the source. */
  hoursToApproval?: number;
}

export type GroupBy = "document" | "lang" | "user" | "day" | "week" | "month";
export const GROUPS: readonly GroupBy[] = ["document", "lang", "user", "day", "week", "month"];

export interface StatsFilter {
  documentId?: string;
  lang?: string;
  user?: string;
  /** First day included, `YYYY-MM-DD` (UTC). */
  from?: string;
  /** Last day included, `YYYY-MM-DD` (UTC). */
  to?: string;
}

export interface WordsByOrigin {
  total: number;
  human: number;
  memory: number;
  mt: number;
}

export interface StatsRow {
  /** The group: a document id, language, username, day, ISO week (`2026-W48`) or month. */
  key: string;
  translated: WordsByOrigin;
  reviewed: WordsByOrigin;
  approved: WordsByOrigin;
  /** First approvals against their source, and the hours from the source to them. */
  approvals: number;
  medianHoursToApproval: number | null;
  meanHoursToApproval: number | null;
}

/** The source words of each paragraph, and when each paragraph's source text came about. */
export interface SourceInfo {
  words: Map<string, number>;
  /**
   * When the source an approval confirms came about: the source update that last changed the
   * paragraph (`changedIn`) when the approval is against that version or a later one, else the
   * document's creation (the versions in which older texts changed are not kept on the paragraph).
   */
  sourceTime(pid: string, approvedAgainst: number): string;
}

/**
 * What statistics need to know of a document's source. `versionTimes` are the times of its source
 * versions (from source updates) where known; without them every source dates from the creation.
 */
export function sourceInfo(doc: Document, versionTimes?: ReadonlyMap<number, string>): SourceInfo {
  const words = new Map(doc.paragraphs.map((p) => [p.id, countWords(p.source)]));
  // `changedIn` comes with source updates: absent, the paragraph is as it was created.
  const changedIn = new Map(doc.paragraphs.map((p) => [p.id, (p as { changedIn?: number }).changedIn ?? 1]));
  return {
    words,
    sourceTime: (pid, against) => {
      const changed = changedIn.get(pid) ?? 1;
      return (changed <= against ? versionTimes?.get(changed) : undefined) ?? doc.createdAt;
    },
  };
}

/** The facts of one history, oldest first. */
export function factsOf(
  documentId: string,
  lang: string,
  source: SourceInfo,
  events: Iterable<TranslationEvent>,
): Fact[] {
  const facts: Fact[] = [];
  /** Each paragraph's revisions: author, origin, and the source version made against. */
  const revisions = new Map<string, { author: string; origin: RevisionOrigin; sourceVersion?: number }[]>();
  /** Paragraph and source version already approved once. */
  const approvedOnce = new Set<string>();
  /** Each paragraph's latest review: one repeating it (written before the store refused repeats) decided nothing. */
  const lastReview = new Map<string, ReviewEvent>();
  for (const event of events) {
    const words = source.words.get(event.pid) ?? 0;
    const base = { documentId, lang, at: event.createdAt, words };
    if (event.type === "review" && event.restoredBy) lastReview.set(event.pid, event);
    if (event.type === "revision") {
      const sourceVersion = (event as { sourceVersion?: number }).sourceVersion;
      const list = revisions.get(event.pid) ?? [];
      const origin = originOf(event);
      list[event.revision - 1] = {
        author: event.author,
        origin,
        ...(sourceVersion !== undefined ? { sourceVersion } : {}),
      };
      revisions.set(event.pid, list);
      if (event.status === "translated" && event.revertOf === undefined && !event.batch)
        facts.push({ ...base, kind: "translated", user: event.author, origin });
    } else if (event.type === "review" && !event.restoredBy) {
      const repeated = repeatsReview(lastReview.get(event.pid), event);
      lastReview.set(event.pid, event);
      if (repeated) continue;
      // A review an undo put back was counted when it was made.
      const reviewed = revisions.get(event.pid)?.[event.revision - 1];
      const origin = reviewed?.origin ?? "human";
      facts.push({ ...base, kind: "reviewed", user: event.author, origin });
      if (event.action === "approve") {
        // The source version the approval confirms: the reviewer's, else the revision's (source updates).
        const against = (event as { sourceVersion?: number }).sourceVersion ?? reviewed?.sourceVersion ?? 1;
        const once = `${event.pid}\u0000${source.sourceTime(event.pid, against)}`;
        const fact: Fact = { ...base, kind: "approved", user: reviewed?.author ?? event.author, origin };
        if (!approvedOnce.has(once)) {
          approvedOnce.add(once);
          const since = Date.parse(source.sourceTime(event.pid, against));
          const hours = (Date.parse(event.createdAt) - since) / 3_600_000;
          if (Number.isFinite(hours)) fact.hoursToApproval = Math.max(0, hours);
        }
        facts.push(fact);
      }
    }
  }
  return facts;
}

/** Whether a fact passes a filter. */
export function matches(fact: Fact, filter: StatsFilter): boolean {
  if (filter.documentId && fact.documentId !== filter.documentId) return false;
  if (filter.lang && fact.lang !== filter.lang) return false;
  if (filter.user && fact.user !== filter.user) return false;
  const day = fact.at.slice(0, 10);
  if (filter.from && day < filter.from) return false;
  if (filter.to && day > filter.to) return false;
  return true;
}

/** The group a fact falls in. */
export function groupOf(fact: Fact, by: GroupBy): string {
  switch (by) {
    case "document":
      return fact.documentId;
    case "lang":
      return fact.lang;
    case "user":
      return fact.user;
    case "day":
      return fact.at.slice(0, 10);
    case "month":
      return fact.at.slice(0, 7);
    case "week":
      return isoWeek(fact.at);
  }
}

/** `2026-W48`: the ISO 8601 week (Monday first; week 1 holds the year's first Thursday), in UTC. */
export function isoWeek(at: string): string {
  const thursday = new Date(`${at.slice(0, 10)}T00:00:00Z`);
  thursday.setUTCDate(thursday.getUTCDate() - ((thursday.getUTCDay() + 6) % 7) + 3);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 604_800_000);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

const none = (): WordsByOrigin => ({ total: 0, human: 0, memory: 0, mt: 0 });

type Tallied = StatsRow & { hours: number[] };

const emptyRow = (key: string): Tallied => ({
  key,
  translated: none(),
  reviewed: none(),
  approved: none(),
  approvals: 0,
  medianHoursToApproval: null,
  meanHoursToApproval: null,
  hours: [],
});

/** Accumulates facts into rows, one per group, sorted by key, and a total of them all (key ""). */
export class StatsTally {
  readonly #rows = new Map<string, Tallied>();
  readonly #total = emptyRow("");

  constructor(
    private readonly by: GroupBy,
    private readonly filter: StatsFilter,
  ) {}

  add(facts: Iterable<Fact>): void {
    for (const fact of facts) {
      if (!matches(fact, this.filter)) continue;
      const key = groupOf(fact, this.by);
      let row = this.#rows.get(key);
      if (!row) {
        row = emptyRow(key);
        this.#rows.set(key, row);
      }
      count(row, fact);
      count(this.#total, fact);
    }
  }

  rows(): StatsRow[] {
    return [...this.#rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(finish);
  }

  total(): StatsRow {
    return finish(this.#total);
  }
}

function count(row: Tallied, fact: Fact): void {
  const words = row[fact.kind];
  words.total += fact.words;
  words[fact.origin] += fact.words;
  if (fact.hoursToApproval !== undefined) row.hours.push(fact.hoursToApproval);
}

function finish({ hours, ...row }: Tallied): StatsRow {
  if (hours.length === 0) return row;
  const sorted = [...hours].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    ...row,
    approvals: hours.length,
    medianHoursToApproval: round(median),
    meanHoursToApproval: round(mean),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Where a revision's text came from: a machine or memory text it was saved from counts as that, not as typed. */
function originOf(event: {
  origin?: RevisionOrigin;
  originEdit?: { from: "mt" | "memory" };
}): RevisionOrigin {
  return event.origin ?? event.originEdit?.from ?? "human";
}
