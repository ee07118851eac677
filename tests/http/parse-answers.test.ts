import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeOutcome, encodeOutcome, type ParseOutcome, ParsePool } from "../../server/parse-pool.ts";

/**
 * A parser thread's answer comes back as JSON in pieces, so that the event loop parses a few hundred
 * KB per turn and never a whole 20 MB answer at once (issue #12).
 */
describe("a parser thread's answer in pieces", () => {
  it("rebuilds any JSON answer exactly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const outcome: ParseOutcome = { ok: true, value };
        expect(await decodeOutcome(encodeOutcome(outcome))).toEqual(JSON.parse(JSON.stringify(outcome)));
      }),
      { numRuns: 300 },
    );
  });

  it("splits long arrays into pieces of a few hundred KB, nested ones too, and joins them in order", async () => {
    const terms = Array.from({ length: 20_000 }, (_, i) => ({
      source: `term ${i}`,
      targets: { es: { text: `término ${i} «con comillas» y \\ barras`, forbidden: [] } },
    }));
    const value = { terms, errors: [], nested: { paragraphs: terms.slice(0, 5000).map((t) => t.source) } };
    const encoded = encodeOutcome({ ok: true, value });
    const total = encoded.lengths.reduce((n, l) => n + l, 0);
    expect(total).toBe(encoded.bytes.length);
    expect(total).toBeGreaterThan(1_000_000);
    expect(encoded.lengths.length).toBeGreaterThan(4);
    expect(Math.max(...encoded.lengths)).toBeLessThan(400 * 1024);
    expect(await decodeOutcome(encoded)).toEqual({ ok: true, value });
  });
});

describe("a parse pool closed right after a deadline", () => {
  it("closes without an unhandled rejection from the replacement thread it was starting", async () => {
    // A deadline far below what the split takes on any machine (a quiet one split 40,000 items
    // inside 1.5 s and answered the paragraph bound instead).
    const pool = new ParsePool({ threads: 1, timeoutMs: 100, maxQueue: 4, inlineBelow: 0 });
    await pool.warm();
    const hostile = "1. a\n".repeat(200_000);
    const input = {
      id: "d",
      sourceLang: "en",
      format: "markdown" as const,
      content: hostile,
      createdBy: "t",
      createdAt: "",
    };
    await expect(pool.document(input)).rejects.toMatchObject({
      code: expect.stringMatching(/parse_timeout|too_many/),
    });
    // The deadline started a replacement thread loading; closing now ends it before it answers.
    await pool.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }, 30_000);
});
