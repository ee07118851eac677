/**
 * The duplicate rule as a store in one process keeps it (the file store): which terms hold each
 * duplicate key (glossary/term.ts `duplicateKeys`), and a write's check against them. PostgreSQL keeps
 * the same keys in unique indexes instead (migration 021).
 */

import { duplicateKeys, type Term } from "../../glossary/term.ts";

/** The ids of the terms holding each key: one, or more where duplicates were stored before the rule was the store's. */
export class TermKeyIndex {
  readonly #holders = new Map<string, Set<string>>();

  static keysOf(term: Term): string[] {
    const { exact, folded } = duplicateKeys(term);
    // The two kinds of key never meet: an exact key has one more part.
    return folded === undefined ? [exact] : [exact, folded];
  }

  add(term: Term): void {
    for (const key of TermKeyIndex.keysOf(term)) {
      const ids = this.#holders.get(key);
      if (ids) ids.add(term.id);
      else this.#holders.set(key, new Set([term.id]));
    }
  }

  delete(term: Term): void {
    for (const key of TermKeyIndex.keysOf(term)) {
      const ids = this.#holders.get(key);
      ids?.delete(term.id);
      if (ids?.size === 0) this.#holders.delete(key);
    }
  }

  holders(key: string): ReadonlySet<string> | undefined {
    return this.#holders.get(key);
  }
}

/**
 * One write's view of the keys: the held terms' keys, less those of the terms the write replaces or
 * removes (`leaving`), plus those of the terms it has taken so far.
 */
export class TermClaims {
  readonly #taken = new Map<string, string>();

  constructor(
    private readonly index: TermKeyIndex,
    private readonly leaving: ReadonlySet<string>,
  ) {}

  /** The id of the term `term` would duplicate; otherwise undefined, and `term`'s keys are taken. */
  take(term: Term): string | undefined {
    const keys = TermKeyIndex.keysOf(term);
    for (const key of keys) {
      const taken = this.#taken.get(key);
      if (taken !== undefined && taken !== term.id) return taken;
      for (const id of this.index.holders(key) ?? []) if (id !== term.id && !this.leaving.has(id)) return id;
    }
    for (const key of keys) this.#taken.set(key, term.id);
    return undefined;
  }
}
