/**
 * Comments and source queries (issue 17): validate → load → authorize (translations/comment.ts
 * decides who may change what) → one store write with its audit entry → tell followers (live editors).
 */

import { hasForbiddenCharacters } from "../../glossary/text.ts";
import {
  type Actor,
  type Comment,
  CommentForbiddenError,
  type CommentLimits,
  type CommentScope,
  deleteComment,
  editComment,
  isOpen,
  MAX_COMMENT_LENGTH,
  MAX_COMMENTS_PER_PARAGRAPH,
  openCounts,
  parseMentions,
  resolveComment,
  threadFor,
} from "../../translations/comment.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../translations/errors.ts";
import type { User } from "../accounts/model.ts";
import { ForbiddenError } from "../errors.ts";
import { newId } from "../ids.ts";
import { can } from "../policies.ts";
import { KeyedMutex } from "../storage/mutex.ts";
import {
  CommentBoundError,
  type InboxPage,
  type InboxQuery,
  inboxCursor,
  parseInboxCursor,
  type Store,
} from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";
import { readPage } from "./paging.ts";
import type { TranslationService } from "./translations.ts";

/** A comment written, for whoever follows comments in this process (live editors). */
export interface CommentEvent {
  comment: Comment;
  action: "create" | "edit" | "delete" | "resolve";
}

/** Inbox entries per page of each list. */
export const INBOX_PAGE = 50;

/** Where each inbox list's page starts: a `next` it handed out, or its newest. */
export interface InboxCursors {
  mentions?: string;
  queries?: string;
}

export interface Inbox {
  /** Comments mentioning the user, newest first (resolved ones too). */
  mentions: InboxPage;
  /** Open source queries: every one for an editor, their own for a translator. */
  queries: InboxPage;
  /** How many each list holds in all. */
  counts: { mentions: number; queries: number };
}

export type { CommentLimits };

export const DEFAULT_COMMENT_LIMITS: CommentLimits = {
  perParagraph: MAX_COMMENTS_PER_PARAGRAPH,
  threadChars: 400_000,
};

/** One page of a thread, oldest first; `next` is the cursor of the page after it, when there is one. */
export interface ThreadPage {
  comments: Comment[];
  next?: string;
}

export class CommentService {
  readonly #listeners = new Set<(event: CommentEvent) => void>();
  /** Edits of one comment one after another, so that an edit and a resolve do not lose each other. */
  readonly #mutex = new KeyedMutex();

