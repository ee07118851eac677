/**
 * Translation histories as the services read and write them: each document × language's state,
 * cached (bounded, only ever a copy of what the store holds, checked against the store's version
 * on every read), and the one write path, `run`, that hands a command's events and audit entry to
 * the store's conditional append and decides again when another writer got there first.
 */

import type { Document } from "../../../translations/document.ts";
import {
  applyEvent,
  buildState,
  conflictWith,
  latestRevision,
  type TranslationEvent,
  type TranslationState,
} from "../../../translations/translation.ts";
import type { AuditEntry } from "../../accounts/model.ts";
import type { ChangeFeed } from "../../changes.ts";
import {
  type AppendGuard,
  CredentialRefusedError,
  RepeatedReviewError,
  RevisionConflictError,
  StaleDocumentError,
  type Store,
} from "../../storage/store.ts";

/** Longest wait, after a refused append, for the write that got there first to show. */
const CONFLICT_WAIT_MS = 2_000;

/**
 * After the store refused a write on its heads: `read` again, backing off from 1 to 50 ms, until `shows`
 * finds the write that got there first made durable (on the file store the heads count an append still
 * on its way to the disk, while reads hold what is durable), or CONFLICT_WAIT_MS have passed (that write
 * failed, and the store checks against the disk again). Returns the last value read.
 */
export async function untilRefusingWriteShows<T>(
  read: () => Promise<T>,
  shows: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + CONFLICT_WAIT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    const value = await read();
    if (shows(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Whether the state holds the review the store refused another as a repeat of. */
function shows(state: TranslationState, refused: RepeatedReviewError): boolean {
  const p = state.get(refused.pid);
  const latest = latestRevision(p);
  if (!latest || latest.revision !== refused.revision)
    return latest !== undefined && latest.revision > refused.revision;
  return latest.status === (refused.action === "approve" ? "approved" : "rejected");
}

/** Most revisions and reviews kept in memory across all cached translation states. */
const CACHED_EVENTS = 1_000_000;

/** What a command decides to write: its events with their audit entry, or null for nothing. */
/** What a command decided to write. */
export type Decision = { events: TranslationEvent[]; audit: AuditEntry } | null;
/** A decision as `run` wrote it: with the history's version after the append. */
export type Written<T extends Decision> = T extends null ? null : T & { version: number };

interface Cached {
  state: Promise<TranslationState>;
  events: number;
  /** The store's version of the history this state was read at (or kept up with). */
  version: number;
}

export class TranslationRepository {
  readonly #states = new Map<string, Cached>();
  #cachedEvents = 0;

  constructor(
    private readonly store: Store,
    /** Told of every append made here, once durable. */
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * A document's translation into one language, from the cache (most recently used last) or the
   * store. The store's version of the history is checked on every call, so a change made by
   * another process is read on the next request. The caller must not change the state.
   */
  async state(docId: string, lang: string): Promise<TranslationState> {
    return this.stateAt(docId, lang, await this.store.translationVersion(docId, lang));
  }

  /** The state at the store's `version` of the history, read by the caller (a list page reads many at once). */
  stateAt(docId: string, lang: string, version: number): Promise<TranslationState> {
    const key = `${docId}/${lang}`;
    const cached = this.#states.get(key);
    if (cached && cached.version === version) {
      this.#states.delete(key);
      this.#states.set(key, cached);
      return cached.state;
    }
    if (cached) this.forget(docId, lang);
    const entry: Cached = { state: Promise.resolve(new Map()), events: 0, version };
    entry.state = this.store.readTranslationEvents(docId, lang).then((events) => {
      entry.events = events.length;
      this.#cachedEvents += events.length;
      this.#evict();
      return buildState(events);
    });
    entry.state.catch(() => this.forget(docId, lang));
    this.#states.set(key, entry);
    return entry.state;
  }

  #evict(): void {
    for (const [key, entry] of this.#states) {
      if (this.#cachedEvents <= CACHED_EVENTS || this.#states.size <= 1) break;
      this.#states.delete(key);
      this.#cachedEvents -= entry.events;
    }
  }

  /** Drops a cached state (a language removed, an append whose outcome is unknown). */
  forget(docId: string, lang: string): void {
    const key = `${docId}/${lang}`;
    const entry = this.#states.get(key);
    if (!entry) return;
    this.#states.delete(key);
    this.#cachedEvents -= entry.events;
  }

  /**
   * Runs a command: `decide` reads the state and returns the events to append with their audit
   * entry (or null: nothing to write). When the store refuses the append because the state moved
   * on, the state is read again and `decide` runs again on it.
   */
  async run<T extends Decision>(
    doc: Document,
    lang: string,
    decide: (state: TranslationState) => T,
    options: { optimistic?: boolean; guard?: AppendGuard } = {},
  ): Promise<Written<T>> {
    const docId = doc.id;
    const key = `${docId}/${lang}`;
    let unchecked = options.optimistic ? this.#states.get(key) : undefined;
    // Attempts on a checked state; the optimistic one does not count.
    let attempt = 0;
    for (;;) {
      // Optimistic: the cached state, its version unchecked (a round trip saved). Only for
      // decisions the store's append checks whole (their events depend on nothing but the latest
      // revision of the paragraphs they append to): a stale state is then refused by the store.
      // Nothing to write, or a refusal by the command itself, is decided again on a checked state.
      const optimistic = unchecked;
      unchecked = undefined;
      if (!optimistic) attempt++;
      let state: TranslationState;
      let decision: T;
      try {
        state = optimistic ? await optimistic.state : await this.state(docId, lang);
        decision = decide(state);
      } catch (error) {
        if (optimistic) continue;
        throw error;
      }
      if (!decision && optimistic) continue;
      if (!decision) return decision as Written<T>;
      let version: number;
      try {
        version = await this.store.appendTranslationEvents(
          docId,
          lang,
          decision.events,
          decision.audit,
          options.guard,
        );
      } catch (error) {
        // Refused by the guard before anything was written: the state is still good.
        if (error instanceof CredentialRefusedError || error instanceof StaleDocumentError) throw error;
        if (error instanceof RevisionConflictError) {
          this.forget(docId, lang);
          // The store refused on its heads, which on the file store count an append still on its way
          // to the disk, while states hold what is durable: decided again at once, the command would
          // meet the same stale state, and a conflict would show the other writer the old text.
          const seen = await untilRefusingWriteShows(
            () => this.state(docId, lang),
            (state) => (latestRevision(state.get(error.pid))?.revision ?? 0) >= error.latest,
          );
          if (optimistic || attempt < 3) continue;
          throw conflictWith(seen.get(error.pid));
        }
        if (error instanceof RepeatedReviewError) {
          // Another writer made this decision first: decided again once the state shows it, the
          // command finds nothing to write.
          this.forget(docId, lang);
          const seen = await untilRefusingWriteShows(
            () => this.state(docId, lang),
            (state) => shows(state, error),
          );
          if (optimistic || attempt < 3) continue;
          throw conflictWith(seen.get(error.pid));
        }
        this.forget(docId, lang);
        throw error;
      }
      const entry = this.#states.get(key);
      // Kept up with only when this append is the one change since the state was read.
      if (entry && (await entry.state) === state && version === entry.version + 1) {
        for (const event of decision.events) applyEvent(state, event);
        entry.version = version;
        entry.events += decision.events.length;
        this.#cachedEvents += decision.events.length;
      } else this.forget(docId, lang);
      this.changes.translation({ document: doc, lang, events: decision.events, version });
      return Object.assign(decision, { version }) as Written<T>;
    }
  }
}
