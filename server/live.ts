/**
 * Live editors (issue 17): who has a document's translation open and which paragraph each is on,
 * and others' saves, reviews and comments as they happen, streamed as server-sent events.
 *
 * SSE rather than WebSocket: the stream only flows server → browser (focus goes up as a small POST,
 * like every other change, with the session cookie and CSRF header the API already checks), it is
 * plain HTTP through the same middleware, reconnects by itself in the browser, and needs no
 * dependency or upgrade handling.
 *
 * Between processes on PostgreSQL every message goes through the store's pub/sub (LISTEN/NOTIFY),
 * this process included, so that one path delivers everything; on the file store (one process)
 * messages are delivered directly. Presence is kept per process and room, republished with every
 * heartbeat and forgotten when a process falls silent.
 */

import { createHash, randomBytes } from "node:crypto";
import type { Response } from "express";
import type { Comment } from "../translations/comment.ts";
import type { User } from "./accounts/model.ts";
import type { ChangeFeed, TranslationChange } from "./changes.ts";
import type { CommentService } from "./services/comments.ts";
import type { Store } from "./storage/store.ts";
import { type StreamSlots, streamSlots } from "./stream-slots.ts";

export interface LiveOptions {
  /** Between heartbeats (and session re-checks), in milliseconds. */
  heartbeatMs: number;
  /** Most open streams one user may hold, across every process sharing the store. */
  maxPerUser: number;
  /** Most open streams in one process. */
  maxTotal: number;
}

export const DEFAULT_LIVE: LiveOptions = { heartbeatMs: 20_000, maxPerUser: 8, maxTotal: 5_000 };

/** Translation texts longer than this are not sent in a message: the browser fetches them. */
const MAX_INLINE_TEXT = 1500;
/** Appends touching more paragraphs than this (an import) are announced as one `bulk` message. */
const MAX_PARAGRAPHS_PER_MESSAGE = 50;
/** Presence changes within this long are announced together. */
const PRESENCE_DELAY_MS = 50;
/** A stream whose unsent output passes this is a reader that does not keep up: it is closed. */
const MAX_BUFFERED = 1 << 20;

interface Connection {
  id: string;
  username: string;
  /** A digest of the session it belongs to (ended on sign-out, in any process), absent for a token. */
  session?: string;
  room: string;
  pid: string | null;
  res: Response;
  /** Whether the caller may still read: the session or token is still good. */
  stillValid: () => Promise<boolean>;
}

/** What a process says about one room: its connections, who, and which paragraph. */
type PresenceEntry = { c: string; u: string; p: string | null };

type Message =
  | { t: "presence"; from: string; room: string; users: PresenceEntry[] }
  | { t: "who"; room: string }
  | {
      t: "paragraph";
      room: string;
      /** A new revision (its text changes) or a review of one (only its status does). */
      kind: "revision" | "review";
      pid: string;
      revision: number;
      status: string;
      author: string;
      at: string;
      text?: string;
      /** A rejection's reason, as the row shows it under the text. */
      comment?: string;
    }
  | { t: "bulk"; room: string; author: string }
  /** A document's record was rewritten (its source updated, a language added): its version now. */
  | { t: "source"; doc: string; version: number }
  /** A session signed out: its streams end in every process. */
  | { t: "end"; session: string }
  | { t: "comment"; doc: string; lang: string; scope: string; pid: string; author: string; action: string };

interface Room {
  local: Map<string, Connection>;
  /** Per process (this one included): its entries and when it last said so. */
  processes: Map<string, { users: PresenceEntry[]; at: number }>;
}

export class TooManyStreamsError extends Error {}

/** Who a stream reads as, checked again at every heartbeat. */
export interface StreamAuth {
  sessionId?: string | undefined;
  stillValid: () => Promise<boolean>;
}

/** The review queue's streams: not a document's room, and no presence is kept for it. */
const QUEUE_ROOM = "\u0000queue";

