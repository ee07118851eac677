/**
 * Machine output that keeps the glossary's decisions: do-not-translate terms and personal names are
 * taken out of the text before the engine sees it (placeholders it passes through) and put back
 * after; a required target the engine did not use is put in where the term's translation shows up
 * exactly once; whatever is still wrong is left to the checks, whose findings go with the text.
 */

import type { TermMatch } from "../../glossary/checks/index.ts";
import type { GlossaryHint, LanguagePair, MachineTranslator, PlaceholderStyle } from "./provider.ts";

/** A span of a source text kept exactly as written. */
export interface Span {
  start: number;
  end: number;
}

/** What the glossary-safe layer needs of a glossary index (glossary/index-for-pair.ts has it). */
export interface TermIndex {
  match(source: string): readonly TermMatch[];
  targetsPresent(text: string): Set<string>;
}

export interface SafeTranslation {
  text: string;
  /** Terms whose required target was put in place of the engine's word. */
  substituted: string[];
  /** Protected spans the engine lost (their placeholder did not come back); the checks flag them. */
  lost: string[];
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whole-word occurrences of each name in a text (case as written). */
export function nameSpans(text: string, names: readonly string[]): Span[] {
  const spans: Span[] = [];
  for (const name of names) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "gu");
    for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + name.length });
  }
  return spans;
}

/** Spans sorted, the longer one kept where two overlap. */
export function disjoint(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.start < last.end) {
      if (span.end - span.start > last.end - last.start) out[out.length - 1] = span;
      continue;
    }
    out.push(span);
  }
  return out;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/**
 * Placeholders are words no engine knows, so they come back unchanged: a mark, a number, a `z`,
 * nothing to inflect. The mark is one the text does not already hold (in any case), so that a text
 * that happens to contain `Zqx0z` gets it back as written, not replaced by a kept span.
 */
const DEFAULT_MARK = "Zqx";
function markFor(text: string): string {
  const lower = text.toLowerCase();
  let mark = DEFAULT_MARK;
  while (lower.includes(mark.toLowerCase())) mark = `Zq${"j".repeat(mark.length - 2)}x`;
  return mark;
}
const TAG = /<x i="(\d+)"\s*\/>/g;

/**
 * The text with each span replaced by a placeholder, the spans' texts by placeholder number, and
 * the mark of the token placeholders (restore needs it back).
 */
export function protect(
  text: string,
  spans: readonly Span[],
  style: PlaceholderStyle,
): { text: string; kept: string[]; mark: string } {
  const mark = markFor(text);
  const token = (i: number) => `${mark}${i}z`;
  const kept: string[] = [];
  let out = "";
  let at = 0;
  const plain = style === "xml" ? escapeXml : (s: string) => s;
  for (const span of spans) {
    out += plain(text.slice(at, span.start));
    out += style === "xml" ? `<x i="${kept.length}"/>` : token(kept.length);
    kept.push(text.slice(span.start, span.end));
    at = span.end;
  }
  return { text: out + plain(text.slice(at)), kept, mark };
}

/** The engine's output with the kept texts back in place; a placeholder that went missing is listed. */
export function restore(
  output: string,
  kept: readonly string[],
  style: PlaceholderStyle,
  mark = DEFAULT_MARK,
): { text: string; lost: string[] } {
  const seen = new Set<number>();
  const put = (_: string, n: string) => {
    const i = Number(n);
    seen.add(i);
    return kept[i] ?? "";
  };
  const text =
    style === "xml"
      ? unescapeXml(output.replace(TAG, put))
      : output.replace(new RegExp(`${mark}(\\d+)z`, "g"), put);
  return { text, lost: kept.filter((_, i) => !seen.has(i)) };
}

/**
 * Puts `required` in place of `engineForm` when that form occurs exactly once in `output` as whole
 * words, keeping an initial capital at the start of a sentence; null when it cannot be done safely.
 */
export function substitute(output: string, engineForm: string, required: string): string | null {
  const form = engineForm.trim();
  if (!form) return null;
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, "giu");
  const hits = [...output.matchAll(re)];
  if (hits.length !== 1) return null;
  const hit = hits[0] as RegExpMatchArray & { index: number };
  // A capital is kept only where a sentence starts: elsewhere the glossary's case is the house style.
  const sentenceStart = /(^|[.!?:]\s+)["“‘«¿¡]?$/u.test(output.slice(0, hit.index));
  const capital = sentenceStart && /^\p{Lu}/u.test(hit[0]) && !/^\p{Lu}/u.test(required);
  const replacement = capital ? required[0]?.toUpperCase() + required.slice(1) : required;
  return output.slice(0, hit.index) + replacement + output.slice(hit.index + hit[0].length);
}

/**
 * Translates source texts with one engine, glossary-safe. One engine call for the whole batch: the
 * protected texts and, for substitution, each matched term's source alone.
 */
export async function translateSafely(
  engine: Pick<MachineTranslator, "translate" | "names" | "placeholders">,
  index: TermIndex,
  pair: LanguagePair,
  sources: readonly string[],
  signal: AbortSignal,
  context: readonly string[] = sources,
): Promise<SafeTranslation[]> {
  const names = engine.names ? await engine.names(context, pair, signal) : [];
  const matches = sources.map((source) => index.match(source));
  const prepared = sources.map((source, i) => {
    const terms = matches[i] ?? [];
    const keep = terms.filter((m) => !m.term.translatable);
    // A name inside a translatable term ("White House") is the term's business, not a name.
    const translatable = terms.filter((m) => m.term.translatable);
    const named = nameSpans(source, names).filter(
      (s) => !translatable.some((m) => s.start < m.end && m.start < s.end),
    );
    return protect(source, disjoint([...keep, ...named]), engine.placeholders);
  });
  const required = new Map<string, TermMatch>();
  for (const list of matches)
    for (const m of list)
      if (m.term.translatable && m.target && !required.has(m.text)) required.set(m.text, m);
  const termSources = [...required.keys()];
  const glossary: GlossaryHint[] = [...required.values()].map((m) => ({
    source: m.text,
    target: m.target ?? "",
  }));
  const outputs = await engine.translate([...prepared.map((p) => p.text), ...termSources], pair, {
    signal,
    glossary,
  });
  const engineForms = new Map(termSources.map((text, i) => [text, outputs[prepared.length + i] ?? ""]));
  return prepared.map((p, i) => {
    const restored = restore(outputs[i] ?? "", p.kept, engine.placeholders, p.mark);
    let text = restored.text;
    const substituted: string[] = [];
    const present = index.targetsPresent(text);
    const once = countBy(matches[i] ?? []);
    for (const m of matches[i] ?? []) {
      if (!m.term.translatable || !m.target || present.has(m.termId) || once.get(m.termId) !== 1) continue;
      const replaced = substitute(text, engineForms.get(m.text) ?? "", m.target);
      if (replaced === null) continue;
      text = replaced;
      substituted.push(m.termId);
    }
    return { text, substituted, lost: restored.lost };
  });
}

function countBy(matches: readonly TermMatch[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of matches) counts.set(m.termId, (counts.get(m.termId) ?? 0) + 1);
  return counts;
}
