/**
 * The PostgreSQL adapter, for several Glosa processes on one database. Every write is one
 * transaction holding the change and its audit entry. Appends to a translation history are one
 * call of glosa_append_events (migrations/002): ordered by a lock on the history's row and checked
 * by the database: each paragraph's latest revision (`paragraph_heads`) is changed only where it
 * still is the one the append expects, and a unique index refuses a second revision N of a
 * paragraph. The schema is made by the numbered SQL
 * files in migrations/, applied at start-up under an advisory lock so that processes starting
 * together do not race.
 */

import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { duplicateKeys, type Term } from "../../glossary/term.ts";
import type { ImportedUnit } from "../../memory/tmx.ts";
import type { QualitySettings } from "../../quality/finding.ts";
import {
  type Comment,
  type CommentBound,
  type CommentLimits,
  commentChars,
} from "../../translations/comment.ts";
import type { Document, Paragraph } from "../../translations/document.ts";
import type { SourceVersion } from "../../translations/source-update.ts";
import type { TranslationEvent } from "../../translations/translation.ts";
import type { ApiToken, AuditEntry, User } from "../accounts/model.ts";
import { deepFreeze } from "./freeze.ts";
import { KeyedMutex } from "./mutex.ts";
import { PgPubSub } from "./pg-pubsub.ts";
import { emptyQualityRecords, type QualityRecords } from "./quality-records.ts";
import { jsonBytesInSlices } from "./slices.ts";
import {
  type AccountsChange,
  type AppendGuard,
  type AuditPage,
  type AuditPageQuery,
  auditCursor,
  CommentBoundError,
  CredentialRefusedError,
  checkPageLimit,
  type DocumentsPage,
  type DocumentsPageQuery,
  DuplicateTermError,
  documentCursor,
  GlossaryFullError,
  type InboxPage,
  type InboxQuery,
  inboxCursor,
  isActiveAdmin,
  LastAdminError,
  type MemoryHead,
  type MemoryUnitPage,
  type Meta,
  parseAuditCursor,
  parseDocumentCursor,
  parseInboxCursor,
  RepeatedReviewError,
  RevisionConflictError,
  type SessionRecord,
  SourceVersionConflictError,
  StaleDocumentError,
  StorageUnavailableError,
  type Store,
  type StoredJob,
  type StorePubSub,
  TermGoneError,
  type TermsImported,
  type TermWriteRules,
  type TranslationAppend,
  type TranslationPair,
  type UserChange,
  UserExistsError,
} from "./store.ts";

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
/** Advisory lock keys (any two constants; they only need to be the same in every Glosa process). */
const MIGRATION_LOCK = 0x476c6f73;
const EXCLUSIVE_LOCK = 0x476c6f74;
const ACCOUNTS_LOCK = 0x476c6f76;
/** The first key of a paragraph's comments' advisory lock (two-key locks never meet one-key ones). */
const COMMENT_THREAD_LOCK = 0x476c6f75;

export interface PgStoreOptions {
  /** Most connections this process opens (GLOSA_DATABASE_POOL_MAX); at least 2. */
  poolMax?: number;
  /** How long to wait for a connection before start-up gives up, in milliseconds. */
  connectTimeoutMs?: number;
}

/** The database cannot be used at start-up: unreachable, refused, missing, or a bad URL. */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(
      `Cannot use the PostgreSQL database ${location}: ${reason}. Check GLOSA_DATABASE_URL and that the database server is running.`,
    );
    this.name = "DatabaseUnavailableError";
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an invalid URL)";
  }
}

/** What a driver error says, in words a person starting Glosa can act on. */
function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e.code === "ECONNREFUSED")
    return "the connection was refused (is PostgreSQL running on that host and port?)";
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return "the host name cannot be resolved";
  if (e.code === "3D000") return `${e.message} (create it first: createdb)`;
  if (e.code === "28P01" || e.code === "28000") return `authentication failed (${e.message})`;
  return e.message ?? String(error);
}

/** Errors that mean the database cannot be reached now, rather than a mistake in the request. */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  const message = (error as Error)?.message ?? "";
  return (
    /^(08|28|3D|53|57|58)/.test(code) ||
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message)
  );
}

type Client = pg.PoolClient;

/**
 * Gives the terms stored before migration 021 (or by a process that predates it) their key digests,
 * oldest first, under the migration lock. A term that duplicates one before it (stored while the
 * rule was each process's own) keeps none: it is not deleted, and an edit of it is checked then.
 */
async function fillTermKeys(client: Client): Promise<void> {
  const missing = (
    await client.query<{ id: string; data: Term }>(
      "SELECT id, data FROM terms WHERE exact_key IS NULL ORDER BY position",
    )
  ).rows;
  if (missing.length === 0) return;
  const taken = new Set<string>();
  for (const row of (
    await client.query<{ exact_key: string; folded_key: string | null }>(
      "SELECT exact_key, folded_key FROM terms WHERE exact_key IS NOT NULL",
    )
  ).rows) {
    taken.add(row.exact_key);
    if (row.folded_key) taken.add(row.folded_key);
  }
  const filled: Term[] = [];
  for (const { data } of missing) {
    const { exact, folded } = termDigests(data);
    if (taken.has(exact) || (folded && taken.has(folded))) continue;
    taken.add(exact);
    if (folded) taken.add(folded);
    filled.push(data);
  }
  const [ids, , exact, folded] = termRows(filled);
  await client.query(
    `UPDATE terms SET exact_key = k.exact, folded_key = k.folded
     FROM unnest($1::text[], $2::text[], $3::text[]) AS k(id, exact, folded) WHERE terms.id = k.id`,
    [ids, exact, folded],
  );
}

/** Most paragraphs kept across the documents a process remembers. */
const CACHED_PARAGRAPHS = 200_000;

interface Cached {
  document: Document;
  version: number;
}

/** A glossaryVersion call waiting for its answer. */
interface GlossaryRead {
  resolve(version: number): void;
  reject(error: unknown): void;
}

/** Terms as rows: $1 ids, $2 data, $3 and $4 their key digests (termRows). */
const INSERT_TERMS = `INSERT INTO terms (id, data, exact_key, folded_key)
  SELECT id, data, exact_key, folded_key
  FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::text[]) WITH ORDINALITY AS t(id, data, exact_key, folded_key, n)
  ORDER BY n`;
const SET_TERM = "data = EXCLUDED.data, exact_key = EXCLUDED.exact_key, folded_key = EXCLUDED.folded_key";

/**
 * A term's duplicate keys (glossary/term.ts duplicateKeys) as the terms table keeps them: digests, since
 * a key holds U+0000, which text columns cannot, and a folded source can outgrow an index entry.
 */
function termDigests(term: Term): { exact: string; folded: string | null } {
  const { exact, folded } = duplicateKeys(term);
  const digest = (key: string) => createHash("sha256").update(key).digest("base64url");
  return { exact: digest(exact), folded: folded === undefined ? null : digest(folded) };
}

function termRows(terms: Term[]): unknown[] {
  const keys = terms.map(termDigests);
  return [
    terms.map((t) => t.id),
    terms.map((t) => JSON.stringify(t)),
    keys.map((k) => k.exact),
    keys.map((k) => k.folded),
  ];
}

/** Memory units written per INSERT: a few milliseconds of encoding each. */
const MEMORY_UNITS_PER_QUERY = 1000;

