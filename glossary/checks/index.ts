import type { Check } from "./check.ts";
import { forbiddenTerm } from "./forbidden-term.ts";
import { missingTerm } from "./missing-term.ts";
import { untranslatableChanged } from "./untranslatable-changed.ts";

export type { Check, CheckContext, Finding, FindingCode, Severity, TermMatch } from "./check.ts";

/** Every QA check, errors first so that findings list the serious ones before the rest. */
export const CHECKS: readonly Check[] = [forbiddenTerm, untranslatableChanged, missingTerm];