export class LiveHub {
  readonly #process = randomBytes(6).toString("base64url");
  readonly #rooms = new Map<string, Room>();
  readonly #options: LiveOptions;
  readonly #slots: StreamSlots;
  readonly #unsubscribe: (() => void)[] = [];
  #total = 0;
  #closed = false;
  #listening = false;
  /** Rooms whose presence is about to be announced. */
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    changes: ChangeFeed,
    private readonly comments: CommentService,
    options: Partial<LiveOptions> = {},
  ) {
    this.#options = { ...DEFAULT_LIVE, ...options };
    // A slot outlives three missed heartbeats, as presence does: then its process is taken for gone.
    this.#slots = streamSlots(store, this.#options.maxPerUser, 3 * this.#options.heartbeatMs);
    this.#unsubscribe.push(
      changes.onTranslation((change) => this.#onTranslation(change)),
      changes.onDocument(({ document }) => {
        void this.#publish({ t: "source", doc: document.id, version: document.version ?? 1 });
      }),
      comments.onChange(({ comment, action }) => this.#onComment(comment, action)),
    );
  }

  /** Listens to other processes once the first stream opens (a LISTEN holds a database connection). */
  #listen(): Promise<void> {
    const pubsub = this.store.pubsub;
    if (!pubsub) return Promise.resolve();
    if (!this.#listening) {
      this.#listening = true;
      this.#unsubscribe.push(pubsub.subscribe((m) => void this.#receive(m as Message)));
    }
    return pubsub.ready();
  }

  /** Open streams in this process. */
  get size(): number {
    return this.#total;
  }

  /**
   * Starts a stream on `res` for a document's translation into `lang` (already authorised and
   * resolved by the route). TooManyStreamsError when the user (in any process) or this process
   * holds too many.
   */
  async open(res: Response, docId: string, lang: string, user: User, auth: StreamAuth): Promise<void> {
    const room = roomKey(docId, lang);
    if (!(await this.#start(res, room, user, auth))) return;
    void this.#listen().then(async () => {
      this.#announceSoon(room);
      // Other processes say who they have in this room now rather than at their next heartbeat.
      if (this.store.pubsub) await this.#publish({ t: "who", room });
    });
  }

  /**
   * Starts a stream of the review queue (already authorised): a `changed` event names each document
   * and language whose translation changed, in any process, so that waiting counts can be read again.
   */
  async openQueue(res: Response, user: User, auth: StreamAuth): Promise<void> {
    if (await this.#start(res, QUEUE_ROOM, user, auth)) void this.#listen();
  }

  /** Takes a slot and starts the stream; false when the reader left meanwhile. */
  async #start(res: Response, room: string, user: User, auth: StreamAuth): Promise<boolean> {
    if (this.#total >= this.#options.maxTotal) throw new TooManyStreamsError();
    const id = randomBytes(9).toString("base64url");
    // Counted before the claim's round trip, so that a burst of opens cannot pass maxTotal meanwhile.
    this.#total++;
    let claimed = false;
    try {
      claimed = await this.#slots.claim(user.username, id);
    } finally {
      if (!claimed) this.#total--;
    }
    if (!claimed) throw new TooManyStreamsError();
    if (res.destroyed || res.writableEnded || this.#closed) {
      // The reader left (or the hub closed) while the slot was being taken.
      this.#total--;
      void this.#slots.release(id).catch(() => undefined);
      return false;
    }
    const connection: Connection = {
      id,
      username: user.username,
      ...(auth.sessionId ? { session: sessionDigest(auth.sessionId) } : {}),
      room,
      pid: null,
      res,
      stillValid: auth.stillValid,
    };
    res.status(200);
    res.set({
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    });
    res.flushHeaders();
    res.write("retry: 3000\n\n");
    const state = this.#room(room);
    state.local.set(connection.id, connection);
    res.on("close", () => this.#drop(connection));
    send(connection, "hello", { connection: connection.id, username: user.username });
    this.#startTimer();
    return true;
  }

  /**
   * A connection of `user` on this document and language is now on paragraph `pid` (null: none).
   * False for a connection that is not theirs, or not on this document and language.
   */
  focus(user: User, docId: string, lang: string, connectionId: string, pid: string | null): boolean {
    for (const room of this.#rooms.values()) {
      const connection = room.local.get(connectionId);
      if (!connection) continue;
      if (connection.username !== user.username || connection.room !== roomKey(docId, lang)) return false;
      if (connection.pid !== pid) {
        connection.pid = pid;
        this.#announceSoon(connection.room);
      }
      return true;
    }
    return false;
  }

  /**
   * Whether a browser session is still signed in as `username`: not signed out, not expired, the user
   * neither disabled nor made to sign in again since (a password change or reset).
   */
  async sessionValid(sessionId: string, username: string): Promise<boolean> {
    const record = await this.store.getSession(sessionId);
    const data = record?.data as { username?: string; signedInAt?: number } | undefined;
    if (!record || record.expires <= Date.now() || data?.username !== username) return false;
    const user = await this.store.getUser(username);
    if (!user || user.disabled) return false;
    return (
      user.sessionsValidAfter === undefined || (data.signedInAt ?? 0) >= Date.parse(user.sessionsValidAfter)
    );
  }

  /** Ends every stream of a browser session (sign-out), in this process at once and in the others. */
  endSession(sessionId: string): void {
    const session = sessionDigest(sessionId);
    this.#endLocal(session);
    if (this.store.pubsub) void this.#publish({ t: "end", session });
  }

  #endLocal(session: string): void {
    for (const room of this.#rooms.values())
      for (const connection of room.local.values()) if (connection.session === session) connection.res.end();
  }

  /** Ends every stream and stops following changes. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const stop of this.#unsubscribe.splice(0)) stop();
    for (const room of this.#rooms.values())
      for (const connection of room.local.values()) connection.res.end();
  }

  #room(key: string): Room {
    let room = this.#rooms.get(key);
    if (!room) {
      room = { local: new Map(), processes: new Map() };
      this.#rooms.set(key, room);
    }
    return room;
  }

  #drop(connection: Connection): void {
    const room = this.#rooms.get(connection.room);
    if (!room?.local.delete(connection.id)) return;
    this.#total--;
    // A release that fails (the database away) expires with its slot.
    void this.#slots.release(connection.id).catch(() => undefined);
    this.#announceSoon(connection.room);
    if (room.local.size === 0) this.#rooms.delete(connection.room);
    if (this.#total === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #startTimer(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#heartbeat(), this.#options.heartbeatMs);
    this.#timer.unref();
  }

  /** A comment line to every stream (keeps proxies from closing it), sessions re-checked, presence republished. */
  async #heartbeat(): Promise<void> {
    const stale = Date.now() - 3 * this.#options.heartbeatMs;
    const open = [...this.#rooms.values()].flatMap((room) => [...room.local.keys()]);
    await this.#slots.renew(open).catch(() => undefined);
    for (const [key, room] of this.#rooms) {
      for (const connection of room.local.values()) {
        if (!(await connection.stillValid().catch(() => false))) {
          connection.res.end();
          continue;
        }
        connection.res.write(": ping\n\n");
      }
      for (const [process, entry] of room.processes)
        if (process !== this.#process && entry.at < stale) room.processes.delete(process);
      if (key !== QUEUE_ROOM && this.#rooms.has(key)) await this.#announce(key);
    }
  }

  /**
   * Announces a room's presence shortly, once for every change in between: a hundred editors opening
   * a document together cost a few lists sent to each, not one per arrival (n² messages).
   */
  #announceSoon(room: string): void {
    if (room === QUEUE_ROOM || this.#pending.has(room)) return;
    this.#pending.add(room);
    setTimeout(() => {
      this.#pending.delete(room);
      void this.#announce(room);
    }, PRESENCE_DELAY_MS).unref();
  }

  /** Tells every process who this one has in a room. */
  async #announce(room: string): Promise<void> {
    const users = [...(this.#rooms.get(room)?.local.values() ?? [])].map((c) => ({
      c: c.id,
      u: c.username,
      p: c.pid,
    }));
    await this.#publish({ t: "presence", from: this.#process, room, users });
  }

  #onTranslation({ document, lang, events }: TranslationChange): void {
    const room = roomKey(document.id, lang);
    // Other processes may have editors in the room though this one has none: publish regardless there.
    if (!this.store.pubsub && !this.#rooms.has(room) && !this.#rooms.has(QUEUE_ROOM)) return;
    const latest = new Map<string, Extract<Message, { t: "paragraph" }>>();
    for (const event of events) {
      if (event.type === "waiver") continue;
      const status =
        event.type === "revision" ? event.status : event.action === "approve" ? "approved" : "rejected";
      const before = latest.get(event.pid);
      latest.set(event.pid, {
        t: "paragraph",
        room,
        kind: before?.kind === "revision" ? "revision" : event.type,
        pid: event.pid,
        revision: event.revision,
        status,
        author: event.author,
        at: event.createdAt,
        ...(event.type === "revision"
          ? event.text.length <= MAX_INLINE_TEXT
            ? { text: event.text }
            : {}
          : before?.text !== undefined
            ? { text: before.text }
            : {}),
        ...(event.type === "review" && event.action === "reject" && event.comment
          ? { comment: event.comment.slice(0, MAX_INLINE_TEXT) }
          : {}),
      });
    }
    if (latest.size > MAX_PARAGRAPHS_PER_MESSAGE) {
      void this.#publish({ t: "bulk", room, author: events[0]?.author ?? "" });
      return;
    }
    for (const message of latest.values()) void this.#publish(message);
  }

  #onComment(comment: Comment, action: string): void {
    void this.#publish({
      t: "comment",
      doc: comment.documentId,
      lang: comment.lang,
      scope: comment.scope,
      pid: comment.pid,
      author: comment.author,
      action,
    });
  }

  async #publish(message: Message): Promise<void> {
    const pubsub = this.store.pubsub;
    if (pubsub) {
      try {
        await pubsub.publish(message);
        return;
      } catch {
        // The database refused or is away: this process's editors still hear it.
      }
    }
    await this.#receive(message);
  }

  async #receive(message: Message): Promise<void> {
    switch (message.t) {
      case "presence": {
        const room = this.#rooms.get(message.room);
        if (!room) return;
        if (message.users.length === 0) room.processes.delete(message.from);
        else room.processes.set(message.from, { users: message.users, at: Date.now() });
        const users = [...room.processes.values()].flatMap((p) => p.users);
        const data = { users: users.map((u) => ({ connection: u.c, username: u.u, pid: u.p })) };
        broadcast(room.local.values(), "presence", data);
        return;
      }
      case "end":
        this.#endLocal(message.session);
        return;
      case "who":
        if (this.#rooms.has(message.room)) await this.#announce(message.room);
        return;
      case "paragraph":
      case "bulk": {
        const queue = this.#rooms.get(QUEUE_ROOM);
        if (queue) {
          const [document, lang] = message.room.split("\u0000");
          broadcast(queue.local.values(), "changed", { document, lang });
        }
        const room = this.#rooms.get(message.room);
        if (!room) return;
        const { t, room: _room, ...data } = message;
        broadcast(room.local.values(), t, data);
        return;
      }
      case "source": {
        // Open editors compare it with the version they show, and say so when theirs is older.
        const prefix = `${message.doc}\u0000`;
        for (const [key, room] of this.#rooms)
          if (key.startsWith(prefix)) broadcast(room.local.values(), "source", { version: message.version });
        return;
      }
      case "comment": {
        const prefix = `${message.doc}\u0000`;
        for (const [key, room] of this.#rooms) {
          if (!key.startsWith(prefix)) continue;
          const lang = key.slice(prefix.length);
          if (message.scope !== "source" && lang !== message.lang) continue;
          const open = (await this.comments.openCounts(message.doc, lang)).get(message.pid) ?? 0;
          const data = {
            pid: message.pid,
            author: message.author,
            action: message.action,
            scope: message.scope,
            open,
          };
          broadcast(room.local.values(), "comment", data);
        }
        return;
      }
    }
  }
}

/** Session ids go between processes only as digests: a NOTIFY payload is no place for a credential. */
function sessionDigest(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("base64url");
}

function roomKey(docId: string, lang: string): string {
  return `${docId}\u0000${lang}`;
}

/** One event as it goes on the wire: serialised once, whatever the number of readers. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Writes one event to one connection. */
function send(connection: Connection, event: string, data: unknown): void {
  write(connection, frame(event, data));
}

/** Writes a frame; a reader too far behind is let go rather than buffered without end. */
function write(connection: Connection, text: string): void {
  const { res } = connection;
  if (res.writableEnded || res.destroyed) return;
  if (res.writableLength > MAX_BUFFERED) {
    res.end();
    return;
  }
  res.write(text);
}

/** Writes one event to every connection of a room. */
function broadcast(connections: Iterable<Connection>, event: string, data: unknown): void {
  const text = frame(event, data);
  for (const connection of connections) write(connection, text);
}
