/** Findings of any check as pages and the API show them: a message in the reader's language, the span. */

import type { Request } from "express";
import { QUALITY_CODES, type QualityCode } from "../../quality/finding.ts";
import { type AnyFinding, isQualityFinding } from "../../quality/run.ts";

/** Every finding code a waiver may name: the glossary's three and the other checks'. */
export const FINDING_CODES = [
  "missing-term",
  "forbidden-term",
  "untranslatable-changed",
  ...QUALITY_CODES,
] as const;

/** The message of a finding in the request's language (glossary findings `qa.*`, the others `quality.findings.*`). */
export function findingMessage(req: Request, f: AnyFinding): string {
  return isQualityFinding(f)
    ? req.t(`quality.findings.${f.code}.${f.variant}`, f.params)
    : req.t(`qa.${f.code}`, f.params);
}

/**
 * What a waiver of the finding names, as one string: the term id of a glossary finding, the key
 * of another check's. Pages put `<code> <this>` in their waiver forms.
 */
export function findingRef(f: AnyFinding): string {
  return isQualityFinding(f) ? f.key : f.termId;
}

/** A waiver's target read from a code and its reference: a term for glossary codes, a key otherwise. */
export function waiverTarget(code: string, ref: string): { termId: string; key?: string } {
  return (QUALITY_CODES as readonly string[]).includes(code) ? { termId: "", key: ref } : { termId: ref };
}

export function isQualityCode(code: string): code is QualityCode {
  return (QUALITY_CODES as readonly string[]).includes(code);
}
