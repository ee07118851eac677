/**
 * Comments on paragraphs: a thread per paragraph and language, and one on the source that every
 * language shares (a source query). Plain data in, plain data out: the commands here check who may
 * change a comment and return the changed record, keeping the earlier text in its history.
 */

import { ConflictError } from "./errors.ts";

/** `translation`: the thread of one language; `source`: a query about the source, seen in every language. */
export type CommentScope = "translation" | "source";

/** An earlier state of a comment, kept when it was edited or deleted. */
export interface CommentChange {
  /** The text before the change. */
  text: string;
  action: "edit" | "delete";
  by: string;
  at: string;
}

export interface Comment {
  id: string;
  documentId: string;
  /** The paragraph the thread belongs to. */
  pid: string;
  scope: CommentScope;
  /** The thread's language; for a source query, the language it was asked from. */
  lang: string;
  author: string;
  text: string;
  createdAt: string;
  /** Usernames mentioned as @name that exist, in order of first mention. */
  mentions: string[];
  resolved: boolean;
  resolvedBy?: string;
  resolvedAt?: string;
  editedAt?: string;
  /** Deleted by its author or an admin: the text is gone from threads, its history keeps it. */
  deleted?: boolean;
  history: CommentChange[];
}

/** The longest comment text, in characters. */
export const MAX_COMMENT_LENGTH = 4000;
/** The most comments one paragraph may hold (every thread of it together). */
export const MAX_COMMENTS_PER_PARAGRAPH = 200;
/** The most users one comment may mention. */
export const MAX_MENTIONS = 20;
/**
 * The most times one comment may be edited: its history keeps every earlier text and is written
 * whole with each change, so an unbounded run of edits would grow one record (and each write) for ever.
 */
export const MAX_COMMENT_EDITS = 50;

/** How much one paragraph's comments may hold (config: GLOSA_MAX_COMMENTS, GLOSA_MAX_THREAD_CHARS). */
export interface CommentLimits {
  /** Comments on one paragraph, all its threads (and deleted ones, whose text history keeps). */
  perParagraph: number;
  /** Characters of those comments, every earlier text in their histories included. */
  threadChars: number;
}

/** The limit a write would pass: the number of a paragraph's comments, or their characters. */
export type CommentBound = "comments" | "characters";

/** Characters a comment holds: its text and every earlier text its history keeps (UTF-16 code units). */
export function commentChars(comment: Pick<Comment, "text" | "history">): number {
  let chars = comment.text.length;
  for (const h of comment.history) chars += h.text.length;
  return chars;
}

/**
 * The limit that writing `comment` would pass, given the paragraph's comments as they are (its
 * earlier state among them when it is there), or undefined. Only a write that adds a comment, or
 * characters, is refused: a resolve or a delete never is, even in a thread over limits lowered since.
 */
export function breaksBound(
  thread: readonly Comment[],
  comment: Comment,
  limits: CommentLimits,
): CommentBound | undefined {
  let others = 0;
  let othersChars = 0;
  let before: Comment | undefined;
  for (const c of thread) {
    if (c.id === comment.id) before = c;
    else {
      others++;
      othersChars += commentChars(c);
    }
  }
  if (!before && others + 1 > limits.perParagraph) return "comments";
  const chars = commentChars(comment);
  if (othersChars + chars > limits.threadChars && chars > (before ? commentChars(before) : 0))
    return "characters";
  return undefined;
}

const MENTION = /(^|[^\w@.])@([a-z0-9][a-z0-9._-]{1,31})/gi;

/**
 * The usernames a text mentions (`@ana`), lower-cased, once each, kept only where `exists` says the
 * user is there, at most MAX_MENTIONS. A trailing dot is punctuation, not part of the name.
 */
export function parseMentions(text: string, exists: (username: string) => boolean): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(MENTION)) {
    const name = (match[2] ?? "").toLowerCase().replace(/[.]+$/, "");
    if (found.includes(name) || !exists(name)) continue;
    found.push(name);
    if (found.length === MAX_MENTIONS) break;
  }
  return found;
}

/** A piece of comment text as it is shown: plain text, a link (http or https only) or a mention. */
export type TextSegment = { text: string; href?: string; mention?: string };

