/**
 * The file adapter: small JSON files through lowdb (written durably, one file per document so a
 * save never rewrites the others), and an append-only JSON-lines log per document and language
 * for translation history, so that a save costs one append and one fdatasync whatever the length
 * of the history.
 *
 *   data/
 *     glosa.lock                  the owning process
 *     meta.json                   layout version, first-start marker
 *     accounts.json               users and API token hashes
 *     glossary.json               the termbase
 *     sessions.json               browser sessions
 *     secrets/<name>              generated secrets (mode 600)
 *     audit.jsonl                 who changed what, append-only
 *     documents/<id>.json         a document and its paragraphs
 *     translations/<id>/<lang>.jsonl   revisions and reviews, append-only
 */

import { chmod, mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Low } from "lowdb";
import type { Term } from "../../glossary/term.ts";
import type { Document } from "../../translations/document.ts";
import type { TranslationEvent } from "../../translations/translation.ts";
import type { ApiToken, AuditEntry, User } from "../accounts/model.ts";
import { AppendLog, DurableJsonFile, readLog, writeFileDurable } from "./durable.ts";
import { deepFreeze } from "./freeze.ts";
import { type DirLock, lockDataDir } from "./lock.ts";
import { KeyedMutex } from "./mutex.ts";
import { type Meta, type SessionRecord, type Store, StoreCorruptError } from "./store.ts";

interface Accounts {
  users: User[];
  tokens: ApiToken[];
}
interface Glossary {
  terms: Term[];
}
interface Sessions {
  sessions: Record<string, SessionRecord>;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SAFE_LANG = /^[A-Za-z0-9-]{1,35}$/;

function assertSafe(value: string, pattern: RegExp, what: string): void {
  if (!pattern.test(value)) throw new Error(`unsafe ${what} for a file name: ${JSON.stringify(value)}`);
}

function isEvent(value: unknown): value is TranslationEvent {
  const v = value as Partial<TranslationEvent> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    (v.type === "revision" || v.type === "review" || v.type === "waiver") &&
    typeof v.pid === "string" &&
    typeof v.revision === "number"
  );
}

function isAudit(value: unknown): value is AuditEntry {
  const v = value as Partial<AuditEntry> | null;
  return typeof v === "object" && v !== null && typeof v.action === "string" && typeof v.at === "string";
}

async function openLow<T>(file: string, defaults: T, mode?: number): Promise<Low<T>> {
  const db = new Low<T>(new DurableJsonFile<T>(file, mode), defaults);
  await db.read();
  return db;
}

export class FileStore implements Store {
  readonly location: string;
  readonly #lock: DirLock;
  readonly #writes = new KeyedMutex();
  readonly #logs = new Map<string, AppendLog>();
  readonly #documents = new Map<string, Low<Document>>();
  #meta!: Low<Meta | null>;
  #accounts!: Low<Accounts>;
  #glossary!: Low<Glossary>;
  #sessions!: Low<Sessions>;
  #closed = false;

  readonly #readOnly: boolean;

  private constructor(dir: string, lock: DirLock, readOnly: boolean) {
    this.location = dir;
    this.#lock = lock;
    this.#readOnly = readOnly;
  }

  /**
   * Takes the directory's lock and reads every file, so that a damaged one stops start-up here,
   * naming the file, before anything is written.
   */
  static async open(dir: string, options: { readOnly?: boolean } = {}): Promise<FileStore> {
    const root = path.resolve(dir);
    if (options.readOnly) {
      // Readers (the export command) work beside a running server: no lock, and nothing is written,
      // which the store's atomic renames and appends make safe.
      const store = new FileStore(root, { release: async () => undefined }, true);
      await store.#load();
      return store;
    }
    await mkdir(path.join(root, "documents"), { recursive: true });
    await mkdir(path.join(root, "translations"), { recursive: true });
    const lock = await lockDataDir(root);
    const store = new FileStore(root, lock, false);
    try {
      await store.#load();
    } catch (error) {
      await lock.release();
      throw error;
    }
    return store;
  }

