import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringifyInSlices } from "../../server/routes/json-slices.ts";

describe("JSON written in slices", () => {
  it("is the text JSON.stringify gives, for any JSON value and long arrays of objects", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expect(await stringifyInSlices(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
    const long = {
      plan: {
        paragraphs: Array.from({ length: 500 }, (_, i) => ({
          id: `p${i}`,
          changes: Array.from({ length: 70 }, (_, j) => ({
            op: j % 2 ? "insert" : "equal",
            text: `w${j} "q" \\`,
          })),
          gone: undefined,
          at: new Date(0),
        })),
        holes: Array.from({ length: 80 }, (_, i) => (i % 3 ? i : undefined)),
      },
    };
    expect(await stringifyInSlices(long)).toBe(JSON.stringify(long));
  });
});
