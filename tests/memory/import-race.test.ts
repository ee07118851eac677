import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileStore } from "../../server/storage/file-store.ts";
import { tempDir } from "../helpers.ts";
import { raceImports } from "./import-race.ts";

describe("TMX imports at once on the file store", () => {
  it("count each unit created once, in the answers and the audit, and write it once to memory.jsonl", async () => {
    const dir = await tempDir();
    const store = await FileStore.open(dir);
    try {
      await raceImports(store);
      const ids: string[] = [];
      for (const line of (await readFile(join(dir, "memory.jsonl"), "utf8")).split("\n"))
        if (line.trim())
          ids.push(...((JSON.parse(line) as { put?: { id: string }[] }).put ?? []).map((u) => u.id));
      expect(ids).toHaveLength(3_000);
      expect(new Set(ids).size).toBe(3_000);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
