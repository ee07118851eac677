/** What the editor, the history and the review pages read: view models of a translation. */

import type { TermMatch } from "../../../glossary/checks/index.ts";
import type { GlossaryIndex } from "../../../glossary/index-for-pair.ts";
import { type AnyFinding, waives } from "../../../quality/run.ts";
import { diffTexts } from "../../../translations/diff.ts";
import type { Document, Paragraph } from "../../../translations/document.ts";
import { NotFoundError } from "../../../translations/errors.ts";
import { glossaryEvents } from "../../../translations/glossary-events.ts";
import { lastApprovedRevision, needsReview } from "../../../translations/review.ts";
import { sourceAt } from "../../../translations/source-update.ts";
import {
  currentText,
  latestRevision,
  type ParagraphTranslation,
  type Revision,
  statusOf,
  type Waiver,
} from "../../../translations/translation.ts";
import type { ParagraphChecker } from "../quality.ts";
import type { TranslationContext } from "./context.ts";
import type { DocumentCatalog } from "./documents.ts";
import type { ParagraphView, ReviewItem, ReviewQueue, TranslationView } from "./model.ts";
import type { SourceUpdates } from "./source.ts";
import { progressOf } from "./summaries.ts";

export class TranslationQueries {
  constructor(
    private readonly context: TranslationContext,
    private readonly documents: DocumentCatalog,
    private readonly sources: SourceUpdates,
  ) {}

  /**
   * A paragraph of the document and its translation; with `includeRemoved`, also one a source update
   * removed (as its last kept version had it), whose history stays readable.
   */
  async paragraph(id: string, tag: string, pid: string, options: { includeRemoved?: boolean } = {}) {
    const { doc, lang } = await this.documents.resolve(id, tag);
    const paragraph =
      doc.paragraphs.find((p) => p.id === pid) ??
      (options.includeRemoved ? await this.sources.removedParagraph(doc, pid) : undefined);
    if (!paragraph) throw new NotFoundError("Paragraph", "paragraph_not_found");
    const state = await this.context.repository.state(doc.id, lang);
    return { doc, lang, paragraph, translation: state.get(pid) };
  }

  async view(id: string, tag: string): Promise<TranslationView> {
    const { doc, lang } = await this.documents.resolve(id, tag);
    const state = await this.context.repository.state(doc.id, lang);
    const index = await this.context.glossary.index(doc.sourceLang, lang);
    const check = await this.context.quality.checker(doc, lang);
    const paragraphs = doc.paragraphs.map((paragraph) =>
      paragraphView(index.match(paragraph.source), check, paragraph, state.get(paragraph.id)),
    );
    await this.#withSourceChanges(doc, index, paragraphs);
    return { document: doc, lang, progress: progressOf(doc, state), paragraphs };
  }

  /**
   * Two revisions of a paragraph compared (0 is the empty text before the first): the word diff and
   * what the change did to the glossary. By default the one before the latest against the latest;
   * a revision beyond the latest is a 404.
   */
  async compareRevisions(
    id: string,
    tag: string,
    pid: string,
    wanted: { from?: number; to?: number } = {},
    options: { includeRemoved?: boolean } = {},
  ) {
    const { doc, lang, paragraph, translation } = await this.paragraph(id, tag, pid, options);
    const revisions = translation?.revisions ?? [];
    const to = wanted.to ?? revisions.length;
    const from = wanted.from ?? Math.max(0, to - 1);
    if (to > revisions.length || from > revisions.length)
      throw new NotFoundError("Revision", "revision_not_found");
    const textOf = (n: number) => (n === 0 ? "" : (revisions[n - 1]?.text ?? ""));
    const index = await this.context.glossary.index(doc.sourceLang, lang);
    return {
      doc,
      lang,
      paragraph,
      translation,
      from,
      to,
      diff: diffTexts(textOf(from), textOf(to)),
      events: glossaryEvents(index, paragraph.source, textOf(from), textOf(to)),
      matches: index.match(paragraph.source),
    };
  }

