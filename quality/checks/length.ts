import { DEFAULT_TITLE_LIMIT, finding, type QualityCheck, type QualityFinding } from "../finding.ts";

/** Below this many characters a source's length says little about its translation's. */
const MIN_COMPARED = 20;

/**
 * A title longer than the headline limit (110 characters by default, the usual limit of news
 * sitemaps and structured data), and a translation more than twice or under half its source's length.
 */
export const length: QualityCheck = {
  code: "length",
  severity: "warning",
  run({ source, target, kind, settings }) {
    const found: QualityFinding[] = [];
    const limit = settings.titleLimit ?? DEFAULT_TITLE_LIMIT;
    if (kind === "title" && target.length > limit)
      found.push(
        finding(
          this,
          "title",
          "title",
          { limit, length: target.length },
          { start: limit, end: target.length },
        ),
      );
    if (source.trim().length >= MIN_COMPARED) {
      const ratio = target.trim().length / source.trim().length;
      // A number, written in the reader's own way by the message (0,04 in Spanish, not "0.0").
      const shown = Number(ratio.toPrecision(2));
      if (ratio > 2) found.push(finding(this, "long", "long", { ratio: shown }));
      else if (ratio < 0.5) found.push(finding(this, "short", "short", { ratio: shown }));
    }
    return found;
  },
};
