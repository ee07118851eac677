/**
 * A document's source updates in the browser: the Update source page (paste or upload, Preview the
 * server's plan, Apply or Cancel) and the document's history of source versions, any two compared.
 * Plain forms: everything works without JavaScript.
 */

import { type Response, Router } from "express";
import { z } from "zod";
import type { Document, Paragraph } from "../../../translations/document.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import type { PageContext } from "./index.ts";
import { oversizedFile, sayOversized, upload, uploadedBytes } from "./upload.ts";

const formSchema = z.object({
  content: z.string().max(5_000_000).optional(),
  format: z.enum(["text", "markdown"]).optional(),
  baseVersion: z.coerce.number().int().min(1),
  outdateTrivial: z.string().optional(),
});

const compareSchema = z.object({
  from: z.coerce.number().int().min(1).optional(),
  to: z.coerce.number().int().min(1).optional(),
  /** Where the page of compared paragraphs starts. */
  rows: z.coerce.number().int().min(0).max(1_000_000).optional(),
  /** Where the page of removed paragraphs starts. */
  removed: z.coerce.number().int().min(0).max(10_000_000).optional(),
});

/**
 * Paragraphs shown per page, compared or removed: a document may have 20,000 paragraphs and every
 * update may remove all of them, so neither list is shown whole (one such page took 0.5-1.5 s).
 */
export const HISTORY_PAGE = 100;

/** The pager partial's links for one list of the history page: the other parameters kept. */
function historyPager(query: Record<string, number | undefined>, name: string, at: number, total: number) {
  const link = (start: number) =>
    `?${new URLSearchParams(
      Object.entries({ ...query, [name]: start }).flatMap(([k, v]) =>
        v === undefined ? [] : [[k, String(v)]],
      ),
    )}`;
  return {
    size: HISTORY_PAGE,
    ...(at > 0 ? { previous: link(Math.max(0, at - HISTORY_PAGE)) } : {}),
    ...(at + HISTORY_PAGE < total ? { next: link(at + HISTORY_PAGE) } : {}),
  };
}

/** The document's current source as text to edit: paragraphs apart by blank lines, Markdown marks kept. */
export function sourceText(doc: Document): string {
  const markdown = doc.format === "markdown";
  return doc.paragraphs.map((p) => (markdown ? markdownBlock(p) : p.source)).join("\n\n");
}

function markdownBlock(p: Paragraph): string {
  const indent = "  ".repeat(p.depth ?? 0);
  const quote = "> ".repeat(p.quote ?? 0);
  if (p.kind === "heading") return `${quote}${"#".repeat(p.level ?? 1)} ${p.source}`;
  if (p.kind === "list-item") return `${indent}${quote}${p.marker ?? "-"} ${p.source}`;
  return `${indent}${quote}${p.source}`;
}

