/** A translation out as a file (Markdown, XLIFF, TMX) and an XLIFF file back in. */

import { inSlices } from "../../../glossary/xml.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { EXPORT_FORMATS, type ExportFormatId } from "../../../translations/exchange/formats.ts";
import {
  type ExportStatus,
  type IncompletePolicy,
  selectForExport,
} from "../../../translations/exchange/select.ts";
import { planXliffImport } from "../../../translations/exchange/xliff-import.ts";
import {
  cleanText,
  latestRevision,
  type RevisionEvent,
  saveRevision,
} from "../../../translations/translation.ts";
import type { RawText } from "../../parse-pool.ts";
import { GLOSA_VERSION } from "../../version.ts";
import { fileDetail } from "../audit.ts";
import type { TranslationContext } from "./context.ts";
import type { DocumentCatalog } from "./documents.ts";
import type { ImportReport } from "./model.ts";

export class TranslationExchange {
  constructor(
    private readonly context: TranslationContext,
    private readonly documents: DocumentCatalog,
  ) {}

  /**
   * A document's translation as a file: Markdown, bilingual Markdown, XLIFF 2.0 or TMX 1.4b, made a
   * slice at a time in pieces to send as they are made. A paragraph the policy cannot export is
   * refused here, before any piece.
   */
  async export(
    id: string,
    tag: string,
    options: { format: ExportFormatId; status: ExportStatus; incomplete: IncompletePolicy },
  ): Promise<{ chunks: AsyncIterable<string>; contentType: string; filename: string }> {
    const { doc, lang } = await this.documents.resolve(id, tag);
    const input = selectForExport(doc, lang, await this.context.repository.state(doc.id, lang), {
      status: options.status,
      incomplete: options.incomplete,
      exportedAt: this.context.now().toISOString(),
    });
    const format = EXPORT_FORMATS[options.format];
    return {
      chunks: inSlices(format.render(input, { version: GLOSA_VERSION })),
      contentType: format.contentType,
      filename: `${doc.slug}.${lang}${format.suffix}`,
    };
  }

  /**
   * Imports an XLIFF 2.0 or 1.2 file: each changed target becomes a new revision by the importing
   * user, on top of the latest; units that no longer match are reported. A file that cannot be
   * read, or belongs to another document or language, changes nothing. An uploaded file's bytes
   * are decoded on a parser thread.
   */
  async importXliff(
    id: string,
    tag: string,
    xml: string | RawText,
    actor: string,
    fileName?: string,
  ): Promise<ImportReport> {
    const { parse, repository, audit, now, maxTextLength } = this.context;
    const file = await parse.xliff(xml, maxTextLength);
    const { doc, lang } = await this.documents.resolve(id, tag);
    let report: ImportReport = { updated: 0, unchanged: 0, errors: [], conflicts: [] };
    // The whole file is one commit: every revision and the audit entry durable together, or none.
    await repository.run(doc, lang, (state) => {
      const plan = planXliffImport(doc, lang, state, file);
      const errors = [...plan.errors];
      const events: RevisionEvent[] = [];
      const at = now().toISOString();
      const byId = new Map(doc.paragraphs.map((p) => [p.id, p]));
      for (const { pid, text: raw } of plan.updates) {
        let text: string;
        try {
          text = cleanText(raw, maxTextLength);
        } catch (error) {
          const reason = error instanceof GlosaError ? error.code : "invalid_request";
          errors.push({
            unit: pid,
            message: (error as Error).message,
            code: "invalid_text",
            params: { reason },
          });
          continue;
        }
        const latest = latestRevision(state.get(pid));
        const event = saveRevision(state.get(pid), {
          pid,
          text,
          baseRevision: latest?.revision ?? 0,
          status: "translated",
          author: actor,
          now: at,
          sourceVersion: doc.version ?? 1,
          paragraph: byId.get(pid),
        });
        if (event) events.push(event);
      }
      report = { updated: events.length, unchanged: plan.unchanged, errors, conflicts: plan.conflicts };
      return {
        events,
        audit: audit.entry(actor, "translation.import", `document:${doc.id}/${lang}`, {
          ...fileDetail(fileName),
          updated: report.updated,
          unchanged: report.unchanged,
          errors: errors.length,
          conflicts: plan.conflicts.length,
        }),
      };
    });
    return report;
  }
}
