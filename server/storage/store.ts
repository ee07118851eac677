/**
 * The storage contract. The file adapter (lowdb + append-only logs) implements it today; a
 * PostgreSQL adapter can stand beside it and pass the same contract tests
 * (tests/storage/contract.ts). Every write resolves only once the data is durable.
 */

import type { Term } from "../../glossary/term.ts";
import type { ImportedUnit } from "../../memory/tmx.ts";
import type { QualitySettings } from "../../quality/finding.ts";
import type { Comment, CommentBound, CommentLimits } from "../../translations/comment.ts";
import type { Document } from "../../translations/document.ts";
import type { SourceVersion } from "../../translations/source-update.ts";
import type { TranslationEvent } from "../../translations/translation.ts";
import type { ApiToken, AuditEntry, User } from "../accounts/model.ts";
import type { QualityRecords } from "./quality-records.ts";

/** Facts about the data directory itself. */
export interface Meta {
  /** Layout version, for migrations. */
  version: number;
  /** Set once the first start has seeded the store; absent while seeding is under way. */
  initializedAt?: string;
}

export interface SessionRecord {
  data: unknown;
  /** Epoch milliseconds after which the session is gone. */
  expires: number;
}

/** Users and tokens changed together, with their audit entry, in one durable step. */
export interface AccountsChange {
  users?: User[];
  tokens?: ApiToken[];
  removeTokens?: string[];
}

/**
 * Every write that changes data takes the audit entry that records it and stores both in one
 * durable step, or neither: a crash never leaves a change without its audit record.
 */
export interface Store {
  /** Where the data lives, for messages. */
  readonly location: string;

  getMeta(): Promise<Meta | undefined>;
  setMeta(meta: Meta): Promise<void>;

  listUsers(): Promise<User[]>;
  getUser(username: string): Promise<User | undefined>;
  /** Creates or replaces a user (seeding, a data move); requests use createUser and updateUser. */
  putUser(user: User, audit?: AuditEntry): Promise<void>;
  /**
   * Adds a user with its audit entry, in one write; a username the store holds (added by another
   * writer, in any process, at the same moment included) refuses it with UserExistsError, nothing written.
   */
  createUser(user: User, audit?: AuditEntry): Promise<void>;
  /**
   * Sets the fields of `change` on a held user, with its audit entry, in one write: the other fields
   * are as the store holds them then, so a change another writer made meanwhile stays. `endTokens`
   * removes every API token of the user in the same write. Refused (LastAdminError, nothing written)
   * when no enabled admin would be left. Returns the user written, or undefined when none is held.
   */
  updateUser(username: string, change: UserChange, audit?: AuditEntry): Promise<User | undefined>;

  listTokens(username?: string): Promise<ApiToken[]>;
  findTokenByHash(hash: string): Promise<ApiToken | undefined>;
  /**
   * The token with this hash and its user, in one read (an API call's authentication on a database:
   * one round trip, not two). Absent where two reads cost nothing (the file store keeps both in memory).
   */
  findTokenWithUser?(hash: string): Promise<{ token: ApiToken; user: User | undefined } | undefined>;
  putToken(token: ApiToken, audit?: AuditEntry): Promise<void>;
  deleteToken(id: string, audit?: AuditEntry): Promise<void>;
  /** Users and tokens written and tokens removed in one step (a password reset ends the user's tokens). */
  writeAccounts(change: AccountsChange, audit?: AuditEntry): Promise<void>;

  /** An audit entry that goes with no data change (the rest come with their change). */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Most recent first. */
  listAudit(limit: number): Promise<AuditEntry[]>;

  /** Returned terms must not be changed by the caller (the file store hands out frozen objects). */
  listTerms(): Promise<Term[]>;
  /**
   * Creates or replaces the given terms and deletes `remove`, with the audit entry, in one durable
   * step, under the duplicate rule (glossary/term.ts `isSameTerm`, kept as `duplicateKeys`): when a
   * term of `put` would be the same term as another the store holds after the write (written by any
   * writer, in any process, at the same moment included) or as another of `put`, nothing is written
   * and DuplicateTermError names both.
   */
  writeTerms(put: Term[], remove?: string[], audit?: AuditEntry, rules?: TermWriteRules): Promise<void>;
  /**
   * An import's write, in one durable step: adds the terms of `add` that are not the same term as one
   * the store holds (those are skipped and given back with the term held), replaces `update` as
   * writeTerms does (a duplicate among them: DuplicateTermError, nothing written), and stores the
   * audit entry made from what was added. Of two writers adding one term at once, in any process,
   * exactly one adds it.
   */
  importTerms(
    add: Term[],
    update: Term[],
    audit?: (written: TermsImported) => AuditEntry,
    rules?: Pick<TermWriteRules, "maxTerms">,
  ): Promise<TermsImported>;

