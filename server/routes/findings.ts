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
  const key = isQualityFinding(f) ? `quality.findings.${f.code}.${f.variant}` : `qa.${f.code}`;
  // A save answers with its paragraph's findings, mostly the same ones each time: i18next's lookup and
  // interpolation (about 0.1 ms for a few) run once per message, language and values.
  const memo = `${req.language}\u0000${key}\u0000${JSON.stringify(f.params)}`;
  let message = MESSAGES.get(memo);
  if (message === undefined) {
    const params: Record<string, string | number | undefined> = f.params;
    message = req.t(key, params);
    if (MESSAGES.size >= MESSAGES_MAX) MESSAGES.clear();
    MESSAGES.set(memo, message);
  }
  return message;
}

/** Finding messages already said, by language, key and values; the locales do not change while the server runs. */
const MESSAGES = new Map<string, string>();
const MESSAGES_MAX = 10_000;

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
