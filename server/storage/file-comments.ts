/**
 * The file store's comments: one log, `comments.jsonl`, a commit per comment write (the whole
 * record with its history and the audit entry), read whole at start-up into this index. Comments
 * are small and bounded per paragraph, so memory holds them all and reads never touch the disk.
 */

import type { Comment } from "../../translations/comment.ts";
import type { AuditEntry } from "../accounts/model.ts";
import { deepFreeze } from "./freeze.ts";

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

  /** Keeps a written comment (frozen: callers get it without a copy). */
  apply(comment: Comment): void {
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

  inbox(username: string, limit: number): Comment[] {
    const found: Comment[] = [];
    for (const c of this.#byId.values())
      if (!c.deleted && (c.mentions.includes(username) || (c.scope === "source" && !c.resolved)))
        found.push(c);
    return found
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .slice(0, limit);
  }
}
