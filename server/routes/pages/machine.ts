/**
 * Machine translation pages: pre-translation started by a plain form post (the editor's button),
 * its status page (which refreshes itself while the job runs) with a cancel form, and the settings
 * page listing the configured providers and the installed Apertium pairs. Scripts use /api/v1.
 */

import { Router } from "express";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import type { PageContext } from "./index.ts";

export function machineRoutes({ services }: PageContext): Router {
  const router = Router();
  const { pretranslate, mt, translations } = services;
  const jobPath = (id: string, lang: string, jobId: string) =>
    `/documents/${encodeURIComponent(id)}/${encodeURIComponent(lang)}/pretranslate/${encodeURIComponent(jobId)}`;

  router.post("/documents/:id/:lang/pretranslate", async (req, res) => {
    const user = authorize(req, "translation.edit");
    const { id, lang } = req.params;
    try {
      const job = await pretranslate.start(id, lang, user.username);
      res.redirect(303, jobPath(job.documentId, job.lang, job.id));
    } catch (error) {
      if (!(error instanceof GlosaError) || error.kind === "validation") throw error;
      if (error.kind === "not_found" && error.code !== "provider_not_found") throw error;
      req.session.flash = [
        {
          kind: "error",
          message: req.t(error.kind === "conflict" ? "mt.already_running" : "mt.no_provider"),
        },
      ];
      res.redirect(303, `/documents/${encodeURIComponent(id)}/${encodeURIComponent(lang)}`);
    }
  });

  router.get("/documents/:id/:lang/pretranslate/:jobId", async (req, res) => {
    authorize(req, "document.read");
    const { doc, lang } = await translations.resolve(req.params.id, req.params.lang);
    const job = await pretranslate.get(doc.id, lang, req.params.jobId);
    res.render("mt/job", {
      doc,
      lang,
      job,
      base: `/documents/${doc.id}/${lang}`,
      action: jobPath(doc.id, lang, job.id),
    });
  });

  router.post("/documents/:id/:lang/pretranslate/:jobId/cancel", async (req, res) => {
    authorize(req, "translation.edit");
    const { doc, lang } = await translations.resolve(req.params.id, req.params.lang);
    const job = await pretranslate.cancel(doc.id, lang, req.params.jobId);
    res.redirect(303, jobPath(doc.id, lang, job.id));
  });

  router.get("/machine-translation", async (req, res) => {
    authorize(req, "document.read");
    res.render("mt/settings", { title: req.t("mt.settings_title"), info: await mt.info() });
  });

  return router;
}