export function sourceRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();
  const { translations } = services;

  function renderForm(res: Response, doc: Document, values: object, error: string | null) {
    res.render("sources/update", {
      doc,
      values: { content: sourceText(doc), format: doc.format ?? "text", outdateTrivial: false, ...values },
      error,
      back: doc.languages[0] ? `/documents/${doc.id}/${doc.languages[0]}` : `/documents/${doc.id}`,
    });
  }

  router.get("/documents/:id/source", async (req, res) => {
    authorize(req, "document.update_source");
    const doc = await translations.getDocument(req.params.id);
    renderForm(res, doc, { baseVersion: doc.version ?? 1 }, null);
  });

  /** Preview and Apply: one form, two buttons; the plan is worked out again on Apply. */
  const sourceUpload = upload("file", config.importLimit, csrf, { sayOversized: true });
  router.post("/documents/:id/source", ...sourceUpload, async (req, res) => {
    const user = authorize(req, "document.update_source");
    const doc = await translations.getDocument(String(req.params.id));
    const parsed = formSchema.safeParse(req.body);
    // A file's bytes go to a parser thread as they are: decoded there, not on the event loop.
    const file = uploadedBytes(req.file);
    const pasted = (parsed.success ? parsed.data.content : undefined) ?? "";
    const format = req.file?.originalname.toLowerCase().endsWith(".md")
      ? "markdown"
      : parsed.success
        ? (parsed.data.format ?? doc.format ?? "text")
        : "text";
    const outdateTrivial = parsed.success && parsed.data.outdateTrivial === "1";
    const baseVersion = parsed.success ? parsed.data.baseVersion : (doc.version ?? 1);
    // From a file, the form shows the document's text again (or, previewed, the file's as paragraphs).
    const values = { ...(file ? {} : { content: pasted }), format, outdateTrivial, baseVersion };
    // A file past the limit: the form again, naming it and the limit (as the import pages do).
    const oversized = oversizedFile(req);
    if (oversized) {
      res.status(413);
      return renderForm(res, doc, values, sayOversized(req, oversized));
    }
    if (!parsed.success || (!file && !pasted.trim())) {
      res.status(400);
      return renderForm(res, doc, values, req.t("source.error_empty"));
    }
    // Back to the text from a preview: the form again with what was pasted, nothing planned.
    if (req.body.intent === "edit") return renderForm(res, doc, values, null);
    const apply = req.body.intent === "apply";
    try {
      const plan = await translations.updateSource(
        doc.id,
        { format, content: file ?? pasted, baseVersion, outdateTrivial },
        user.username,
        { dryRun: !apply },
      );
      if (apply) {
        req.session.flash = [{ kind: "ok", message: req.t("source.applied", { version: plan.version }) }];
        return res.redirect(303, `/documents/${doc.id}/history`);
      }
      // Apply posts the text again: a file's as its paragraphs, which plan the same update.
      const shown = file ? { ...values, content: sourceText(plan.document) } : values;
      res.render("sources/preview", { doc, plan, values: shown, back: `/documents/${doc.id}/source` });
    } catch (error) {
      if (!(error instanceof GlosaError) || (error.kind !== "validation" && error.kind !== "conflict"))
        throw error;
      res.status(error.kind === "conflict" ? 409 : 400);
      // After a conflict the form is based on the version that won, with the pasted text kept.
      const current = await translations.getDocument(doc.id);
      renderForm(res, current, { ...values, baseVersion: current.version ?? 1 }, messageFor(req, error));
    }
  });

  router.get("/documents/:id/history", async (req, res) => {
    authorize(req, "document.read");
    const doc = await translations.getDocument(req.params.id);
    const versions = await translations.sourceVersions(doc.id);
    const query = compareSchema.safeParse(req.query);
    const latest = versions.at(-1)?.version ?? 1;
    const to = Math.min(query.success ? (query.data.to ?? latest) : latest, latest);
    const from = Math.min(query.success ? (query.data.from ?? Math.max(1, to - 1)) : 1, latest);
    const rowsAt = (query.success && query.data.rows) || 0;
    const removedAt = (query.success && query.data.removed) || 0;
    const a = versions.find((v) => v.version === from);
    const b = versions.find((v) => v.version === to);
    const current = new Set(doc.paragraphs.map((p) => p.id));
    const removed = new Map<string, Paragraph>();
    for (const v of versions) for (const p of v.paragraphs) if (!current.has(p.id)) removed.set(p.id, p);
    // A long article's thousands of word diffs: in a parser thread, not on the event loop; one page shown.
    const all = a && b && from !== to ? await services.parse.compare(a, b) : [];
    const compared = { rows: all.slice(rowsAt, rowsAt + HISTORY_PAGE), total: all.length };
    const kept = { from, to, rows: rowsAt, removed: removedAt };
    res.render("sources/history", {
      doc,
      removed: [...removed.values()].slice(removedAt, removedAt + HISTORY_PAGE),
      versions: [...versions].reverse(),
      from,
      to,
      rows: compared.rows,
      rowsStart: rowsAt + 1,
      rowsPager: historyPager(kept, "rows", rowsAt, compared.total),
      removedPager: historyPager(kept, "removed", removedAt, removed.size),
      back: doc.languages[0] ? `/documents/${doc.id}/${doc.languages[0]}` : `/documents/${doc.id}`,
    });
  });

  return router;
}
