/**
 * The file store's comments: one log, `comments.jsonl`, a commit per comment write (the whole
 * record with its history and the audit entry), read whole at start-up into this index. Comments
 * are small and bounded per paragraph, so memory holds them all and reads never touch the disk.
 */

import type { Comment } from "../../translations/comment.ts";
import type { AuditEntry } from "../accounts/model.ts";
import { deepFreeze } from "./freeze.ts";
import { type InboxPage, type InboxQuery, inboxCursor, parseInboxCursor } from "./store.ts";

export interface CommentCommit {
  tx: number;
  audit?: AuditEntry;
  comment: Comment;
}

/** A log line as a comment commit, or undefined when it is not one. */
export function toCommentCommit(value: unknown): CommentCommit | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const c = v.comment as Record<string, unknown> | undefined;
  if (typeof v.tx !== "number" || typeof c !== "object" || c === null) return undefined;
  if (typeof c.id !== "string" || typeof c.documentId !== "string" || !Array.isArray(c.history))
    return undefined;
  return value as CommentCommit;
}

export class CommentIndex {
  readonly #byId = new Map<string, Comment>();
  readonly #byDocument = new Map<string, Comment[]>();
  /** Writes on their way to the disk, the latest of each comment: a paragraph's bounds count them. */
  readonly #pending = new Map<string, Comment>();

  /** Counts a write not yet durable in its paragraph's `thread` until it is applied or released. */
  reserve(comment: Comment): void {
    this.#pending.set(comment.id, comment);
  }

  /** Forgets a write that failed. */
  release(comment: Comment): void {
    if (this.#pending.get(comment.id) === comment) this.#pending.delete(comment.id);
  }

  /** A paragraph's comments (all threads, deleted ones too) as they will be once pending writes are durable. */
  thread(documentId: string, pid: string): Comment[] {
    const thread = new Map<string, Comment>();
    for (const c of this.#byDocument.get(documentId) ?? []) if (c.pid === pid) thread.set(c.id, c);
    for (const c of this.#pending.values())
      if (c.documentId === documentId && c.pid === pid) thread.set(c.id, c);
    return [...thread.values()];
  }

  /** Keeps a written comment (frozen: callers get it without a copy). */
  apply(comment: Comment): void {
    this.release(comment);
    const frozen = deepFreeze(structuredClone(comment));
    const list = this.#byDocument.get(comment.documentId) ?? [];
    const at = list.findIndex((c) => c.id === comment.id);
    if (at >= 0) list[at] = frozen;
    else list.push(frozen);
    this.#byDocument.set(comment.documentId, list);
    this.#byId.set(comment.id, frozen);
  }

  list(documentId: string): Comment[] {
    return [...(this.#byDocument.get(documentId) ?? [])];
  }

  get(id: string): Comment | undefined {
    return this.#byId.get(id);
  }

  inbox({ username, kind, author, limit, after }: InboxQuery): InboxPage {
    const cursor = after === undefined ? undefined : parseInboxCursor(after);
    const inList =
      kind === "mentions"
        ? (c: Comment) => c.mentions.includes(username)
        : (c: Comment) => isOpenQuery(c) && (author === undefined || c.author === author);
    const found: Comment[] = [];
    for (const c of this.#byId.values())
      if (!c.deleted && inList(c) && (!cursor || newestFirst(c, { createdAt: cursor[0], id: cursor[1] }) > 0))
        found.push(c);
    const comments = found.sort(newestFirst).slice(0, limit);
    const last = comments.at(-1);
    return found.length > limit && last ? { comments, next: inboxCursor(last) } : { comments };
  }

  inboxCounts(username: string, author?: string): { mentions: number; queries: number } {
    let mentions = 0;
    let queries = 0;
    for (const c of this.#byId.values()) {
      if (c.deleted) continue;
      if (c.mentions.includes(username)) mentions++;
      if (isOpenQuery(c) && (author === undefined || c.author === author)) queries++;
    }
    return { mentions, queries };
  }
}

function isOpenQuery(c: Comment): boolean {
  return c.scope === "source" && !c.resolved;
}

/** Newest first, then by id (the PostgreSQL store's order, byte-wise): negative when `a` comes first. */
function newestFirst(a: Pick<Comment, "createdAt" | "id">, b: Pick<Comment, "createdAt" | "id">): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}
