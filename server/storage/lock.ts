/**
 * One process per data directory: a lock file holding the owner's pid, created exclusively.
 * A lock left by a process that no longer runs (a crash, kill -9) is taken over.
 */

import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fsyncDir } from "./durable.ts";
import { StorageUnavailableError, StoreLockedError } from "./store.ts";

export const LOCK_FILE = "glosa.lock";

/** Data directories this process holds, so that a second open in the same process is refused too. */
const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface DirLock {
  release(): Promise<void>;
}

export async function lockDataDir(dir: string): Promise<DirLock> {
  const resolved = path.resolve(dir);
  const file = path.join(resolved, LOCK_FILE);
  if (heldHere.has(resolved)) throw new StoreLockedError(resolved, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx", 0o644);
      try {
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
        await handle.close();
        await fsyncDir(resolved);
      } catch (error) {
        // A full disk: leave no empty lock behind, and say what is wrong rather than crash.
        await handle.close().catch(() => undefined);
        await rm(file, { force: true });
        throw new StorageUnavailableError(file, error);
      }
      heldHere.add(resolved);
      return {
        async release() {
          heldHere.delete(resolved);
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid))
        throw new StoreLockedError(resolved, pid);
      // Stale: its owner is gone. Remove it and try once more; a racing process may still win.
      await rm(file, { force: true });
    }
  }
  throw new StoreLockedError(resolved, undefined);
}
