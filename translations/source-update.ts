/**
 * A document's source replaced by a new version: which paragraph of the new text comes from which
 * old one (translations/alignment.ts), the document at its next version, the record of that version,
 * and the revisions that carry translations into split and merged paragraphs. Pure: the caller reads
 * the old document and the translation states, and writes what this returns.
 */

import { type Alignment, alignParagraphs, type Fate, type OldParagraph } from "./alignment.ts";
import { type Change, diffTexts } from "./diff.ts";
import { type Document, type Paragraph, type SourceFormat, titleFrom } from "./document.ts";
import { ConflictError } from "./errors.ts";
import {
  currentText,
  latestRevision,
  type RevisionEvent,
  type SaveStatus,
  statusOf,
  type TranslationState,
} from "./translation.ts";

/** One kept version of a document's source. */
export interface SourceVersion {
  documentId: string;
  version: number;
  title: string;
  format?: SourceFormat;
  paragraphs: Paragraph[];
  /** ISO 8601: when this version became the source. */
  createdAt: string;
  createdBy: string;
  /** What changed from the version before; absent on version 1. */
  changes?: SourceChanges;
}

/** The paragraph ids of the new version by what became of them (the API's `changes`). */
export interface SourceChanges {
  /** Same text, or only punctuation, quotes or whitespace changed and not forced: translations kept as they are. */
  unchanged: string[];
  /** Text changed (and split or merged paragraphs' id holders): translations kept, outdated. */
  edited: string[];
  /** New paragraphs (a split's second part included). */
  added: string[];
  /** Ids that left the document; their history stays readable. */
  removed: string[];
  /** Of `unchanged` (or `edited`, when forced): changes of punctuation, quotes or whitespace only. */
  trivial: string[];
  /** Of `unchanged`: paragraphs that changed place. */
  moved: string[];
  split: { from: string; into: string[] }[];
  merged: { from: string[]; into: string }[];
}

/** One paragraph of the new version in a plan. */
export interface PlannedParagraph {
  paragraph: Paragraph;
  fate: Fate;
  /** Old paragraph ids it comes from. */
  from: string[];
  moved: boolean;
  /** True when translations made before this version are outdated by it. */
  outdates: boolean;
  /** Word diff of the source from the old paragraph(s) to this one; absent when unchanged or added. */
  diff?: readonly Change[];
}

export interface SourcePlan {
  baseVersion: number;
  version: number;
  document: Document;
  paragraphs: PlannedParagraph[];
  removed: Paragraph[];
  changes: SourceChanges;
  /** Per target language: translations that will need a look (outdated) and translated paragraphs removed. */
  languages: Record<string, { outdated: number; removed: number }>;
  /** Per target language: revisions carrying old translations into split and merged paragraphs. */
  carry: Record<string, RevisionEvent[]>;
  /** The records to keep: the old version's on the document's first update, and the new one. */
  versions: SourceVersion[];
}

export interface SourceUpdateInput {
  /** The new source already split into a document (ids are replaced by the alignment). */
  parsed: Document;
  baseVersion: number;
  /** Make translations outdated on punctuation, quote and whitespace changes too. */
  outdateTrivial: boolean;
  /** The alignment of the old paragraphs with `parsed`'s, when worked out already (off the event loop). */
  alignment?: Alignment;
  /** The word diffs of that alignment (alignedSource), when worked out with it. */
  diffs?: AlignedDiffs;
  author: string;
  now: string;
}

/** Per new paragraph, the word diff from the old paragraph(s) it comes from; null when unchanged or added. */
export type AlignedDiffs = (readonly Change[] | null)[];

/** A new source aligned with the old one, with the plan's word diffs: one job, for a thread to do. */
export interface AlignedSource {
  alignment: Alignment;
  diffs: AlignedDiffs;
}

/**
 * The alignment of a new source with the old paragraphs and the word diff of every paragraph that
 * changed: a paste with thousands of edited paragraphs costs a diff each, so both run in the parse
 * pool for a large document (server/parse-pool.ts), and planSourceUpdate takes them as they are.
 */
export function alignSource(old: readonly OldParagraph[], next: readonly string[]): AlignedSource {
  const alignment = alignParagraphs(old, next);
  const sources = new Map(old.map((p) => [p.id, p.source]));
  const diffs = alignment.paragraphs.map((a, index) =>
    a.from.length > 0 && a.fate !== "unchanged"
      ? diffTexts(a.from.map((id) => sources.get(id) ?? "").join(" "), next[index] as string).changes
      : null,
  );
  return { alignment, diffs };
}

