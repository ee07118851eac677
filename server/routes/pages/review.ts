/** Review: a paragraph's history and diffs, reverts, waivers, and the document's review page. */

import type { Request, Response } from "express";
import { Router } from "express";
import { z } from "zod";
import { GlosaError, NotFoundError, ValidationError } from "../../../translations/errors.ts";
import { needsReview } from "../../../translations/review.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import { REVIEW_PAGE } from "../../services/translations/queries.ts";
import type { TranslationSummary } from "../../services/translations.ts";
import { FINDING_CODES, waiverTarget } from "../findings.ts";
import { documentsPage } from "./documents.ts";
import { progressStrings, translateFindings } from "./editor.ts";
import type { PageContext } from "./index.ts";

const reviewSchema = z.object({
  action: z.enum(["approve", "reject"]),
  revision: z.coerce.number().int().min(1),
  comment: z.string().max(5000).optional(),
  return: z.enum(["review", "editor"]).optional(),
  // The source version the card or row showed (views/review/document.ejs, views/editor/rows.ejs).
  sourceVersion: z.coerce.number().int().min(1).optional(),
  // The review page the card was on (its `after`), to go back to.
  after: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

/** A review page's `after`: a paragraph position, or undefined for the first page. */
function afterParam(value: unknown): number | undefined {
  return typeof value === "string" && /^\d{1,7}$/.test(value) ? Number(value) : undefined;
}
const revertSchema = z.object({ revision: z.coerce.number().int().min(1) });
// The page's form names the finding as "<code> <termId or key>" in one field; scripts may send both
// fields. A key (another check's finding) may itself hold spaces: only the first one separates.
function splitFinding(body: unknown): unknown {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.finding !== "string") return b;
  const at = b.finding.indexOf(" ");
  return { ...b, code: b.finding.slice(0, at), termId: b.finding.slice(at + 1) };
}
/** A notice's Undo: the form that takes the change back (views/partials/head.ejs). */
type Undo = NonNullable<NonNullable<Request["session"]["flash"]>[number]["undo"]>;
const findingFields = { termId: z.string().min(1).max(300), code: z.enum(FINDING_CODES) };
const waiveSchema = z.preprocess(splitFinding, z.object({ ...findingFields, reason: z.string().max(1000) }));
/** The Undo after a waive names the finding as the waive form did. */
const unwaiveSchema = z.preprocess(splitFinding, z.object(findingFields));

function revisionParam(value: unknown): number | undefined {
  return typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

export function reviewRoutes({ services }: PageContext): Router {
  const router = Router();
  const { translations } = services;

  /** Every document and language with paragraphs waiting for review, a page of documents at a time. */
  router.get("/review", async (req, res) => {
    authorize(req, "translation.review");
    const { documents, pager } = await documentsPage(translations, req, "/review");
    const pairs = documents.flatMap((doc) => doc.languages.map((lang) => ({ doc, lang })));
    const summaries = await translations.summaries(pairs);
    const queue = pairs.map(({ doc, lang }, i) => {
      const { waiting, progress } = summaries[i] as TranslationSummary;
      return { doc, lang, count: waiting, progress };
    });
    res.render("review/queue", { queue, pager });
  });

  async function renderReview(
    req: Request,
    res: Response,
    notice?: { kind: "ok" | "error"; message: string },
  ) {
    const after = afterParam(req.query.after ?? req.body?.after);
    const queue = await translations.reviewQueue(req.params.id as string, req.params.lang as string, {
      ...(after !== undefined ? { after } : {}),
    });
    const { view, items } = queue;
    const base = `/documents/${view.document.id}/${view.lang}`;
    const pageOf = (at: number | null) => `${base}/review${at === null ? "" : `?after=${at}`}`;
    const cards = items.map((item) => ({
      ...item,
      findings: translateFindings(req, item.qa),
      waivedFindings: item.waived.map((w) => ({
        ...(translateFindings(req, [w.finding])[0] as object),
        waiver: w.waiver,
      })),
    }));
    res.render("review/document", {
      view,
      doc: view.document,
      lang: view.lang,
      base,
      items: cards,
      queue: {
        total: queue.total,
        earlier: queue.earlier,
        later: queue.later,
        after: after ?? null,
        first: items[0] ? items[0].paragraph.index + 1 : 0,
        last: items.at(-1) ? (items.at(-1)?.paragraph.index ?? 0) + 1 : 0,
      },
      pager: {
        size: REVIEW_PAGE,
        previous: queue.previousAfter === undefined ? undefined : pageOf(queue.previousAfter),
        next: queue.nextAfter === undefined ? undefined : pageOf(queue.nextAfter),
      },
      notice,
      progressStrings: progressStrings(req),
      openComments: await services.comments.openCounts(view.document.id, view.lang),
    });
  }

  router.get("/documents/:id/:lang/review", async (req, res) => {
    authorize(req, "translation.review");
    // As /review does: a page link this page never handed out is said, not read as the first page.
    if (req.query.after !== undefined && afterParam(req.query.after) === undefined)
      throw new ValidationError(
        "The page link is not one this list handed out.",
        { after: "invalid" },
        "invalid_cursor",
      );
    await renderReview(req, res);
  });

  router.post("/documents/:id/:lang/paragraphs/:pid/review", async (req, res) => {
    const user = authorize(req, "translation.review");
    const { id, lang, pid } = req.params;
    // The editor's Approve button posts the row's form: its revision is the row's baseRevision.
    const body = reviewSchema.parse({
      ...req.body,
      revision: req.body?.revision ?? req.body?.baseRevision,
      return: req.body?.return ?? req.query.return,
    });
    try {
      if (body.action === "reject" && !body.comment?.trim())
        throw new GlosaError("validation", "comment_required", req.t("review.comment_required"));
      await translations.review(id, lang, pid, body, user.username);
      const back =
        body.return === "editor"
          ? `/documents/${id}/${lang}#p-${pid}`
          : `/documents/${id}/${lang}/review${body.after === undefined ? "" : `?after=${body.after}`}`;
      // The paragraph's number as the editor shows it: an id is not a position once a source was updated.
      const doc = await translations.getDocument(id);
      const n = doc.paragraphs.findIndex((p) => p.id === pid) + 1;
      req.session.flash = [
        {
          kind: "ok",
          message: req.t(body.action === "approve" ? "review.approved" : "review.rejected", { n }),
          float: body.return === "editor",
        },
      ];
      res.redirect(303, back);
    } catch (error) {
      if (!(error instanceof GlosaError) || (error.kind !== "conflict" && error.kind !== "validation"))
        throw error;
      const message =
        error.kind === "conflict" && error.code !== "source_changed"
          ? req.t("review.stale")
          : messageFor(req, error);
      res.status(error.kind === "conflict" ? 409 : 400);
      await renderReview(req, res, { kind: "error", message });
    }
  });

  /** A paragraph's history: every revision, and the diff between any two. */
  router.get("/documents/:id/:lang/paragraphs/:pid", async (req, res) => {
    authorize(req, "document.read");
    // Out-of-range picks are clamped to the latest revision rather than refused on this page.
    // A paragraph a source update removed keeps its readable history here (linked from the source history).
    const options = { includeRemoved: true };
    const { translation } = await translations.paragraph(
      req.params.id,
      req.params.lang,
      req.params.pid,
      options,
    );
    const latest = translation?.revisions.length ?? 0;
    const to = Math.min(revisionParam(req.query.to) ?? latest, latest);
    const from = Math.min(revisionParam(req.query.from) ?? Math.max(0, to - 1), latest);
    const { doc, lang, paragraph, diff, events, matches } = await translations.compareRevisions(
      req.params.id,
      req.params.lang,
      req.params.pid,
      { from, to },
      options,
    );
    const revisions = translation?.revisions ?? [];
    res.render("review/history", {
      doc,
      lang,
      base: `/documents/${doc.id}/${lang}`,
      paragraph,
      translation,
      revisions: [...revisions].reverse(),
      from,
      to,
      diff,
      events,
      matches,
      mode: req.query.mode === "side" ? "side" : "inline",
      ignoreTrivial: req.query.ignore === "1",
      needsReview: needsReview(translation),
    });
  });

  router.post("/documents/:id/:lang/paragraphs/:pid/revert", async (req, res) => {
    const user = authorize(req, "translation.revert");
    const { id, lang, pid } = req.params;
    const { revision } = revertSchema.parse(req.body);
    const event = await translations.revert(id, lang, pid, revision, user.username);
    req.session.flash = [
      { kind: "ok", message: req.t("history.reverted", { revision, created: event.revision }) },
    ];
    res.redirect(303, `/documents/${id}/${lang}/paragraphs/${pid}`);
  });

  /** Back to the paragraph's row in the editor, with a notice naming it (and an Undo, when given). */
  async function backToRow(req: Request, res: Response, message: string, undo?: Undo): Promise<void> {
    const { id, lang, pid } = req.params as { id: string; lang: string; pid: string };
    const { paragraph } = await translations.paragraph(id, lang, pid);
    const notice = { kind: "ok" as const, message: req.t(message, { n: paragraph.index + 1 }) };
    req.session.flash = [undo ? { ...notice, undo } : notice];
    res.redirect(303, `/documents/${id}/${lang}#p-${pid}`);
  }

  /** The waiver form: the paragraph's current findings, one to pick, and a reason. */
  router.get("/documents/:id/:lang/paragraphs/:pid/waive", async (req, res) => {
    authorize(req, "finding.waive");
    const view = await translations.view(req.params.id, req.params.lang);
    const row = view.paragraphs.find((p) => p.paragraph.id === req.params.pid);
    if (!row) throw new NotFoundError("Paragraph", "paragraph_not_found");
    res.render("review/waive", {
      doc: view.document,
      lang: view.lang,
      base: `/documents/${view.document.id}/${view.lang}`,
      paragraph: row.paragraph,
      translation: row.text,
      items: translateFindings(req, row.qa),
      error: null,
    });
  });

  router.post("/documents/:id/:lang/paragraphs/:pid/waive", async (req, res) => {
    const user = authorize(req, "finding.waive");
    const { id, lang, pid } = req.params;
    const body = waiveSchema.parse(req.body);
    await translations.waive(
      id,
      lang,
      pid,
      { ...waiverTarget(body.code, body.termId), code: body.code, reason: body.reason },
      user.username,
    );
    // Recoverable: the notice carries an Undo that lifts this waiver (public/toast.js focuses it).
    await backToRow(req, res, "waive.done", {
      action: `/documents/${id}/${lang}/paragraphs/${pid}/unwaive`,
      label: req.t("waive.undo"),
      fields: { finding: `${body.code} ${body.termId}` },
    });
  });

  /** The Undo of a waive: lifts the waiver named as the waive form named it. */
  router.post("/documents/:id/:lang/paragraphs/:pid/unwaive", async (req, res) => {
    const user = authorize(req, "finding.waive");
    const { id, lang, pid } = req.params;
    const body = unwaiveSchema.parse(req.body);
    await translations.liftWaiver(
      id,
      lang,
      pid,
      { ...waiverTarget(body.code, body.termId), code: body.code },
      user.username,
    );
    await backToRow(req, res, "waive.lifted");
  });

  return router;
}