  /** Returned records must not be changed by the caller (the file store hands out frozen objects). */
  listDocuments(): Promise<Document[]>;
  getDocument(id: string): Promise<Document | undefined>;
  putDocument(document: Document, audit?: AuditEntry): Promise<void>;
  /**
   * One page of documents ordered by (createdAt, id), oldest first: at most `limit` (1 to
   * MAX_PAGE), the first ones after the document `after` names (a page's `next`), or the last ones
   * before the document `before` names (a page's `previous`), or the first ones of all. `next` and
   * `previous` are there only when documents follow or precede the page. A cursor that is not one
   * throws InvalidCursorError. Cheap whatever the number of documents: no sort or scan of them all.
   */
  listDocumentsPage(page: DocumentsPageQuery): Promise<DocumentsPage>;

  /** Every event of a document's translation into one language, oldest first. */
  readTranslationEvents(documentId: string, lang: string): Promise<TranslationEvent[]>;
  /**
   * Appends events and their audit entry durably, all or nothing; history is never rewritten.
   * Each event states the revision it expects: a revision event N expects N - 1 to be the
   * paragraph's latest, a review or waiver of N expects N. When another writer got there first
   * nothing is written and RevisionConflictError names the paragraph. A review that repeats the
   * paragraph's latest review (`repeatsReview`: two approvals racing) writes nothing either:
   * RepeatedReviewError.
   */
  appendTranslationEvents(
    documentId: string,
    lang: string,
    events: TranslationEvent[],
    audit?: AuditEntry,
    guard?: AppendGuard,
  ): Promise<number>;
  /**
   * Present on a store shared by processes (PostgreSQL), whose appends check an AppendGuard: the
   * document as this process last read it, with its version, unchecked (a guarded append checks
   * it). Undefined when this process does not hold it.
   */
  knownDocument?(id: string): { document: Document; version: number } | undefined;
  /**
   * A number that moves whenever the document's translation into `lang` changes, in any process
   * (0: no history yet). Cheap: caches compare it on every request. An append resolves to the
   * version it produced, so a cache that applied its own append can keep up without a re-read.
   */
  translationVersion(documentId: string, lang: string): Promise<number>;
  /** A number that moves whenever the termbase changes, in any process. */
  glossaryVersion(): Promise<number>;

  getSession(sid: string): Promise<SessionRecord | undefined>;
  setSession(sid: string, record: SessionRecord): Promise<void>;
  deleteSession(sid: string): Promise<void>;
  /** Drops expired sessions. */
  pruneSessions(now: number): Promise<void>;

  /** Reads or creates a secret kept in the store (file mode 600 for the file adapter). */
  secret(name: string, create: () => string): Promise<string>;

  /**
   * Runs `work` while no other process sharing this store runs work under the same lock (seeding a
   * first start). Absent where the store has one owner already (the file store's directory lock).
   */
  exclusively?<T>(work: () => Promise<T>): Promise<T>;

  /** Waits for pending writes, closes files and releases the lock. */
  close(): Promise<void>;

