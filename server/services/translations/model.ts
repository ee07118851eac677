/** What the translation services hand to routes and other services: view models and results. */

import type { TermMatch } from "../../../glossary/checks/index.ts";
import type { AnyFinding } from "../../../quality/run.ts";
import type { Change, Diff } from "../../../translations/diff.ts";
import type { Document, Paragraph } from "../../../translations/document.ts";
import type { UnitProblem } from "../../../translations/exchange/xliff-import.ts";
import type { GlossaryEvent } from "../../../translations/glossary-events.ts";
import type {
  ParagraphStatus,
  ParagraphTranslation,
  Revision,
  Waiver,
} from "../../../translations/translation.ts";

export interface Progress {
  total: number;
  translated: number;
  approved: number;
  /** Paragraphs whose translation was made against an older source of a paragraph that changed since. */
  outdated: number;
  words: { total: number; translated: number; approved: number };
}

export interface ParagraphView {
  paragraph: Paragraph;
  text: string | null;
  revision: number;
  status: ParagraphStatus;
  latest: Revision | undefined;
  glossary: readonly TermMatch[];
  /** Findings not waived. */
  qa: readonly AnyFinding[];
  /** Findings a translator waived for this paragraph, with the waiver. */
  waived: { finding: AnyFinding; waiver: Waiver }[];
  translation: ParagraphTranslation | undefined;
  /** Outdated paragraphs: the word diff of the source since the version the translation was made against. */
  sourceChange?: SourceChange;
}

/** How a paragraph's source changed since a translation was made. */
export interface SourceChange {
  fromVersion: number;
  changes: readonly Change[];
  /** Glossary terms of the source that appeared or disappeared with the change. */
  terms: { added: string[]; removed: string[] };
}

/** One card of the review page. */
export interface ReviewItem extends ParagraphView {
  /** The last approved revision, compared with the latest; undefined when never approved. */
  approved: Revision | undefined;
  diff: Diff;
  events: GlossaryEvent[];
}

/** A page of the paragraphs waiting for review (TranslationQueries.reviewQueue). */
export interface ReviewQueue {
  view: TranslationView;
  items: ReviewItem[];
  /** Paragraphs waiting in all; before this page; after it. */
  total: number;
  earlier: number;
  later: number;
  /** `after` of the page before (null: the first page, asked without it), undefined on the first page. */
  previousAfter: number | null | undefined;
  /** `after` of the next page; undefined on the last. */
  nextAfter: number | undefined;
}

export interface TranslationView {
  document: Document;
  lang: string;
  progress: Progress;
  paragraphs: ParagraphView[];
}

/** A paragraph whose translation uses a given form. */
export interface UsageHit {
  document: Document;
  lang: string;
  paragraph: Paragraph;
  text: string;
  form: string;
  start: number;
  end: number;
}

/** What an XLIFF import did: units applied, units already as the file has them, units refused. */
export interface ImportReport {
  updated: number;
  unchanged: number;
  errors: UnitProblem[];
  /** Units whose paragraph changed since the file was exported: not applied, their text kept here. */
  conflicts: (UnitProblem & { text: string })[];
}

export interface SaveResult {
  revision: number;
  status: ParagraphStatus;
  text: string;
  qa: readonly AnyFinding[];
  created: boolean;
  /** Who wrote the latest revision, and when. */
  author: string;
  createdAt: string;
  /** The document, and the history's version after the save (absent when nothing was written). */
  doc: Document;
  lang: string;
  version?: number;
}

/** What the documents list and the review queue show of one document × language. */
export interface TranslationSummary {
  progress: Progress;
  /** The latest revision of any paragraph: when the translation last changed, and by whom. */
  last: { at: string; author: string } | undefined;
  /** Paragraphs changed since their last approval. */
  waiting: number;
}

/** One page of documents; `next` and `previous` lead on from it, absent at either end. */
export interface DocumentPage {
  documents: Document[];
  next?: string;
  previous?: string;
}
