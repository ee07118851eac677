import { type Check, distinctTerms } from "./check.ts";

/** A do-not-translate term does not appear unchanged in the translation. */
export const untranslatableChanged: Check = {
  code: "untranslatable-changed",
  severity: "error",
  run(context) {
    return distinctTerms(context.matches)
      .filter((m) => !m.term.translatable && !context.keptVerbatim(m.termId))
      .map((m) => ({
        code: this.code,
        severity: this.severity,
        termId: m.termId,
        params: { term: m.term.source, target: m.term.source },
      }));
  },
};