  // Comments and source queries (issue 17): each comment is one record holding its own history.
  /** Every comment of a document, deleted ones included, oldest first. */
  listComments(documentId: string): Promise<Comment[]>;
  getComment(id: string): Promise<Comment | undefined>;
  /**
   * Creates or replaces a comment, with its audit entry, in one durable step. With `bounds`, a write
   * that adds a comment or characters to a paragraph's comments past them (`breaksBound`) writes
   * nothing: CommentBoundError. The bounds are checked under a lock on the paragraph's comments
   * held until the write is made, so writers racing in any process never take them past.
   */
  putComment(comment: Comment, audit?: AuditEntry, bounds?: CommentLimits): Promise<void>;
  /**
   * One page of an inbox list across documents, newest first: the comments that mention
   * `username`, or the open source queries (all, or those `author` asked). InvalidCursorError for
   * an `after` no page handed out.
   */
  listInbox(query: InboxQuery): Promise<InboxPage>;
  /** How many comments each inbox list holds in all (for the headings above its pages). */
  countInbox(username: string, author?: string): Promise<{ mentions: number; queries: number }>;
  /**
   * Optional fan-out between processes sharing the store (PostgreSQL LISTEN/NOTIFY): `publish` reaches
   * every subscriber of every process, this one included. Absent where one process owns the store.
   */
  pubsub?: StorePubSub;
  // Translation memory (memory/; PostgreSQL migration 006, file store memory.jsonl): units imported
  // from TMX files. Paragraphs' translations are not copied here; the memory reads the histories.
  /** Every imported unit, in the order first written. Returned units must not be changed. */
  listMemoryUnits(): Promise<ImportedUnit[]>;
  /**
   * At most `limit` imported units written after the one at `position` (0: from the first), in the
   * order first written, and the position of the last one returned (`position` itself when none):
   * a keyset page, cheap however many units come before it. Positions grow with every unit added and
   * in the order the adds commit, in any process, so a reader that holds every unit up to a position
   * needs only the units after it. Returned units must not be changed.
   */
  listMemoryUnitsAfter(position: number, limit: number): Promise<MemoryUnitPage>;
  /**
   * Adds the units whose id the store does not hold yet (an id names a unit's pair and texts; a unit
   * held already keeps its first origin), with the audit entry made from what was added, in one
   * durable step. Returns the units added: of two writers adding one unit at once, in any process,
   * exactly one gets it back.
   */
  addMemoryUnits(
    units: ImportedUnit[],
    audit?: (added: readonly ImportedUnit[]) => AuditEntry,
  ): Promise<ImportedUnit[]>;
  /** A number that moves whenever imported units change, in any process: by one per `addMemoryUnits`. */
  memoryVersion(): Promise<number>;
  /**
   * The memory's version (`memoryVersion`) and the position of its last unit (0 when it holds none),
   * read together: every unit up to that position is in the memory of that version.
   */
  memoryHead(): Promise<MemoryHead>;

  // Scale (issues 11 and 12): pages of the audit log, batched versions, shared request counters.

  /**
   * One page of the audit log, most recent first: at most `limit` (1 to MAX_PAGE) entries older
   * than the one `after` names (a page's `next`), or the newest ones newer than `before` (a page's
   * `previous`), or the newest of all. Cheap whatever the log's length: no read of it all per page.
   */
  listAuditPage(page: AuditPageQuery): Promise<AuditPage>;
  /** translationVersion of each pair, in order, in one step (one query on PostgreSQL). */
  translationVersions(pairs: readonly TranslationPair[]): Promise<number[]>;
  /**
   * Counts one hit of `key` in a fixed window of `windowMs` shared by every process on this store,
   * returning the count and when the window ends. Absent where a store has one process (the file
   * store): counters then stay in that process's memory.
   */
  countHit?(key: string, windowMs: number): Promise<{ count: number; resetAt: Date }>;
  /** Takes one hit back (a request that should not count after all). */
  uncountHit?(key: string): Promise<void>;
  /** Forgets a key's hits (a successful sign-in). */
  resetHits?(key: string): Promise<void>;
  /**
   * Takes one of `max` stream slots of `owner` shared by every process on this store, as `id`, for
   * `ttlMs` unless renewed: false when all are taken. Slots not renewed in time (a crashed process)
   * free themselves. Absent where one process owns the store: it counts in memory.
   */
  claimStreamSlot?(owner: string, id: string, max: number, ttlMs: number): Promise<boolean>;
  /** Keeps this process's slots for another `ttlMs`. */
  renewStreamSlots?(ids: readonly string[], ttlMs: number): Promise<void>;
  /** Gives a slot back (its stream closed). */
  releaseStreamSlot?(id: string): Promise<void>;

  // Find and replace (findstats): one change across several translation histories.
  /**
   * Appends to several histories (document × language) with ONE audit entry, stored with the
   * first of them. Every append is checked against the paragraphs' latest revisions before anything
   * is written, so a conflict anywhere writes nothing (RevisionConflictError). PostgreSQL writes all
   * in one transaction. The file store holds every history's lock while it writes them one after
   * another: atomic against other writers, not against a crash or disk failure between two
   * histories (see FileStore). Resolves to each history's new version, in the order given.
   */
  appendTranslationBatch(appends: TranslationAppend[], audit?: AuditEntry): Promise<number[]>;

