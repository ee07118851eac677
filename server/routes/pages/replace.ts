/**
 * Find and replace pages: one document × language (from the editor's toolbar) and across
 * documents (editors). A GET with `find` previews; the form posts the boxes ticked to apply; the
 * result page holds the batch's undo form. Every step is a plain form: no script needed.
 */

import type { Request, Response } from "express";
import { Router } from "express";
import { z } from "zod";
import { displayTitle } from "../../../translations/document.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { MAX_QUERY_LENGTH } from "../../../translations/replace.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import type { BatchResult, PreviewResult, ReplaceScope } from "../../services/replace.ts";
import { parseBody } from "../api/validate.ts";
import type { PageContext } from "./index.ts";

/**
 * Most occurrences one page lists: each is a form field, and page forms take at most 200 fields
 * (the API takes MAX_CHOSEN). The rest are counted, and a second pass finds them.
 */
const PAGE_OCCURRENCES = 180;

const formSchema = z.object({
  find: z.string().max(MAX_QUERY_LENGTH).optional(),
  replace: z.string().max(MAX_QUERY_LENGTH).optional(),
  lang: z.string().max(35).optional(),
  matchCase: z.literal("1").optional(),
  // A GET without `find` shows the form with inflections ticked; a submitted form says what it wants.
  inflections: z.literal("1").optional(),
  occurrences: z.union([z.string().max(200), z.array(z.string().max(200)).max(1000)]).optional(),
  revisions: z.union([z.string().max(200), z.array(z.string().max(200)).max(1000)]).optional(),
});

type Form = z.output<typeof formSchema>;

const list = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

