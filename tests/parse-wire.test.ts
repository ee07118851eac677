import { describe, expect, it } from "vitest";
import { fromWire, type ParseJob, toWire } from "../server/parse-pool.ts";

describe("a parse job on its way to a thread", () => {
  it("arrives as it was sent, in chunks that never split a character", async () => {
    // Emoji (surrogate pairs) at every position around the 256 Ki-character slice boundary.
    const text = `${"a".repeat(256 * 1024 - 3)}${"😀é".repeat(4)}${"ü".repeat(600_000)}😀`;
    for (const shift of [0, 1, 2, 3]) {
      const job: ParseJob = { kind: "tbx", text: "x".repeat(shift) + text };
      const wire = await toWire(job);
      expect("chunks" in wire && wire.chunks.length).toBeGreaterThan(2);
      expect(fromWire(wire)).toEqual(job);
    }
    expect(fromWire(await toWire({ kind: "xliff", text: "", maxTextLength: 5 }))).toEqual({
      kind: "xliff",
      text: "",
      maxTextLength: 5,
    });
  });
});