  // --- Source versions (source updates, issue #13) ---
  /** Every kept version of a document's source, oldest first; empty for a document never updated. */
  listSourceVersions(documentId: string): Promise<SourceVersion[]>;
  /**
   * Writes the document at its next source version with the version records (a version already
   * kept is left as it is) and the audit entry, in one durable step, only when the stored document
   * is still at source version `baseVersion` (absent: 1), in any process; otherwise
   * SourceVersionConflictError naming the current version, and nothing is written. The stored
   * document's target languages are kept (a language added meanwhile by another process stays).
   */
  updateDocumentSource(
    document: Document,
    versions: SourceVersion[],
    baseVersion: number,
    audit?: AuditEntry,
  ): Promise<void>;

  // Quality checks: per-language settings and accepted words (migration 007, file quality.jsonl).
  /** Every language's settings and accepted words; the caller must not change what it gets. */
  readQuality(): Promise<QualityRecords>;
  /** Replaces a language's quality settings, with the audit entry, in one durable step. */
  putQualitySettings(lang: string, settings: QualitySettings, audit?: AuditEntry): Promise<void>;
  /** Adds words (lower case) to a language's accepted words; words already there stay once. */
  addAcceptedWords(lang: string, words: string[], audit?: AuditEntry): Promise<void>;
  /** A number that moves whenever quality settings or words change, in any process. */
  qualityVersion(): Promise<number>;

  // --- Pre-translation jobs (issue #16, migration 011): status shared by every process on a database ---
  /**
   * Writes a job's status (upsert by id); a cancel already requested stays requested. Absent where
   * a store has one process (the file store): jobs then live in that process's memory.
   */
  putJob?(job: StoredJob): Promise<void>;
  /**
   * Writes a new running job unless another job of the same document and language is running, in
   * any process: then writes nothing and gives that job's id. A running job not written for
   * `staleAfterMs` (its process died) is marked failed first, so it does not block for ever.
   */
  claimJob?(job: StoredJob, staleAfterMs: number): Promise<{ running?: string }>;
  /** A job's last written status and whether a cancel was requested, from any process. */
  getJob?(id: string): Promise<(StoredJob & { cancelRequested: boolean; updatedAt: Date }) | undefined>;
  /** Asks the process running a job to stop it; false when no such job is stored. */
  requestJobCancel?(id: string): Promise<boolean>;
  // --- Target languages alone (source updates, issue #13) ---
  /**
   * Writes only a document's target languages, `change(stored)`, with the audit entry, in one durable
   * step: the stored document is read under the same lock as the write, in any process, so a source
   * update racing it is neither undone by it nor undoes it. Resolves to the document as written;
   * undefined, writing nothing, when there is no such document.
   */
  updateDocumentLanguages(
    id: string,
    change: (languages: readonly string[]) => string[],
    audit?: AuditEntry,
  ): Promise<Document | undefined>;
}

/** A background job's status as the store keeps it; `body` is the job's own record (JSON). */
export interface StoredJob {
  id: string;
  documentId: string;
  lang: string;
  state: string;
  done: number;
  total: number;
  body: unknown;
}

/** What an import's write (Store.importTerms) did. */
export interface TermsImported {
  /** The terms of `add` the store added, in the order given. */
  added: Term[];
  /** The terms of `add` it did not, each with the term it holds that is the same (absent if gone since). */
  skipped: { term: Term; held?: Term }[];
}

/** The fields of a user an update sets (Store.updateUser). */
export type UserChange = Partial<Pick<User, "role" | "disabled" | "passwordHash" | "sessionsValidAfter">> & {
  /** Remove all the user's API tokens in the same write. */
  endTokens?: boolean;
};

/** The store refused a new user: the username is taken. */
export class UserExistsError extends Error {
  constructor(readonly username: string) {
    super(`user ${username} exists`);
    this.name = "UserExistsError";
  }
}

/** The store refused a user change that would leave no enabled admin. */
export class LastAdminError extends Error {
  constructor(readonly username: string) {
    super(`${username} is the last enabled admin`);
    this.name = "LastAdminError";
  }
}

/** Whether a user can administer: an admin not disabled. */
export const isActiveAdmin = (user: Pick<User, "role" | "disabled">): boolean =>
  user.role === "admin" && !user.disabled;

/**
 * What a terms write must find in the store when it is made (Store.writeTerms, Store.importTerms),
 * checked in the write itself: a request's own check, made on what one process read before, cannot
 * see another writer's change made meanwhile.
 */