  /**
   * Paragraphs changed since their last approval, each with its diff from that approval: a page of
   * them, the first `limit` after the paragraph at position `after` (0-based; none: from the start).
   * Only the page's diffs are made: a document of 1,000 changed paragraphs held the event loop
   * ~500 ms when every card was diffed and drawn at once.
   */
  async reviewQueue(
    id: string,
    tag: string,
    page: { after?: number; limit?: number } = {},
  ): Promise<ReviewQueue> {
    const view = await this.view(id, tag);
    const index = await this.context.glossary.index(view.document.sourceLang, view.lang);
    const waiting = view.paragraphs.filter((p) => needsReview(p.translation, p.paragraph));
    const limit = page.limit ?? REVIEW_PAGE;
    const after = page.after;
    const start = after === undefined ? 0 : waiting.findIndex((p) => p.paragraph.index > after);
    const first = start < 0 ? waiting.length : start;
    const items = waiting.slice(first, first + limit).map((p): ReviewItem => {
      const approved = lastApprovedRevision(p.translation);
      const latest = p.latest as Revision;
      return {
        ...p,
        approved,
        diff: diffTexts(approved?.text ?? "", latest.text),
        events: glossaryEvents(index, p.paragraph.source, approved?.text ?? "", latest.text),
      };
    });
    const last = first + items.length;
    return {
      view,
      items,
      total: waiting.length,
      earlier: first,
      later: waiting.length - last,
      // The page before starts after the paragraph `limit` places before this page's first.
      previousAfter:
        first === 0 ? undefined : first - limit <= 0 ? null : waiting[first - limit - 1]?.paragraph.index,
      nextAfter: last < waiting.length ? items.at(-1)?.paragraph.index : undefined,
    };
  }

  /** Attaches the source's change since each outdated paragraph's translation was made. */
  async #withSourceChanges(doc: Document, index: GlossaryIndex, paragraphs: ParagraphView[]): Promise<void> {
    if ((doc.version ?? 1) === 1 || !paragraphs.some((p) => p.status === "outdated")) return;
    const byVersion = new Map((await this.sources.versionsOf(doc)).map((v) => [v.version, v]));
    for (const p of paragraphs) {
      if (p.status !== "outdated") continue;
      const fromVersion = p.translation?.sourceVersion ?? 1;
      const before = sourceAt(byVersion.get(fromVersion), p.paragraph) ?? "";
      const termsOf = (text: string) => new Map(index.match(text).map((m) => [m.termId, m.text]));
      const [was, is] = [termsOf(before), termsOf(p.paragraph.source)];
      p.sourceChange = {
        fromVersion,
        changes: diffTexts(before, p.paragraph.source).changes,
        terms: {
          added: [...is].filter(([termId]) => !was.has(termId)).map(([, text]) => text),
          removed: [...was].filter(([termId]) => !is.has(termId)).map(([, text]) => text),
        },
      };
    }
  }
}

/** Cards on one review page. */
export const REVIEW_PAGE = 50;

const NO_FINDINGS: readonly AnyFinding[] = Object.freeze([]);

function paragraphView(
  glossary: readonly TermMatch[],
  check: ParagraphChecker,
  paragraph: Paragraph,
  translation: ParagraphTranslation | undefined,
): ParagraphView {
  const latest = latestRevision(translation);
  const text = currentText(translation);
  const findings = text ? check(paragraph, text, glossary) : NO_FINDINGS;
  const { qa, waived } = splitWaived(findings, translation?.waivers ?? []);
  return {
    paragraph,
    text,
    revision: latest?.revision ?? 0,
    status: statusOf(translation, paragraph),
    latest,
    glossary,
    qa,
    waived,
    translation,
  };
}

/**
 * Findings still open and findings waived. Without waivers the glossary's own (remembered) findings
 * array is passed on as it is, which lets the page reuse what it built from it.
 */
function splitWaived(findings: readonly AnyFinding[], waivers: readonly Waiver[]) {
  if (waivers.length === 0) return { qa: findings, waived: [] };
  const waived: ParagraphView["waived"] = [];
  const qa: AnyFinding[] = [];
  for (const finding of findings) {
    const waiver = waivers.find((w) => waives(w, finding));
    if (waiver) waived.push({ finding, waiver });
    else qa.push(finding);
  }
  return { qa, waived };
}
