import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { frozenCopyInSlices, jsonLineInSlices } from "../../server/storage/slices.ts";

const noPause = async () => undefined;
/** A pause that counts the turns given back, to show that a long array is walked in steps. */
function countingPause() {
  const pause = async () => {
    pause.calls++;
  };
  pause.calls = 0;
  return pause;
}

/** Records shaped like a commit: small fields around long arrays of objects, a level or two down. */
const record = fc.record({
  tx: fc.integer(),
  audit: fc.option(fc.record({ actor: fc.string(), at: fc.string() }), { nil: undefined }),
  document: fc.record({
    id: fc.string(),
    languages: fc.array(fc.string(), { maxLength: 3 }),
    paragraphs: fc.array(
      fc.record({ id: fc.string(), source: fc.string({ unit: "binary" }), n: fc.double() }),
      {
        maxLength: 200,
      },
    ),
    version: fc.option(fc.integer(), { nil: undefined }),
  }),
  put: fc.array(fc.jsonValue(), { maxLength: 100 }),
});

describe("jsonLineInSlices", () => {
  it("writes exactly what JSON.stringify writes, then a newline", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(record, fc.jsonValue()), async (value) => {
        expect((await jsonLineInSlices(value)).toString("utf8")).toBe(`${JSON.stringify(value)}\n`);
      }),
    );
  });
});

describe("frozenCopyInSlices", () => {
  it("copies deeply and freezes every level", async () => {
    await fc.assert(
      fc.asyncProperty(record, async (value) => {
        const copy = await frozenCopyInSlices(value, noPause);
        expect(copy).toEqual(value);
        expect(copy.document.paragraphs).not.toBe(value.document.paragraphs);
        expect(Object.isFrozen(copy.document.paragraphs)).toBe(true);
        for (const p of copy.document.paragraphs) expect(Object.isFrozen(p)).toBe(true);
      }),
    );
  });

  it("leaves the original as it was, and walks a long array in steps", async () => {
    const pause = countingPause();
    const original = { paragraphs: Array.from({ length: 100 }, (_, i) => ({ id: `p${i}` })) };
    const copy = await frozenCopyInSlices(original, pause);
    expect(Object.isFrozen(original.paragraphs[0])).toBe(false);
    expect(copy.paragraphs[0]).not.toBe(original.paragraphs[0]);
    expect(pause.calls).toBe(100);
  });
});
