/** Disks that fail on demand, for the storage and HTTP tests of a full disk. */

import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import type { DiskWriter } from "../../server/storage/commit-log.ts";
import { REAL_DISK } from "../../server/storage/commit-log.ts";
import { tempDir } from "../helpers.ts";

/**
 * A disk that fills up on demand: a refused write leaves `kept` of its bytes behind (half by
 * default), as a real one can, and counts every write.
 */
export function fillableDisk(kept = (data: Buffer) => Math.floor(data.length / 2)) {
  const disk = { full: false, writes: 0 } as DiskWriter & { full: boolean; writes: number };
  disk.write = async (handle, data, position) => {
    disk.writes++;
    if (!disk.full) return REAL_DISK.write(handle, data, position);
    await REAL_DISK.write(handle, data.subarray(0, kept(data)), position);
    throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
  };
  return disk;
}

/**
 * Runs `test` on a real tmpfs of `size` mounted for it, and unmounts it after; does nothing where
 * this machine does not let the test mount one (not root, or in a container that forbids it).
 */
export async function onTmpfs(size: string, test: (mount: string) => Promise<void>): Promise<void> {
  const mount = await tempDir("glosa-tmpfs-");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", mount], { stdio: "ignore" });
  } catch {
    await rm(mount, { recursive: true, force: true });
    return; // not permitted here: the injected failures cover the same paths
  }
  try {
    await test(mount);
  } finally {
    execFileSync("umount", ["-l", mount]);
    await rm(mount, { recursive: true, force: true });
  }
}