export interface TermWriteRules {
  /** Ids the write replaces or removes: one the store no longer holds refuses it (TermGoneError). */
  held?: string[];
  /** The most terms the glossary may hold after a write that adds some (more: GlossaryFullError). */
  maxTerms?: number;
}

/** The store refused a terms write: a term it replaces or removes is gone (removed by another writer). */
export class TermGoneError extends Error {
  constructor(readonly id: string) {
    super(`term ${id} is not in the glossary`);
    this.name = "TermGoneError";
  }
}

/** The store refused a terms write: the glossary would hold more than its limit. */
export class GlossaryFullError extends Error {
  constructor(
    readonly limit: number,
    /** Terms held before the write. */
    readonly count: number,
    readonly adding: number,
  ) {
    super(`the glossary may hold at most ${limit} terms; it has ${count}, and this would add ${adding}`);
    this.name = "GlossaryFullError";
  }
}

/** The store refused a term: it would be the same term (isSameTerm) as one held or written with it. */
export class DuplicateTermError extends Error {
  constructor(
    readonly term: Term,
    readonly held?: Term,
  ) {
    super(`term "${term.source}" duplicates ${held ? `term ${held.id} "${held.source}"` : "a term held"}`);
    this.name = "DuplicateTermError";
  }
}

/** The store refused a source update: the document is no longer at the version it was based on. */
export class SourceVersionConflictError extends Error {
  constructor(readonly current: number) {
    super(`the document is at source version ${current}`);
    this.name = "SourceVersionConflictError";
  }
}

/** Events for one document's translation into one language, within a batch. */
/** A page of imported units (Store.listMemoryUnitsAfter). */
export interface MemoryUnitPage {
  /** The units, in the order first written. */
  units: ImportedUnit[];
  /** The position of the last unit in `units`: the next page starts after it. */
  position: number;
}

/** Where the imported units stand (Store.memoryHead). */
export interface MemoryHead {
  /** The memory's version, as memoryVersion answers. */
  version: number;
  /** The position of the last unit written, 0 when none is. */
  position: number;
}

export interface TranslationAppend {
  documentId: string;
  lang: string;
  events: TranslationEvent[];
}

/** A document's translation into one language. */
export interface TranslationPair {
  document: string;
  lang: string;
}

export interface AuditPageQuery {
  limit: number;
  /** A page's `next`: the older entries after it. */
  after?: string;
  /** A page's `previous`: the newer entries before it (with `after` too, `after` wins). */
  before?: string;
}

export interface AuditPage {
  /** Most recent first. */
  entries: AuditEntry[];
  /** The cursor for `after` of the page of older entries; absent on the last page. */
  next?: string;
  /** The cursor for `before` of the page of newer entries; absent on the first page. */
  previous?: string;
}

/** Where a page of the audit log ends: opaque to callers (the entry's position in the log). */
export function auditCursor(position: number): string {
  return Buffer.from(`a${position}`).toString("base64url");
}

/** The position a cursor names; InvalidCursorError when the text is not an audit cursor. */
export function parseAuditCursor(cursor: string): number {
  if (cursor.length > 40 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  const match = /^a(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]);
}

/** One page of an inbox list (Store.listInbox). */
export interface InboxQuery {
  username: string;
  /** Comments mentioning the user, or open source queries. */
  kind: "mentions" | "queries";
  /** Only the queries this user asked (a translator sees theirs, an editor every one). */
  author?: string;
  limit: number;
  /** A page's `next`: the comments older than its last. */
  after?: string;
}

export interface InboxPage {
  comments: Comment[];
  /** The cursor of the page after this one, absent on the last. */
  next?: string;
}

/** The cursor after an inbox comment: its time and id, the list's order. */
export function inboxCursor(comment: Pick<Comment, "createdAt" | "id">): string {
  return Buffer.from(JSON.stringify([comment.createdAt, comment.id])).toString("base64url");
}

/** The time and id an inbox cursor names; InvalidCursorError for text no page handed out. */
export function parseInboxCursor(cursor: string): [createdAt: string, id: string] {
  if (cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "string"))
    throw new InvalidCursorError();
  return value as [string, string];
}

/** Messages between the processes sharing one store; each subscriber hears every message published. */
export interface StorePubSub {
  /** Sends a small JSON-able message (under 7,000 bytes once serialised). */
  publish(message: unknown): Promise<void>;
  /** Follows messages; returns the function that stops following. */
  subscribe(listener: (message: unknown) => void): () => void;
  /** Resolves once this process hears messages (or has given up for now and will retry). */
  ready(): Promise<void>;
}

