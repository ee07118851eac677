/**
 * A data directory holding duplicate terms, as writes at once left them before the file store kept
 * the duplicate rule: it opens with both, refuses a third, checks an edit of either, lets one go.
 */

import { describe, expect, it } from "vitest";
import { FileStore } from "../../server/storage/file-store.ts";
import { DuplicateTermError } from "../../server/storage/store.ts";
import { PLAIN_TERM } from "../fixtures/records.ts";
import { dirWithDuplicates } from "./legacy-duplicates.ts";

describe("duplicate terms stored before the file store kept the rule", () => {
  it("are both read; a third is refused, an edit of either is checked, and one can be removed", async () => {
    const s = await FileStore.open(await dirWithDuplicates());
    try {
      expect((await s.listTerms()).map((t) => t.id)).toEqual(["a", "b"]);
      await expect(s.writeTerms([{ ...PLAIN_TERM, id: "c", source: "CAFE" }])).rejects.toBeInstanceOf(
        DuplicateTermError,
      );
      await expect(
        s.writeTerms([{ ...PLAIN_TERM, id: "b", source: "cafe", description: "x" }]),
      ).rejects.toMatchObject({
        held: { id: "a" },
      });
      await s.writeTerms([], ["a"]);
      await s.writeTerms([{ ...PLAIN_TERM, id: "b", source: "cafe", description: "x" }]);
      await expect(s.writeTerms([{ ...PLAIN_TERM, id: "d", source: "CAFÉ" }])).rejects.toMatchObject({
        held: { id: "b" },
      });
    } finally {
      await s.close();
    }
  });
});
