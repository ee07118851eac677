import { blankNonProse, finding, type QualityCheck } from "../finding.ts";
import { type NumberToken, readNumbers } from "../numbers.ts";

/** A number of the source is missing from the translation or has another value there. */
export const numberMismatch: QualityCheck = {
  code: "number-mismatch",
  severity: "error",
  run(context) {
    const source = readNumbers(blankNonProse(context.source), context.sourceLang).filter((n) => !n.spelled);
    if (source.length === 0) return [];
    const target = readNumbers(blankNonProse(context.target), context.targetLang);
    const unused = target.filter((t) => !t.spelled && !source.some((s) => agree(s, t)));
    const seen = new Set<string>();
    return source.flatMap((number) => {
      const written = context.source.slice(number.start, number.end);
      if (target.some((t) => agree(number, t)) || seen.has(written)) return [];
      seen.add(written);
      // Point at a number of the translation that matches nothing in the source: most likely the
      // one this number became.
      const other = unused.shift();
      return [
        finding(
          this,
          String(number.values[0]),
          other ? "different" : "missing",
          { number: written, ...(other ? { found: context.target.slice(other.start, other.end) } : {}) },
          other,
        ),
      ];
    });
  },
};

function agree(a: NumberToken, b: NumberToken): boolean {
  return a.values.some((v) => b.values.includes(v));
}