/** Documents with more paragraphs are written and read in slices (see getDocument). */
const LARGE_DOCUMENT = 500;
/** A row's document is large, in SQL. */
const IS_LARGE = `jsonb_array_length(d.data->'paragraphs') > ${LARGE_DOCUMENT}`;

/** A documents list's row: the document, or null when the cache holds it or it is large (`large`). */
interface DocumentRow {
  id: string;
  version: string;
  data: Document | null;
  large: boolean;
}

export class PgStore implements Store {
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #documents = new Map<string, Cached>();
  /** glossaryVersion calls of this turn of the event loop, waiting for a statement to carry them. */
  #glossaryReads: GlossaryRead[] | undefined;
  readonly pubsub: StorePubSub & { close(): Promise<void> };
  #cachedParagraphs = 0;
  #closed = false;
  /** Comment writes of this process, one at a time per paragraph (putComment). */
  readonly #commentThreads = new KeyedMutex();

  private constructor(url: string, pool: pg.Pool) {
    this.location = redactUrl(url);
    this.#pool = pool;
    this.pubsub = new PgPubSub(url, pool);
  }

  /** Connects, applies the migrations not applied yet, and returns the store; DatabaseUnavailableError when it cannot. */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUnavailableError(redactUrl(url), "the URL cannot be parsed");
    }
    if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")
      throw new DatabaseUnavailableError(
        redactUrl(url),
        "the URL must start with postgres:// or postgresql://",
      );
    const pool = new pg.Pool({
      connectionString: url,
      max: Math.max(2, options.poolMax ?? 10),
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    });
    // An idle connection the server drops must not take the process down; the next query reconnects.
    pool.on("error", () => undefined);
    const store = new PgStore(url, pool);
    try {
      await store.#migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(store.location, describe(error));
    }
    return store;
  }

  /** Applies every numbered migration not yet applied, in one transaction under an advisory lock. */
  async #migrate(): Promise<void> {
    const files = (await readdir(MIGRATIONS)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
    await this.#transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      const applied = new Set(
        (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
          (r) => r.version,
        ),
      );
      for (const file of files) {
        const version = Number.parseInt(file, 10);
        if (applied.has(version)) continue;
        await client.query(await readFile(path.join(MIGRATIONS, file), "utf8"));
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [version, file]);
      }
      await fillTermKeys(client);
    }, false);
  }

  async #query<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    this.#check();
    try {
      // A named statement is parsed and planned once per connection, not on every call.
      return await this.#pool.query<R>({ name: statementName(text), text, values });
    } catch (error) {
      throw this.#translate(error);
    }
  }

  /** Runs `work` in one transaction: all of it is committed, or none. */
  async #transaction<T>(work: (client: Client) => Promise<T>, translate = true): Promise<T> {
    this.#check();
    let client: Client;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw translate ? this.#translate(error) : error;
    }
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw translate ? this.#translate(error) : error;
    } finally {
      client.release();
    }
  }

  #translate(error: unknown): unknown {
    if (error instanceof RevisionConflictError || error instanceof RepeatedReviewError) return error;
    if (isUnavailable(error)) return new StorageUnavailableError(this.location, error);
    return error;
  }

  #check(): void {
    if (this.#closed) throw new Error("the store is closed");
  }

  async #audit(client: Client, audit: AuditEntry | undefined): Promise<void> {
    if (audit) await client.query("INSERT INTO audit (entry) VALUES ($1)", [JSON.stringify(audit)]);
  }

  async getMeta(): Promise<Meta | undefined> {
    return (await this.#query<{ data: Meta }>("SELECT data FROM meta")).rows[0]?.data;
  }

  async setMeta(meta: Meta): Promise<void> {
    await this.#query(
      "INSERT INTO meta (id, data) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data",
      [JSON.stringify(meta)],
    );
  }

  async listUsers(): Promise<User[]> {
    return (await this.#query<{ data: User }>("SELECT data FROM users ORDER BY position")).rows.map(
      (r) => r.data,
    );
  }

  async getUser(username: string): Promise<User | undefined> {
    return (await this.#query<{ data: User }>("SELECT data FROM users WHERE username = $1", [username]))
      .rows[0]?.data;
  }

  putUser(user: User, audit?: AuditEntry): Promise<void> {
    return this.writeAccounts({ users: [user] }, audit);
  }

  async createUser(user: User, audit?: AuditEntry): Promise<void> {
    await this.#transaction(async (client) => {
      const { rowCount } = await client.query(
        "INSERT INTO users (username, data) VALUES ($1, $2) ON CONFLICT (username) DO NOTHING",
        [user.username, JSON.stringify(user)],
      );
      if (!rowCount) throw new UserExistsError(user.username);
      await this.#audit(client, audit);
    });
  }

  async updateUser(username: string, change: UserChange, audit?: AuditEntry): Promise<User | undefined> {
    const { endTokens, ...fields } = change;
    return this.#transaction(async (client) => {
      // Every change of a user's role or access, in any process, one after another: the count of
      // enabled admins below stays true until this one commits.
      await client.query("SELECT pg_advisory_xact_lock($1)", [ACCOUNTS_LOCK]);
      const { rows } = await client.query<{ before: User; after: User }>(
        `UPDATE users u SET data = u.data || $2::jsonb FROM users old
          WHERE u.username = $1 AND old.username = u.username
          RETURNING old.data AS before, u.data AS after`,
        [username, JSON.stringify(fields)],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (isActiveAdmin(row.before) && !isActiveAdmin(row.after)) {
        const { rows: admins } = await client.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM users
            WHERE data->>'role' = 'admin' AND NOT COALESCE((data->>'disabled')::boolean, false)`,
        );
        if ((admins[0]?.count ?? 0) === 0) throw new LastAdminError(username);
      }
      if (endTokens) await client.query("DELETE FROM tokens WHERE username = $1", [username]);
      await this.#audit(client, audit);
      return row.after;
    });
  }

  async listTokens(username?: string): Promise<ApiToken[]> {
    const result =
      username === undefined
        ? await this.#query<{ data: ApiToken }>("SELECT data FROM tokens ORDER BY position")
        : await this.#query<{ data: ApiToken }>(
            "SELECT data FROM tokens WHERE username = $1 ORDER BY position",
            [username],
          );
    return result.rows.map((r) => r.data);
  }

  async findTokenByHash(hash: string): Promise<ApiToken | undefined> {
    return (await this.#query<{ data: ApiToken }>("SELECT data FROM tokens WHERE hash = $1 LIMIT 1", [hash]))
      .rows[0]?.data;
  }

  async findTokenWithUser(hash: string): Promise<{ token: ApiToken; user: User | undefined } | undefined> {
    const { rows } = await this.#query<{ token: ApiToken; user: User | null }>(
      `SELECT t.data AS token, u.data AS user FROM tokens t
       LEFT JOIN users u ON u.username = t.username WHERE t.hash = $1 LIMIT 1`,
      [hash],
    );
    const row = rows[0];
    return row ? { token: row.token, user: row.user ?? undefined } : undefined;
  }

  putToken(token: ApiToken, audit?: AuditEntry): Promise<void> {
    return this.writeAccounts({ tokens: [token] }, audit);
  }

  deleteToken(id: string, audit?: AuditEntry): Promise<void> {
    return this.writeAccounts({ removeTokens: [id] }, audit);
  }

  async writeAccounts(change: AccountsChange, audit?: AuditEntry): Promise<void> {
    await this.#transaction(async (client) => {
      for (const user of change.users ?? [])
        await client.query(
          "INSERT INTO users (username, data) VALUES ($1, $2) ON CONFLICT (username) DO UPDATE SET data = EXCLUDED.data",
          [user.username, JSON.stringify(user)],
        );
      for (const token of change.tokens ?? [])
        await client.query(
          `INSERT INTO tokens (id, username, hash, data) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, hash = EXCLUDED.hash, data = EXCLUDED.data`,
          [token.id, token.username, token.hash, JSON.stringify(token)],
        );
      if (change.removeTokens?.length)
        await client.query("DELETE FROM tokens WHERE id = ANY($1::text[])", [change.removeTokens]);
      await this.#audit(client, audit);
    });
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.#query("INSERT INTO audit (entry) VALUES ($1)", [JSON.stringify(entry)]);
  }

  async listAudit(limit: number): Promise<AuditEntry[]> {
    return (
      await this.#query<{ entry: AuditEntry }>("SELECT entry FROM audit ORDER BY id DESC LIMIT $1", [
        Math.max(0, Math.floor(limit)),
      ])
    ).rows.map((r) => r.entry);
  }

  async listTerms(): Promise<Term[]> {
    return (await this.#query<{ data: Term }>("SELECT data FROM terms ORDER BY position")).rows.map(
      (r) => r.data,
    );
  }

  /**
   * The unique indexes on the terms' keys (migration 021) decide: a writer that finds a key taken,
   * or waits for the writer taking it to commit, is refused by the database, then told which term.
   */
  async writeTerms(
    put: Term[],
    remove: string[] = [],
    audit?: AuditEntry,
    rules: TermWriteRules = {},
  ): Promise<void> {
    if (put.length === 0 && remove.length === 0 && !audit) return;
    try {
      await this.#transaction(async (client) => {
        // The counter's row lock puts the glossary's writers, in every process, one after another:
        // what is checked below stays true until this one commits.
        await client.query("UPDATE counters SET value = value + 1 WHERE name = 'glossary'");
        if (rules.held?.length) {
          const { rows } = await client.query<{ id: string }>(
            "SELECT id FROM terms WHERE id = ANY($1::text[])",
            [rules.held],
          );
          const found = new Set(rows.map((r) => r.id));
          const gone = rules.held.find((id) => !found.has(id));
          if (gone !== undefined) throw new TermGoneError(gone);
        }
        const removed = remove.length
          ? ((await client.query("DELETE FROM terms WHERE id = ANY($1::text[])", [remove])).rowCount ?? 0)
          : 0;
        const added = put.length
          ? (
              await client.query<{ added: boolean }>(
                `${INSERT_TERMS} ON CONFLICT (id) DO UPDATE SET ${SET_TERM} RETURNING (xmax = 0) AS added`,
                termRows(put),
              )
            ).rows.filter((r) => r.added).length
          : 0;
        await this.#assertRoom(client, rules.maxTerms, added, removed);
        await this.#audit(client, audit);
      });
    } catch (error) {
      throw await this.#duplicateTerm(error, put);
    }
  }

  async importTerms(
    add: Term[],
    update: Term[],
    audit?: (written: TermsImported) => AuditEntry,
    rules: Pick<TermWriteRules, "maxTerms"> = {},
  ): Promise<TermsImported> {
    try {
      return await this.#transaction(async (client) => {
        await client.query("UPDATE counters SET value = value + 1 WHERE name = 'glossary'");
        if (update.length)
          await client.query(`${INSERT_TERMS} ON CONFLICT (id) DO UPDATE SET ${SET_TERM}`, termRows(update));
        // A term another writer added first (this insert waits on its key until that one commits) is
        // not returned: each term is added, and counted, once.
        const inserted = new Set(
          add.length
            ? (
                await client.query<{ id: string }>(
                  `${INSERT_TERMS} ON CONFLICT DO NOTHING RETURNING id`,
                  termRows(add),
                )
              ).rows.map((r) => r.id)
            : [],
        );
        const written: TermsImported = { added: [], skipped: [] };
        const skipped: Term[] = [];
        for (const term of add) (inserted.has(term.id) ? written.added : skipped).push(term);
        if (skipped.length) {
          const digests = skipped.flatMap((t) => Object.values(termDigests(t)).filter((d) => d !== null));
          const held = new Map<string, Term>();
          const { rows } = await client.query<{ data: Term; exact_key: string; folded_key: string | null }>(
            "SELECT data, exact_key, folded_key FROM terms WHERE exact_key = ANY($1::text[]) OR folded_key = ANY($1::text[])",
            [digests],
          );
          for (const row of rows) {
            held.set(row.exact_key, row.data);
            if (row.folded_key) held.set(row.folded_key, row.data);
          }
          for (const term of skipped) {
            const keys = termDigests(term);
            const other = held.get(keys.exact) ?? (keys.folded ? held.get(keys.folded) : undefined);
            written.skipped.push(other ? { term, held: other } : { term });
          }
        }
        await this.#assertRoom(client, rules.maxTerms, written.added.length, 0);
        await this.#audit(client, audit?.(written));
        return written;
      });
    } catch (error) {
      throw await this.#duplicateTerm(error, update);
    }
  }

  /**
   * In a glossary write, after its changes: refuses it (the transaction rolls back) when it added
   * terms and the glossary now holds more than `maxTerms`. A write that adds none is never refused.
   */
  async #assertRoom(client: Client, maxTerms: number | undefined, added: number, removed: number) {
    if (maxTerms === undefined || added === 0) return;
    const { rows } = await client.query<{ count: number }>("SELECT count(*)::int AS count FROM terms");
    const count = rows[0]?.count ?? 0;
    if (count > maxTerms) throw new GlossaryFullError(maxTerms, count - added + removed, added);
  }

  /**
   * A unique key refused in a terms write, as DuplicateTermError naming the term written and the one
   * that holds the key (read after the rollback; absent if it is gone since); other errors as they are.
   */
  async #duplicateTerm(error: unknown, written: Term[]): Promise<unknown> {
    const e = error as { code?: string; constraint?: string; detail?: string };
    if (e.code !== "23505" || (e.constraint !== "terms_exact_key" && e.constraint !== "terms_folded_key"))
      return error;
    const digest = /=\(([^)]*)\)/.exec(e.detail ?? "")?.[1];
    const holding = (t: Term) => {
      const keys = termDigests(t);
      return keys.exact === digest || keys.folded === digest;
    };
    const holders = written.filter(holding);
    const [term, later] = holders;
    if (!term || !digest) return error;
    const stored = (
      await this.#query<{ data: Term }>(
        "SELECT data FROM terms WHERE exact_key = $1 OR folded_key = $1 LIMIT 1",
        [digest],
      )
    ).rows[0]?.data;
    if (stored && !holders.some((t) => t.id === stored.id)) return new DuplicateTermError(term, stored);
    // Two terms of the same write clash: the later one was refused.
    return later ? new DuplicateTermError(later, term) : new DuplicateTermError(term, stored);
  }

  /**
   * A save asks for the glossary's version (for its checks) in the same turn of the event loop as
   * it sends its append: the read then rides on the append's statement, which starts after this
   * call, so it is as fresh as a query of its own and costs no second statement. Without an append
   * before the turn ends, it is a query of its own.
   */
  glossaryVersion(): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!this.#glossaryReads) {
        const reads: GlossaryRead[] = [];
        this.#glossaryReads = reads;
        setImmediate(() => {
          if (this.#glossaryReads !== reads) return;
          this.#glossaryReads = undefined;
          this.#answer(reads, this.#readGlossaryVersion());
        });
      }
      this.#glossaryReads.push({ resolve, reject });
    });
  }

  async #readGlossaryVersion(): Promise<number> {
    const row = (await this.#query<{ value: string }>(GLOSSARY_VERSION_SQL)).rows[0];
    return Number(row?.value ?? 0);
  }

  #answer(reads: GlossaryRead[], version: Promise<number>): void {
    version.then(
      (v) => {
        for (const read of reads) read.resolve(v);
      },
      (error: unknown) => {
        for (const read of reads) read.reject(error);
      },
    );
  }

  /** Keeps a document read at `version`, most recently used last, within the paragraph budget. */
  /**
   * The documents of a list's rows: from the row, from the cache when the row says it is current, or,
   * for a large one that changed, read as rows of paragraphs (getDocument) rather than parsed at once.
   */
  async #documentsOf(rows: DocumentRow[], kept = new Map(this.#documents)): Promise<Document[]> {
    const documents: Document[] = [];
    for (const r of rows) {
      if (r.data) documents.push(this.#remember(r.data, Number(r.version)));
      else if (r.large) {
        const read = await this.getDocument(r.id);
        if (read) documents.push(read);
      } else documents.push((kept.get(r.id) as Cached).document);
    }
    return documents;
  }

  #remember(document: Document, version: number): Document {
    const frozen = deepFreeze(document);
    const before = this.#documents.get(document.id);
    if (before) {
      this.#documents.delete(document.id);
      this.#cachedParagraphs -= before.document.paragraphs.length;
    }
    this.#documents.set(document.id, { document: frozen, version });
    this.#cachedParagraphs += frozen.paragraphs.length;
    for (const [id, entry] of this.#documents) {
      if (this.#cachedParagraphs <= CACHED_PARAGRAPHS || this.#documents.size <= 1) break;
      this.#documents.delete(id);
      this.#cachedParagraphs -= entry.document.paragraphs.length;
    }
    return frozen;
  }

  // Documents can be large: each is sent again only when its version moved since this process kept it.
  async listDocuments(): Promise<Document[]> {
    const known = [...this.#documents.entries()];
    const { rows } = await this.#query<DocumentRow>(
      `SELECT d.id, d.version, CASE WHEN k.version = d.version OR ${IS_LARGE} THEN NULL ELSE d.data END AS data,
              (k.version IS DISTINCT FROM d.version AND ${IS_LARGE}) AS large
       FROM documents d LEFT JOIN unnest($1::text[], $2::bigint[]) AS k(id, version) ON k.id = d.id
       ORDER BY d.created_at, d.id`,
      [known.map(([id]) => id), known.map(([, e]) => e.version)],
    );
    return this.#documentsOf(rows);
  }

  // Keyset pagination on migrations/004's index: one index range scan whatever the number of documents.
  async listDocumentsPage({ limit, after, before }: DocumentsPageQuery): Promise<DocumentsPage> {
    checkPageLimit(limit);
    const afterKey = after === undefined ? undefined : parseDocumentCursor(after);
    const beforeKey = afterKey || before === undefined ? undefined : parseDocumentCursor(before);
    const key = afterKey ?? beforeKey;
    const backwards = beforeKey !== undefined;
    const known = [...this.#documents.entries()];
    // One more row than asked says whether the list goes on in the direction read. The bound is a
    // plain row comparison on the index's columns, so that both directions are an index range scan.
    const sortKey = `(data->>'createdAt') COLLATE "C"`;
    const order = backwards ? "DESC" : "ASC";
    const where = key
      ? `WHERE (${sortKey}, id COLLATE "C") ${backwards ? "<" : ">"} ($3::text COLLATE "C", $4::text COLLATE "C")`
      : "WHERE $3::text IS NULL AND $4::text IS NULL";
    const { rows } = await this.#query<DocumentRow>(
      `SELECT d.id, d.version, CASE WHEN k.version = d.version OR ${IS_LARGE} THEN NULL ELSE d.data END AS data,
              (k.version IS DISTINCT FROM d.version AND ${IS_LARGE}) AS large
       FROM (SELECT id, version, data, ${sortKey} AS sort_key FROM documents ${where}
             ORDER BY ${sortKey} ${order}, id COLLATE "C" ${order} LIMIT $5) d
       LEFT JOIN unnest($1::text[], $2::bigint[]) AS k(id, version) ON k.id = d.id
       ORDER BY d.sort_key ${order}, d.id COLLATE "C" ${order}`,
      [
        known.map(([id]) => id),
        known.map(([, e]) => e.version),
        key?.createdAt ?? null,
        key?.id ?? null,
        limit + 1,
      ],
    );
    const documents = await this.#documentsOf(rows.slice(0, limit), new Map(known));
    const more = rows.length > limit;
    if (backwards) documents.reverse();
    const first = documents[0];
    const last = documents.at(-1);
    return {
      documents,
      ...(last && (backwards || more) ? { next: documentCursor(last) } : {}),
      ...(first && (backwards ? more : key !== undefined) ? { previous: documentCursor(first) } : {}),
    };
  }

  /**
   * A document read as rows, its paragraphs one a row: node-postgres parses each row as its bytes
   * arrive, a socket chunk per turn of the event loop (one 22 MB jsonb value, parsed at once, held it
   * ~100 ms). One statement, so the head and the paragraphs are of one version.
   */
  async getDocument(id: string): Promise<Document | undefined> {
    const cached = this.#documents.get(id);
    const { rows } = await this.#query<{
      version: string;
      head: Omit<Document, "paragraphs"> | null;
      paragraph: Paragraph | null;
    }>(
      `SELECT d.version,
              CASE WHEN d.version = $2 THEN NULL WHEN p.n IS NULL OR p.n = 1 THEN d.data - 'paragraphs' END AS head,
              p.elem AS paragraph
       FROM documents d
       LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN d.version = $2 THEN '[]'::jsonb ELSE d.data->'paragraphs' END)
         WITH ORDINALITY AS p(elem, n) ON true
       WHERE d.id = $1
       ORDER BY p.n`,
      [id, cached?.version ?? -1],
    );
    const first = rows[0];
    if (!first) {
      if (cached) this.#documents.delete(id);
      return undefined;
    }
    if (first.head === null && cached) {
      this.#documents.delete(id);
      this.#documents.set(id, cached);
      return cached.document;
    }
    const paragraphs: Paragraph[] = [];
    for (const row of rows) if (row.paragraph) paragraphs.push(row.paragraph);
    return this.#remember(
      { ...(first.head as Omit<Document, "paragraphs">), paragraphs },
      Number(first.version),
    );
  }

  async putDocument(document: Document, audit?: AuditEntry): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO documents (id, data) VALUES ($1, $2::text::jsonb)
         ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, version = documents.version + 1`,
        // A document of thousands of paragraphs is megabytes of JSON: made a slice per turn, and
        // handed to the driver as bytes (a string that size was encoded again at once).
        [
          document.id,
          document.paragraphs.length > LARGE_DOCUMENT
            ? await jsonBytesInSlices(document)
            : JSON.stringify(document),
        ],
      );
      await this.#audit(client, audit);
    });
  }

  async readTranslationEvents(documentId: string, lang: string): Promise<TranslationEvent[]> {
    return (
      await this.#query<{ event: TranslationEvent }>(
        "SELECT event FROM translation_events WHERE document = $1 AND lang = $2 ORDER BY seq",
        [documentId, lang],
      )
    ).rows.map((r) => r.event);
  }

  async translationVersion(documentId: string, lang: string): Promise<number> {
    const row = (
      await this.#query<{ version: string }>(
        "SELECT version FROM histories WHERE document = $1 AND lang = $2",
        [documentId, lang],
      )
    ).rows[0];
    return Number(row?.version ?? 0);
  }

  /** Every (document, language) with a history, for copying a store. */
  async listHistories(): Promise<{ document: string; lang: string }[]> {
    return (
      await this.#query<{ document: string; lang: string }>(
        "SELECT document, lang FROM histories ORDER BY document, lang",
      )
    ).rows;
  }

  async appendTranslationEvents(
    documentId: string,
    lang: string,
    events: TranslationEvent[],
    audit?: AuditEntry,
    guard?: AppendGuard,
  ): Promise<number> {
    if (events.length === 0 && !audit) return this.translationVersion(documentId, lang);
    const { values, assumed } = appendValues(documentId, lang, events, audit);
    const { credential, documentVersion } = guard ?? {};
    const guarded = credential !== undefined || documentVersion !== undefined;
    // Glossary version reads of this turn ride on the append (glossaryVersion).
    const reads = this.#glossaryReads;
    this.#glossaryReads = undefined;
    const sql = `${guarded ? GUARDED_APPEND_SQL : APPEND_SQL}${reads ? `, (${GLOSSARY_VERSION_SQL}) AS glossary` : ""}`;
    try {
      const { rows } = await this.#query<{ version: string; glossary?: string }>(
        sql,
        guarded
          ? [
              credential?.tokenHash ?? null,
              credential?.username ?? null,
              credential ? [...credential.roles] : null,
              documentVersion ?? null,
              ...values,
            ]
          : values,
      );
      if (reads) this.#answer(reads, Promise.resolve(Number(rows[0]?.glossary ?? 0)));
      return Number(rows[0]?.version);
    } catch (error) {
      if (reads) this.#answer(reads, this.#readGlossaryVersion());
      const { code } = error as { code?: string };
      if (code === "GL401") throw new CredentialRefusedError();
      if (code === "GL412") {
        this.#documents.delete(documentId);
        throw new StaleDocumentError(documentId);
      }
      throw await this.#appendFailure(error, documentId, lang, assumed);
    }
  }

  knownDocument(id: string): { document: Document; version: number } | undefined {
    return this.#documents.get(id);
  }

  /** A refused append as RevisionConflictError naming the paragraph; any other error as it is. */
  async #appendFailure(
    error: unknown,
    documentId: string,
    lang: string,
    assumed: Map<string, number>,
  ): Promise<unknown> {
    const { code, detail } = error as { code?: string; detail?: string };
    if (code === "GL208") {
      const named = JSON.parse(detail || "{}") as { pid?: string; revision?: number; action?: string };
      return new RepeatedReviewError(named.pid ?? "", named.revision ?? 0, named.action ?? "");
    }
    if (code === "GL409") {
      const named = JSON.parse(detail || "{}") as { pid?: string; expected?: number; latest?: number };
      if (named.pid !== undefined)
        return new RevisionConflictError(named.pid, named.expected ?? 0, named.latest ?? 0);
    }
    // The unique index is the last word: a second revision N of a paragraph is a conflict too.
    const duplicate = code === "23505" && /translation_events_one_revision/.test((error as Error).message);
    if (code === "GL409" || duplicate) return this.#conflict(documentId, lang, assumed);
    return error;
  }

  /**
   * Names the first paragraph whose latest revision is not the one the refused append assumed,
   * read after the rollback (inside it, the append's own changes would show).
   */
  async #conflict(
    documentId: string,
    lang: string,
    assumed: Map<string, number>,
  ): Promise<RevisionConflictError> {
    const { rows } = await this.#query<{ pid: string; revision: number }>(
      "SELECT pid, revision FROM paragraph_heads WHERE document = $1 AND lang = $2 AND pid = ANY($3::text[])",
      [documentId, lang, [...assumed.keys()]],
    );
    const heads = new Map(rows.map((r) => [r.pid, r.revision]));
    for (const [pid, expected] of assumed) {
      const latest = heads.get(pid) ?? 0;
      if (latest !== expected) return new RevisionConflictError(pid, expected, latest);
    }
    const [pid, expected] = [...assumed][0] ?? ["", 0];
    return new RevisionConflictError(pid, expected, heads.get(pid) ?? 0);
  }

  async getSession(sid: string): Promise<SessionRecord | undefined> {
    const row = (
      await this.#query<{ data: unknown; expires: string }>(
        "SELECT data, expires FROM sessions WHERE sid = $1",
        [sid],
      )
    ).rows[0];
    return row && { data: row.data, expires: Number(row.expires) };
  }

  async setSession(sid: string, record: SessionRecord): Promise<void> {
    await this.#query(
      `INSERT INTO sessions (sid, data, expires) VALUES ($1, $2, $3)
       ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, expires = EXCLUDED.expires`,
      [sid, JSON.stringify(record.data), Math.floor(record.expires)],
    );
  }

  async deleteSession(sid: string): Promise<void> {
    await this.#query("DELETE FROM sessions WHERE sid = $1", [sid]);
  }

  async pruneSessions(now: number): Promise<void> {
    await this.#query("DELETE FROM sessions WHERE expires <= $1", [Math.floor(now)]);
  }

  async secret(name: string, create: () => string): Promise<string> {
    const read = async () =>
      (await this.#query<{ value: string }>("SELECT value FROM secrets WHERE name = $1", [name])).rows[0]
        ?.value;
    const existing = await read();
    if (existing !== undefined) return existing;
    // Processes starting together may both create one: the first insert wins, every process reads it.
    await this.#query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
      name,
      create(),
    ]);
    const value = await read();
    if (value === undefined) throw new Error(`secret ${name} vanished`);
    return value;
  }

  /** Holds a session-level advisory lock on one connection while `work` runs on the others. */
  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    this.#check();
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw this.#translate(error);
    });
    try {
      await client.query("SELECT pg_advisory_lock($1)", [EXCLUSIVE_LOCK]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [EXCLUSIVE_LOCK]).catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }

  // Scale (issues 11 and 12): pages of the audit log, batched versions, shared request counters.

  // Keyset pagination on the audit table's primary key: one index range scan per page.
  async listAuditPage({ limit, after, before }: AuditPageQuery): Promise<AuditPage> {
    checkPageLimit(limit);
    const afterId = after === undefined ? undefined : parseAuditCursor(after);
    const beforeId = afterId !== undefined || before === undefined ? undefined : parseAuditCursor(before);
    const backwards = beforeId !== undefined;
    const key = afterId ?? beforeId;
    // One more row than asked says whether the log goes on in the direction read.
    const { rows } = await this.#query<{ id: string; entry: AuditEntry }>(
      backwards
        ? "SELECT id, entry FROM audit WHERE id > $1 ORDER BY id ASC LIMIT $2"
        : "SELECT id, entry FROM audit WHERE $1::bigint IS NULL OR id < $1 ORDER BY id DESC LIMIT $2",
      [key ?? null, limit + 1],
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    if (backwards) page.reverse();
    const first = page[0];
    const last = page.at(-1);
    return {
      entries: page.map((r) => r.entry),
      ...(last && (backwards || more) ? { next: auditCursor(Number(last.id)) } : {}),
      ...(first && (backwards ? more : key !== undefined) ? { previous: auditCursor(Number(first.id)) } : {}),
    };
  }

  async translationVersions(pairs: readonly TranslationPair[]): Promise<number[]> {
    if (pairs.length === 0) return [];
    const { rows } = await this.#query<{ version: string | null }>(
      `SELECT h.version FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(document, lang, n)
       LEFT JOIN histories h ON h.document = k.document AND h.lang = k.lang
       ORDER BY k.n`,
      [pairs.map((p) => p.document), pairs.map((p) => p.lang)],
    );
    return rows.map((r) => Number(r.version ?? 0));
  }

  // One upsert under the key's row lock: processes counting together never lose a hit. A window
  // that has ended starts again at 1.
  async countHit(key: string, windowMs: number): Promise<{ count: number; resetAt: Date }> {
    const { rows } = await this.#query<{ hits: number; reset_at: Date }>(
      `INSERT INTO rate_limits (key, hits, reset_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limits.reset_at <= now() THEN 1 ELSE rate_limits.hits + 1 END,
         reset_at = CASE WHEN rate_limits.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limits.reset_at END
       RETURNING hits, reset_at`,
      [key, Math.max(1, Math.floor(windowMs))],
    );
    // Now and then, windows long over are swept, so that the table holds only live counters.
    if (Math.random() < 0.002)
      void this.#query("DELETE FROM rate_limits WHERE reset_at < now() - interval '1 hour'").catch(
        () => undefined,
      );
    const row = rows[0] as { hits: number; reset_at: Date };
    return { count: row.hits, resetAt: row.reset_at };
  }

  async uncountHit(key: string): Promise<void> {
    await this.#query("UPDATE rate_limits SET hits = greatest(hits - 1, 0) WHERE key = $1", [key]);
  }

  async resetHits(key: string): Promise<void> {
    await this.#query("DELETE FROM rate_limits WHERE key = $1", [key]);
  }

  // --- Live stream slots (issue 17, migration 017) ---
  // Counted under a transaction lock on the owner, so that two processes claiming the last slot
  // together cannot both get it; expired rows (a process that died) are swept first.
  async claimStreamSlot(owner: string, id: string, max: number, ttlMs: number): Promise<boolean> {
    return this.#transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('glosa.live_streams'), hashtext($1))", [
        owner,
      ]);
      await client.query("DELETE FROM live_streams WHERE owner = $1 AND expires_at <= now()", [owner]);
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM live_streams WHERE owner = $1",
        [owner],
      );
      if ((rows[0]?.n ?? 0) >= max) return false;
      await client.query(
        "INSERT INTO live_streams (id, owner, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')",
        [id, owner, Math.max(1, Math.floor(ttlMs))],
      );
      return true;
    });
  }

  async renewStreamSlots(ids: readonly string[], ttlMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.#query(
      "UPDATE live_streams SET expires_at = now() + $2 * interval '1 millisecond' WHERE id = ANY($1::text[])",
      [ids, Math.max(1, Math.floor(ttlMs))],
    );
  }

  async releaseStreamSlot(id: string): Promise<void> {
    await this.#query("DELETE FROM live_streams WHERE id = $1", [id]);
  }

  // --- Pre-translation jobs (issue #16, migration 011) ---
  async putJob(job: StoredJob): Promise<void> {
    await this.#query(
      `INSERT INTO pretranslate_jobs (id, document, lang, state, done, total, body, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, done = EXCLUDED.done, total = EXCLUDED.total,
         body = EXCLUDED.body, updated_at = now()
       WHERE pretranslate_jobs.state = 'running'`,
      [job.id, job.documentId, job.lang, job.state, job.done, job.total, JSON.stringify(job.body)],
    );
    // Now and then, jobs finished long ago are swept.
    if (Math.random() < 0.01)
      void this.#query(
        "DELETE FROM pretranslate_jobs WHERE state <> 'running' AND updated_at < now() - interval '7 days'",
      ).catch(() => undefined);
  }

  async claimJob(job: StoredJob, staleAfterMs: number): Promise<{ running?: string }> {
    return this.#transaction(async (client) => {
      // The heartbeat stopped: the process that ran the job is gone, so the job failed.
      await client.query(
        `UPDATE pretranslate_jobs SET state = 'failed',
           body = body || jsonb_build_object('state', 'failed', 'error', 'the process running it stopped')
         WHERE document = $1 AND lang = $2 AND state = 'running'
           AND updated_at < now() - make_interval(secs => $3)`,
        [job.documentId, job.lang, staleAfterMs / 1000],
      );
      // The partial unique index of migrations/012 lets one running row per document and language.
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO pretranslate_jobs (id, document, lang, state, done, total, body, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (document, lang) WHERE state = 'running' DO NOTHING RETURNING id`,
        [job.id, job.documentId, job.lang, job.state, job.done, job.total, JSON.stringify(job.body)],
      );
      if (rows.length > 0) return {};
      const running = await client.query<{ id: string }>(
        "SELECT id FROM pretranslate_jobs WHERE document = $1 AND lang = $2 AND state = 'running'",
        [job.documentId, job.lang],
      );
      return { running: running.rows[0]?.id ?? "" };
    });
  }

  async getJob(id: string): Promise<(StoredJob & { cancelRequested: boolean; updatedAt: Date }) | undefined> {
    const { rows } = await this.#query<{
      document: string;
      lang: string;
      state: string;
      done: number;
      total: number;
      body: unknown;
      cancel: boolean;
      updated_at: Date;
    }>(
      "SELECT document, lang, state, done, total, body, cancel, updated_at FROM pretranslate_jobs WHERE id = $1",
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id,
      documentId: row.document,
      lang: row.lang,
      state: row.state,
      done: row.done,
      total: row.total,
      body: row.body,
      cancelRequested: row.cancel,
      updatedAt: row.updated_at,
    };
  }

  async requestJobCancel(id: string): Promise<boolean> {
    const { rowCount } = await this.#query("UPDATE pretranslate_jobs SET cancel = true WHERE id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pubsub.close();
    await this.#pool.end();
  }

  // Translation memory (migrations/006): imported TMX units.
  async listMemoryUnits(): Promise<ImportedUnit[]> {
    return (
      await this.#query<{ data: ImportedUnit }>("SELECT data FROM memory_units ORDER BY position")
    ).rows.map((r) => r.data);
  }

  async listMemoryUnitsAfter(position: number, limit: number): Promise<MemoryUnitPage> {
    const { rows } = await this.#query<{ position: string; data: ImportedUnit }>(
      "SELECT position, data FROM memory_units WHERE position > $1 ORDER BY position LIMIT $2",
      [position, limit],
    );
    const last = rows.at(-1);
    return { units: rows.map((r) => r.data), position: last ? Number(last.position) : position };
  }

  async memoryHead(): Promise<MemoryHead> {
    // One statement, one snapshot: the version and the last position agree.
    const row = (
      await this.#query<{ version: string; position: string }>(
        `SELECT (SELECT value FROM counters WHERE name = 'memory') AS version,
                (SELECT coalesce(max(position), 0) FROM memory_units) AS position`,
      )
    ).rows[0];
    return { version: Number(row?.version ?? 0), position: Number(row?.position ?? 0) };
  }

  async addMemoryUnits(
    units: ImportedUnit[],
    audit?: (added: readonly ImportedUnit[]) => AuditEntry,
  ): Promise<ImportedUnit[]> {
    if (units.length === 0 && !audit) return [];
    return this.#transaction(async (client) => {
      // First: the counter's row lock makes adds take their turn, in every process, so units get
      // their positions (bigserial, drawn at insert) in the order the adds commit, as
      // listMemoryUnitsAfter promises: a reader past a position never misses one committed later.
      await client.query("UPDATE counters SET value = value + 1 WHERE name = 'memory'");
      const added: ImportedUnit[] = [];
      // In batches, one transaction still: node-postgres encodes a query's array parameters in one
      // synchronous go, and 100,000 units held the event loop 1.3-4.6 s. A unit another writer added
      // first (its insert waits on the key until that one commits) is not returned: counted once.
      for (let start = 0; start < units.length; start += MEMORY_UNITS_PER_QUERY) {
        const batch = units.slice(start, start + MEMORY_UNITS_PER_QUERY);
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO memory_units (id, data)
           SELECT id, data FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS t(id, data, n) ORDER BY n
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [batch.map((u) => u.id), batch.map((u) => JSON.stringify(u))],
        );
        const inserted = new Set(rows.map((r) => r.id));
        for (const unit of batch) if (inserted.delete(unit.id)) added.push(unit);
      }
      await this.#audit(client, audit?.(added));
      return added;
    });
  }

  // Find and replace (findstats): one transaction across histories.
  async appendTranslationBatch(appends: TranslationAppend[], audit?: AuditEntry): Promise<number[]> {
    const [only] = appends;
    if (appends.length === 1 && only)
      return [await this.appendTranslationEvents(only.documentId, only.lang, only.events, audit)];
    // Histories' rows are locked in one order, so two batches over the same histories never deadlock.
    const order = appends
      .map((append, i) => ({ append, i }))
      .sort((a, b) => compareKeys(historyKey(a.append), historyKey(b.append)));
    const versions = new Array<number>(appends.length).fill(0);
    let current: { append: TranslationAppend; assumed: Map<string, number> } | undefined;
    try {
      await this.#transaction(async (client) => {
        for (const [k, { append, i }] of order.entries()) {
          const { values, assumed } = appendValues(
            append.documentId,
            append.lang,
            append.events,
            k === 0 ? audit : undefined,
          );
          current = { append, assumed };
          const { rows } = await client.query<{ version: string }>(APPEND_SQL, values);
          versions[i] = Number(rows[0]?.version);
        }
      }, false);
      return versions;
    } catch (error) {
      if (!current) throw this.#translate(error);
      const failure = await this.#appendFailure(
        error,
        current.append.documentId,
        current.append.lang,
        current.assumed,
      );
      throw this.#translate(failure);
    }
  }

  // --- Source versions (source updates, issue #13; migrations/005) ---

  async listSourceVersions(documentId: string): Promise<SourceVersion[]> {
    const { rows } = await this.#query<{ data: SourceVersion }>(
      "SELECT data FROM source_versions WHERE document = $1 ORDER BY version",
      [documentId],
    );
    return rows.map((r) => r.data);
  }

  async updateDocumentSource(
    document: Document,
    versions: SourceVersion[],
    baseVersion: number,
    audit?: AuditEntry,
  ): Promise<void> {
    await this.#transaction(async (client) => {
      // The row lock orders racing updates from any process: the second sees the first's version.
      const { rows } = await client.query<{ current: number | null }>(
        "SELECT (data->>'version')::integer AS current FROM documents WHERE id = $1 FOR UPDATE",
        [document.id],
      );
      const current = rows[0]?.current ?? 1;
      if (current !== baseVersion) throw new SourceVersionConflictError(current);
      // Target languages stay as stored: one added by another process meanwhile is not undone.
      await client.query(
        `UPDATE documents SET data = jsonb_set($2::jsonb, '{languages}', data->'languages'), version = version + 1
         WHERE id = $1`,
        [document.id, JSON.stringify(document)],
      );
      for (const version of versions)
        await client.query(
          "INSERT INTO source_versions (document, version, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
          [document.id, version.version, JSON.stringify(version)],
        );
      await this.#audit(client, audit);
    });
  }

  async memoryVersion(): Promise<number> {
    const row = (await this.#query<{ value: string }>("SELECT value FROM counters WHERE name = 'memory'"))
      .rows[0];
    return Number(row?.value ?? 0);
  }

  // Quality checks: per-language settings and accepted words (migrations/007).
  async readQuality(): Promise<QualityRecords> {
    const [settings, words] = await Promise.all([
      this.#query<{ lang: string; settings: QualitySettings }>("SELECT lang, settings FROM quality_settings"),
      this.#query<{ lang: string; word: string }>(
        'SELECT lang, word FROM accepted_words ORDER BY lang, word COLLATE "C"',
      ),
    ]);
    const records = emptyQualityRecords();
    for (const row of settings.rows) records.settings[row.lang] = row.settings;
    for (const row of words.rows) {
      const list = records.words[row.lang] ?? [];
      list.push(row.word);
      records.words[row.lang] = list;
    }
    return records;
  }

  async putQualitySettings(lang: string, settings: QualitySettings, audit?: AuditEntry): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO quality_settings (lang, settings) VALUES ($1, $2)
         ON CONFLICT (lang) DO UPDATE SET settings = EXCLUDED.settings`,
        [lang, JSON.stringify(settings)],
      );
      await client.query("UPDATE counters SET value = value + 1 WHERE name = 'quality'");
      await this.#audit(client, audit);
    });
  }

  async addAcceptedWords(lang: string, words: string[], audit?: AuditEntry): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO accepted_words (lang, word) SELECT $1, w FROM unnest($2::text[]) AS t(w)
         ON CONFLICT DO NOTHING`,
        [lang, words],
      );
      await client.query("UPDATE counters SET value = value + 1 WHERE name = 'quality'");
      await this.#audit(client, audit);
    });
  }

  async qualityVersion(): Promise<number> {
    const row = (await this.#query<{ value: string }>("SELECT value FROM counters WHERE name = 'quality'"))
      .rows[0];
    return Number(row?.value ?? 0);
  }

  // Comments and source queries (issue 17): migrations/008.
  async listComments(documentId: string): Promise<Comment[]> {
    return (
      await this.#query<{ data: Comment }>(
        'SELECT data FROM comments WHERE document = $1 ORDER BY created_at COLLATE "C", id',
        [documentId],
      )
    ).rows.map((r) => r.data);
  }

  async getComment(id: string): Promise<Comment | undefined> {
    return (await this.#query<{ data: Comment }>("SELECT data FROM comments WHERE id = $1", [id])).rows[0]
      ?.data;
  }

  // The paragraph's comments are locked (an advisory lock on the paragraph, migrations/022), then
  // counted, checked against the bounds and written in one statement, so that writers racing in any
  // process are counted one after another (breaksBound in SQL, on the `chars` each row keeps).
  async putComment(comment: Comment, audit?: AuditEntry, bounds?: CommentLimits): Promise<void> {
    // Queued here first, so that a burst on one paragraph holds one connection of this process
    // waiting for the lock, not the whole pool.
    const key = `${comment.documentId}/${comment.pid}`;
    const refused = await this.#commentThreads.run(key, () => this.#putComment(comment, audit, bounds));
    if (refused && bounds)
      throw new CommentBoundError(
        refused,
        comment.pid,
        refused === "comments" ? bounds.perParagraph : bounds.threadChars,
      );
  }

  #putComment(comment: Comment, audit?: AuditEntry, bounds?: CommentLimits): Promise<CommentBound | null> {
    return this.#transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2 || '/' || $3))", [
        COMMENT_THREAD_LOCK,
        comment.documentId,
        comment.pid,
      ]);
      const { rows } = await client.query<{ refused: CommentBound | null }>(PUT_COMMENT_SQL, [
        comment.id,
        comment.documentId,
        comment.pid,
        commentChars(comment),
        comment.createdAt,
        comment.deleted ? [] : comment.mentions,
        comment.scope === "source" && !comment.resolved && !comment.deleted,
        JSON.stringify(comment),
        audit ? JSON.stringify(audit) : null,
        bounds?.perParagraph ?? null,
        bounds?.threadChars ?? null,
      ]);
      return rows[0]?.refused ?? null;
    });
  }

  // Keyset pages in (created_at, id) order, byte-wise like the file store's; a list is read through
  // migration 008's GIN index on mentions or its partial index on open queries.
  async listInbox({ username, kind, author, limit, after }: InboxQuery): Promise<InboxPage> {
    const [time, id] = after === undefined ? [null, null] : parseInboxCursor(after);
    const n = Math.max(1, Math.floor(limit));
    const where =
      kind === "mentions"
        ? "mentions @> ARRAY[$1]::text[]"
        : "open_query AND ($1::text IS NULL OR data->>'author' = $1)";
    const { rows } = await this.#query<{ data: Comment }>(
      `SELECT data FROM comments WHERE ${where}
         AND ($2::text IS NULL OR (created_at COLLATE "C", id COLLATE "C") < ($2::text COLLATE "C", $3::text COLLATE "C"))
       ORDER BY created_at COLLATE "C" DESC, id COLLATE "C" DESC LIMIT $4`,
      [kind === "mentions" ? username : (author ?? null), time, id, n + 1],
    );
    const comments = rows.slice(0, n).map((r) => r.data);
    const last = comments.at(-1);
    return rows.length > n && last ? { comments, next: inboxCursor(last) } : { comments };
  }

  async countInbox(username: string, author?: string): Promise<{ mentions: number; queries: number }> {
    const { rows } = await this.#query<{ mentions: number; queries: number }>(
      `SELECT (SELECT count(*)::int FROM comments WHERE mentions @> ARRAY[$1]::text[]) AS mentions,
              (SELECT count(*)::int FROM comments WHERE open_query AND ($2::text IS NULL OR data->>'author' = $2)) AS queries`,
      [username, author ?? null],
    );
    return rows[0] ?? { mentions: 0, queries: 0 };
  }

  // Target languages alone (source updates, issue #13).
  async updateDocumentLanguages(
    id: string,
    change: (languages: readonly string[]) => string[],
    audit?: AuditEntry,
  ): Promise<Document | undefined> {
    return this.#transaction(async (client) => {
      // The row lock orders this against source updates from any process; only languages is written.
      const { rows } = await client.query<{ languages: string[] }>(
        "SELECT data->'languages' AS languages FROM documents WHERE id = $1 FOR UPDATE",
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      const written = await client.query<{ data: Document; version: string }>(
        `UPDATE documents SET data = jsonb_set(data, '{languages}', $2::jsonb), version = version + 1
         WHERE id = $1 RETURNING data, version`,
        [id, JSON.stringify(change(row.languages))],
      );
      await this.#audit(client, audit);
      return written.rows[0]?.data;
    });
  }
}

/** Statement names by SQL text: the same text always has the same name within this process. */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `glosa_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A comment written unless it breaks a bound ($10 comments, $11 characters; null: unchecked), with
 * its audit entry; answers the bound broken, or null. Only a write that adds a comment or characters
 * is refused (breaksBound): a resolve or a delete never is.
 */
