import { finding, type QualityCheck, type QualityFinding } from "../finding.ts";

/** Two spaces in a row, or space at either end, that the source does not have. */
export const doubleSpace: QualityCheck = {
  code: "double-space",
  severity: "warning",
  run({ source, target }) {
    const found: QualityFinding[] = [];
    if (!/ {2}/.test(source))
      for (const m of target.matchAll(/(?<=\S) {2,}(?=\S)/g))
        found.push(finding(this, "double", "double", {}, { start: m.index, end: m.index + m[0].length }));
    const lead = /^\s+/.exec(target)?.[0].length ?? 0;
    if (lead > 0 && !/^\s/.test(source))
      found.push(finding(this, "leading", "leading", {}, { start: 0, end: lead }));
    const trail = /\s+$/.exec(target);
    if (trail && trail.index > 0 && !/\s$/.test(source))
      found.push(finding(this, "trailing", "trailing", {}, { start: trail.index, end: target.length }));
    return found;
  },
};