  async #load(): Promise<void> {
    const file = (name: string) => path.join(this.location, name);
    this.#meta = await openLow<Meta | null>(file("meta.json"), null);
    this.#accounts = await openLow<Accounts>(file("accounts.json"), { users: [], tokens: [] }, 0o600);
    this.#glossary = await openLow<Glossary>(file("glossary.json"), { terms: [] });
    this.#sessions = await openLow<Sessions>(file("sessions.json"), { sessions: {} }, 0o600);
    for (const [name, db] of [
      ["accounts.json", this.#accounts],
      ["glossary.json", this.#glossary],
      ["sessions.json", this.#sessions],
    ] as const) {
      if (typeof db.data !== "object" || db.data === null)
        throw new StoreCorruptError(file(name), "not an object");
    }
    if (!Array.isArray(this.#accounts.data.users) || !Array.isArray(this.#accounts.data.tokens))
      throw new StoreCorruptError(file("accounts.json"), "users or tokens missing");
    if (!Array.isArray(this.#glossary.data.terms))
      throw new StoreCorruptError(file("glossary.json"), "terms missing");

    for (const entry of await readdir(path.join(this.location, "documents"))) {
      if (!entry.endsWith(".json") || entry.startsWith(".")) continue;
      const id = entry.slice(0, -".json".length);
      const docFile = path.join(this.location, "documents", entry);
      const db = await openLow<Document>(docFile, null as unknown as Document);
      if (!db.data || db.data.id !== id || !Array.isArray(db.data.paragraphs))
        throw new StoreCorruptError(docFile, "not a document");
      deepFreeze(db.data);
      this.#documents.set(id, db);
    }
    // Read every history once so that a damaged log is found at start-up, not on first use.
    for (const id of this.#documents.keys()) {
      const dir = path.join(this.location, "translations", id);
      const files = await readdir(dir).catch(() => [] as string[]);
      for (const name of files)
        if (name.endsWith(".jsonl")) await readLog(path.join(dir, name), isEvent, this.#readOnly);
    }
    await readLog(path.join(this.location, "audit.jsonl"), isAudit, this.#readOnly);
  }

  #check(): void {
    if (this.#closed) throw new Error("the store is closed");
    if (this.#readOnly) throw new Error("the store was opened read-only");
  }

  #save<T>(db: Low<T>, key: string): Promise<void> {
    this.#check();
    return this.#writes.run(key, () => db.write());
  }

  #log(file: string): AppendLog {
    let log = this.#logs.get(file);
    if (!log) {
      log = new AppendLog(file);
      this.#logs.set(file, log);
    }
    return log;
  }

  async getMeta(): Promise<Meta | undefined> {
    return this.#meta.data ?? undefined;
  }

  async setMeta(meta: Meta): Promise<void> {
    this.#meta.data = meta;
    await this.#save(this.#meta, "meta");
  }

  async listUsers(): Promise<User[]> {
    return structuredClone(this.#accounts.data.users);
  }

  async getUser(username: string): Promise<User | undefined> {
    const user = this.#accounts.data.users.find((u) => u.username === username);
    return user && structuredClone(user);
  }

  async putUser(user: User): Promise<void> {
    const users = this.#accounts.data.users;
    const i = users.findIndex((u) => u.username === user.username);
    if (i >= 0) users[i] = structuredClone(user);
    else users.push(structuredClone(user));
    await this.#save(this.#accounts, "accounts");
  }

  async listTokens(username?: string): Promise<ApiToken[]> {
    return structuredClone(
      this.#accounts.data.tokens.filter((t) => username === undefined || t.username === username),
    );
  }

  async findTokenByHash(hash: string): Promise<ApiToken | undefined> {
    const token = this.#accounts.data.tokens.find((t) => t.hash === hash);
    return token && structuredClone(token);
  }

  async putToken(token: ApiToken): Promise<void> {
    this.#accounts.data.tokens = [...this.#accounts.data.tokens.filter((t) => t.id !== token.id), token];
    await this.#save(this.#accounts, "accounts");
  }

  async deleteToken(id: string): Promise<void> {
    this.#accounts.data.tokens = this.#accounts.data.tokens.filter((t) => t.id !== id);
    await this.#save(this.#accounts, "accounts");
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#check();
    await this.#log(path.join(this.location, "audit.jsonl")).append([entry]);
  }

  async listAudit(limit: number): Promise<AuditEntry[]> {
    const entries = await readLog(path.join(this.location, "audit.jsonl"), isAudit, this.#readOnly);
    return entries.slice(-limit).reverse();
  }

  async listTerms(): Promise<Term[]> {
    return structuredClone(this.#glossary.data.terms);
  }

  async writeTerms(put: Term[], remove: string[] = []): Promise<void> {
    const byId = new Map(this.#glossary.data.terms.map((t) => [t.id, t]));
    for (const id of remove) byId.delete(id);
    for (const term of put) byId.set(term.id, structuredClone(term));
    this.#glossary.data.terms = [...byId.values()];
    await this.#save(this.#glossary, "glossary");
  }

  // Documents are read on every request and can be large: they are handed out frozen, not copied.
  async listDocuments(): Promise<Document[]> {
    return [...this.#documents.values()].map((db) => db.data);
  }

  async getDocument(id: string): Promise<Document | undefined> {
    return this.#documents.get(id)?.data;
  }

  async putDocument(document: Document): Promise<void> {
    assertSafe(document.id, SAFE_ID, "document id");
    let db = this.#documents.get(document.id);
    if (!db) {
      db = new Low<Document>(
        new DurableJsonFile(path.join(this.location, "documents", `${document.id}.json`)),
        deepFreeze(structuredClone(document)),
      );
    }
    db.data = deepFreeze(structuredClone(document));
    await this.#save(db, `document:${document.id}`);
    this.#documents.set(document.id, db);
  }

  async readTranslationEvents(documentId: string, lang: string): Promise<TranslationEvent[]> {
    assertSafe(documentId, SAFE_ID, "document id");
    assertSafe(lang, SAFE_LANG, "language");
    return readLog(
      path.join(this.location, "translations", documentId, `${lang}.jsonl`),
      isEvent,
      this.#readOnly,
    );
  }

  async appendTranslationEvents(documentId: string, lang: string, events: TranslationEvent[]): Promise<void> {
    this.#check();
    assertSafe(documentId, SAFE_ID, "document id");
    assertSafe(lang, SAFE_LANG, "language");
    const dir = path.join(this.location, "translations", documentId);
    const file = path.join(dir, `${lang}.jsonl`);
    if (!this.#logs.has(file)) await mkdir(dir, { recursive: true });
    await this.#writes.run(file, () => this.#log(file).append(events));
  }

  async getSession(sid: string): Promise<SessionRecord | undefined> {
    const record = this.#sessions.data.sessions[sid];
    return record && structuredClone(record);
  }

  async setSession(sid: string, record: SessionRecord): Promise<void> {
    this.#sessions.data.sessions[sid] = structuredClone(record);
    await this.#save(this.#sessions, "sessions");
  }

  async deleteSession(sid: string): Promise<void> {
    if (!(sid in this.#sessions.data.sessions)) return;
    delete this.#sessions.data.sessions[sid];
    await this.#save(this.#sessions, "sessions");
  }

  async pruneSessions(now: number): Promise<void> {
    const sessions = this.#sessions.data.sessions;
    const expired = Object.keys(sessions).filter((sid) => (sessions[sid]?.expires ?? 0) <= now);
    if (expired.length === 0) return;
    for (const sid of expired) delete sessions[sid];
    await this.#save(this.#sessions, "sessions");
  }

  async secret(name: string, create: () => string): Promise<string> {
    assertSafe(name, SAFE_ID, "secret name");
    const dir = path.join(this.location, "secrets");
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
    await writeFileDurable(file, `${value}\n`, 0o600);
    return value;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.idle();
    await Promise.all([...this.#logs.values()].map((log) => log.close()));
    await this.#lock.release();
  }
}
