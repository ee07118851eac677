/**
 * An append-only JSON-lines file of commit records, the file store's unit of durability. One
 * commit is one line, so a change and the audit entry that goes with it are one write: after a
 * crash either the whole line is there or (a torn last line, never acknowledged) none of it.
 *
 * Appends that arrive while one is being written are committed together, with one write and one
 * fdatasync, as databases do (group commit). A failed write leaves the file as it was: the file
 * is cut back to its last good length and synced before anything else is appended, and every
 * commit of the failed group is refused with StorageUnavailableError, never acknowledged.
 *
 * A log is created by its first commit, written whole to a temporary file that is synced and then
 * renamed into place: a log that exists holds at least one commit, so a first write refused by a
 * full disk (or cut by a crash) leaves no file behind, not an empty one.
 */

import { type FileHandle, open, stat } from "node:fs/promises";
import { type DiskWriter, REAL_DISK, replaceFileDurable } from "./durable.ts";
import { StorageUnavailableError, StoreCorruptError } from "./store.ts";

export { type DiskWriter, REAL_DISK } from "./durable.ts";

interface Pending {
  line: Buffer;
  sync: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

export class CommitLog {
  #handle: FileHandle | undefined;
  #opening: Promise<FileHandle | undefined> | undefined;
  /** Bytes known good and durable; every append starts here. */
  #length = -1;
  #queue: Pending[] = [];
  #writing = false;
  #broken: Error | undefined;
  /** Called, before any append is refused, when a write fails: caches built on queued appends are stale. */
  onFailure: (() => void) | undefined;

  constructor(
    readonly file: string,
    private readonly disk: DiskWriter = REAL_DISK,
    /** Permissions of the file when this log creates it. */
    private readonly mode = 0o644,
  ) {}

  /** Bytes of the file known durable, once the log has been opened for appending. */
  get durableLength(): number | undefined {
    return this.#length >= 0 ? this.#length : undefined;
  }

  /** Appends records (one line each) durably, all or nothing. */
  append(records: unknown[], options: { sync?: boolean } = {}): Promise<void> {
    // No records and a sync: make what earlier unsynced appends wrote durable.
    if (records.length === 0 && (!options.sync || (!this.#handle && !this.#opening)))
      return Promise.resolve();
    return this.appendLine(Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join("")), options);
  }

  /**
   * Appends one record already serialized by the caller (a line of JSON ending in a newline), durably,
   * all or nothing: for a record so large that serializing it at once would hold the event loop.
   */
  appendLine(line: Buffer, options: { sync?: boolean } = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ line, sync: options.sync ?? true, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue;
        this.#queue = [];
        try {
          // One line alone is written as it is: a copy of a 20 MB document's line would hold the loop.
          const [only] = group;
          await this.#commit(
            group.length === 1 && only ? only.line : Buffer.concat(group.map((p) => p.line)),
            group.some((p) => p.sync),
          );
          for (const p of group) p.resolve();
        } catch (error) {
          // Whatever was queued behind the failed group was checked against it: refuse that too.
          const refused = [...group, ...this.#queue];
          this.#queue = [];
          this.onFailure?.();
          for (const p of refused) p.reject(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  async #commit(data: Buffer, sync: boolean): Promise<void> {
    if (this.#broken) throw this.#broken;
    const handle = await this.#open();
    if (!handle) return this.#create(data);
    try {
      await this.disk.write(handle, data, this.#length);
      if (sync) await handle.datasync();
    } catch (error) {
      // Cut the partial write off so that the next append does not land after torn bytes.
      try {
        await handle.truncate(this.#length);
        await handle.datasync();
      } catch (repair) {
        // The file may now end in a torn line; a restart cuts it off. Refuse writes until then.
        this.#broken = new StorageUnavailableError(this.file, repair);
      }
      throw new StorageUnavailableError(this.file, error);
    }
    this.#length += data.length;
  }

  /** The first commit: the whole file written and synced aside, then renamed into place. */
  async #create(data: Buffer): Promise<void> {
    this.#handle = await replaceFileDurable(this.file, data, { mode: this.mode, disk: this.disk });
    this.#length = data.length;
  }

  /** The log's file open for appending, or undefined while it does not exist yet. */
  #open(): Promise<FileHandle | undefined> {
    if (this.#handle) return Promise.resolve(this.#handle);
    this.#opening ??= (async () => {
      let handle: FileHandle;
      try {
        handle = await open(this.file, "r+");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new StorageUnavailableError(this.file, error);
      }
      let size = (await handle.stat()).size;
      // Never append after torn bytes, whatever start-up did: cut a last line without its newline.
      const last = Buffer.alloc(1);
      if (size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 10) {
        const { torn } = await readTailLines(this.file, () => true);
        size -= torn;
        await handle.truncate(size);
        await handle.datasync();
      }
      this.#length = size;
      this.#handle = handle;
      return handle;
    })();
    // Only an open file is kept: a missing one is looked for again by the next append.
    this.#opening.then(
      (handle) => {
        if (!handle) this.#opening = undefined;
      },
      () => {
        this.#opening = undefined;
      },
    );
    return this.#opening;
  }

  async close(): Promise<void> {
    while (this.#writing || this.#queue.length > 0) await new Promise((r) => setTimeout(r, 1));
    const handle = this.#handle ?? (this.#opening ? await this.#opening.catch(() => undefined) : undefined);
    this.#handle = undefined;
    this.#opening = undefined;
    // Appends made without a sync become durable here.
    await handle?.datasync().catch(() => undefined);
    await handle?.close();
  }
}

/** Size of a file, 0 when it does not exist. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw new StoreCorruptError(file, (error as Error).message);
  }
}

/**
 * The last complete lines of a JSON-lines file, read backwards from its end in chunks until
 * `enough` says so: start-up checks a history's tail without reading the whole history.
 * A torn last line (no newline) is reported as `torn` and not returned.
 */
export async function readTailLines(
  file: string,
  enough: (line: string) => boolean,
): Promise<{ lines: string[]; torn: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { lines: [], torn: 0 };
    throw new StoreCorruptError(file, (error as Error).message);
  }
  try {
    let position = (await handle.stat()).size;
    let buffer = Buffer.alloc(0);
    let torn: number | undefined;
    const lines: string[] = [];
    for (;;) {
      if (position > 0) {
        const length = Math.min(64 * 1024, position);
        position -= length;
        const chunk = Buffer.alloc(length);
        await handle.read(chunk, 0, length, position);
        buffer = Buffer.concat([chunk, buffer]);
      }
      if (torn === undefined) {
        const last = buffer.lastIndexOf(10);
        if (last < 0) {
          if (position > 0) continue;
          return { lines, torn: buffer.length };
        }
        torn = buffer.length - last - 1;
        buffer = buffer.subarray(0, last + 1);
      }
      // `buffer` ends with a newline: take whole lines off its end.
      while (buffer.length > 0) {
        const previous = buffer.length >= 2 ? buffer.lastIndexOf(10, buffer.length - 2) : -1;
        if (previous < 0 && position > 0) break;
        const line = buffer.subarray(previous + 1, buffer.length - 1).toString("utf8");
        buffer = buffer.subarray(0, previous + 1);
        if (line === "") continue;
        lines.unshift(line);
        if (enough(line)) return { lines, torn };
      }
      if (position === 0) return { lines, torn };
    }
  } finally {
    await handle.close();
  }
}