const PUT_COMMENT_SQL = `WITH thread AS (
    SELECT count(*) FILTER (WHERE id <> $1) AS others,
           coalesce(sum(chars) FILTER (WHERE id <> $1), 0) AS others_chars,
           count(*) FILTER (WHERE id = $1) AS existed,
           coalesce(sum(chars) FILTER (WHERE id = $1), 0) AS before_chars
    FROM comments WHERE document = $2 AND pid = $3),
  verdict AS (
    SELECT CASE
      WHEN $10::int IS NOT NULL AND existed = 0 AND others + 1 > $10::int THEN 'comments'
      WHEN $11::int IS NOT NULL AND others_chars + $4::int > $11::int AND $4::int > before_chars THEN 'characters'
    END AS refused FROM thread),
  written AS (
    INSERT INTO comments (id, document, pid, chars, created_at, mentions, open_query, data)
    SELECT $1, $2, $3, $4::int, $5, $6::text[], $7::boolean, $8::jsonb FROM verdict WHERE refused IS NULL
    ON CONFLICT (id) DO UPDATE SET chars = EXCLUDED.chars, mentions = EXCLUDED.mentions,
      open_query = EXCLUDED.open_query, data = EXCLUDED.data
    RETURNING 1),
  audited AS (
    INSERT INTO audit (entry) SELECT $9::jsonb FROM verdict WHERE refused IS NULL AND $9::jsonb IS NOT NULL
    RETURNING 1)
  SELECT refused FROM verdict`;

