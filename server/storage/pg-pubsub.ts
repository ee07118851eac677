/**
 * Fan-out between Glosa processes on one PostgreSQL database: `publish` is a NOTIFY on one
 * channel, and each process LISTENs on a connection of its own (a LISTEN holds its connection, so
 * it is not taken from the pool). The listening connection opens on the first subscriber and is
 * opened again after it drops; messages sent while it is down are lost, which live views accept
 * (the next save or reload brings them up to date).
 */

import pg from "pg";
import type { StorePubSub } from "./store.ts";

const CHANNEL = "glosa_live";
/**
 * How long a message waits for others to go out with it. Every save sends one (another process's
 * memory and live editors hear of it); sent alone, each is one more transaction and round trip,
 * and on two cores that cost a save 0.1–0.2 ms and a tenth of the saves a second (bench:postgres,
 * 2026-11-28). Live views do not see 4 ms.
 */
const GATHER_MS = 4;
/** NOTIFY payloads must stay under 8,000 bytes. */
export const MAX_PAYLOAD = 7000;

type Listener = (message: unknown) => void;

/** Messages waiting for the end of the event loop's turn, and the promise of their sending. */
interface Batch {
  payloads: string[];
  sent: Promise<void>;
}

export class PgPubSub implements StorePubSub {
  readonly #listeners = new Set<Listener>();
  #batch: Batch | undefined;
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
  ) {}

  publish(message: unknown): Promise<void> {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD)
      return Promise.reject(new RangeError("message too large for NOTIFY"));
    // Messages published within GATHER_MS (a save tells the memory and the live editors; other saves
    // follow) go out together: one statement and one transaction, not one each (a transaction sends a
    // repeated identical message once, which says nothing new).
    if (!this.#batch) {
      const batch: Batch = { payloads: [], sent: Promise.resolve() };
      this.#batch = batch;
      batch.sent = new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS)).then(() => {
        this.#batch = undefined;
        return this.#send(batch.payloads);
      });
    }
    this.#batch.payloads.push(payload);
    return this.#batch.sent;
  }

  async #send(payloads: string[]): Promise<void> {
    // A NOTIFY commits a transaction of its own, which would wait for the disk like a save: it
    // need not (a live message lost in a crash is one the next save or reload brings anyway), so
    // its commit does not wait for the WAL flush, the saves' fsyncs are not doubled, and it stays
    // one round trip (a simple query: its statements run as one implicit transaction). Delivered
    // in the order given.
    const notify = payloads.map((p) => `pg_notify('${CHANNEL}', ${pg.escapeLiteral(p)})`).join(", ");
    await this.pool.query(`SET LOCAL synchronous_commit = off; SELECT ${notify}`);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    void this.#listen();
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Resolves once this process listens (tests wait for it before publishing from elsewhere). */
  ready(): Promise<void> {
    return this.#listen();
  }

  #listen(): Promise<void> {
    if (this.#closed || this.#client) return Promise.resolve();
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      const lost = () => {
        if (this.#client !== client) return;
        this.#client = undefined;
        client.end().catch(() => undefined);
        if (!this.#closed) this.#retry = setTimeout(() => void this.#listen(), 1000);
      };
      client.on("error", lost);
      client.on("end", lost);
      client.on("notification", (n) => {
        if (n.channel !== CHANNEL || !n.payload) return;
        let message: unknown;
        try {
          message = JSON.parse(n.payload);
        } catch {
          return;
        }
        for (const listener of this.#listeners) {
          try {
            listener(message);
          } catch {
            // A listener's failure is its own; the others still hear the message.
          }
        }
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
        this.#client = client;
      } catch {
        await client.end().catch(() => undefined);
        if (!this.#closed) this.#retry = setTimeout(() => void this.#listen(), 1000);
      }
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async close(): Promise<void> {
    // Messages still gathering go out while the pool is open.
    await this.#batch?.sent.catch(() => undefined);
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
