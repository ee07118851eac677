/**
 * `npm start`: reads the configuration, opens the store (PostgreSQL when GLOSA_DATABASE_URL is
 * set, else the data directory, taking its lock), seeds a first start, listens, and shuts down
 * cleanly on SIGTERM/SIGINT.
 */

import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { type Logger, pino } from "pino";
import { createApp, type GlosaApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { buildServices } from "./context.ts";
import { initializeStore } from "./seed.ts";
import { FileStore } from "./storage/file-store.ts";
import { DatabaseUnavailableError, PgStore } from "./storage/pg-store.ts";
import { StorageUnavailableError, type Store, StoreCorruptError, StoreLockedError } from "./storage/store.ts";

function fail(message: string): never {
  process.stderr.write(`Glosa cannot start: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = pino({ level: config.logLevel, redact: ["password", "token", "*.password", "*.token"] });

  let store: Store;
  try {
    store = config.databaseUrl
      ? await PgStore.open(config.databaseUrl, { poolMax: config.databasePoolMax })
      : await FileStore.open(config.dataDir, { warn: (details, message) => logger.warn(details, message) });
  } catch (error) {
    if (
      error instanceof StoreLockedError ||
      error instanceof StoreCorruptError ||
      error instanceof DatabaseUnavailableError
    )
      fail(error.message);
    if (error instanceof StorageUnavailableError)
      fail(
        `${error.message}. Free space on the data directory's disk and start Glosa again; nothing was changed.`,
      );
    throw error;
  }

  const seed = await initializeStore(store, buildServices({ store, config }), config);
  if (seed.seeded)
    logger.info({ store: store.location }, "initialised a new store with the seed article and glossary");
  if (seed.generatedPassword) {
    // Printed once, on the console only: it is not in the JSON log stream.
    process.stdout.write(
      `\nFirst start: the user "admin" has the password ${seed.generatedPassword}\n` +
        "Sign in and change it under Account, or start with GLOSA_ADMIN_PASSWORD set on an empty data directory.\n\n",
    );
  }

  const sessionSecret =
    config.sessionSecret ?? (await store.secret("session-secret", () => randomBytes(32).toString("hex")));
  const app = createApp({ config, store, logger, sessionSecret });
  const server: Server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    process.stdout.write(`Glosa listening on http://${config.host}:${port}\n`);
    void warmMachineTranslation(app, logger);
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    void store
      .close()
      .finally(() =>
        fail(error.code === "EADDRINUSE" ? `port ${config.port} is in use (set PORT)` : error.message),
      );
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // Stop accepting, let requests in flight finish their writes, then release the lock.
    // Live streams never finish by themselves: they end first, and browsers reconnect elsewhere.
    app.services.live.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), 10_000);
    forced.unref();
    await closed;
    await app.shutdown();
    await store.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/**
 * Machine translation at start-up: says which providers answer, and gets the engines of the newest
 * documents' language pairs ready, so that a translator's first suggestion does not wait for them.
 * It waits until the server answers and the memory index is built, and takes one pair at a time:
 * begun together with the build, their child processes and file reads competed with the event loop
 * for the two cores, and /healthz waited 60-180 ms in the first seconds on a busy machine.
 */
async function warmMachineTranslation(app: GlosaApp, logger: Logger): Promise<void> {
  const { mt, memory, translations } = app.services;
  if (!mt.enabled) return;
  try {
    await memory.ready();
    const info = await mt.info();
    for (const p of info.providers)
      if (p.error || p.pairs.length === 0)
        logger.warn(
          { provider: p.name, failure: p.error ?? "no language pairs" },
          "machine translation provider not ready",
        );
      else logger.info({ provider: p.name, pairs: p.pairs.length }, "machine translation provider ready");
    const { documents } = await translations.listDocumentsPage(20);
    const pairs = new Map<string, { source: string; target: string }>();
    for (const doc of documents)
      for (const target of doc.languages)
        pairs.set(`${doc.sourceLang}>${target}`, { source: doc.sourceLang, target });
    for (const pair of pairs.values()) await mt.warm([pair]);
  } catch {
    // Warming is a head start only: the first request for a pair starts its engine all the same.
  }
}

main().catch((error) => {
  process.stderr.write(`Glosa stopped: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