const GLOSSARY_VERSION_SQL = "SELECT value FROM counters WHERE name = 'glossary'";

const GUARDED_APPEND_SQL =
  "SELECT glosa_guarded_append($1, $2, $3::text[], $4::bigint, $5, $6, $7::text[], $8::int[], $9::text[], $10::jsonb[], $11::text[], $12::int[], $13::text[], $14::int[], $15::int[], $16::jsonb) AS version";

const APPEND_SQL =
  "SELECT glosa_append_events($1, $2, $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::text[], $8::int[], $9::text[], $10::int[], $11::int[], $12::jsonb) AS version";

/**
 * The arguments of glosa_append_events: the events, what they assume each paragraph's latest
 * revision is in the store, and where they leave it. Events of one paragraph within the append
 * must follow on from each other.
 */
function appendValues(documentId: string, lang: string, events: TranslationEvent[], audit?: AuditEntry) {
  const assumed = new Map<string, number>();
  const after = new Map<string, number>();
  for (const event of events) {
    const expected = event.type === "revision" ? event.revision - 1 : event.revision;
    const latest = after.get(event.pid) ?? assumed.get(event.pid);
    if (latest === undefined) assumed.set(event.pid, expected);
    else if (latest !== expected) throw new RevisionConflictError(event.pid, expected, latest);
    if (event.type === "revision") after.set(event.pid, event.revision);
  }
  const moved = [...after].map(([pid, revision]) => ({ pid, from: assumed.get(pid) ?? 0, to: revision }));
  const values = [
    documentId,
    lang,
    events.map((e) => e.pid),
    events.map((e) => e.revision),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e)),
    [...assumed.keys()],
    [...assumed.values()],
    moved.map((m) => m.pid),
    moved.map((m) => m.from),
    moved.map((m) => m.to),
    audit ? JSON.stringify(audit) : null,
  ];
  return { values, assumed };
}

const historyKey = (a: TranslationAppend) => `${a.documentId}\u0000${a.lang}`;
const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
