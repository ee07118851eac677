/**
 * Durable file primitives: a whole-file replace (temp file, fsync, rename, fsync of the directory)
 * for small JSON files. A write's promise resolves only once the data would survive a crash, and a
 * write that fails (a full disk) leaves the old file as it was and is refused with
 * StorageUnavailableError. Logs are commit-log.ts.
 */

import { randomBytes } from "node:crypto";
import { type FileHandle, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Adapter } from "lowdb";
import { StorageUnavailableError, StoreCorruptError } from "./store.ts";

/** The writes the store makes, replaceable in tests to simulate a full or failing disk. */
export interface DiskWriter {
  write(handle: FileHandle, data: Buffer, position: number): Promise<void>;
}

export const REAL_DISK: DiskWriter = {
  async write(handle, data, position) {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
      if (bytesWritten === 0) throw Object.assign(new Error("short write"), { code: "EIO" });
      done += bytesWritten;
    }
  },
};

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `content` atomically and durably; on failure the old file is left as it was. */
export async function writeFileDurable(
  file: string,
  content: string | Buffer,
  mode = 0o644,
  disk: DiskWriter = REAL_DISK,
): Promise<void> {
  const data = typeof content === "string" ? Buffer.from(content) : content;
  const handle = await replaceFileDurable(file, data, { mode, disk });
  await handle.close();
}

/**
 * Writes `data` to a temporary file beside `file`, syncs it, renames it over `file` and syncs the
 * directory; returns the new file, open for reading and writing. A failure (StorageUnavailableError)
 * leaves `file` as it was, or absent, and no temporary file.
 */
export async function replaceFileDurable(
  file: string,
  data: Buffer,
  { mode, disk }: { mode: number; disk: DiskWriter },
): Promise<FileHandle> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, "wx+", mode);
    await disk.write(handle, data, 0);
    await handle.sync();
    await rename(temp, file);
    await fsyncDir(dir);
    return handle;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw new StorageUnavailableError(file, error);
  }
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
    readonly disk: DiskWriter = REAL_DISK,
  ) {}

  read(): Promise<T | null> {
    return readJson<T>(this.file).then((data) => data ?? null);
  }

  write(data: T): Promise<void> {
    return writeFileDurable(this.file, JSON.stringify(data), this.mode, this.disk);
  }
}
