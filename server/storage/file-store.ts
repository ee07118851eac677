/**
 * The file adapter. Every change is one commit record, one line appended to a JSON-lines log and
 * fdatasync'd, carrying the change and the audit entry that records it: after a crash either both
 * are there or neither. Appends arriving together share one write and one fdatasync.
 *
 *   data/
 *     glosa.lock                       the owning process
 *     meta.json                        layout version, first-start marker (written first)
 *     accounts.jsonl                   users and API token hashes, as commits        (mode 600)
 *     glossary.jsonl                   the termbase, as commits (a term edit appends one line)
 *     quality.jsonl                    quality check settings and accepted words, as commits
 *     sessions.json                    browser sessions                              (mode 600)
 *     secrets/<name>                   generated secrets                             (mode 600)
 *     audit.jsonl                      the audit index: every commit's audit entry, in commit order
 *     documents/<id>.jsonl             a document's versions, as commits
 *     translations/<id>/<lang>.jsonl   revisions and reviews, as commits
 *     comments.jsonl                   paragraph comments, a commit per comment write (file-comments.ts)
 *
 * Each commit has a number (`tx`) from one sequence. The audit index is written after the commits
 * it lists, in their order; at start-up the tails of the logs are read and any commit newer than
 * the index is indexed again, so the index is complete even after a crash between the two.
 * Histories are not read at start-up beyond their tail: a damaged middle is found, and refused
 * naming the file, when that history is first read.
 */

import { chmod, type FileHandle, mkdir, open, readdir, readFile, rm, stat, truncate } from "node:fs/promises";
import path from "node:path";
import { Low } from "lowdb";
import type { Term } from "../../glossary/term.ts";
import { slicer } from "../../glossary/xml.ts";
import type { ImportedUnit } from "../../memory/tmx.ts";
import type { QualitySettings } from "../../quality/finding.ts";
import { breaksBound, type Comment, type CommentLimits } from "../../translations/comment.ts";
import type { Document } from "../../translations/document.ts";
import type { SourceVersion } from "../../translations/source-update.ts";
import { type ReviewMark, repeatsReview, type TranslationEvent } from "../../translations/translation.ts";
import type { ApiToken, AuditEntry, User } from "../accounts/model.ts";
import { CommitLog, type DiskWriter, fileSize, REAL_DISK, readTailLines } from "./commit-log.ts";
import { DurableJsonFile, fsyncDir, readJson, writeFileDurable } from "./durable.ts";
import { CommentIndex, toCommentCommit } from "./file-comments.ts";
import { deepFreeze } from "./freeze.ts";
import { type DirLock, lockDataDir } from "./lock.ts";
import { KeyedMutex } from "./mutex.ts";
import {
  applyQualityChange,
  emptyQualityRecords,
  type QualityChange,
  type QualityRecords,
} from "./quality-records.ts";
import { frozenCopyInSlices, jsonLineInSlices } from "./slices.ts";
import {
  type AccountsChange,
  type AuditPage,
  type AuditPageQuery,
  auditCursor,
  CommentBoundError,
  checkPageLimit,
  type DocumentsPage,
  type DocumentsPageQuery,
  DuplicateTermError,
  documentCursor,
  GlossaryFullError,
  type InboxPage,
  type InboxQuery,
  isActiveAdmin,
  LastAdminError,
  type MemoryHead,
  type MemoryUnitPage,
  type Meta,
  parseAuditCursor,
  parseDocumentCursor,
  RepeatedReviewError,
  RevisionConflictError,
  type SessionRecord,
  SourceVersionConflictError,
  StorageUnavailableError,
  type Store,
  StoreCorruptError,
  TermGoneError,
  type TermsImported,
  type TermWriteRules,
  type TranslationAppend,
  type TranslationPair,
  type UserChange,
  UserExistsError,
} from "./store.ts";
import { TermClaims, TermKeyIndex } from "./term-keys.ts";

/** The layout this adapter writes; version 1 (whole-file JSON) is converted on open. */
export const LAYOUT_VERSION = 2;

interface Sessions {
  sessions: Record<string, SessionRecord>;
}

/** One line of a log. Lines written before layout 2 are bare records and read as `tx` 0. */
interface CommitRecord {
  tx: number;
  audit?: AuditEntry;
}
interface TranslationCommit extends CommitRecord {
  events: TranslationEvent[];
}
interface GlossaryCommit extends CommitRecord {
  put?: Term[];
  remove?: string[];
}
interface AccountsCommit extends CommitRecord, AccountsChange {}
interface DocumentCommit extends CommitRecord {
  document: Document;
  /** Source versions kept with this write of the document (a source update). */
  sources?: SourceVersion[];
}
type AuditRecord = AuditEntry & { tx?: number };

export const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** What a language tag may be to name a file; canonical tags longer than this are refused on input. */
export const SAFE_LANG = /^[A-Za-z0-9-]{1,35}$/;

