/** The export page: options, a rendered preview beside the source, download; and XLIFF import. */

import { HtmlRenderer, Parser } from "commonmark";
import { Router } from "express";
import { GlosaError } from "../../../translations/errors.ts";
import { escapeMarkdown } from "../../../translations/exchange/markdown.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import { exportQuerySchema } from "../api/exchange.ts";
import { sendDownload } from "../download.ts";
import type { PageContext } from "./index.ts";
import { upload, uploadedText } from "./upload.ts";

// Inline markup characters one block of the preview may hold before it is shown as text: the
// CommonMark parser's time grows with the square of their number (20,000 characters of "![a](" take
// seconds), and a Markdown translation writes its markup as is.
const PREVIEW_MARKUP_BUDGET = 1_000;
const MARKUP_CHARS = /[[\]()*_<>!&`\\]/g;

/** Markdown to HTML for the preview: the renderer escapes text, and safe mode drops raw HTML. */
export function renderMarkdown(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  const bounded = body
    .split("\n\n")
    .map((block) =>
      (block.match(MARKUP_CHARS)?.length ?? 0) > PREVIEW_MARKUP_BUDGET ? escapeMarkdown(block) : block,
    )
    .join("\n\n");
  return new HtmlRenderer({ safe: true }).render(new Parser().parse(bounded));
}

export function exchangeRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();
  const { translations } = services;

  router.get("/documents/:id/:lang/export", async (req, res) => {
    authorize(req, "document.read");
    const options = exportQuerySchema.parse(req.query);
    const { doc, lang } = await translations.resolve(req.params.id, req.params.lang);
    // The preview: Markdown rendered as a reader will see it, XML formats as their text.
    let preview: { html: string; raw: string; filename: string } | null = null;
    let problem: { message: string; paragraphs: string[] } | null = null;
    try {
      const file = await translations.export(doc.id, lang, options);
      const isMarkdown = file.contentType.startsWith("text/markdown");
      preview = {
        filename: file.filename,
        html: isMarkdown ? renderMarkdown(file.body) : "",
        raw: isMarkdown ? "" : file.body.slice(0, 50_000),
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
    });
  });

  router.get("/documents/:id/:lang/export/download", async (req, res) => {
    authorize(req, "document.read");
    const options = exportQuerySchema.parse(req.query);
    sendDownload(res, await translations.export(req.params.id, req.params.lang, options));
  });

  router.post(
    "/documents/:id/:lang/import",
    ...upload("file", config.importLimit, csrf),
    async (req, res) => {
      const user = authorize(req, "translation.edit");
      const { doc, lang } = await translations.resolve(String(req.params.id), String(req.params.lang));
      const text = uploadedText(req.file);
      let result: { updated: number; unchanged: number; errors: { unit: string; message: string }[] } | null =
        null;
      let error: string | null = null;
      if (!text) error = req.t("exchange.import_empty");
      else {
        try {
          result = await translations.importXliff(doc.id, lang, text, user.username);
        } catch (e) {
          if (!(e instanceof GlosaError) || e.kind !== "validation") throw e;
          error = messageFor(req, e);
        }
      }
      res.status(error ? 400 : 200).render("exchange/export", {
        doc,
        lang,
        base: `/documents/${doc.id}/${lang}`,
        values: { format: "markdown", status: "latest", incomplete: "error" },
        preview: null,
        problem: null,
        download: null,
        result: result ?? { error },
      });
    },
  );

  return router;
}
