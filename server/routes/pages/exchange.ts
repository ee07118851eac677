/** The export page: options, a rendered preview beside the source, download; and XLIFF import. */

import { HtmlRenderer, Parser } from "commonmark";
import { type Request, Router } from "express";
import { waives } from "../../../quality/run.ts";
import type { Document } from "../../../translations/document.ts";
import { GlosaError } from "../../../translations/errors.ts";
import type { UnitProblem } from "../../../translations/exchange/xliff-import.ts";
import { lastApprovedRevision } from "../../../translations/review.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { messageFor } from "../../messages.ts";
import type { ImportReport } from "../../services/translations.ts";
import { escapeHtml } from "../../views.ts";
import { exportQuerySchema } from "../api/exchange.ts";
import { sendDownloadChunks, startOf } from "../download.ts";
import { findingMessage } from "../findings.ts";
import { namedRefusal } from "./glossary-problem.ts";
import type { PageContext } from "./index.ts";
import { emptyFileName, oversizedFile, sayOversized, upload, uploadedBytes } from "./upload.ts";

// The CommonMark parser's time grows faster than the text it reads on hostile input (20,000
// characters of "![a](" take seconds; 200,000 escaped spaces take five). The preview parses at most
// PREVIEW_BLOCK characters of a block (lines up to a blank one) and PREVIEW_TOTAL of the export; a
// line over the block's bound keeps its block openers and shows its text as written, unparsed, and
// the rest of a long export is shown as text; both cut short (the download holds everything).
const PREVIEW_BLOCK = 1_000;
const PREVIEW_TOTAL = 50_000;
// A line's block openers: quote markers (as deep as a document may nest), indentation, a list marker
// or a heading's hashes.
const LINE_PREFIX = /^(?:> ?){0,16}[ \t]{0,16}(?:[-+*][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t])?/;

/** Markdown to HTML for the preview: the renderer escapes text, and safe mode drops raw HTML. */
export function renderMarkdown(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  const lines = body.split("\n");
  const unparsed: string[] = [];
  const kept: string[] = [];
  let total = 0;
  let block = 0;
  let l = 0;
  for (; l < lines.length && total <= PREVIEW_TOTAL; l++) {
    const line = lines[l] as string;
    const prefix = LINE_PREFIX.exec(line)?.[0] ?? "";
    const blank = prefix.length === line.length;
    block = blank ? 0 : block + line.length;
    if (block <= PREVIEW_BLOCK) {
      kept.push(line);
      total += line.length + 1;
      continue;
    }
    // A preview shows the start of a long line; the download holds it whole.
    const text = line.slice(prefix.length);
    unparsed.push(text.length > PREVIEW_BLOCK ? `${text.slice(0, PREVIEW_BLOCK)}…` : text);
    // Private-use characters: plain text to the parser, swapped for the escaped line afterwards.
    kept.push(`${prefix}\uE000${unparsed.length - 1}\uE001`);
    total += prefix.length + 1;
  }
  let html = new HtmlRenderer({ safe: true }).render(new Parser().parse(kept.join("\n")));
  if (unparsed.length > 0)
    html = html.replace(/\uE000(\d+)\uE001/g, (_, i: string) => escapeHtml(unparsed[Number(i)] ?? ""));
  if (l < lines.length) {
    const rest = lines.slice(l).join("\n");
    html += `<pre class="preview-rest">${escapeHtml(rest.slice(0, PREVIEW_TOTAL))}${rest.length > PREVIEW_TOTAL ? "…" : ""}</pre>`;
  }
  return html;
}

/** The source paragraphs shown beside a preview: the first PREVIEW_TOTAL characters' worth. */
function sourceStart(doc: Document): Document["paragraphs"] {
  let total = 0;
  let shown = 0;
  while (shown < doc.paragraphs.length && total <= PREVIEW_TOTAL)
    total += doc.paragraphs[shown++]?.source.length ?? 0;
  return doc.paragraphs.slice(0, shown);
}

/**
 * Paragraphs whose approved text, the one an approved-only export takes, has errors no waiver
 * covers: an editor sees them before the file goes out.
 */
async function approvedWithErrors(req: Request, services: Services, doc: Document, lang: string) {
  const view = await services.translations.view(doc.id, lang);
  const check = await services.quality.checker(doc, lang);
  return view.paragraphs.flatMap((p) => {
    const approved = lastApprovedRevision(p.translation);
    if (!approved) return [];
    const waivers = p.translation?.waivers ?? [];
    const errors = check(p.paragraph, approved.text).filter(
      (f) => f.severity === "error" && !waivers.some((w) => waives(w, f)),
    );
    return errors.length > 0
      ? [
          {
            pid: p.paragraph.id,
            n: p.paragraph.index + 1,
            messages: errors.map((f) => findingMessage(req, f)),
          },
        ]
      : [];
  });
}

