/**
 * npm run migrate-store -- --from <data dir | postgres URL> --to <data dir | postgres URL>
 * Copies a whole store into an empty one (a data directory into an empty PostgreSQL database, or
 * back), then checks that both hold as many users, tokens, terms, documents, histories, events and
 * audit entries. Stop Glosa first: the source data directory is locked while it is read.
 */

import { parseArgs } from "node:util";
import { copyStore } from "../storage/copy-store.ts";
import { FileStore } from "../storage/file-store.ts";
import { PgStore } from "../storage/pg-store.ts";
import type { Store } from "../storage/store.ts";

const USAGE =
  "Usage: npm run migrate-store -- --from <data dir | postgres://...> --to <data dir | postgres://...>";

function fail(message: string): never {
  process.stderr.write(`glosa migrate-store: ${message}\n`);
  process.exit(1);
}

function open(where: string): Promise<Store> {
  return /^postgres(ql)?:\/\//.test(where) ? PgStore.open(where, { poolMax: 4 }) : FileStore.open(where);
}

async function main(): Promise<void> {
  let values: { from?: string; to?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: "string" },
        to: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.from || !values.to) fail(USAGE);
  if (values.from === values.to) fail("--from and --to are the same store");
  const from = await open(values.from).catch((error: Error) => fail(error.message));
  const to = await open(values.to).catch(async (error: Error) => {
    await from.close();
    return fail(error.message);
  });
  try {
    const counts = await copyStore(from, to);
    process.stdout.write(
      `Copied ${from.location} to ${to.location}: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}; both sides count the same.\n`,
    );
  } catch (error) {
    await Promise.all([from.close(), to.close()]);
    fail((error as Error).message);
  }
  await Promise.all([from.close(), to.close()]);
}

await main();