export function replaceRoutes({ services }: PageContext): Router {
  const router = Router();
  const { replace, translations } = services;

  async function render(
    req: Request,
    res: Response,
    scope: { lang?: string; documentId?: string },
    form: Form,
    outcome: { preview?: PreviewResult; result?: BatchResult; undone?: boolean; error?: string } = {},
  ) {
    const doc = scope.documentId ? await translations.getDocument(scope.documentId) : undefined;
    // The latest batches of the scope, each with its Undo while there is something to undo.
    const batches = scope.lang ? await replace.batches(scope as ReplaceScope) : [];
    const base = doc ? `/documents/${doc.id}/${scope.lang}/replace` : "/replace";
    const languages = doc
      ? []
      : [...new Set((await translations.listDocuments()).flatMap((d) => d.languages))].sort();
    const mentioned = [
      ...(outcome.preview?.occurrences ?? []),
      ...(outcome.result?.skipped ?? []),
      ...batches.flatMap((b) => b.changed),
    ].map((o) => o.documentId);
    res.render("replace/index", {
      title: req.t("replace.title"),
      doc,
      ...(await mentionedDocuments(mentioned)),
      lang: scope.lang ?? "",
      languages,
      base,
      batches,
      form: {
        find: form.find ?? "",
        replace: form.replace ?? "",
        matchCase: form.matchCase === "1",
        inflections: form.find === undefined || form.inflections === "1",
      },
      ...outcome,
    });
  }

  /**
   * Paragraph numbers as the editor shows them: an id is not a position once a source was updated
   * (paragraphs added, moved, or `v2p1`). An id the document no longer holds is shown as it is.
   */
  /** The mentioned documents' paragraph numbers and titles as people read them. */
  async function mentionedDocuments(documentIds: Iterable<string>) {
    const numbers = new Map<string, Map<string, number>>();
    const titles = new Map<string, string>();
    for (const id of new Set(documentIds)) {
      const document = await translations.getDocument(id);
      if (!document) continue;
      numbers.set(id, new Map(document.paragraphs.map((p, i) => [p.id, i + 1])));
      titles.set(id, displayTitle(document));
    }
    return {
      numberOf: (documentId: string, pid: string) => String(numbers.get(documentId)?.get(pid) ?? pid),
      documentTitle: (documentId: string) => titles.get(documentId),
    };
  }

  function queryOf(form: Form) {
    return {
      find: form.find ?? "",
      replace: form.replace ?? "",
      matchCase: form.matchCase === "1",
      inflections: form.inflections === "1",
    };
  }

  /** The page, with a preview when the form asked for one; a bad query shows as a message. */
  async function show(
    req: Request,
    res: Response,
    scope: ReplaceScope | { lang?: string; documentId?: string },
  ) {
    const form = parseBody(formSchema, req.query);
    if (!form.find || !scope.lang) return render(req, res, scope, form);
    try {
      const preview = pageSized(await replace.preview(scope as ReplaceScope, queryOf(form)));
      return render(req, res, scope, form, { preview });
    } catch (error) {
      if (!(error instanceof GlosaError) || error.kind !== "validation") throw error;
      res.status(400);
      // The codes of find and replace are translated under its own key.
      const message = req.t(`replace.error_${error.code}`, { defaultValue: messageFor(req, error) });
      return render(req, res, scope, form, { error: message });
    }
  }

  async function applyForm(req: Request, res: Response, scope: ReplaceScope, username: string) {
    const form = parseBody(formSchema, req.body);
    const chosen = list(form.occurrences);
    if (chosen.length === 0) {
      res.status(400);
      const preview = pageSized(await replace.preview(scope, queryOf(form)));
      return render(req, res, scope, form, { preview, error: req.t("replace.none_chosen") });
    }
    const result = await replace.apply(scope, queryOf(form), chosen, username);
    return render(req, res, scope, form, { result });
  }

  /** An undo from the result page names the batch's revisions; one from the batch list, only the batch. */
  async function undoForm(req: Request, res: Response, scope: ReplaceScope, username: string) {
    const form = parseBody(formSchema, req.body);
    const batch = String(req.params.batch);
    if (form.revisions === undefined) {
      const found = /^[A-Za-z0-9_-]{1,32}$/.test(batch) ? await replace.findBatch(batch, scope) : [];
      if (found.length === 0) throw new GlosaError("validation", "invalid_fields", req.t("replace.bad_undo"));
      const result = await replace.undo(batch, scope.lang, found, username);
      return render(req, res, scope, form, { result, undone: true });
    }
    const revisions = list(form.revisions).map((r) => {
      const [documentId = "", pid = "", revision = ""] = r.split("/");
      if (!documentId || !pid || !/^\d{1,9}$/.test(revision))
        throw new GlosaError("validation", "invalid_fields", req.t("replace.bad_undo"));
      return { documentId, pid, revision: Number(revision) };
    });
    if (revisions.length === 0)
      throw new GlosaError("validation", "invalid_fields", req.t("replace.bad_undo"));
    if (scope.documentId && revisions.some((r) => r.documentId !== scope.documentId))
      authorize(req, "translation.replace_across");
    const result = await replace.undo(batch, scope.lang, revisions, username);
    return render(req, res, scope, form, { result, undone: true });
  }

  router.get("/replace", async (req, res) => {
    authorize(req, "translation.replace_across");
    const lang = typeof req.query.lang === "string" && req.query.lang ? req.query.lang : undefined;
    await show(req, res, lang ? { lang } : {});
  });
  router.post("/replace", async (req, res) => {
    const user = authorize(req, "translation.replace_across");
    await applyForm(req, res, { lang: String(req.body?.lang ?? "") }, user.username);
  });
  router.post("/replace/batches/:batch/undo", async (req, res) => {
    const user = authorize(req, "translation.replace_across");
    await undoForm(req, res, { lang: String(req.body?.lang ?? "") }, user.username);
  });

  router.get("/documents/:id/:lang/replace", async (req, res) => {
    authorize(req, "translation.edit");
    const { doc, lang } = await translations.resolve(req.params.id, req.params.lang);
    await show(req, res, { lang, documentId: doc.id });
  });
  router.post("/documents/:id/:lang/replace", async (req, res) => {
    const user = authorize(req, "translation.edit");
    const { doc, lang } = await translations.resolve(req.params.id, req.params.lang);
    await applyForm(req, res, { lang, documentId: doc.id }, user.username);
  });
  router.post("/documents/:id/:lang/replace/batches/:batch/undo", async (req, res) => {
    const user = authorize(req, "translation.edit");
    const { doc, lang } = await translations.resolve(req.params.id, req.params.lang);
    await undoForm(req, res, { lang, documentId: doc.id }, user.username);
  });

  return router;
}

function pageSized(preview: PreviewResult): PreviewResult {
  const extra = Math.max(0, preview.occurrences.length - PAGE_OCCURRENCES);
  if (extra === 0) return preview;
  return {
    ...preview,
    occurrences: preview.occurrences.slice(0, PAGE_OCCURRENCES),
    omitted: preview.omitted + extra,
  };
}