/** A stale `baseVersion`: 409 with the current version, nothing changed. */
export function staleSourceVersion(current: number): ConflictError {
  return new ConflictError(
    `The source was updated after you started (it is now at version ${current}).`,
    { baseVersion: `current version is ${current}` },
    "source_version_conflict",
  ).withCurrent({ version: current });
}

export function planSourceUpdate(
  doc: Document,
  states: ReadonlyMap<string, TranslationState>,
  input: SourceUpdateInput,
): SourcePlan {
  const baseVersion = doc.version ?? 1;
  if (input.baseVersion !== baseVersion) throw staleSourceVersion(baseVersion);
  const version = baseVersion + 1;
  const oldById = new Map(doc.paragraphs.map((p) => [p.id, p]));
  const next = input.parsed.paragraphs;
  const alignment =
    input.alignment ??
    alignParagraphs(
      doc.paragraphs,
      next.map((p) => p.source),
    );
  const taken = new Set<string>();
  const changes: SourceChanges = {
    unchanged: [],
    edited: [],
    added: [],
    removed: [...alignment.removed],
    trivial: [],
    moved: [],
    split: [],
    merged: [],
  };
  const splits = new Map<string, string[]>();
  let added = 0;
  const paragraphs = alignment.paragraphs.map((a, index): PlannedParagraph => {
    const block = next[index] as Paragraph;
    const first = a.from[0];
    const keep = first !== undefined && !taken.has(first);
    // Ids never come back: a new paragraph's id names this version, so no old history is mistaken for it.
    const id = keep ? first : `v${version}p${++added}`;
    taken.add(id);
    const old = first !== undefined ? (oldById.get(first) as Paragraph) : undefined;
    const outdates =
      a.fate === "edited" ||
      a.fate === "split" ||
      a.fate === "merged" ||
      (a.fate === "trivial" && input.outdateTrivial);
    // The parsed block is new text only; what outdated this paragraph before lives on its old self.
    const { id: _, index: __, changedIn: ___, from: ____, ...shape } = block;
    const oldChange = old?.changedIn;
    const oldFrom = old?.from;
    const paragraph: Paragraph = { id, index, ...shape };
    if (outdates) paragraph.changedIn = version;
    else if (oldChange !== undefined) paragraph.changedIn = oldChange;
    if (a.fate === "split" || a.fate === "merged") paragraph.from = [...a.from];
    else if (!outdates && oldFrom) paragraph.from = oldFrom;
    const oldSource = a.from.map((pid) => oldById.get(pid)?.source ?? "").join(" ");
    if (!keep) changes.added.push(id);
    else if (outdates) changes.edited.push(id);
    else changes.unchanged.push(id);
    if (a.fate === "trivial") changes.trivial.push(id);
    if (a.moved) changes.moved.push(id);
    if (a.fate === "split" && first) splits.set(first, [...(splits.get(first) ?? []), id]);
    if (a.fate === "merged") {
      changes.merged.push({ from: [...a.from], into: id });
      // The other ids leave the document; their translations were carried into this one.
      changes.removed.push(...a.from.filter((pid) => pid !== id));
    }
    return {
      paragraph,
      fate: a.fate,
      from: a.from,
      moved: a.moved === true,
      outdates,
      ...(old && a.fate !== "unchanged"
        ? { diff: input.diffs?.[index] ?? diffTexts(oldSource, block.source).changes }
        : {}),
    };
  });
  for (const [from, into] of splits) changes.split.push({ from, into });

  const document: Document = {
    ...doc,
    title: titleFrom(paragraphs[0]?.paragraph.source ?? doc.title),
    paragraphs: paragraphs.map((p) => p.paragraph),
    version,
    ...(input.parsed.format ? { format: input.parsed.format } : {}),
  };
  const removed = alignment.removed.map((pid) => oldById.get(pid) as Paragraph);
  const languages: SourcePlan["languages"] = {};
  const carry: SourcePlan["carry"] = {};
  for (const lang of doc.languages) {
    const state = states.get(lang) ?? new Map();
    const events = carryEvents(paragraphs, state, input);
    carry[lang] = events;
    const carried = new Set(events.map((e) => e.pid));
    languages[lang] = {
      outdated: paragraphs.filter(
        (p) => p.outdates && (carried.has(p.paragraph.id) || currentText(state.get(p.paragraph.id)) !== null),
      ).length,
      removed: removed.filter((p) => currentText(state.get(p.id)) !== null).length,
    };
  }
  const record = (d: Document, v: number, by: string, at: string, c?: SourceChanges): SourceVersion => ({
    documentId: d.id,
    version: v,
    title: d.title,
    ...(d.format ? { format: d.format } : {}),
    paragraphs: d.paragraphs,
    createdAt: at,
    createdBy: by,
    ...(c ? { changes: c } : {}),
  });
  const versions = [
    ...(baseVersion === 1 ? [record(doc, 1, doc.createdBy, doc.createdAt)] : []),
    record(document, version, input.author, input.now, changes),
  ];
  return { baseVersion, version, document, paragraphs, removed, changes, languages, carry, versions };
}