  /**
   * Runs a read-change-write of one comment alone: in this process by a lock per comment, and across
   * processes sharing the store under its exclusive lock where it has one (PostgreSQL). Comment edits
   * are rare, so one lock for all of them costs nothing that matters.
   */
  #alone<T>(id: string, work: () => Promise<T>): Promise<T> {
    const store = this.store;
    return this.#mutex.run(id, () => (store.exclusively ? store.exclusively(work) : work()));
  }

  constructor(
    private readonly store: Store,
    private readonly translations: TranslationService,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
    private readonly limits: CommentLimits = DEFAULT_COMMENT_LIMITS,
  ) {}

  /** Follows comment writes of this process; returns the function that stops following. */
  onChange(listener: (event: CommentEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A paragraph's thread in a language and its source thread, oldest first; 404 for an unknown paragraph. */
  async thread(docId: string, tag: string, pid: string): Promise<Comment[]> {
    const { doc, lang } = await this.translations.paragraph(docId, tag, pid);
    return threadFor(await this.store.listComments(doc.id), pid, lang);
  }

  /**
   * A page of the thread: at most `limit` comments after the one `cursor` names (a `next` this
   * handed out), oldest first. A cursor it did not hand out: InvalidCursorError (a 400 via readPage).
   */
  async threadPage(
    docId: string,
    tag: string,
    pid: string,
    limit: number,
    cursor?: string,
  ): Promise<ThreadPage> {
    const after = cursor === undefined ? undefined : parseInboxCursor(cursor);
    const all = await this.thread(docId, tag, pid);
    const rest = after
      ? all.filter((c) => c.createdAt > after[0] || (c.createdAt === after[0] && c.id > after[1]))
      : all;
    const comments = rest.slice(0, limit);
    const last = comments.at(-1);
    return rest.length > limit && last ? { comments, next: inboxCursor(last) } : { comments };
  }

  /** Open comments per paragraph as a language's editor shows them. */
  async openCounts(docId: string, lang: string): Promise<Map<string, number>> {
    return openCounts(await this.store.listComments(docId), lang);
  }

  /** Open comments on a document in every thread (the documents list). */
  async openOnDocument(docId: string): Promise<number> {
    return (await this.store.listComments(docId)).filter(isOpen).length;
  }

  async create(
    docId: string,
    tag: string,
    pid: string,
    input: { text: string; scope?: CommentScope | undefined },
    author: string,
  ): Promise<Comment> {
    const { doc, lang } = await this.translations.paragraph(docId, tag, pid);
    const text = cleanText(input.text);
    const at = this.now().toISOString();
    const comment: Comment = {
      id: newId(),
      documentId: doc.id,
      pid,
      scope: input.scope ?? "translation",
      lang,
      author,
      text,
      createdAt: at,
      mentions: await this.#mentions(text),
      resolved: false,
      history: [],
    };
    await this.#write(comment, "create", author);
    return comment;
  }

  /** `text` by its author, `resolved` by an editor; both in one request are both checked. */
  async update(id: string, input: { text?: string | undefined; resolved?: boolean | undefined }, user: User) {
    return this.#alone(id, async () => {
      let comment = await this.#get(id);
      const actor = actorOf(user);
      const at = this.now().toISOString();
      try {
        if (input.text !== undefined) {
          const text = cleanText(input.text);
          comment = editComment(comment, text, await this.#mentions(text), actor, at);
        }
        if (input.resolved !== undefined) comment = resolveComment(comment, input.resolved, actor, at);
      } catch (error) {
        throw forbidden(error);
      }
      const action = input.resolved !== undefined && input.text === undefined ? "resolve" : "edit";
      await this.#write(comment, action, user.username);
      return comment;
    });
  }

  async remove(id: string, user: User): Promise<Comment> {
    return this.#alone(id, async () => {
      let comment = await this.#get(id);
      try {
        comment = deleteComment(comment, actorOf(user), this.now().toISOString());
      } catch (error) {
        throw forbidden(error);
      }
      await this.#write(comment, "delete", user.username);
      return comment;
    });
  }

  async get(id: string): Promise<Comment> {
    return this.#get(id);
  }

  /**
   * A user's mentions and open source queries, newest first: an editor sees every open query (they
   * are the ones to answer them), a translator the ones they asked.
   */
  async inbox(user: User, cursors: InboxCursors = {}, limit = INBOX_PAGE): Promise<Inbox> {
    const author = can(user, "comment.resolve") ? undefined : user.username;
    const read = (kind: InboxQuery["kind"], after: string | undefined) =>
      readPage(() =>
        this.store.listInbox({
          username: user.username,
          kind,
          limit,
          ...(author !== undefined ? { author } : {}),
          ...(after !== undefined ? { after } : {}),
        }),
      );
    const [mentions, queries, counts] = await Promise.all([
      read("mentions", cursors.mentions),
      read("queries", cursors.queries),
      this.store.countInbox(user.username, author),
    ]);
    return { mentions, queries, counts };
  }

  async #get(id: string): Promise<Comment> {
    const comment = typeof id === "string" && id.length <= 64 ? await this.store.getComment(id) : undefined;
    if (!comment || comment.deleted) throw new NotFoundError("Comment", "comment_not_found");
    return comment;
  }

  async #mentions(text: string): Promise<string[]> {
    if (!text.includes("@")) return [];
    const users = new Set((await this.store.listUsers()).filter((u) => !u.disabled).map((u) => u.username));
    return parseMentions(text, (name) => users.has(name));
  }

  /**
   * Writes a comment with its audit entry. The store checks the paragraph's bounds under its lock on
   * the paragraph's comments (a count read here first would let writers racing in any process past them).
   */
  async #write(comment: Comment, action: CommentEvent["action"], actor: string): Promise<void> {
    try {
      await this.store.putComment(
        comment,
        this.audit.entry(
          actor,
          `comment.${action}`,
          `document:${comment.documentId}/${comment.lang}/${comment.pid}`,
          {
            comment: comment.id,
            scope: comment.scope,
            // What was said, as the log's reader needs it (the first 200 characters).
            text: Array.from(comment.text).slice(0, 200).join(""),
          },
        ),
        this.limits,
      );
    } catch (error) {
      throw boundRefused(error);
    }
    for (const listener of this.#listeners) {
      try {
        listener({ comment, action });
      } catch {
        // A follower's failure never fails a write already made durable.
      }
    }
  }
}

/** A store's refusal of a write past a paragraph's bounds, as the 409 the API documents. */
function boundRefused(error: unknown): unknown {
  if (!(error instanceof CommentBoundError)) return error;
  if (error.bound === "comments")
    return new ConflictError(
      `A paragraph holds at most ${error.limit} comments.`,
      { pid: error.pid },
      "too_many_comments",
    );
  return new ConflictError(
    `A paragraph's comments hold at most ${error.limit} characters, earlier versions included.`,
    { pid: error.pid, limit: error.limit },
    "thread_too_large",
  );
}

function actorOf(user: User): Actor {
  return {
    username: user.username,
    canResolve: can(user, "comment.resolve"),
    canModerate: can(user, "comment.moderate"),
  };
}

function forbidden(error: unknown): unknown {
  if (!(error instanceof CommentForbiddenError)) return error;
  return new ForbiddenError(
    error.reason === "not_author"
      ? "Only the comment's author can change it (an admin can delete it)."
      : "Only an editor can resolve a comment.",
    error.reason === "not_author" ? "not_comment_author" : "forbidden",
  );
}

/** Comment text as stored: NFC, trimmed, not empty, within the length limit, only characters any text may hold. */
function cleanText(text: string): string {
  const clean = text.normalize("NFC").trim();
  if (clean === "")
    throw new ValidationError(
      "Write something first.",
      // `context` picks the reader's-language message (server/messages.ts).
      { text: "empty", context: "empty_comment" },
      "invalid_fields",
    );
  // PostgreSQL refuses NUL and lone surrogates (a 500 there), and an export could not carry them.
  if (hasForbiddenCharacters(clean))
    throw new ValidationError(
      "A comment cannot hold control characters (other than tab and newline) or U+FFFE/U+FFFF.",
      { text: "forbidden characters", context: "comment_characters" },
      "invalid_fields",
    );
  if (clean.length > MAX_COMMENT_LENGTH)
    throw new ValidationError(
      `A comment has at most ${MAX_COMMENT_LENGTH} characters.`,
      { text: "too long" },
      "invalid_fields",
    );
  return clean;
}