export function exchangeRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();
  const { translations } = services;

  router.get("/documents/:id/:lang/export", async (req, res) => {
    authorize(req, "document.read");
    const options = exportQuerySchema.parse(req.query);
    const { doc, lang } = await translations.resolve(req.params.id, req.params.lang);
    // The preview: Markdown rendered as a reader will see it, XML formats as their text.
    let preview: {
      html: string;
      raw: string;
      filename: string;
      source: Document["paragraphs"];
      whole: boolean;
    } | null = null;
    let problem: { message: string; paragraphs: string[] } | null = null;
    try {
      const file = await translations.export(doc.id, lang, options);
      const isMarkdown = file.contentType.startsWith("text/markdown");
      // Only the start of a long file is made, shown and set beside its source: an 11,500-paragraph
      // document's whole export and source held the event loop 0.4 s for a page that shows 50,000 characters.
      const start = await startOf(file.chunks, PREVIEW_TOTAL * 2);
      preview = {
        filename: file.filename,
        html: isMarkdown ? renderMarkdown(start.text) : "",
        raw: isMarkdown ? "" : start.text.slice(0, PREVIEW_TOTAL),
        source: sourceStart(doc),
        whole: start.whole && start.text.length <= PREVIEW_TOTAL,
      };
    } catch (error) {
      if (!(error instanceof GlosaError) || error.kind !== "conflict") throw error;
      problem = {
        message: messageFor(req, error),
        paragraphs: (error.details as { paragraphs: string[] }).paragraphs,
      };
    }
    const query = new URLSearchParams({
      format: options.format,
      status: options.status,
      incomplete: options.incomplete,
    });
    res.render("exchange/export", {
      doc,
      lang,
      base: `/documents/${doc.id}/${lang}`,
      values: options,
      preview,
      problem,
      download: `/documents/${doc.id}/${lang}/export/download?${query}`,
      result: null,
      flagged: options.status === "approved" ? await approvedWithErrors(req, services, doc, lang) : [],
    });
  });

  router.get("/documents/:id/:lang/export/download", async (req, res) => {
    authorize(req, "document.read");
    const options = exportQuerySchema.parse(req.query);
    await sendDownloadChunks(res, await translations.export(req.params.id, req.params.lang, options));
  });

  router.post(
    "/documents/:id/:lang/import",
    ...upload("file", config.importLimit, csrf, { sayOversized: true }),
    async (req, res) => {
      const user = authorize(req, "translation.edit");
      const { doc, lang } = await translations.resolve(String(req.params.id), String(req.params.lang));
      const text = uploadedBytes(req.file);
      let result: ImportReport | null = null;
      let error: string | null = null;
      const oversized = oversizedFile(req);
      const empty = emptyFileName(req.file);
      if (oversized) error = sayOversized(req, oversized);
      else if (empty) error = req.t("exchange.import_file_empty", { name: empty });
      else if (!text) error = req.t("exchange.import_empty");
      else {
        try {
          result = await translations.importXliff(doc.id, lang, text, user.username, req.file?.originalname);
        } catch (e) {
          if (!(e instanceof GlosaError) || e.kind !== "validation") throw e;
          const name = req.file?.originalname;
          error = name ? namedRefusal(name, messageFor(req, e)) : messageFor(req, e);
        }
      }
      res.status(oversized ? 413 : error ? 400 : 200).render("exchange/export", {
        doc,
        lang,
        base: `/documents/${doc.id}/${lang}`,
        values: { format: "markdown", status: "latest", incomplete: "error" },
        preview: null,
        problem: null,
        download: null,
        result: result ? inReadersLanguage(req, result, doc) : { error },
        flagged: [],
      });
    },
  );

  return router;
}

/** The import report with each unit's problem said in the reader's language (the API keeps English). */
function inReadersLanguage(req: Request, report: ImportReport, doc: Document): ImportReport {
  // Paragraphs by the number the editor shows: an id is not a position once a source was updated.
  const numbers = new Map(doc.paragraphs.map((p, i) => [p.id, String(i + 1)]));
  const say = <P extends UnitProblem>(problem: P): P => {
    if (!problem.code) return problem;
    const params = { ...(problem.params ?? {}) };
    if (typeof params.paragraph === "string")
      params.paragraph = numbers.get(params.paragraph) ?? params.paragraph;
    const message =
      problem.code === "invalid_text"
        ? req.t(`errors.${params.reason}`, { defaultValue: problem.message })
        : req.t(`exchange.unit_problem.${problem.code}`, { ...params, defaultValue: problem.message });
    return { ...problem, message };
  };
  return { ...report, errors: report.errors.map(say), conflicts: report.conflicts.map(say) };
}
