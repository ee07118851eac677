import { type Request, Router } from "express";
import { z } from "zod";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import type { TranslationService, TranslationSummary } from "../../services/translations.ts";
import type { PageContext } from "./index.ts";
import { checkNewDocument, type FieldErrors, fieldOfError, newDocumentValues } from "./new-document.ts";
import { pageCursors, pagerLinks } from "./pager.ts";
import { oversizedFile, sayOversized, upload, uploadedBytes } from "./upload.ts";

/** Documents on one page of the documents list and of /review. */
export const PAGE_SIZE = 50;

/**
 * The page of documents `?after=` or `?before=` names (the first without either), with the
 * Previous and Next links that lead on from it on `path`.
 */
export async function documentsPage(translations: TranslationService, req: Request, path: string) {
  const { after, before } = pageCursors(req);
  const page = await translations.listDocumentsPage(PAGE_SIZE, after, before);
  return { documents: page.documents, pager: pagerLinks(path, PAGE_SIZE, page) };
}

export function documentRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();
  const { translations } = services;

  router.get("/", async (req, res) => {
    authorize(req, "document.read");
    const { documents, pager } = await documentsPage(translations, req, "/");
    const pairs = documents.flatMap((doc) => doc.languages.map((lang) => ({ doc, lang })));
    const summaries = await translations.summaries(pairs);
    let at = 0;
    const open = await Promise.all(documents.map((doc) => services.comments.openOnDocument(doc.id)));
    const rows = documents.map((doc, i) => ({
      doc,
      openComments: open[i] ?? 0,
      languages: doc.languages.map((lang) => {
        const { progress, last } = summaries[at++] as TranslationSummary;
        return { lang, progress, last };
      }),
    }));
    res.render("documents/list", { rows, pager });
  });

  router.get("/documents/new", (req, res) => {
    authorize(req, "document.create");
    res.render("documents/new", {
      values: { title: "", sourceLang: "en", targetLang: "es", format: "text", content: "" },
      errors: {},
      error: null,
    });
  });

  router.post(
    "/documents",
    ...upload("file", config.importLimit, csrf, { sayOversized: true }),
    async (req, res) => {
      const user = authorize(req, "document.create");
      const values = newDocumentValues(req.body);
      // A file past the limit: the form again, what was typed kept, the file named with the limit.
      const oversized = oversizedFile(req);
      if (oversized)
        return res
          .status(413)
          .render("documents/new", { values, errors: { file: sayOversized(req, oversized) }, error: null });
      // A file's bytes go to a parser thread as they are: decoded there, not on the event loop.
      const fromFile = uploadedBytes(req.file);
      const errors = checkNewDocument(values, fromFile !== undefined, req.t);
      const refuse = (fieldErrors: FieldErrors, error: string | null = null) =>
        res.status(400).render("documents/new", { values, errors: fieldErrors, error });
      if (Object.keys(errors).length) return refuse(errors);
      const format = req.file?.originalname.toLowerCase().endsWith(".md") ? "markdown" : values.format;
      try {
        const doc = await translations.create(
          {
            sourceLang: values.sourceLang.trim(),
            format,
            content: fromFile ?? values.content,
            ...(values.title.trim() ? { title: values.title } : {}),
            languages: values.targetLang.trim() ? [values.targetLang.trim()] : [],
            dropRepeatedTitle: true,
          },
          user.username,
        );
        const first = doc.languages[0];
        res.redirect(303, first ? `/documents/${doc.id}/${first}` : `/documents/${doc.id}`);
      } catch (error) {
        if (error instanceof GlosaError && error.kind === "validation") {
          const field = fieldOfError(error);
          const message = messageFor(req, error);
          return field ? refuse({ [field]: message }) : refuse({}, message);
        }
        throw error;
      }
    },
  );

  router.get("/documents/:id", async (req, res) => {
    authorize(req, "document.read");
    const doc = await translations.getDocument(req.params.id);
    const first = doc.languages[0];
    if (first) return res.redirect(303, `/documents/${doc.id}/${first}`);
    res.render("documents/languages", { doc });
  });

  /** The document's target languages: add one, or stop translating into one (its history is kept). */
  router.get("/documents/:id/languages", async (req, res) => {
    authorize(req, "document.read");
    res.render("documents/manage-languages", { doc: await translations.getDocument(req.params.id) });
  });

  router.post("/documents/:id/languages/:lang/remove", async (req, res) => {
    const user = authorize(req, "document.remove_language");
    const doc = await translations.removeLanguage(req.params.id, req.params.lang, user.username);
    req.session.flash = [{ kind: "ok", message: req.t("languages.removed", { lang: req.params.lang }) }];
    res.redirect(303, `/documents/${doc.id}/languages`);
  });

  router.post("/documents/:id/languages", async (req, res) => {
    const user = authorize(req, "document.add_language");
    const lang = z.object({ lang: z.string().max(35) }).safeParse(req.body);
    const doc = await translations.getDocument(req.params.id);
    try {
      const updated = await translations.addLanguage(
        doc.id,
        lang.success ? lang.data.lang : "",
        user.username,
      );
      const added = updated.languages.at(-1) ?? doc.languages[0];
      const wanted =
        updated.languages.find((l) => l.toLowerCase() === (lang.data?.lang ?? "").toLowerCase()) ?? added;
      res.redirect(303, `/documents/${doc.id}/${wanted}`);
    } catch (error) {
      if (error instanceof Error && "kind" in error && error.kind === "validation") {
        req.session.flash = [
          { kind: "error", message: req.t("editor.language_invalid", { lang: lang.data?.lang ?? "" }) },
        ];
        res.redirect(
          303,
          doc.languages[0] ? `/documents/${doc.id}/${doc.languages[0]}` : `/documents/${doc.id}`,
        );
        return;
      }
      throw error;
    }
  });

  return router;
}
