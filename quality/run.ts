/**
 * The one entry point for checking a translation: the glossary's checks and every quality check,
 * with the target language's settings applied (a check turned off, another severity).
 */

import type { Finding, TermMatch } from "../glossary/checks/index.ts";
import type { GlossaryIndex } from "../glossary/index-for-pair.ts";
import { QUALITY_CHECKS } from "./checks/index.ts";
import type { QualityContext, QualityFinding, QualitySettings, Speller } from "./finding.ts";

/** A finding of any check, the glossary's or another. */
export type AnyFinding = Finding | QualityFinding;

export interface TranslationCheck {
  source: string;
  target: string;
  kind: QualityContext["kind"];
  format: QualityContext["format"];
  /** The glossary prepared for the document's language pair. */
  index: GlossaryIndex;
  /** The source's term matches, when the caller has them already. */
  matches?: readonly TermMatch[];
  settings: QualitySettings;
  /** Words an editor accepted for the target language, lower case. */
  acceptedWords: ReadonlySet<string>;
  /** The document's names (documentNames over its source texts). */
  names?: ReadonlySet<string>;
  speller?: Speller;
}

const NONE: readonly AnyFinding[] = Object.freeze([]);

/** Every finding for a translation of `source`, errors first; none for an empty translation. */
export function checkTranslation(input: TranslationCheck): readonly AnyFinding[] {
  if (!input.target.trim()) return NONE;
  const glossary = input.index.check(input.source, input.target, input.matches);
  const vocabulary = input.index.vocabulary();
  const context: QualityContext = {
    source: input.source,
    target: input.target,
    sourceLang: input.index.sourceLang,
    targetLang: input.index.targetLang,
    kind: input.kind,
    format: input.format,
    settings: input.settings,
    knownWords:
      input.acceptedWords.size === 0 ? vocabulary : new Set([...vocabulary, ...input.acceptedWords]),
    ...(input.speller ? { speller: input.speller } : {}),
    ...(input.names ? { names: input.names } : {}),
  };
  const quality: QualityFinding[] = [];
  for (const check of QUALITY_CHECKS) {
    const setting = input.settings.checks[check.code];
    if (setting?.enabled === false) continue;
    for (const f of check.run(context))
      quality.push(setting?.severity ? { ...f, severity: setting.severity } : f);
  }
  if (quality.length === 0) return glossary;
  const all: AnyFinding[] = [...glossary, ...quality];
  // Stable: within a severity, glossary findings first, then the checks in their registered order.
  return all.sort((a, b) => Number(b.severity === "error") - Number(a.severity === "error"));
}

/** What a waiver of this finding names: the term for a glossary finding, the finding's key otherwise. */
export function waiverKey(finding: AnyFinding): { termId: string; key?: string } {
  return "termId" in finding ? { termId: finding.termId } : { termId: "", key: finding.key };
}

/** True when `waiver` waives `finding` (waivers written before other checks existed name only a term). */
export function waives(waiver: { termId: string; key?: string; code: string }, finding: AnyFinding): boolean {
  if (waiver.code !== finding.code) return false;
  return "termId" in finding ? waiver.termId === finding.termId && !waiver.key : waiver.key === finding.key;
}

/** The findings no waiver waives: what a paragraph still has to fix (or waive). */
export function openFindings(
  findings: readonly AnyFinding[],
  waivers: readonly { termId: string; key?: string; code: string }[],
): readonly AnyFinding[] {
  return waivers.length === 0 ? findings : findings.filter((f) => !waivers.some((w) => waives(w, f)));
}

export function isQualityFinding(finding: AnyFinding): finding is QualityFinding {
  return !("termId" in finding);
}
