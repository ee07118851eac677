/**
 * The storage contract. The file adapter (lowdb + append-only logs) implements it today; a
 * PostgreSQL adapter can stand beside it and pass the same contract tests
 * (tests/storage/contract.ts). Every write resolves only once the data is durable.
 */

import type { Term } from "../../glossary/term.ts";
import type { Document } from "../../translations/document.ts";
import type { TranslationEvent } from "../../translations/translation.ts";
import type { ApiToken, AuditEntry, User } from "../accounts/model.ts";

/** Facts about the data directory itself. */
export interface Meta {
  /** Layout version, for future migrations. */
  version: number;
  /** Set once the first start has seeded the store. */
  initializedAt: string;
}

export interface SessionRecord {
  data: unknown;
  /** Epoch milliseconds after which the session is gone. */
  expires: number;
}

export interface Store {
  /** Where the data lives, for messages. */
  readonly location: string;

  getMeta(): Promise<Meta | undefined>;
  setMeta(meta: Meta): Promise<void>;

  listUsers(): Promise<User[]>;
  getUser(username: string): Promise<User | undefined>;
  /** Creates or replaces a user. */
  putUser(user: User): Promise<void>;

  listTokens(username?: string): Promise<ApiToken[]>;
  findTokenByHash(hash: string): Promise<ApiToken | undefined>;
  putToken(token: ApiToken): Promise<void>;
  deleteToken(id: string): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** Most recent first. */
  listAudit(limit: number): Promise<AuditEntry[]>;

  listTerms(): Promise<Term[]>;
  /** Creates or replaces the given terms and deletes `remove`, in one durable step. */
  writeTerms(put: Term[], remove?: string[]): Promise<void>;

  /** Returned records must not be changed by the caller (the file store hands out frozen objects). */
  listDocuments(): Promise<Document[]>;
  getDocument(id: string): Promise<Document | undefined>;
  putDocument(document: Document): Promise<void>;

  /** Every event of a document's translation into one language, oldest first. */
  readTranslationEvents(documentId: string, lang: string): Promise<TranslationEvent[]>;
  /** Appends events durably, in order; history is never rewritten. */
  appendTranslationEvents(documentId: string, lang: string, events: TranslationEvent[]): Promise<void>;

  getSession(sid: string): Promise<SessionRecord | undefined>;
  setSession(sid: string, record: SessionRecord): Promise<void>;
  deleteSession(sid: string): Promise<void>;
  /** Drops expired sessions. */
  pruneSessions(now: number): Promise<void>;

  /** Reads or creates a secret kept in the store (file mode 600 for the file adapter). */
  secret(name: string, create: () => string): Promise<string>;

  /** Waits for pending writes, closes files and releases the lock. */
  close(): Promise<void>;
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
