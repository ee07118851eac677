/** What a change between two translations did to the glossary, for diffs and review. */

import type { GlossaryIndex } from "../glossary/index-for-pair.ts";

export type GlossaryEventKind = "added" | "removed" | "violation-introduced" | "violation-fixed";

export interface GlossaryEvent {
  termId: string;
  /** The term's source form. */
  term: string;
  event: GlossaryEventKind;
  /** The form concerned: the required target, or the forbidden form used. */
  form?: string;
}

/**
 * Compares the glossary findings and term use of `from` and `to` (translations of `source`):
 * a required target that appears or disappears, a violation introduced or fixed.
 */
export function glossaryEvents(
  index: GlossaryIndex,
  source: string,
  from: string,
  to: string,
): GlossaryEvent[] {
  const matches = index.match(source);
  if (matches.length === 0) return [];
  const events: GlossaryEvent[] = [];
  const before = index.targetsPresent(from);
  const after = index.targetsPresent(to);
  const seen = new Set<string>();
  for (const m of matches) {
    if (seen.has(m.termId) || m.target === null) continue;
    seen.add(m.termId);
    const had = before.has(m.termId);
    const has = after.has(m.termId);
    if (!had && has) events.push({ termId: m.termId, term: m.term.source, event: "added", form: m.target });
    if (had && !has) events.push({ termId: m.termId, term: m.term.source, event: "removed", form: m.target });
  }
  const key = (f: { code: string; termId: string }) => `${f.code}\u0000${f.termId}`;
  const violations = (text: string) =>
    new Map(
      index
        .check(source, text, matches)
        .filter((f) => f.severity === "error")
        .map((f) => [key(f), f]),
    );
  const old = violations(from);
  const now = violations(to);
  for (const [k, f] of now)
    if (!old.has(k))
      events.push({
        termId: f.termId,
        term: f.params.term,
        event: "violation-introduced",
        form: f.params.forms ?? f.params.target,
      });
  for (const [k, f] of old)
    if (!now.has(k))
      events.push({
        termId: f.termId,
        term: f.params.term,
        event: "violation-fixed",
        form: f.params.forms ?? f.params.target,
      });
  return events;
}
