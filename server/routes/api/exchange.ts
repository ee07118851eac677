import express, { Router } from "express";
import { z } from "zod";
import { EXPORT_FORMAT_IDS, type ExportFormatId } from "../../../translations/exchange/formats.ts";
import { authorize } from "../../auth.ts";
import type { Config } from "../../config.ts";
import type { Services } from "../../context.ts";
import { UnsupportedMediaTypeError } from "../../errors.ts";
import { charsetOf, rawText } from "../../parse-pool.ts";
import { sendDownloadChunks } from "../download.ts";
import { parseBody } from "./validate.ts";

export const exportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMAT_IDS as [ExportFormatId, ...ExportFormatId[]]).default("markdown"),
  status: z.enum(["latest", "approved"]).default("latest"),
  incomplete: z.enum(["error", "source"]).default("error"),
});

export const XLIFF_TYPES = [
  "application/xliff+xml",
  "application/x-xliff+xml",
  "application/xml",
  "text/xml",
];

export function exchangeApi({ translations }: Services, config: Config): Router {
  const router = Router();

  router.get("/documents/:docId/export/:lang", async (req, res) => {
    authorize(req, "document.read");
    const query = parseBody(exportQuerySchema, req.query);
    await sendDownloadChunks(res, await translations.export(req.params.docId, req.params.lang, query));
  });

  router.post(
    "/documents/:docId/translations/:lang/import",
    // Bytes, not text: the file is decoded on a parser thread, not on the event loop.
    express.raw({ type: XLIFF_TYPES, limit: config.importLimit }),
    async (req, res) => {
      const user = authorize(req, "translation.edit");
      if (!req.is(XLIFF_TYPES) || !Buffer.isBuffer(req.body))
        throw new UnsupportedMediaTypeError("Send an XLIFF 2.0 or 1.2 file as application/xliff+xml.");
      const file = rawText(req.body, charsetOf(req.get("Content-Type")));
      res.json(await translations.importXliff(req.params.docId, req.params.lang, file, user.username));
    },
  );

  return router;
}
