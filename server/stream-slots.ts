/**
 * How many live streams each user holds (server/live.ts): counted in the store where several
 * processes share it (PostgreSQL's live_streams, migration 017), so that the bound per user holds
 * across processes, and in this process's memory where it owns the store (the file store).
 */

import type { Store } from "./storage/store.ts";

export interface StreamSlots {
  /** Takes a slot of `owner` as `id`; false when they hold as many as allowed. */
  claim(owner: string, id: string): Promise<boolean>;
  /** Keeps the slots of streams still open (called at every heartbeat). */
  renew(ids: readonly string[]): Promise<void>;
  /** Gives a slot back. */
  release(id: string): Promise<void>;
}

/**
 * The store's shared slots when it has them, else slots in memory. A shared slot lasts `ttlMs`
 * unless renewed: a process that crashed frees its users' slots within that time.
 */
export function streamSlots(store: Store, max: number, ttlMs: number): StreamSlots {
  const { claimStreamSlot, renewStreamSlots, releaseStreamSlot } = store;
  if (!claimStreamSlot || !renewStreamSlots || !releaseStreamSlot) return localSlots(max);
  return {
    claim: (owner, id) => claimStreamSlot.call(store, owner, id, max, ttlMs),
    renew: (ids) => renewStreamSlots.call(store, ids, ttlMs),
    release: (id) => releaseStreamSlot.call(store, id),
  };
}

function localSlots(max: number): StreamSlots {
  const owners = new Map<string, string>();
  const counts = new Map<string, number>();
  return {
    async claim(owner, id) {
      const held = counts.get(owner) ?? 0;
      if (held >= max) return false;
      counts.set(owner, held + 1);
      owners.set(id, owner);
      return true;
    },
    async renew() {},
    async release(id) {
      const owner = owners.get(id);
      if (owner === undefined) return;
      owners.delete(id);
      const left = (counts.get(owner) ?? 1) - 1;
      if (left > 0) counts.set(owner, left);
      else counts.delete(owner);
    },
  };
}
