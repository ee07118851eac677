import { type Check, distinctTerms } from "./check.ts";

/** A source term's approved target is absent from the translation. */
export const missingTerm: Check = {
  code: "missing-term",
  severity: "warning",
  run(context) {
    return distinctTerms(context.matches)
      .filter((m) => m.term.translatable && m.target !== null && !context.hasTarget(m.termId))
      .map((m) => ({
        code: this.code,
        severity: this.severity,
        termId: m.termId,
        params: { term: m.term.source, target: m.target ?? "" },
      }));
  },
};
