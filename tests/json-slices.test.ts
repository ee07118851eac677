import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringifyInSlices, writeJsonInSlices } from "../server/json-slices.ts";

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

  it("hands a large answer on in chunks of about 64 KB, never as one string of the whole", async () => {
    const plan = {
      paragraphs: Array.from({ length: 5000 }, (_, i) => ({
        id: `p${i}`,
        source: `Paragraph ${i} ${"word ".repeat(40)}`,
      })),
    };
    const chunks: string[] = [];
    await writeJsonInSlices(plan, (chunk) => {
      chunks.push(chunk);
    });
    const whole = JSON.stringify(plan);
    expect(chunks.join("")).toBe(whole);
    expect(chunks.length).toBeGreaterThan(whole.length / (128 * 1024));
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(128 * 1024);
  });
});
