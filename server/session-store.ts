/** express-session's store on top of ours: survives restarts, prunes expired sessions. */

import session from "express-session";
import type { SessionRecord, Store } from "./storage/store.ts";

/** Sessions of nobody signed in kept in memory at most, the least recently used dropped first. */
const MOST_ANONYMOUS = 10_000;

export class GlosaSessionStore extends session.Store {
  readonly #timer: NodeJS.Timeout;
  /**
   * Where one process owns the store (the file store, which writes its sessions file whole on each
   * change), the sessions of nobody signed in (a sign-in form's CSRF token, a language chosen) live
   * here, not on disk: an anonymous request cannot grow the file that every sign-in writes (50,000
   * login pages made each write 184 ms). A restart forgets them: the form asks to sign in again.
   * Absent where processes share the store (PostgreSQL): a form served by one is posted to another.
   */
  readonly #anonymous: Map<string, SessionRecord> | undefined;

  constructor(
    private readonly store: Store,
    private readonly maxAgeMs: number,
    pruneEveryMs = 10 * 60 * 1000,
  ) {
    super();
    this.#anonymous = store.pubsub ? undefined : new Map();
    this.#timer = setInterval(() => {
      void this.store.pruneSessions(Date.now()).catch(() => undefined);
      const now = Date.now();
      for (const [sid, record] of this.#anonymous ?? [])
        if (record.expires <= now) this.#anonymous?.delete(sid);
    }, pruneEveryMs);
    this.#timer.unref();
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    const kept = this.#anonymous?.get(sid);
    if (kept) {
      callback(null, kept.expires > Date.now() ? (kept.data as session.SessionData) : null);
      return;
    }
    this.store.getSession(sid).then(
      (record) => {
        if (!record || record.expires <= Date.now()) return callback(null, null);
        callback(null, record.data as session.SessionData);
      },
      (error) => callback(error),
    );
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const expires = this.#expires(data);
    const anonymous = this.#anonymous;
    if (anonymous && !data.username) {
      anonymous.delete(sid);
      // As a store writes it (JSON): express-session's live session holds functions structuredClone refuses.
      anonymous.set(sid, { data: JSON.parse(JSON.stringify(data)), expires });
      if (anonymous.size > MOST_ANONYMOUS) anonymous.delete(anonymous.keys().next().value as string);
      // One signed out keeps its cookie: its stored record goes (a no-op when there is none).
      this.store.deleteSession(sid).then(
        () => callback?.(),
        (error) => callback?.(error),
      );
      return;
    }
    anonymous?.delete(sid);
    this.store.setSession(sid, { data, expires }).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.#anonymous?.delete(sid);
    this.store.deleteSession(sid).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  /** Extends the idle timeout of a session still kept; written at most once a minute per session. */
  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    const expires = this.#expires(data);
    const kept = this.#anonymous?.get(sid);
    if (kept) {
      kept.expires = expires;
      callback?.();
      return;
    }
    this.store.getSession(sid).then(
      (record) => {
        // A session ended meanwhile (signed out in another tab) is not written back by a late touch.
        if (!record || expires - record.expires < 60_000) return callback?.();
        this.set(sid, data, () => callback?.());
      },
      () => callback?.(),
    );
  }

  #expires(data: session.SessionData): number {
    return data.cookie?.expires ? new Date(data.cookie.expires).getTime() : Date.now() + this.maxAgeMs;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
