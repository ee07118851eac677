/**
 * Durable file primitives: a whole-file replace (temp file, fsync, rename, fsync of the directory)
 * for small JSON files, and an append-only log (append, fdatasync) for histories. A write's promise
 * resolves only once the data would survive a crash.
 */

import { randomBytes } from "node:crypto";
import { type FileHandle, open, readFile, rename, rm, truncate } from "node:fs/promises";
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

/**
 * Reads a JSON-lines log. A last line without its newline is a write torn by a crash, never
 * acknowledged: it is cut off. Any other bad line means the file is damaged: StoreCorruptError.
 */
export async function readLog<T>(
  file: string,
  validate: (value: unknown) => value is T,
  readOnly = false,
): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new StoreCorruptError(file, (error as Error).message);
  }
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  // A reader beside the writer may see a line being appended: it ignores it rather than cutting it.
  if (tail !== "" && !readOnly) await truncate(file, Buffer.byteLength(text) - Buffer.byteLength(tail));
  const entries: T[] = [];
  for (const [i, line] of lines.entries()) {
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new StoreCorruptError(file, `line ${i + 1} is not valid JSON`);
    }
    if (!validate(value)) throw new StoreCorruptError(file, `line ${i + 1} is not a valid record`);
    entries.push(value);
  }
  return entries;
}

/** An append-only JSON-lines file kept open; each append is durable before it resolves. */
export class AppendLog {
  #handle: FileHandle | undefined;
  #opening: Promise<FileHandle> | undefined;

  constructor(readonly file: string) {}

  async append(records: unknown[]): Promise<void> {
    if (records.length === 0) return;
    const handle = await this.#open();
    await handle.appendFile(records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    await handle.datasync();
  }

  #open(): Promise<FileHandle> {
    if (this.#handle) return Promise.resolve(this.#handle);
    this.#opening ??= (async () => {
      let created = false;
      let handle: FileHandle;
      try {
        handle = await open(this.file, "wx");
        created = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        handle = await open(this.file, "a");
      }
      // A new file's directory entry must be durable too, or a crash could lose the whole log.
      if (created) await fsyncDir(path.dirname(this.file));
      this.#handle = handle;
      return handle;
    })();
    return this.#opening;
  }

  async close(): Promise<void> {
    const handle = this.#handle ?? (this.#opening ? await this.#opening.catch(() => undefined) : undefined);
    this.#handle = undefined;
    this.#opening = undefined;
    await handle?.close();
  }
}
