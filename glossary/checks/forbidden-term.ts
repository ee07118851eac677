import { type Check, distinctTerms } from "./check.ts";

/** A forbidden alternative of a source term is used in the translation. */
export const forbiddenTerm: Check = {
  code: "forbidden-term",
  severity: "error",
  run(context) {
    return distinctTerms(context.matches).flatMap((m) => {
      const used = context.forbiddenUsed(m.termId);
      if (used.length === 0) return [];
      return [
        {
          code: this.code,
          severity: this.severity,
          termId: m.termId,
          params: { term: m.term.source, target: m.target ?? "", forms: used.join(", ") },
        },
      ];
    });
  },
};