export interface DocumentsPageQuery {
  limit: number;
  /** A page's `next`: the page after it. */
  after?: string;
  /** A page's `previous`: the page before it (with `after` too, `after` wins). */
  before?: string;
}

export interface DocumentsPage {
  documents: Document[];
  /** The cursor for `after` of the page that follows; absent on the last page. */
  next?: string;
  /** The cursor for `before` of the page that precedes; absent on the first page. */
  previous?: string;
}

/** The most documents one page can hold. */
export const MAX_PAGE = 200;

/** Where a page of documents ends: opaque to callers (base64url of the last document's sort key). */
export function documentCursor(doc: Pick<Document, "createdAt" | "id">): string {
  return Buffer.from(JSON.stringify([doc.createdAt, doc.id])).toString("base64url");
}

/** The sort key a cursor names; InvalidCursorError when the text is not a cursor. */
export function parseDocumentCursor(cursor: string): { createdAt: string; id: string } {
  if (cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === "string" && typeof key[1] === "string")
      return { createdAt: key[0], id: key[1] };
  } catch {
    // Not JSON: not a cursor either.
  }
  throw new InvalidCursorError();
}

/** A page limit outside 1 to MAX_PAGE: RangeError, which callers check before asking. */
export function checkPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}, not ${limit}`);
}

/** A cursor that no page handed out. */
export class InvalidCursorError extends Error {
  constructor() {
    super("The cursor is not one a page of this list handed out.");
    this.name = "InvalidCursorError";
  }
}

/**
 * What a guarded append checks in the same step as the append itself (stores with `knownDocument`),
 * so that a caller may decide it on what it holds without a round trip to check that first.
 */
export interface AppendGuard {
  /** The API token that asks (its SHA-256): still there, its user `username`, enabled, of one of `roles`, not reset since. */
  credential?: { tokenHash: string; username: string; roles: readonly string[] };
  /** The document's version (`knownDocument`) the events were decided on. */
  documentVersion?: number;
}

/** A guarded append was refused: the API token no longer stands for the user it was taken for. */
export class CredentialRefusedError extends Error {
  constructor() {
    super("the API token no longer stands for the user the write was decided for");
    this.name = "CredentialRefusedError";
  }
}

/** A guarded append was refused: the document changed since the version the events were decided on. */
export class StaleDocumentError extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} changed since it was read`);
    this.name = "StaleDocumentError";
  }
}

/** The store refused an append: the paragraph's latest revision is not the one the events expect. */
export class RevisionConflictError extends Error {
  constructor(
    readonly pid: string,
    readonly expected: number,
    readonly latest: number,
  ) {
    super(`paragraph ${pid}: expected revision ${expected}, the latest is ${latest}`);
    this.name = "RevisionConflictError";
  }
}

/** The store refused a review: the paragraph's latest review already made this decision. */
export class RepeatedReviewError extends Error {
  constructor(
    readonly pid: string,
    readonly revision: number,
    readonly action: string,
  ) {
    super(
      `paragraph ${pid}: revision ${revision} is already ${action === "approve" ? "approved" : "rejected"}`,
    );
    this.name = "RepeatedReviewError";
  }
}

/** The store refused a comment write: the paragraph's comments would hold more than `limit`. */
export class CommentBoundError extends Error {
  constructor(
    readonly bound: CommentBound,
    readonly pid: string,
    readonly limit: number,
  ) {
    super(`paragraph ${pid}: its comments would pass the bound of ${limit} ${bound}`);
    this.name = "CommentBoundError";
  }
}

/** A write could not be made durable (disk full, I/O error): nothing was changed, nothing acknowledged. */
export class StorageUnavailableError extends Error {
  readonly code = "storage_unavailable";
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`Cannot write ${file}: ${(cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message}`);
    this.name = "StorageUnavailableError";
  }
}

/** A data file exists but cannot be read: start-up stops and the file is left as it is. */
export class StoreCorruptError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `Cannot read ${file}: ${reason}. Glosa will not start and has not changed the file; restore it from a backup or move it away.`,
    );
    this.name = "StoreCorruptError";
  }
}

/** Another process holds the data directory. */
export class StoreLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `The data directory ${dir} is in use by another Glosa process${pid ? ` (pid ${pid})` : ""}. Stop it first, or set GLOSA_DATA_DIR to another directory.`,
    );
    this.name = "StoreLockedError";
  }
}
