/** Which text of each paragraph an export takes, and what happens to paragraphs without one. */

import type { Document } from "../document.ts";
import { ConflictError } from "../errors.ts";
import {
  approvedText,
  currentText,
  latestRevision,
  type ParagraphStatus,
  statusOf,
  type TranslationState,
} from "../translation.ts";

export type ExportStatus = "latest" | "approved";
export type IncompletePolicy = "error" | "source";

/** A paragraph as exported: its translation, or its source when the policy allows and marks it. */
export interface ExportedParagraph {
  id: string;
  kind: Document["paragraphs"][number]["kind"];
  level?: number;
  /** Markdown block structure, for rebuilding it (see `Paragraph`). */
  marker?: string;
  depth?: number;
  quote?: number;
  source: string;
  text: string;
  /** True when `text` is the source text standing in for a missing translation. */
  fromSource: boolean;
  /** The revision `text` comes from: the latest (or latest approved) one, 0 when none. */
  revision: number;
}

export interface ExportInput {
  document: Document;
  lang: string;
  paragraphs: ExportedParagraph[];
  /** Paragraphs whose exported text is an approved revision. */
  approved: number;
  exportedAt: string;
  status: ExportStatus;
  /** Each paragraph's review status, for formats that carry it (XLIFF segment states). */
  statuses: Map<string, ParagraphStatus>;
}

/**
 * Picks each paragraph's latest (or latest approved) text. Missing ones are a 409 listing them
 * (`error`), or stand in with their source text, marked (`source`).
 */
export function selectForExport(
  document: Document,
  lang: string,
  state: TranslationState,
  options: { status: ExportStatus; incomplete: IncompletePolicy; exportedAt: string },
): ExportInput {
  const missing: string[] = [];
  let approved = 0;
  const paragraphs = document.paragraphs.map((p): ExportedParagraph => {
    const translation = state.get(p.id);
    // An approval made before the paragraph's source changed is no approval of the current source.
    const text = options.status === "approved" ? approvedText(translation, p) : currentText(translation);
    if (text !== null && (options.status === "approved" || statusOf(translation, p) === "approved"))
      approved++;
    if (text === null) missing.push(p.id);
    return {
      id: p.id,
      kind: p.kind,
      ...(p.level !== undefined ? { level: p.level } : {}),
      ...(p.marker !== undefined ? { marker: p.marker } : {}),
      ...(p.depth !== undefined ? { depth: p.depth } : {}),
      ...(p.quote !== undefined ? { quote: p.quote } : {}),
      source: p.source,
      text: text ?? p.source,
      fromSource: text === null,
      revision:
        (options.status === "approved" ? translation?.lastApproved : latestRevision(translation)?.revision) ??
        0,
    };
  });
  if (missing.length > 0 && options.incomplete === "error")
    throw new ConflictError(
      `${missing.length} of ${document.paragraphs.length} paragraphs have no ${options.status === "approved" ? "approved " : ""}translation.`,
      { paragraphs: missing },
      "incomplete_translation",
    );
  if (missing.length === document.paragraphs.length)
    throw new ConflictError(
      "Nothing in this language to export.",
      { paragraphs: missing },
      "incomplete_translation",
    );
  const statuses = new Map(document.paragraphs.map((p) => [p.id, statusOf(state.get(p.id), p)]));
  return {
    document,
    lang,
    paragraphs,
    approved,
    exportedAt: options.exportedAt,
    status: options.status,
    statuses,
  };
}
