/**
 * An express-rate-limit store that counts in the Glosa store (PostgreSQL's rate_limits table), so
 * that request limits and sign-in throttling hold across every process on one database. The file
 * store has one process, and its limits stay in that process's memory (express-rate-limit's own).
 */

import type { ClientRateLimitInfo, Options, Store as RateLimitStore } from "express-rate-limit";
import type { Store } from "./storage/store.ts";

/** What a store offers to count hits across processes. */
export type HitCounter = Required<Pick<Store, "countHit" | "uncountHit" | "resetHits">>;

/** The store's shared counters, when it has them (PostgreSQL); undefined for a one-process store. */
export function hitCounter(store: Store | undefined): HitCounter | undefined {
  if (!store?.countHit || !store.uncountHit || !store.resetHits) return undefined;
  return {
    countHit: store.countHit.bind(store),
    uncountHit: store.uncountHit.bind(store),
    resetHits: store.resetHits.bind(store),
  };
}

export class SharedCounter implements RateLimitStore {
  /** Keys counted here are seen by every process. */
  readonly localKeys = false;
  #windowMs = 60_000;

  constructor(
    private readonly counter: HitCounter,
    /** Names the limiter, so that two limiters counting the same address keep apart. */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { count, resetAt } = await this.counter.countHit(this.prefix + key, this.#windowMs);
    return { totalHits: count, resetTime: resetAt };
  }

  decrement(key: string): Promise<void> {
    return this.counter.uncountHit(this.prefix + key);
  }

  resetKey(key: string): Promise<void> {
    return this.counter.resetHits(this.prefix + key);
  }
}
