/**
 * Durable file primitives: a whole-file replace (temp file, fsync, rename, fsync of the directory)
 * for small JSON files. A write's promise resolves only once the data would survive a crash. Logs
 * are commit-log.ts.
 */

import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Adapter } from "lowdb";
import { StoreCorruptError } from "./store.ts";

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `content` atomically and durably. */
export async function writeFileDurable(file: string, content: string | Buffer, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  await fsyncDir(dir);
}

/** Reads a JSON file; undefined when missing, StoreCorruptError when unreadable. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StoreCorruptError(file, (error as Error).message);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StoreCorruptError(file, `not valid JSON (${(error as Error).message})`);
  }
}

/** lowdb adapter that writes durably and refuses, rather than replaces, an unreadable file. */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    readonly mode = 0o644,
  ) {}

  read(): Promise<T | null> {
    return readJson<T>(this.file).then((data) => data ?? null);
  }

  write(data: T): Promise<void> {
    return writeFileDurable(this.file, JSON.stringify(data), this.mode);
  }
}
