/**
 * A data directory holding duplicate terms, as writes at once left them before the file store kept
 * the duplicate rule.
 */

import { appendFile } from "node:fs/promises";
import path from "node:path";
import { FileStore } from "../../server/storage/file-store.ts";
import { PLAIN_TERM } from "../fixtures/records.ts";
import { tempDir } from "../helpers.ts";

/** A directory whose glossary log holds "Café" and "cafe", written by the old, unchecked path. */
export async function dirWithDuplicates(): Promise<string> {
  const dir = await tempDir();
  const s = await FileStore.open(dir);
  await s.setMeta({ version: 2, initializedAt: "2026-01-01T00:00:00.000Z" });
  await s.putUser({ username: "admin", role: "admin", passwordHash: "h", disabled: false, createdAt: "c" });
  await s.writeTerms([{ ...PLAIN_TERM, id: "a", source: "Café" }]);
  await s.close();
  const duplicate = { ...PLAIN_TERM, id: "b", source: "cafe" };
  await appendFile(path.join(dir, "glossary.jsonl"), `${JSON.stringify({ tx: 100, put: [duplicate] })}\n`);
  return dir;
}
