import { finding, MOST_REPORTED, type QualityCheck, type QualityFinding } from "../finding.ts";

const SPACE = /\s/;

/** Two spaces in a row, or space at either end, that the source does not have. */
export const doubleSpace: QualityCheck = {
  code: "double-space",
  severity: "warning",
  run({ source, target }) {
    const found: QualityFinding[] = [];
    if (!/ {2}/.test(source))
      for (const m of target.matchAll(/(?<=\S) {2,}(?=\S)/g)) {
        found.push(finding(this, "double", "double", {}, { start: m.index, end: m.index + m[0].length }));
        if (found.length >= MOST_REPORTED) break;
      }
    const lead = /^\s+/.exec(target)?.[0].length ?? 0;
    if (lead > 0 && !/^\s/.test(source))
      found.push(finding(this, "leading", "leading", {}, { start: 0, end: lead }));
    // Read from the end: an expression anchored at `$` would be tried at every position.
    let trail = target.length;
    while (trail > 0 && SPACE.test(target.charAt(trail - 1))) trail--;
    if (trail < target.length && trail > 0 && !SPACE.test(source.charAt(source.length - 1)))
      found.push(finding(this, "trailing", "trailing", {}, { start: trail, end: target.length }));
    return found;
  },
};
