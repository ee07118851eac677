/** express-session's store on top of ours: survives restarts, prunes expired sessions. */

import session from "express-session";
import type { Store } from "./storage/store.ts";

export class GlosaSessionStore extends session.Store {
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly maxAgeMs: number,
    pruneEveryMs = 10 * 60 * 1000,
  ) {
    super();
    this.#timer = setInterval(
      () => void this.store.pruneSessions(Date.now()).catch(() => undefined),
      pruneEveryMs,
    );
    this.#timer.unref();
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.store.getSession(sid).then(
      (record) => {
        if (!record || record.expires <= Date.now()) return callback(null, null);
        callback(null, record.data as session.SessionData);
      },
      (error) => callback(error),
    );
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const expires = data.cookie?.expires
      ? new Date(data.cookie.expires).getTime()
      : Date.now() + this.maxAgeMs;
    this.store.setSession(sid, { data, expires }).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.store.deleteSession(sid).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  /** Extends the idle timeout; written at most once a minute per session, not on every request. */
  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    const expires = data.cookie?.expires
      ? new Date(data.cookie.expires).getTime()
      : Date.now() + this.maxAgeMs;
    this.store.getSession(sid).then(
      (record) => {
        if (record && expires - record.expires < 60_000) return callback?.();
        this.set(sid, data, () => callback?.());
      },
      () => callback?.(),
    );
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