const TOKEN = /(https?:\/\/[^\s<>"']+)|(?:^|(?<=[^\w@.]))@([a-z0-9][a-z0-9._-]{1,31})/gi;

/**
 * Splits text into segments for display: http(s) URLs become links (trailing punctuation stays
 * text) and @mentions of `mentions` are marked; everything else is text, escaped by whoever renders it.
 */
export function textSegments(text: string, mentions: readonly string[] = []): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  const push = (segment: TextSegment) => {
    if (segment.text) segments.push(segment);
  };
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index ?? 0;
    if (match[1]) {
      const url = withoutTrailing(match[1], ".,;:!?)]");
      if (!isHttpUrl(url)) continue;
      push({ text: text.slice(at, start) });
      push({ text: url, href: url });
      at = start + url.length;
    } else if (match[2]) {
      const name = match[2].toLowerCase().replace(/[.]+$/, "");
      if (!mentions.includes(name)) continue;
      push({ text: text.slice(at, start) });
      push({ text: `@${match[2].replace(/[.]+$/, "")}`, mention: name });
      at = start + 1 + match[2].replace(/[.]+$/, "").length;
    }
  }
  push({ text: text.slice(at) });
  return segments;
}

/**
 * The text without the run of `marks` it ends with. Read from the end: `/[.,]+$/` would be tried
 * at every mark of a long run that does not end the text, each time to the run's end.
 */
function withoutTrailing(text: string, marks: string): string {
  let end = text.length;
  while (end > 0 && marks.includes(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Who is acting on a comment. */
export interface Actor {
  username: string;
  /** May resolve threads (an editor or admin). */
  canResolve: boolean;
  /** May delete anyone's comment (an admin). */
  canModerate: boolean;
}

export class CommentForbiddenError extends Error {
  constructor(readonly reason: "not_author" | "not_editor") {
    super(reason === "not_author" ? "Only its author can change a comment." : "Only an editor can resolve.");
    this.name = "CommentForbiddenError";
  }
}

/** The comment with new text: only its author may edit; the earlier text goes to history. */
export function editComment(
  comment: Comment,
  text: string,
  mentions: string[],
  actor: Actor,
  at: string,
): Comment {
  if (comment.author !== actor.username) throw new CommentForbiddenError("not_author");
  if (text === comment.text) return comment;
  if (comment.history.filter((h) => h.action === "edit").length >= MAX_COMMENT_EDITS)
    throw new ConflictError(
      `A comment can be edited at most ${MAX_COMMENT_EDITS} times: write a new one.`,
      { text: "too many edits" },
      "too_many_edits",
    );
  return {
    ...comment,
    text,
    mentions,
    editedAt: at,
    history: [...comment.history, { text: comment.text, action: "edit", by: actor.username, at }],
  };
}

/** The comment deleted: by its author or a moderator; the text is kept in history only. */
export function deleteComment(comment: Comment, actor: Actor, at: string): Comment {
  if (comment.author !== actor.username && !actor.canModerate) throw new CommentForbiddenError("not_author");
  return {
    ...comment,
    text: "",
    mentions: [],
    deleted: true,
    history: [...comment.history, { text: comment.text, action: "delete", by: actor.username, at }],
  };
}

/** The comment resolved (or opened again): by an editor only. */
export function resolveComment(comment: Comment, resolved: boolean, actor: Actor, at: string): Comment {
  if (!actor.canResolve) throw new CommentForbiddenError("not_editor");
  if (comment.resolved === resolved) return comment;
  const { resolvedBy: _by, resolvedAt: _at, ...rest } = comment;
  return resolved ? { ...rest, resolved, resolvedBy: actor.username, resolvedAt: at } : { ...rest, resolved };
}

/** Whether a comment keeps its thread open: there, not deleted, not resolved. */
export function isOpen(comment: Comment): boolean {
  return !comment.deleted && !comment.resolved;
}

/** The comments a paragraph shows in `lang`: its thread in that language and the source thread, oldest first. */
export function threadFor(comments: readonly Comment[], pid: string, lang: string): Comment[] {
  return comments
    .filter((c) => c.pid === pid && !c.deleted && (c.scope === "source" || c.lang === lang))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

/** Open comments per paragraph as seen in `lang` (its own thread and the source thread). */
export function openCounts(comments: readonly Comment[], lang: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of comments)
    if (isOpen(c) && (c.scope === "source" || c.lang === lang))
      counts.set(c.pid, (counts.get(c.pid) ?? 0) + 1);
  return counts;
}
