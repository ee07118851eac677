/**
 * Machine translation routes: pre-translating a document's empty paragraphs as drafts (a background
 * job: start, status, cancel) and the configured providers. A translator may start one: it only
 * fills empty paragraphs, as drafts, never touches a translation someone wrote.
 */

import type { Request } from "express";
import { Router } from "express";
import { z } from "zod";
import { originStats } from "../../../translations/origin-stats.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import type { PretranslateJob } from "../../mt/pretranslate.ts";
import { parseBody } from "./validate.ts";

const startSchema = z.strictObject({ provider: z.string().min(1).max(40).optional() });

function jobJson(req: Request, job: PretranslateJob) {
  return {
    ...job,
    url: `${req.baseUrl}/documents/${encodeURIComponent(job.documentId)}/translations/${encodeURIComponent(job.lang)}/pretranslate/${encodeURIComponent(job.id)}`,
  };
}

export function machineApi({ mt, pretranslate, translations }: Services): Router {
  const router = Router();
  const base = "/documents/:docId/translations/:lang/pretranslate";

  router.post(base, async (req, res) => {
    const user = authorize(req, "translation.edit");
    const body = parseBody(startSchema, req.body ?? {});
    const job = await pretranslate.start(req.params.docId, req.params.lang, user.username, body.provider);
    const json = jobJson(req, job);
    res.status(202).location(json.url).json(json);
  });

  router.get(`${base}/:jobId`, async (req, res) => {
    authorize(req, "document.read");
    res.json(jobJson(req, await pretranslate.get(req.params.docId, req.params.lang, req.params.jobId)));
  });

  router.delete(`${base}/:jobId`, async (req, res) => {
    authorize(req, "translation.edit");
    res.json(jobJson(req, await pretranslate.cancel(req.params.docId, req.params.lang, req.params.jobId)));
  });

  /** How much of the translation came from the machine or the memory, and how much was edited since. */
  router.get("/documents/:docId/translations/:lang/origins", async (req, res) => {
    authorize(req, "document.read");
    const view = await translations.view(req.params.docId, req.params.lang);
    res.json(originStats(view.paragraphs.map((p) => p.translation)));
  });

  /** The configured providers with their pairs and circuit state, and the installed Apertium pairs. */
  router.get("/mt/providers", async (req, res) => {
    authorize(req, "document.read");
    res.json(await mt.info());
  });

  return router;
}