function assertSafe(value: string, pattern: RegExp, what: string): void {
  if (!pattern.test(value)) throw new Error(`unsafe ${what} for a file name: ${JSON.stringify(value)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEvent(value: unknown): value is TranslationEvent {
  return (
    isObject(value) &&
    (value.type === "revision" || value.type === "review" || value.type === "waiver") &&
    typeof value.pid === "string" &&
    typeof value.revision === "number"
  );
}

function isAudit(value: unknown): value is AuditRecord {
  return isObject(value) && typeof value.action === "string" && typeof value.at === "string";
}

/** A translation log line: a commit of events, or (layout 1) one bare event. */
function toTranslationCommit(value: unknown): TranslationCommit | undefined {
  if (isEvent(value)) return { tx: 0, events: [value] };
  if (
    isObject(value) &&
    typeof value.tx === "number" &&
    Array.isArray(value.events) &&
    value.events.every(isEvent)
  )
    return value as unknown as TranslationCommit;
  return undefined;
}

function toCommit<T extends CommitRecord>(check: (value: Record<string, unknown>) => boolean) {
  return (value: unknown): T | undefined =>
    isObject(value) && typeof value.tx === "number" && check(value) ? (value as unknown as T) : undefined;
}
const toGlossaryCommit = toCommit<GlossaryCommit>(
  (v) => (v.put === undefined || Array.isArray(v.put)) && (v.remove === undefined || Array.isArray(v.remove)),
);
interface MemoryCommit extends CommitRecord {
  put: ImportedUnit[];
}
const toMemoryCommit = toCommit<MemoryCommit>((v) => Array.isArray(v.put));
const toQualityCommit = toCommit<QualityChange & CommitRecord>(
  (v) =>
    typeof v.lang === "string" &&
    (v.settings === undefined || isObject(v.settings)) &&
    (v.words === undefined || Array.isArray(v.words)),
);
const toAccountsCommit = toCommit<AccountsCommit>(
  (v) =>
    (v.users === undefined || Array.isArray(v.users)) &&
    (v.tokens === undefined || Array.isArray(v.tokens)) &&
    (v.removeTokens === undefined || Array.isArray(v.removeTokens)),
);
const toDocumentCommit = toCommit<DocumentCommit>(
  (v) => isObject(v.document) && Array.isArray((v.document as { paragraphs?: unknown }).paragraphs),
);

/**
 * Reads a JSON-lines log up to `length` bytes (what is durable; undefined: the whole file). A last
 * line without its newline is a write in flight or torn by a crash, never acknowledged: it is
 * left out. Any other bad line means the file is damaged: StoreCorruptError.
 */
async function readCommits<T>(
  file: string,
  parse: (value: unknown) => T | undefined,
  length?: number,
): Promise<T[]> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new StoreCorruptError(file, (error as Error).message);
  }
  if (length !== undefined && length >= 0) buffer = buffer.subarray(0, length);
  const records: T[] = [];
  // A log of a long document's source versions is megabytes of lines: each decoded and parsed on
  // its own, a slice per turn (the whole file as one string held the event loop 50-100 ms).
  const breathe = slicer();
  for (let start = 0, i = 0; ; i++) {
    const end = buffer.indexOf(10, start);
    // What follows the last newline is not a whole line.
    if (end < 0) break;
    const line = buffer.toString("utf8", start, end);
    start = end + 1;
    await breathe();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new StoreCorruptError(file, `line ${i + 1} is not valid JSON`);
    }
    const record = parse(value);
    if (record === undefined) throw new StoreCorruptError(file, `line ${i + 1} is not a valid record`);
    records.push(record);
  }
  return records;
}

/** A document log's last version, from its tail only (undefined: an empty log). */
async function readLastDocument(file: string): Promise<Document | undefined> {
  const { lines } = await readTailLines(file, () => true);
  const line = lines.at(-1);
  return line === undefined ? undefined : parseLine(file, line, toDocumentCommit).document;
}

/** Cuts a torn last line (a write never acknowledged) off a log; start-up only. */
async function repairTail(file: string, torn: number): Promise<void> {
  if (torn === 0) return;
  const size = (await stat(file)).size;
  await truncate(file, size - torn);
}

function parseLine<T>(file: string, line: string, parse: (value: unknown) => T | undefined): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new StoreCorruptError(file, "its last line is not valid JSON");
  }
  const record = parse(value);
  if (record === undefined) throw new StoreCorruptError(file, "its last line is not a valid record");
  return record;
}

/**
 * The audit index, written in commit order after the commits it lists. A commit's entry is
 * released once every earlier commit is settled (written or refused), so the index never holds
 * a gap that a later start-up would not notice. Entries of commits are appended without an
 * fdatasync of their own (the commits are durable and recovery indexes them again, so a save pays
 * one fdatasync, not two); entries that go with no commit are synced before they are acknowledged.
 */
class AuditIndex {
  readonly #log: CommitLog;
  #next = 1;
  readonly #settled = new Map<number, AuditRecord | null>();
  /** Entries released but not yet durable in the index (their commits are durable). */
  #pending: AuditRecord[] = [];
  #flushing: Promise<void> | undefined;

  constructor(
    readonly file: string,
    disk: DiskWriter,
  ) {
    this.#log = new CommitLog(file, disk);
  }

  start(nextTx: number): void {
    this.#next = nextTx;
  }

  /** A commit is settled: its audit entry (or null: refused, or nothing to record). */
  settle(tx: number, entry: AuditRecord | null): void {
    this.#settled.set(tx, entry);
    while (this.#settled.has(this.#next)) {
      const next = this.#settled.get(this.#next);
      this.#settled.delete(this.#next);
      if (next) this.#pending.push(next);
      this.#next++;
    }
    if (this.#pending.length > 0) void this.flush(false).catch(() => undefined);
  }

  /** Writes what is pending; a failure keeps it pending for the next try (its commits are durable). */
  flush(sync = true): Promise<void> {
    if (this.#flushing)
      return this.#flushing.then(() => (this.#pending.length || sync ? this.flush(sync) : undefined));
    if (this.#pending.length === 0) return sync ? this.#log.append([], { sync }) : Promise.resolve();
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#log.append(batch, { sync }).then(
      () => {
        this.#flushing = undefined;
      },
      (error) => {
        this.#pending = [...batch, ...this.#pending];
        this.#flushing = undefined;
        throw error;
      },
    );
    return this.#flushing;
  }

  /** The last `limit` entries, newest first, entries not yet written included; reads only their lines. */
  async list(limit: number): Promise<AuditEntry[]> {
    await this.flush().catch(() => undefined);
    await this.#catchUp();
    const count = Math.max(0, Math.floor(limit));
    const total = this.#offsets.length;
    const stored = await this.#read(Math.max(0, total - count), total);
    const pending = this.#pending.map(({ tx: _tx, ...entry }) => entry);
    return count === 0 ? [] : [...stored, ...pending].slice(-count).reverse();
  }

  /** Where each entry's line starts in the file, oldest first; grown from the file's new bytes only. */
  readonly #offsets: number[] = [];
  /** Bytes of the file whose lines are in #offsets (whole lines only). */
  #scanned = 0;
  #scanning: Promise<void> = Promise.resolve();

  /** Indexes the lines written since the last scan: a page never reads the whole log again. */
  #catchUp(): Promise<void> {
    this.#scanning = this.#scanning.then(async () => {
      let handle: FileHandle;
      try {
        handle = await open(this.file, "r");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw new StoreCorruptError(this.file, (error as Error).message);
      }
      try {
        const size = Math.min(
          (await handle.stat()).size,
          this.#log.durableLength ?? Number.POSITIVE_INFINITY,
        );
        const chunk = Buffer.alloc(256 * 1024);
        let position = this.#scanned;
        let lineStart = this.#scanned;
        while (position < size) {
          const { bytesRead } = await handle.read(
            chunk,
            0,
            Math.min(chunk.length, size - position),
            position,
          );
          if (bytesRead === 0) break;
          for (let i = chunk.indexOf(10); i >= 0 && i < bytesRead; i = chunk.indexOf(10, i + 1)) {
            if (position + i > lineStart) this.#offsets.push(lineStart);
            lineStart = position + i + 1;
          }
          position += bytesRead;
        }
        this.#scanned = lineStart;
      } finally {
        await handle.close();
      }
    });
    return this.#scanning;
  }

  /** The indexed entries from position `start` to `end` (excluded), oldest first: only their bytes are read. */
  async #read(start: number, end: number): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    if (end <= start) return entries;
    const from = this.#offsets[start] as number;
    const to = this.#offsets[end] ?? this.#scanned;
    const buffer = Buffer.alloc(to - from);
    const handle = await open(this.file, "r");
    try {
      await handle.read(buffer, 0, buffer.length, from);
    } finally {
      await handle.close();
    }
    for (const line of buffer.toString("utf8").split("\n")) {
      if (line === "") continue;
      const { tx: _tx, ...entry } = parseLine(this.file, line, (v) => (isAudit(v) ? v : undefined));
      entries.push(entry);
    }
    return entries;
  }

  /** A page of entries, newest first; positions in the log are the cursors. */
  async page({ limit, after, before }: AuditPageQuery): Promise<AuditPage> {
    checkPageLimit(limit);
    const afterAt = after === undefined ? undefined : parseAuditCursor(after);
    const beforeAt = afterAt !== undefined || before === undefined ? undefined : parseAuditCursor(before);
    await this.flush().catch(() => undefined);
    await this.#catchUp();
    const total = this.#offsets.length;
    let start: number;
    let end: number;
    if (beforeAt !== undefined) {
      start = Math.min(beforeAt + 1, total);
      end = Math.min(total, start + limit);
    } else {
      end = Math.min(afterAt ?? total, total);
      start = Math.max(0, end - limit);
    }
    const entries = (await this.#read(start, end)).reverse();
    return {
      entries,
      ...(start > 0 ? { next: auditCursor(start) } : {}),
      ...(end < total ? { previous: auditCursor(end - 1) } : {}),
    };
  }

  /** True when every settled commit's entry is durable in the index (a clean stop may say so). */
  get complete(): boolean {
    return this.#pending.length === 0 && this.#settled.size === 0;
  }

  close(): Promise<void> {
    return this.flush()
      .catch(() => undefined)
      .then(() => this.#log.close());
  }
}

/** A translation history's log and, once read, each paragraph's latest revision. */
interface History {
  file: string;
  log: CommitLog;
  heads: Map<string, Head> | undefined;
}

/** A paragraph's latest revision and latest review, as appends check them (replaced, never changed). */
interface Head {
  revision: number;
  review?: ReviewMark;
}

/** The paragraph's head after `event`: undefined when a waiver leaves it as it is. */
function nextHead(head: Head | undefined, event: TranslationEvent): Head | undefined {
  if (event.type === "revision") return { revision: event.revision };
  if (event.type !== "review") return undefined;
  const { revision, action, sourceVersion } = event;
  return {
    revision: head?.revision ?? 0,
    review: { revision, action, ...(sourceVersion !== undefined ? { sourceVersion } : {}) },
  };
}

/** Written by a clean stop with the last commit number; removed on open. Without it, start-up recovers. */
const CLEAN_STOP = "clean-stop.json";

/** The number of a commit line (written first in every line), without parsing the line. */
function commitNumber(line: string): number | undefined {
  const match = /^\{"tx":(\d{1,15})[,}]/.exec(line);
  return match ? Number(match[1]) : undefined;
}

/** Most histories kept open at once; the rest are reopened when used. */
const OPEN_HISTORIES = 256;

/** Default bound of the documents kept in memory, by their estimated size (the rest are read again). */
export const CACHED_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** What orders a document in pages; every document's is kept, small whatever the document. */
type DocumentKey = Pick<Document, "createdAt" | "id">;

/** About what a document takes in memory: its texts as UTF-16 and some per paragraph. */
function documentSize(doc: Document): number {
  let size = 512 + doc.title.length * 2;
  for (const p of doc.paragraphs) size += 96 + p.source.length * 2;
  return size;
}

export interface FileStoreOptions {
  /** Opened beside a running server: nothing is written, nothing repaired, no lock. */
  readOnly?: boolean;
  /** The writes commit logs make; tests pass a failing disk. */
  disk?: DiskWriter;
  /** Most bytes of documents kept in memory (estimated); CACHED_DOCUMENT_BYTES by default. */
  documentCacheBytes?: number;
  /** Told of what the store repaired on its own (pino's `logger.warn` fits). */
  warn?: (details: object, message: string) => void;
}

/** Memory units or terms above which an import's commit is serialized a slice at a time. */
const UNITS_PER_SLICE = 500;
/** A document with more paragraphs is copied and written a slice at a time (server/storage/slices.ts). */
const PARAGRAPHS_AT_ONCE = 500;

export class FileStore implements Store {
  readonly location: string;
  readonly #lock: DirLock;
  readonly #readOnly: boolean;
  readonly #disk: DiskWriter;
  readonly #warn: (details: object, message: string) => void;
  readonly #mutex = new KeyedMutex();
  readonly #audit: AuditIndex;
  readonly #histories = new Map<string, History>();
  readonly #documentLogs = new Map<string, CommitLog>();
  /**
   * Per document, the source versions its log holds: read once, then kept up to date as versions are
   * written (reading every kept version of a 10,000-paragraph document again on each update was
   * megabytes of JSON to parse).
   */
  readonly #sourceVersionsKept = new Map<string, Set<number>>();
  #meta!: Low<Meta | null>;
  #sessions!: Low<Sessions>;
  #accountsLog!: CommitLog;
  #glossaryLog!: CommitLog;
  #users = new Map<string, User>();
  #tokens = new Map<string, ApiToken>();
  #terms = new Map<string, Term>();
  /** Which terms hold each duplicate key; undefined until a write first checks them. */
  #termKeys: TermKeyIndex | undefined;
  /** Every document's sort key; the documents themselves are in #documentCache or on disk. */
  readonly #documentKeys = new Map<string, DocumentKey>();
  /** Documents read or written, most recently used last, within #documentCacheBytes. */
  readonly #documentCache = new Map<string, { document: Document; size: number }>();
  readonly #documentCacheBytes: number;
  #cachedDocumentBytes = 0;
  #documentsLoaded = false;
  #documentsLoading: Promise<void> | undefined;
  /** The documents' keys ordered by (createdAt, id), built on the first page asked and kept in order by putDocument. */
  #documentOrder: DocumentKey[] | undefined;
  /** The last commit number handed out. */
  #tx = 0;
  /** Per history file, appends since open: one process owns the directory, so this is every change. */
  readonly #historyVersions = new Map<string, number>();
  #glossaryVersion = 0;
  #qualityLog!: CommitLog;
  #quality: QualityRecords = emptyQualityRecords();
  #qualityVersion = 0;
  #closed = false;
  readonly #comments = new CommentIndex();
  #commentsLog!: CommitLog;

  private constructor(dir: string, lock: DirLock, options: FileStoreOptions) {
    this.location = dir;
    this.#lock = lock;
    this.#readOnly = options.readOnly ?? false;
    this.#disk = options.disk ?? REAL_DISK;
    this.#warn = options.warn ?? (() => undefined);
    this.#documentCacheBytes = options.documentCacheBytes ?? CACHED_DOCUMENT_BYTES;
    this.#audit = new AuditIndex(this.#file("audit.jsonl"), this.#disk);
  }

  /**
   * Takes the directory's lock, converts an older layout, reads the small files and every log's
   * tail, so that a damaged or missing file stops start-up here, naming it, before anything is
   * written.
   */
  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const root = path.resolve(dir);
    if (options.readOnly) {
      // Readers (the export command) work beside a running server: no lock, and nothing is written,
      // which the store's atomic renames and appends make safe.
      const store = new FileStore(root, { release: async () => undefined }, options);
      await store.#load();
      return store;
    }
    await mkdir(path.join(root, "documents"), { recursive: true });
    await mkdir(path.join(root, "translations"), { recursive: true });
    const lock = await lockDataDir(root);
    const store = new FileStore(root, lock, options);
    try {
      await store.#load();
    } catch (error) {
      await lock.release();
      throw error;
    }
    return store;
  }

  #file(...parts: string[]): string {
    return path.join(this.location, ...parts);
  }

  async #load(): Promise<void> {
    this.#meta = new Low<Meta | null>(
      new DurableJsonFile<Meta | null>(this.#file("meta.json"), 0o644, this.#disk),
      null,
    );
    await this.#meta.read();
    await this.#refuseMissingFiles();
    // Only a directory of the first layout has files to convert: a current one is not even listed.
    if (!this.#readOnly && (this.#meta.data?.version ?? LAYOUT_VERSION) < LAYOUT_VERSION)
      await this.#convertLayout1();

    this.#sessions = new Low<Sessions>(new DurableJsonFile(this.#file("sessions.json"), 0o600, this.#disk), {
      sessions: {},
    });
    await this.#sessions.read();
    if (!isObject(this.#sessions.data) || !isObject(this.#sessions.data.sessions))
      throw new StoreCorruptError(this.#file("sessions.json"), "not a sessions object");

    let lastTx = 0;
    const seen = (tx: number) => {
      if (tx > lastTx) lastTx = tx;
    };
    const unindexed: AuditRecord[] = [];
    let indexedTx = 0;

    const accountsFile = this.#file("accounts.jsonl");
    for (const commit of await this.#readWhole(accountsFile, toAccountsCommit)) {
      this.#applyAccounts(commit);
      seen(commit.tx);
      if (commit.audit) unindexed.push({ ...commit.audit, tx: commit.tx });
    }
    this.#accountsLog = new CommitLog(accountsFile, this.#disk, 0o600);

    const glossaryFile = this.#file("glossary.jsonl");
    for (const commit of await this.#readWhole(glossaryFile, toGlossaryCommit)) {
      this.#applyTerms(commit);
      seen(commit.tx);
      if (commit.audit) unindexed.push({ ...commit.audit, tx: commit.tx });
    }
    this.#glossaryLog = this.#commitLog(glossaryFile);

    const qualityFile = this.#file("quality.jsonl");
    for (const commit of await this.#readWhole(qualityFile, toQualityCommit)) {
      applyQualityChange(this.#quality, commit);
      seen(commit.tx);
      if (commit.audit) unindexed.push({ ...commit.audit, tx: commit.tx });
    }
    this.#qualityLog = this.#commitLog(qualityFile);

    const commentsFile = this.#file("comments.jsonl");
    for (const commit of await this.#readWhole(commentsFile, toCommentCommit)) {
      this.#comments.apply(commit.comment);
      seen(commit.tx);
      if (commit.audit) unindexed.push({ ...commit.audit, tx: commit.tx });
    }
    this.#commentsLog = this.#commitLog(commentsFile);
    // Translation memory: imported units (memory.jsonl).
    const memoryFile = this.#file("memory.jsonl");
    for (const commit of await this.#readWhole(memoryFile, toMemoryCommit)) {
      for (const unit of commit.put) this.#memory.set(unit.id, deepFreeze(unit));
      seen(commit.tx);
      if (commit.audit) unindexed.push({ ...commit.audit, tx: commit.tx });
    }
    // A unit written twice (older versions did) keeps its first place.
    for (const unit of this.#memory.values()) this.#memoryOrder.push(unit);
    this.#memoryLog = this.#commitLog(memoryFile);

    const clean = this.#readOnly ? undefined : await readJson<{ tx?: unknown }>(this.#file(CLEAN_STOP));
    if (clean && typeof clean.tx === "number") {
      // The last stop was clean: every log ends whole and the audit index lists every commit.
      seen(clean.tx);
      indexedTx = clean.tx;
      await rm(this.#file(CLEAN_STOP));
      await fsyncDir(this.location);
    } else {
      await this.#loadDocuments((commit) => {
        seen(commit.tx);
        if (commit.audit) unindexed.push({ ...commit.audit, tx: commit.tx });
      });
      indexedTx = await this.#recoverTails(seen, unindexed);
    }
    this.#tx = lastTx;
    this.#audit.start(lastTx + 1);
    const missing = unindexed
      .filter((e) => (e.tx ?? 0) > indexedTx)
      .sort((a, b) => (a.tx ?? 0) - (b.tx ?? 0));
    if (missing.length > 0 && !this.#readOnly) {
      const auditFile = this.#file("audit.jsonl");
      const index = new CommitLog(auditFile, this.#disk);
      try {
        await index.append(missing);
      } catch (error) {
        // A full disk is not damage: the logs are whole and the index is completed on the next start.
        if (error instanceof StorageUnavailableError) throw error;
        throw new StoreCorruptError(
          auditFile,
          `cannot complete the audit index (${(error as Error).message})`,
        );
      } finally {
        await index.close();
      }
    }
  }

  /** Reads every document; at start-up after a crash, or on first use after a clean stop. */
  async #loadDocuments(each?: (commit: DocumentCommit) => void): Promise<void> {
    if (this.#documentsLoaded) return;
    this.#documentsLoading ??= (async () => {
      const keys = new Map<string, DocumentKey>();
      for (const entry of await readdir(this.#file("documents")).catch(() => [] as string[])) {
        if (!entry.endsWith(".jsonl") || entry.startsWith(".")) continue;
        const id = entry.slice(0, -".jsonl".length);
        const file = this.#file("documents", entry);
        if ((await fileSize(file)) === 0) {
          await this.#dropEmptyDocumentLog(file);
          continue;
        }
        let last: Document | undefined;
        if (each) {
          // Every version of a document is a commit; its audit entries may all be newer than the index.
          const commits = await this.#readWhole(file, toDocumentCommit);
          last = commits.at(-1)?.document;
          for (const commit of commits) each(commit);
        } else last = await readLastDocument(file);
        if (!last || last.id !== id) throw new StoreCorruptError(file, "not a document");
        keys.set(id, { createdAt: last.createdAt, id });
        this.#remember(deepFreeze(last));
      }
      for (const [id, key] of keys) if (!this.#documentKeys.has(id)) this.#documentKeys.set(id, key);
      this.#documentsLoaded = true;
    })();
    await this.#documentsLoading;
  }

  /**
   * An empty document log holds no commit, so no write to it was ever acknowledged: it is what an
   * earlier Glosa left when a document's first write failed (a full disk). It is not a document
   * and not damage: it is removed (or, read-only, passed over), and the removal logged.
   */
  async #dropEmptyDocumentLog(file: string): Promise<void> {
    if (this.#readOnly) return;
    await rm(file, { force: true });
    await fsyncDir(path.dirname(file));
    this.#warn({ file }, "removed an empty document log, left by a document creation that was refused");
  }

  /**
   * After a crash: cuts torn last lines off, and finds the commits the audit index may lack by
   * reading each history backwards only until a commit the index has. Returns the index's last tx.
   */
  async #recoverTails(seen: (tx: number) => void, unindexed: AuditRecord[]): Promise<number> {
    // The index's last entries may have been written without a sync: whatever a crash left of them
    // that does not read back is cut off, and indexed again below from the commits themselves.
    const auditFile = this.#file("audit.jsonl");
    const readable = (line: string) => {
      try {
        return isAudit(JSON.parse(line));
      } catch {
        return false;
      }
    };
    const auditTail = await readTailLines(auditFile, readable);
    const lastGood = auditTail.lines.find(readable);
    const unreadable = auditTail.lines.filter((line) => line !== lastGood);
    const cut = auditTail.torn + unreadable.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
    if (!this.#readOnly) await repairTail(auditFile, cut);
    const indexedTx = lastGood ? ((JSON.parse(lastGood) as AuditRecord).tx ?? 0) : 0;
    seen(indexedTx);
    for (const id of await readdir(this.#file("translations")).catch(() => [] as string[])) {
      if (id.startsWith(".")) continue;
      for (const name of await readdir(this.#file("translations", id)).catch(() => [] as string[])) {
        if (!name.endsWith(".jsonl") || name.startsWith(".")) continue;
        const file = this.#file("translations", id, name);
        const tail = await readTailLines(file, (line) => (commitNumber(line) ?? 0) <= indexedTx);
        if (!this.#readOnly) await repairTail(file, tail.torn);
        for (const line of tail.lines) {
          const tx = commitNumber(line);
          // A commit the index already has is only checked for shape: parsing a large import's line is not needed.
          if (tx !== undefined && tx <= indexedTx && line.endsWith("}")) {
            seen(tx);
            continue;
          }
          const commit = parseLine(file, line, toTranslationCommit);
          seen(commit.tx);
          if (commit.audit) unindexed.push({ ...commit.audit, tx: commit.tx });
        }
      }
    }
    return indexedTx;
  }

  /**
   * A directory that holds data must hold all of it: a lost meta.json must not seed again over
   * an existing glossary, and a lost glossary or account file must not start empty.
   */
  async #refuseMissingFiles(): Promise<void> {
    const exists = async (name: string) =>
      stat(this.#file(name)).then(
        () => true,
        () => false,
      );
    const nonEmpty = async (name: string) =>
      (await readdir(this.#file(name)).catch(() => [] as string[])).some((n) => !n.startsWith("."));
    const meta = this.#meta.data;
    if (!meta) {
      const holdsData =
        (await exists("accounts.jsonl")) ||
        (await exists("accounts.json")) ||
        (await exists("glossary.jsonl")) ||
        (await exists("glossary.json")) ||
        (await exists("audit.jsonl")) ||
        (await exists("comments.jsonl")) ||
        (await nonEmpty("documents")) ||
        (await nonEmpty("translations"));
      if (holdsData)
        throw new StoreCorruptError(this.#file("meta.json"), "it is missing, but the directory holds data");
      return;
    }
    if (!isObject(meta) || typeof meta.version !== "number")
      throw new StoreCorruptError(this.#file("meta.json"), "not a meta record");
    if (meta.version > LAYOUT_VERSION)
      throw new StoreCorruptError(this.#file("meta.json"), `layout ${meta.version} is newer than this Glosa`);
    if (!meta.initializedAt) return;
    for (const [current, older] of [
      ["accounts.jsonl", "accounts.json"],
      ["glossary.jsonl", "glossary.json"],
    ] as const)
      if (!(await exists(current)) && !(await exists(older)))
        throw new StoreCorruptError(this.#file(current), "it is missing from an initialised data directory");
  }

  /** Layout 1 kept accounts, the glossary and documents as whole JSON files: each becomes a log. */
  async #convertLayout1(): Promise<void> {
    const convert = async (
      older: string,
      newer: string,
      toRecord: (data: Record<string, unknown>) => object,
      mode?: number,
    ) => {
      const data = await readJson<unknown>(older);
      if (data === undefined) return;
      if (!isObject(data)) throw new StoreCorruptError(older, "not an object");
      await writeFileDurable(newer, `${JSON.stringify({ tx: 0, ...toRecord(data) })}\n`, mode);
      await rm(older);
    };
    const accounts = this.#file("accounts.json");
    await convert(
      accounts,
      this.#file("accounts.jsonl"),
      (data) => {
        const d = data as { users?: unknown; tokens?: unknown };
        if (!Array.isArray(d.users) || !Array.isArray(d.tokens))
          throw new StoreCorruptError(accounts, "users or tokens missing");
        return { users: d.users, tokens: d.tokens };
      },
      0o600,
    );
    const glossary = this.#file("glossary.json");
    await convert(glossary, this.#file("glossary.jsonl"), (data) => {
      const d = data as { terms?: unknown };
      if (!Array.isArray(d.terms)) throw new StoreCorruptError(glossary, "terms missing");
      return { put: d.terms };
    });
    for (const entry of await readdir(this.#file("documents")).catch(() => [] as string[])) {
      if (!entry.endsWith(".json") || entry.startsWith(".")) continue;
      const id = entry.slice(0, -".json".length);
      const file = this.#file("documents", entry);
      await convert(file, this.#file("documents", `${id}.jsonl`), (data) => {
        if (data.id !== id || !Array.isArray(data.paragraphs))
          throw new StoreCorruptError(file, "not a document");
        return { document: data };
      });
    }
    if (this.#meta.data && this.#meta.data.version < LAYOUT_VERSION) {
      this.#meta.data = { ...this.#meta.data, version: LAYOUT_VERSION };
      await this.#meta.write();
    }
  }

  async #readWhole<T>(file: string, parse: (value: unknown) => T | undefined): Promise<T[]> {
    const tail = await readTailLines(file, () => true);
    if (tail.torn > 0 && !this.#readOnly) await repairTail(file, tail.torn);
    return readCommits(file, parse);
  }

  #commitLog(file: string): CommitLog {
    return new CommitLog(file, this.#disk);
  }

  #check(): void {
    if (this.#closed) throw new Error("the store is closed");
    if (this.#readOnly) throw new Error("the store was opened read-only");
  }

  /**
   * Appends one commit (the change and its audit entry) to a log. Memory is changed by the caller
   * only after this resolves, so it never runs ahead of the disk. A large commit (a document of
   * thousands of paragraphs, an import's terms or units: megabytes of JSON) is serialized a slice
   * per turn of the event loop, then written as the one record it is, all or nothing.
   */
  async #commit(log: CommitLog, payload: object, audit?: AuditEntry, large = false): Promise<void> {
    this.#check();
    const tx = ++this.#tx;
    const record = { tx, ...(audit ? { audit } : {}), ...payload };
    try {
      if (!large) await log.append([record]);
      else await log.appendLine(await jsonLineInSlices(record));
    } catch (error) {
      this.#audit.settle(tx, null);
      throw error;
    }
    this.#audit.settle(tx, audit ? { ...audit, tx } : null);
  }

  /** A commit of many records under `put` (memory units, terms), beside the rest of `payload`. */
  #commitMany(log: CommitLog, put: readonly object[], payload: object, audit?: AuditEntry): Promise<void> {
    return this.#commit(log, { put, ...payload }, audit, put.length > UNITS_PER_SLICE);
  }

  async getMeta(): Promise<Meta | undefined> {
    return this.#meta.data ?? undefined;
  }

  async setMeta(meta: Meta): Promise<void> {
    this.#check();
    const before = this.#meta.data;
    this.#meta.data = { ...meta, version: LAYOUT_VERSION };
    await this.#mutex
      .run("meta", () => this.#meta.write())
      .catch((error) => {
        this.#meta.data = before;
        throw error;
      });
  }

  #applyAccounts(change: AccountsChange): void {
    for (const user of change.users ?? []) this.#users.set(user.username, deepFreeze(structuredClone(user)));
    for (const token of change.tokens ?? []) this.#tokens.set(token.id, deepFreeze(structuredClone(token)));
    for (const id of change.removeTokens ?? []) this.#tokens.delete(id);
  }

  async listUsers(): Promise<User[]> {
    return [...this.#users.values()].map((u) => structuredClone(u));
  }

  async getUser(username: string): Promise<User | undefined> {
    const user = this.#users.get(username);
    return user && structuredClone(user);
  }

  putUser(user: User, audit?: AuditEntry): Promise<void> {
    return this.writeAccounts({ users: [user] }, audit);
  }

  async listTokens(username?: string): Promise<ApiToken[]> {
    return [...this.#tokens.values()]
      .filter((t) => username === undefined || t.username === username)
      .map((t) => structuredClone(t));
  }

  async findTokenByHash(hash: string): Promise<ApiToken | undefined> {
    for (const token of this.#tokens.values()) if (token.hash === hash) return structuredClone(token);
    return undefined;
  }

  putToken(token: ApiToken, audit?: AuditEntry): Promise<void> {
    return this.writeAccounts({ tokens: [token] }, audit);
  }

  deleteToken(id: string, audit?: AuditEntry): Promise<void> {
    return this.writeAccounts({ removeTokens: [id] }, audit);
  }

  createUser(user: User, audit?: AuditEntry): Promise<void> {
    this.#check();
    // Under the accounts' lock, checked against what the writes before it left.
    return this.#mutex.run("accounts", async () => {
      if (this.#users.has(user.username)) throw new UserExistsError(user.username);
      await this.writeAccounts({ users: [user] }, audit);
    });
  }

  updateUser(username: string, change: UserChange, audit?: AuditEntry): Promise<User | undefined> {
    this.#check();
    return this.#mutex.run("accounts", async () => {
      const held = this.#users.get(username);
      if (!held) return undefined;
      const { endTokens, ...fields } = change;
      const user: User = { ...held, ...fields };
      if (isActiveAdmin(held) && !isActiveAdmin(user)) {
        const admins = [...this.#users.values()].filter(isActiveAdmin);
        if (admins.length <= 1) throw new LastAdminError(username);
      }
      const removeTokens = endTokens
        ? [...this.#tokens.values()].filter((t) => t.username === username).map((t) => t.id)
        : [];
      await this.writeAccounts({ users: [user], removeTokens }, audit);
      return structuredClone(user);
    });
  }

  async writeAccounts(change: AccountsChange, audit?: AuditEntry): Promise<void> {
    const record: AccountsChange = {
      ...(change.users?.length ? { users: change.users } : {}),
      ...(change.tokens?.length ? { tokens: change.tokens } : {}),
      ...(change.removeTokens?.length ? { removeTokens: change.removeTokens } : {}),
    };
    if (Object.keys(record).length === 0 && !audit) return;
    await this.#commit(this.#accountsLog, record, audit);
    this.#applyAccounts(record);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#check();
    const tx = ++this.#tx;
    this.#audit.settle(tx, { ...entry, tx });
    await this.#audit.flush();
  }

  listAudit(limit: number): Promise<AuditEntry[]> {
    return this.#audit.list(limit);
  }

  #applyTerms(change: { put?: Term[]; remove?: string[] }): void {
    for (const id of change.remove ?? []) this.#forgetTerm(id);
    for (const term of change.put ?? []) {
      this.#forgetTerm(term.id);
      const frozen = deepFreeze(structuredClone(term));
      this.#terms.set(term.id, frozen);
      this.#termKeys?.add(frozen);
    }
  }

  #forgetTerm(id: string): void {
    const held = this.#terms.get(id);
    if (held) this.#termKeys?.delete(held);
    this.#terms.delete(id);
  }

  /** The held terms' duplicate keys, built (a slice at a time) by the first write that checks them. */
  async #termKeyIndex(): Promise<TermKeyIndex> {
    if (!this.#termKeys) {
      const index = new TermKeyIndex();
      const pause = slicer();
      // Under the glossary's lock: no write changes the terms while they are read.
      for (const term of this.#terms.values()) {
        index.add(term);
        await pause();
      }
      this.#termKeys = index;
    }
    return this.#termKeys;
  }

  // Terms are read on every glossary change and can be many: they are handed out frozen, not copied.
  async listTerms(): Promise<Term[]> {
    return [...this.#terms.values()];
  }

  writeTerms(
    put: Term[],
    remove: string[] = [],
    audit?: AuditEntry,
    rules: TermWriteRules = {},
  ): Promise<void> {
    if (put.length === 0 && remove.length === 0 && !audit) return Promise.resolve();
    this.#check();
    // One write at a time, checked against what the writes before it left: two requests at once
    // cannot both find a source free, or both take the glossary's last place.
    return this.#mutex.run("glossary", async () => {
      const gone = rules.held?.find((id) => !this.#terms.has(id));
      if (gone !== undefined) throw new TermGoneError(gone);
      const putIds = new Set(put.map((t) => t.id));
      this.#assertRoom(
        rules.maxTerms,
        put.filter((t) => !this.#terms.has(t.id)).length,
        remove.filter((id) => this.#terms.has(id) && !putIds.has(id)).length,
      );
      const claims = new TermClaims(
        await this.#termKeyIndex(),
        new Set([...remove, ...put.map((t) => t.id)]),
      );
      await this.#claimAll(claims, put);
      await this.#putTerms(put, remove, audit);
    });
  }

  importTerms(
    add: Term[],
    update: Term[],
    audit?: (written: TermsImported) => AuditEntry,
    rules: Pick<TermWriteRules, "maxTerms"> = {},
  ): Promise<TermsImported> {
    this.#check();
    return this.#mutex.run("glossary", async () => {
      const claims = new TermClaims(await this.#termKeyIndex(), new Set(update.map((t) => t.id)));
      await this.#claimAll(claims, update);
      const pause = slicer();
      const written: TermsImported = { added: [], skipped: [] };
      const added = new Map<string, Term>();
      for (const term of add) {
        const clash = claims.take(term);
        if (clash === undefined) {
          written.added.push(term);
          added.set(term.id, term);
        } else {
          const held = update.find((t) => t.id === clash) ?? added.get(clash) ?? this.#terms.get(clash);
          written.skipped.push(held ? { term, held } : { term });
        }
        await pause();
      }
      const put = [...written.added, ...update];
      this.#assertRoom(rules.maxTerms, written.added.length, 0);
      if (put.length > 0 || audit) await this.#putTerms(put, [], audit?.(written));
      return written;
    });
  }

  /**
   * Under the glossary's lock: refuses a write that adds `adding` terms and removes `removing` when
   * the glossary would then hold more than `maxTerms`. A write that adds none is never refused.
   */
  #assertRoom(maxTerms: number | undefined, adding: number, removing: number): void {
    if (maxTerms === undefined || adding === 0) return;
    const count = this.#terms.size;
    if (count + adding - removing > maxTerms) throw new GlossaryFullError(maxTerms, count, adding);
  }

  /** Takes every term's keys, or throws DuplicateTermError for the first that clashes. */
  async #claimAll(claims: TermClaims, terms: Term[]): Promise<void> {
    const pause = slicer();
    for (const term of terms) {
      const clash = claims.take(term);
      if (clash !== undefined)
        throw new DuplicateTermError(term, terms.find((t) => t.id === clash) ?? this.#terms.get(clash));
      await pause();
    }
  }

  /** Writes terms already checked, under the glossary's lock. */
  async #putTerms(put: Term[], remove: string[], audit?: AuditEntry): Promise<void> {
    // An import of 19,000 terms is written and taken in a slice at a time, like the memory's units.
    const removed = remove.length ? { remove } : {};
    if (put.length === 0) await this.#commit(this.#glossaryLog, removed, audit);
    else await this.#commitMany(this.#glossaryLog, put, removed, audit);
    this.#applyTerms({ remove });
    const pause = slicer();
    for (const term of put) {
      this.#applyTerms({ put: [term] });
      await pause();
    }
    this.#glossaryVersion++;
  }

  async glossaryVersion(): Promise<number> {
    return this.#glossaryVersion;
  }

  async translationVersion(documentId: string, lang: string): Promise<number> {
    if (!SAFE_LANG.test(lang) || !SAFE_ID.test(documentId)) return 0;
    const file = this.#file("translations", documentId, `${lang}.jsonl`);
    const known = this.#historyVersions.get(file);
    if (known !== undefined) return known;
    // Not appended to since this start: a history written before it is there all the same, so its
    // version is 1, not 0 ("no history yet"), which a cache takes for an empty translation (the
    // statistics did, after a restart). An append that lands meanwhile has set the version itself.
    const written = await stat(file).then(
      (s) => s.size > 0,
      () => false,
    );
    if (written && !this.#historyVersions.has(file)) this.#historyVersions.set(file, 1);
    return this.#historyVersions.get(file) ?? 0;
  }

  /** Keeps a document, most recently used last, and lets the least recently used go past the budget. */
  #remember(document: Document): Document {
    this.#forgetDocument(document.id);
    const size = documentSize(document);
    this.#documentCache.set(document.id, { document, size });
    this.#cachedDocumentBytes += size;
    for (const [id] of this.#documentCache) {
      if (this.#cachedDocumentBytes <= this.#documentCacheBytes || this.#documentCache.size <= 1) break;
      this.#forgetDocument(id);
    }
    return document;
  }

  #forgetDocument(id: string): void {
    const kept = this.#documentCache.get(id);
    if (!kept) return;
    this.#documentCache.delete(id);
    this.#cachedDocumentBytes -= kept.size;
  }

  /** Estimated bytes of the documents held in memory now (bounded by `documentCacheBytes`). */
  get cachedDocumentBytes(): number {
    return this.#cachedDocumentBytes;
  }

  // Under the document's lock, so that a read never puts back a version older than a write's.
  #readDocument(id: string): Promise<Document> {
    return this.#mutex.run(`document:${id}`, async () => {
      const kept = this.#documentCache.get(id);
      if (kept) return kept.document;
      const file = this.#file("documents", `${id}.jsonl`);
      const document = await readLastDocument(file);
      if (!document || document.id !== id) throw new StoreCorruptError(file, "not a document");
      return this.#remember(deepFreeze(document));
    });
  }

  async #documentsOf(keys: readonly DocumentKey[]): Promise<Document[]> {
    const documents: Document[] = [];
    // A few files at a time: a list of thousands must not open thousands of files at once.
    for (let i = 0; i < keys.length; i += 32)
      documents.push(
        ...(await Promise.all(
          keys.slice(i, i + 32).map(async (key) => (await this.getDocument(key.id)) as Document),
        )),
      );
    return documents;
  }

  // Documents are read on every request and can be large: they are handed out frozen, not copied.
  async listDocuments(): Promise<Document[]> {
    await this.#loadDocuments();
    return this.#documentsOf([...this.#documentKeys.values()]);
  }

  async listDocumentsPage({ limit, after, before }: DocumentsPageQuery): Promise<DocumentsPage> {
    checkPageLimit(limit);
    const afterKey = after === undefined ? undefined : parseDocumentCursor(after);
    const beforeKey = afterKey || before === undefined ? undefined : parseDocumentCursor(before);
    await this.#loadDocuments();
    this.#documentOrder ??= [...this.#documentKeys.values()].sort(compareDocuments);
    const order = this.#documentOrder;
    let start = afterKey ? firstAfter(order, afterKey) : 0;
    if (beforeKey) start = Math.max(0, firstAtOrAfter(order, beforeKey) - limit);
    const end = beforeKey ? firstAtOrAfter(order, beforeKey) : Math.min(order.length, start + limit);
    const documents = await this.#documentsOf(order.slice(start, end));
    const first = documents[0];
    const last = documents.at(-1);
    return {
      documents,
      ...(end < order.length && last ? { next: documentCursor(last) } : {}),
      ...(start > 0 && first ? { previous: documentCursor(first) } : {}),
    };
  }

  async getDocument(id: string): Promise<Document | undefined> {
    await this.#loadDocuments();
    if (!this.#documentKeys.has(id)) return undefined;
    const kept = this.#documentCache.get(id);
    if (!kept) return this.#readDocument(id);
    this.#documentCache.delete(id);
    this.#documentCache.set(id, kept);
    return kept.document;
  }

  putDocument(document: Document, audit?: AuditEntry): Promise<void> {
    return this.#putDocument(document, audit);
  }

  async #putDocument(document: Document, audit?: AuditEntry, extra: object = {}): Promise<void> {
    this.#check();
    await this.#loadDocuments();
    assertSafe(document.id, SAFE_ID, "document id");
    for (const lang of document.languages) assertSafe(lang, SAFE_LANG, "language");
    let log = this.#documentLogs.get(document.id);
    if (!log) {
      log = this.#commitLog(this.#file("documents", `${document.id}.jsonl`));
      this.#documentLogs.set(document.id, log);
    }
    const large = document.paragraphs.length > PARAGRAPHS_AT_ONCE;
    const copy = large ? await frozenCopyInSlices(document, slicer()) : deepFreeze(structuredClone(document));
    const commitLog = log;
    await this.#mutex.run(`document:${document.id}`, async () => {
      await this.#commit(commitLog, { document: copy, ...extra }, audit, large);
      this.#remember(copy);
    });
    const before = this.#documentKeys.get(document.id);
    const key = { createdAt: copy.createdAt, id: copy.id };
    this.#documentKeys.set(document.id, key);
    const order = this.#documentOrder;
    if (order) {
      if (before) order.splice(firstAfter(order, before) - 1, 1);
      order.splice(firstAfter(order, key), 0, key);
    }
  }

  #history(documentId: string, lang: string): History {
    assertSafe(documentId, SAFE_ID, "document id");
    assertSafe(lang, SAFE_LANG, "language");
    const file = this.#file("translations", documentId, `${lang}.jsonl`);
    const history = this.#histories.get(file);
    if (history) {
      // Most recently used last, so that the first is the one to close.
      this.#histories.delete(file);
      this.#histories.set(file, history);
      return history;
    }
    const log = this.#commitLog(file);
    const created: History = { file, log, heads: undefined };
    log.onFailure = () => {
      created.heads = undefined;
    };
    this.#histories.set(file, created);
    if (this.#histories.size > OPEN_HISTORIES) {
      const [oldest, evicted] = this.#histories.entries().next().value as [string, History];
      this.#histories.delete(oldest);
      void this.#mutex.run(oldest, () => evicted.log.close());
    }
    return created;
  }

  async readTranslationEvents(documentId: string, lang: string): Promise<TranslationEvent[]> {
    if (!SAFE_LANG.test(lang)) return [];
    const history = this.#history(documentId, lang);
    const commits = await readCommits(history.file, toTranslationCommit, history.log.durableLength);
    return commits.flatMap((c) => c.events);
  }

  async appendTranslationEvents(
    documentId: string,
    lang: string,
    events: TranslationEvent[],
    audit?: AuditEntry,
  ): Promise<number> {
    this.#check();
    if (events.length === 0 && !audit) return this.translationVersion(documentId, lang);
    const history = this.#history(documentId, lang);
    // The check and the enqueue are one step per history; waiting for the disk is not, so that
    // appends arriving together are committed together.
    const { committed } = await this.#mutex.run(history.file, async () => {
      await this.#checkHeads(history, events);
      return { committed: this.#commit(history.log, { events }, audit) };
    });
    await committed;
    return this.#moved(history);
  }

  /**
   * Reads the history's heads when not yet known, and checks that `events` follow on from them:
   * RevisionConflictError otherwise, RepeatedReviewError for a review repeating the paragraph's
   * latest one. Called under the history's lock.
   */
  async #checkHeads(history: History, events: TranslationEvent[]): Promise<void> {
    if (!history.heads) {
      await mkdir(path.dirname(history.file), { recursive: true });
      const heads = new Map<string, Head>();
      for (const commit of await readCommits(history.file, toTranslationCommit, history.log.durableLength))
        for (const event of commit.events) {
          const next = nextHead(heads.get(event.pid), event);
          if (next) heads.set(event.pid, next);
        }
      history.heads = heads;
    }
    const heads = history.heads;
    const after = new Map<string, Head>();
    for (const event of events) {
      const head = after.get(event.pid) ?? heads.get(event.pid);
      const latest = head?.revision ?? 0;
      const expected = event.type === "revision" ? event.revision - 1 : event.revision;
      if (latest !== expected) throw new RevisionConflictError(event.pid, expected, latest);
      if (event.type === "review" && repeatsReview(head?.review, event))
        throw new RepeatedReviewError(event.pid, event.revision, event.action);
      const next = nextHead(head, event);
      if (next) after.set(event.pid, next);
    }
    // Moved before the write is durable so that the next append queues behind it; a failed write
    // drops the heads (log.onFailure) and they are read again.
    for (const [pid, head] of after) heads.set(pid, head);
  }

  /** The history's new version once an append of `events` is durable. */
  #moved(history: History): number {
    const version = (this.#historyVersions.get(history.file) ?? 0) + 1;
    this.#historyVersions.set(history.file, version);
    return version;
  }

  async getSession(sid: string): Promise<SessionRecord | undefined> {
    const record = this.#sessions.data.sessions[sid];
    return record && structuredClone(record);
  }

  /** Sessions change a copy that replaces the stored one only once it is on disk. */
  #writeSessions(change: (sessions: Record<string, SessionRecord>) => boolean): Promise<void> {
    this.#check();
    return this.#mutex.run("sessions", async () => {
      const before = this.#sessions.data;
      const sessions = { ...before.sessions };
      if (!change(sessions)) return;
      this.#sessions.data = { sessions };
      try {
        await this.#sessions.write();
      } catch (error) {
        this.#sessions.data = before;
        throw error;
      }
    });
  }

  setSession(sid: string, record: SessionRecord): Promise<void> {
    return this.#writeSessions((sessions) => {
      sessions[sid] = structuredClone(record);
      return true;
    });
  }

  deleteSession(sid: string): Promise<void> {
    return this.#writeSessions((sessions) => {
      if (!(sid in sessions)) return false;
      delete sessions[sid];
      return true;
    });
  }

  pruneSessions(now: number): Promise<void> {
    return this.#writeSessions((sessions) => {
      const expired = Object.keys(sessions).filter((sid) => (sessions[sid]?.expires ?? 0) <= now);
      for (const sid of expired) delete sessions[sid];
      return expired.length > 0;
    });
  }

  async secret(name: string, create: () => string): Promise<string> {
    assertSafe(name, SAFE_ID, "secret name");
    const dir = this.#file("secrets");
    const file = path.join(dir, name);
    try {
      return (await readFile(file, "utf8")).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw new StoreCorruptError(file, (error as Error).message);
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const value = create();
    await writeFileDurable(file, `${value}\n`, 0o600, this.#disk);
    return value;
  }

  // Scale (issues 11 and 12): pages of the audit log, batched versions.

  listAuditPage(page: AuditPageQuery): Promise<AuditPage> {
    return this.#audit.page(page);
  }

  // One process owns the directory: the versions are in memory, a batch is the same lookups.
  async translationVersions(pairs: readonly TranslationPair[]): Promise<number[]> {
    return Promise.all(pairs.map((p) => this.translationVersion(p.document, p.lang)));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#mutex.idle();
    const logs = [
      ...[...this.#histories.values()].map((h) => h.log),
      ...this.#documentLogs.values(),
      ...(this.#accountsLog ? [this.#accountsLog] : []),
      ...(this.#glossaryLog ? [this.#glossaryLog] : []),
      ...(this.#qualityLog ? [this.#qualityLog] : []),
      ...(this.#commentsLog ? [this.#commentsLog] : []),
      ...(this.#memoryLog ? [this.#memoryLog] : []),
    ];
    await Promise.all(logs.map((log) => log.close()));
    await this.#audit.close();
    if (!this.#readOnly && this.#audit.complete)
      await writeFileDurable(this.#file(CLEAN_STOP), JSON.stringify({ tx: this.#tx })).catch(() => undefined);
    await this.#lock.release();
  }

  // Comments and source queries (issue 17): file-comments.ts keeps them in memory.
  async listComments(documentId: string): Promise<Comment[]> {
    return this.#comments.list(documentId);
  }

  async getComment(id: string): Promise<Comment | undefined> {
    return this.#comments.get(id);
  }

  async putComment(comment: Comment, audit?: AuditEntry, bounds?: CommentLimits): Promise<void> {
    // The check and the enqueue are one step per paragraph, counting the writes still on their way to
    // the disk; the wait for the disk is not, so that comments posted together are committed together.
    const { written } = await this.#mutex.run(`comments:${comment.documentId}/${comment.pid}`, async () => {
      const refused =
        bounds && breaksBound(this.#comments.thread(comment.documentId, comment.pid), comment, bounds);
      if (refused)
        throw new CommentBoundError(
          refused,
          comment.pid,
          refused === "comments" ? bounds.perParagraph : bounds.threadChars,
        );
      const written = this.#commit(this.#commentsLog, { comment }, audit);
      this.#comments.reserve(comment);
      return { written };
    });
    try {
      await written;
    } catch (error) {
      this.#comments.release(comment);
      throw error;
    }
    this.#comments.apply(comment);
  }

  async listInbox(query: InboxQuery): Promise<InboxPage> {
    return this.#comments.inbox(query);
  }

  async countInbox(username: string, author?: string): Promise<{ mentions: number; queries: number }> {
    return this.#comments.inboxCounts(username, author);
  }

  // Translation memory: imported TMX units, one commit log, handed out frozen.
  #memoryLog: CommitLog | undefined;
  readonly #memory = new Map<string, ImportedUnit>();
  /** The same units in the order first written: a unit's position is its place here, from 1. */
  readonly #memoryOrder: ImportedUnit[] = [];
  #memoryVersion = 0;

  async listMemoryUnits(): Promise<ImportedUnit[]> {
    return [...this.#memoryOrder];
  }

  async listMemoryUnitsAfter(position: number, limit: number): Promise<MemoryUnitPage> {
    const units = this.#memoryOrder.slice(position, position + limit);
    return { units, position: position + units.length };
  }

  async memoryHead(): Promise<MemoryHead> {
    return { version: this.#memoryVersion, position: this.#memoryOrder.length };
  }

  addMemoryUnits(
    units: ImportedUnit[],
    audit?: (added: readonly ImportedUnit[]) => AuditEntry,
  ): Promise<ImportedUnit[]> {
    this.#check();
    // One add at a time, so that what is held is known when the next one picks what it adds.
    return this.#mutex.run("memory", async () => {
      const added = new Map<string, ImportedUnit>();
      const pause = slicer();
      for (const unit of units) {
        if (!this.#memory.has(unit.id) && !added.has(unit.id)) added.set(unit.id, unit);
        await pause();
      }
      const put = [...added.values()];
      if (put.length === 0 && !audit) return [];
      await this.#commitMany(this.#memoryLog as CommitLog, put, {}, audit?.(put));
      for (const unit of put) {
        const held = deepFreeze(structuredClone(unit));
        this.#memory.set(unit.id, held);
        this.#memoryOrder.push(held);
        await pause();
      }
      this.#memoryVersion++;
      return put;
    });
  }

  async memoryVersion(): Promise<number> {
    return this.#memoryVersion;
  }

  // Find and replace (findstats): appends to several histories under all their locks.
  /**
   * Every history's lock is taken (in file order, so batches never deadlock), every append checked,
   * and only then are the commits written, one history after another, the audit entry with the
   * first. Against other writers this is all or nothing. It is not atomic against a crash or a
   * failed disk write between two histories: the histories written before stay written (each
   * commit is durable and whole); an `translation.batch_incomplete` audit entry then names the
   * histories written, and the error is thrown.
   */
  async appendTranslationBatch(appends: TranslationAppend[], audit?: AuditEntry): Promise<number[]> {
    this.#check();
    const [only] = appends;
    if (appends.length === 1 && only)
      return [await this.appendTranslationEvents(only.documentId, only.lang, only.events, audit)];
    const histories = appends.map((a) => this.#history(a.documentId, a.lang));
    const files = [...new Set(histories.map((h) => h.file))].sort();
    const locked = (k: number, work: () => Promise<number[]>): Promise<number[]> => {
      const file = files[k];
      return file === undefined ? work() : this.#mutex.run(file, () => locked(k + 1, work));
    };
    return locked(0, async () => {
      // The heads as they were: a refused batch puts them back. Not dropped to be read again, since
      // an earlier append may still be on its way to the disk, its heads moved but not yet durable.
      const before = histories.map((h) => (h.heads ? new Map(h.heads) : undefined));
      const restore = (from: number) => {
        for (const [j, history] of histories.entries()) if (j >= from) history.heads = before[j];
      };
      try {
        for (const [i, history] of histories.entries())
          await this.#checkHeads(history, appends[i]?.events ?? []);
      } catch (error) {
        restore(0);
        throw error;
      }
      const versions: number[] = [];
      for (const [i, history] of histories.entries()) {
        const events = appends[i]?.events ?? [];
        try {
          await this.#commit(history.log, { events }, i === 0 ? audit : undefined);
        } catch (error) {
          // The failed log dropped its own heads (log.onFailure); the ones not written go back.
          restore(i + 1);
          if (i > 0 && audit)
            await this.appendAudit({
              ...audit,
              action: "translation.batch_incomplete",
              details: {
                ...audit.details,
                written: appends.slice(0, i).map((a) => `${a.documentId}/${a.lang}`),
              },
            }).catch(() => undefined);
          throw error;
        }
        versions.push(this.#moved(history));
      }
      return versions;
    });
  }

  // --- Source versions (source updates, issue #13) ---
  // The version records ride in the document's own commit ({tx, document, sources}): the new source
  // and its record are durable together, in the log that already keeps every write of the document.

  async listSourceVersions(documentId: string): Promise<SourceVersion[]> {
    if (!SAFE_ID.test(documentId)) return [];
    await this.#loadDocuments();
    const log = this.#documentLogs.get(documentId);
    const file = this.#file("documents", `${documentId}.jsonl`);
    const commits = await readCommits(file, toDocumentCommit, log?.durableLength);
    const kept = new Map<number, SourceVersion>();
    for (const commit of commits)
      for (const version of commit.sources ?? [])
        if (!kept.has(version.version)) kept.set(version.version, version);
    return [...kept.values()].sort((a, b) => a.version - b.version);
  }

  updateDocumentSource(
    document: Document,
    versions: SourceVersion[],
    baseVersion: number,
    audit?: AuditEntry,
  ): Promise<void> {
    // One process owns the directory: the mutex orders the check and the write against each other.
    return this.#mutex.run(`source:${document.id}`, async () => {
      const stored = await this.getDocument(document.id);
      const current = stored?.version ?? 1;
      if (current !== baseVersion) throw new SourceVersionConflictError(current);
      const known =
        this.#sourceVersionsKept.get(document.id) ??
        new Set((await this.listSourceVersions(document.id)).map((v) => v.version));
      const written = stored ? { ...document, languages: stored.languages } : document;
      const fresh = versions.filter((v) => !known.has(v.version));
      await this.#putDocument(written, audit, { sources: fresh });
      for (const v of fresh) known.add(v.version);
      this.#sourceVersionsKept.set(document.id, known);
    });
  }

  // Quality checks: per-language settings and accepted words, one log (quality.jsonl).
  async readQuality(): Promise<QualityRecords> {
    return this.#quality;
  }

  async putQualitySettings(lang: string, settings: QualitySettings, audit?: AuditEntry): Promise<void> {
    await this.#writeQuality({ lang, settings }, audit);
  }

  async addAcceptedWords(lang: string, words: string[], audit?: AuditEntry): Promise<void> {
    await this.#writeQuality({ lang, words }, audit);
  }

  async qualityVersion(): Promise<number> {
    return this.#qualityVersion;
  }

  async #writeQuality(change: QualityChange, audit?: AuditEntry): Promise<void> {
    await this.#commit(this.#qualityLog, change, audit);
    // A new object each time: a reader holding the old one keeps a consistent picture.
    const next = structuredClone(this.#quality);
    applyQualityChange(next, change);
    this.#quality = next;
    this.#qualityVersion++;
  }

  // Target languages alone (source updates, issue #13).
  updateDocumentLanguages(
    id: string,
    change: (languages: readonly string[]) => string[],
    audit?: AuditEntry,
  ): Promise<Document | undefined> {
    // The same lock as updateDocumentSource: each reads the stored document and writes after it.
    return this.#mutex.run(`source:${id}`, async () => {
      const stored = await this.getDocument(id);
      if (!stored) return undefined;
      const written = { ...stored, languages: change(stored.languages) };
      await this.#putDocument(written, audit);
      return written;
    });
  }
}

/** Documents by (createdAt, id), as strings compare (code units), the order pages follow. */
function compareDocuments(
  a: Pick<Document, "createdAt" | "id">,
  b: Pick<Document, "createdAt" | "id">,
): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The index of the first document that sorts at or after `key`. */
function firstAtOrAfter(order: readonly DocumentKey[], key: DocumentKey): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareDocuments(order[mid] as DocumentKey, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first document that sorts after `key`, by binary search. */
function firstAfter(order: readonly DocumentKey[], key: DocumentKey): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareDocuments(order[mid] as DocumentKey, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