/**
 * The revisions that give a split's new part, and a merged paragraph, the old translations as their
 * starting text: made against the old source, so they show as outdated.
 */
export function carryEvents(
  paragraphs: PlannedParagraph[],
  state: TranslationState,
  input: SourceUpdateInput,
): RevisionEvent[] {
  const events: RevisionEvent[] = [];
  for (const p of paragraphs) {
    if (p.fate !== "split" && p.fate !== "merged") continue;
    const pid = p.paragraph.id;
    if (p.fate === "split" && p.from[0] === pid) continue;
    const texts = p.from.map((id) => currentText(state.get(id))).filter((t): t is string => t !== null);
    if (texts.length === 0) continue;
    const text = texts.join(" ");
    const own = state.get(pid);
    if (p.fate === "merged" && texts.length === 1 && currentText(own) === text) continue;
    const sources = p.from.map((id) => state.get(id)?.sourceVersion ?? 1);
    const status: SaveStatus = p.from.some((id) => statusOf(state.get(id)) === "draft")
      ? "draft"
      : "translated";
    const previous = latestRevision(own)?.revision ?? 0;
    events.push({
      type: "revision",
      pid,
      revision: previous + 1,
      text,
      status,
      author: input.author,
      createdAt: input.now,
      ...(Math.min(...sources) > 1 ? { sourceVersion: Math.min(...sources) } : {}),
    });
  }
  return events;
}

/** Each kept version's sources by paragraph id, built once per record (records never change). */
const sourcesById = new WeakMap<SourceVersion, Map<string, string>>();

/**
 * The source of a paragraph at a kept version: by its id, or, for a split or merged paragraph and a
 * version before it was made, the paragraphs it came from.
 */
export function sourceAt(record: SourceVersion | undefined, paragraph: Paragraph): string | undefined {
  if (!record) return undefined;
  let sources = sourcesById.get(record);
  if (!sources) {
    sources = new Map(record.paragraphs.map((p) => [p.id, p.source]));
    sourcesById.set(record, sources);
  }
  const find = (id: string) => sources.get(id);
  if (paragraph.from && record.version < (paragraph.changedIn ?? 1)) {
    const parts = paragraph.from.map(find).filter((s): s is string => s !== undefined);
    if (parts.length) return parts.join(" ");
  }
  return find(paragraph.id);
}

/** One paragraph in a comparison of two kept source versions. */
export interface ComparedParagraph {
  id: string;
  fate: "unchanged" | "changed" | "added" | "removed";
  /** The text in the later version (the earlier one for `removed`). */
  source: string;
  /** Word diff from the earlier text to the later one, for `changed`. */
  changes?: readonly Change[];
}

/**
 * Two kept versions compared paragraph by paragraph: ids are stable across versions, so a paragraph
 * is matched with the one of the same id (or, when it was split or merged since, the ones it came from).
 */
export function compareSourceVersions(from: SourceVersion, to: SourceVersion): ComparedParagraph[] {
  const earlier = new Map(from.paragraphs.map((p) => [p.id, p]));
  const reached = new Set<string>();
  const rows: ComparedParagraph[] = [];
  for (const p of to.paragraphs) {
    const before =
      earlier.has(p.id) && !(p.from && from.version < (p.changedIn ?? 1))
        ? earlier.get(p.id)?.source
        : sourceAt(from, p);
    for (const id of p.from && from.version < (p.changedIn ?? 1) ? p.from : [p.id])
      if (earlier.has(id)) reached.add(id);
    if (before === undefined) rows.push({ id: p.id, fate: "added", source: p.source });
    else if (before === p.source) rows.push({ id: p.id, fate: "unchanged", source: p.source });
    else
      rows.push({
        id: p.id,
        fate: "changed",
        source: p.source,
        changes: diffTexts(before, p.source).changes,
      });
  }
  for (const p of from.paragraphs)
    if (!reached.has(p.id)) rows.push({ id: p.id, fate: "removed", source: p.source });
  return rows;
}
