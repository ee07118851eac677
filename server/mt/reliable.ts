/**
 * A provider that is slow or down never holds the editor up: each call has a deadline, answers are
 * cached per (pair, segment), and after repeated failures the provider is skipped for a while
 * (circuit breaker) before one call tries it again.
 */

import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import {
  type LanguagePair,
  MachineTranslationError,
  type MachineTranslator,
  ProviderPausedError,
  type TranslateOptions,
} from "./provider.ts";

export interface ReliabilityOptions {
  /** Deadline of one call to the provider, in milliseconds. */
  timeoutMs: number;
  /** Segments remembered per provider. */
  cacheSize: number;
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit skips the provider before one call tries again, in milliseconds. */
  cooldownMs: number;
}

export const DEFAULT_RELIABILITY: ReliabilityOptions = {
  timeoutMs: 5000,
  cacheSize: 5000,
  failureThreshold: 3,
  cooldownMs: 30_000,
};

export type CircuitState = "closed" | "open" | "half-open";

export class ReliableTranslator implements MachineTranslator {
  readonly name: string;
  readonly placeholders: MachineTranslator["placeholders"];
  readonly names?: MachineTranslator["names"];
  readonly warm?: MachineTranslator["warm"];
  readonly #cache: LRUCache<string, string>;
  #failures = 0;
  #openUntil = 0;
  #trial = false;
  #trialEnds = 0;

  constructor(
    private readonly inner: MachineTranslator,
    private readonly options: ReliabilityOptions = DEFAULT_RELIABILITY,
    private readonly clock: () => number = Date.now,
  ) {
    this.name = inner.name;
    this.placeholders = inner.placeholders;
    this.#cache = new LRUCache({ max: options.cacheSize });
    if (inner.warm) this.warm = inner.warm.bind(inner);
    if (inner.names) {
      const names = inner.names.bind(inner);
      // A document's names are asked for with every suggestion of it: remembered per document text.
      const known = new LRUCache<string, string[]>({ max: 100 });
      this.names = async (texts, pair, signal) => {
        const key = createHash("sha256")
          .update(`${pair.source}\u0000${pair.target}\u0000${texts.join("\u0000")}`)
          .digest("hex");
        const cached = known.get(key);
        if (cached) return cached;
        const found = await this.#guard(signal, (s) => names(texts, pair, s));
        known.set(key, found);
        return found;
      };
    }
  }

  get circuit(): CircuitState {
    if (this.#openUntil === 0) return "closed";
    return this.clock() < this.#openUntil ? "open" : "half-open";
  }

  /**
   * While the breaker skips the provider, when (epoch ms) a call will try it again: the end of the
   * cooldown, or, while one trial call runs, that call's deadline. Undefined when calls go through.
   */
  get retryAt(): number | undefined {
    const state = this.circuit;
    if (state === "open") return this.#openUntil;
    if (state === "half-open" && this.#trial) return this.#trialEnds;
    return undefined;
  }

  pairs(signal?: AbortSignal): Promise<LanguagePair[]> {
    return this.inner.pairs(signal);
  }

  async translate(
    segments: readonly string[],
    pair: LanguagePair,
    options: TranslateOptions,
  ): Promise<string[]> {
    const key = (segment: string) => `${pair.source}\u0000${pair.target}\u0000${segment}`;
    const missing = [...new Set(segments.filter((s) => s.trim() && !this.#cache.has(key(s))))];
    if (missing.length > 0) {
      const fresh = await this.#guard(options.signal, (signal) =>
        this.inner.translate(missing, pair, { ...options, signal }),
      );
      if (fresh.length !== missing.length)
        throw new MachineTranslationError(this.name, "bad_response", "wrong number of translations");
      for (const [i, segment] of missing.entries()) this.#cache.set(key(segment), fresh[i] ?? "");
    }
    return segments.map((s) => (s.trim() ? (this.#cache.get(key(s)) ?? "") : s));
  }

  close(): void {
    this.inner.close?.();
  }

  /** Runs one call under the deadline and the breaker. */
  async #guard<T>(outer: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const retryAt = this.retryAt;
    if (retryAt !== undefined) throw new ProviderPausedError(this.name, retryAt);
    if (this.circuit === "half-open") {
      this.#trial = true;
      this.#trialEnds = this.clock() + this.options.timeoutMs;
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([outer, timeout]);
    try {
      const result = await Promise.race([call(signal), rejectOnAbort(signal, this.name)]);
      this.#failures = 0;
      this.#openUntil = 0;
      return result;
    } catch (error) {
      // The caller giving up is not the provider's failure.
      if (!(outer.aborted && !timeout.aborted)) this.#failed();
      if (timeout.aborted) throw new MachineTranslationError(this.name, "timeout");
      throw error instanceof MachineTranslationError
        ? error
        : new MachineTranslationError(this.name, "unavailable");
    } finally {
      this.#trial = false;
    }
  }

  #failed(): void {
    this.#failures++;
    if (this.#failures >= this.options.failureThreshold || this.#openUntil !== 0)
      this.#openUntil = this.clock() + this.options.cooldownMs;
  }
}

function rejectOnAbort(signal: AbortSignal, provider: string): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new MachineTranslationError(provider, "timeout"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}
