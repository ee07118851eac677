import express, { Router } from "express";
import { z } from "zod";
import { GlossaryFormatError } from "../../../glossary/exchange.ts";
import { canonicalLang } from "../../../glossary/language.ts";
import { ValidationError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import type { Config } from "../../config.ts";
import type { Services } from "../../context.ts";
import { UnsupportedMediaTypeError } from "../../errors.ts";
import { charsetOf, rawText } from "../../parse-pool.ts";
import { sendDownloadChunks } from "../download.ts";
import { sendJsonInSlices } from "../json-slices.ts";
import { searchTerms } from "../pages/glossary.ts";
import { apiFindings } from "./documents.ts";
import { parseBody } from "./validate.ts";

export const CSV_TYPES = ["text/csv", "text/plain"];
export const TBX_TYPES = ["application/x-tbx+xml", "application/tbx+xml", "application/xml", "text/xml"];

const targetSchema = z.object({
  text: z.string().max(500),
  forbidden: z.array(z.string().max(500)).max(50).default([]),
});
const termSchema = z.object({
  sourceLang: z.string().min(1).max(35),
  source: z.string().max(500),
  description: z.string().max(2000).default(""),
  translatable: z.boolean().default(true),
  caseSensitive: z.boolean().default(false),
  targets: z.record(z.string().max(35), targetSchema).default({}),
});
/** A check's texts are bounded like a saved translation: no longer than the longest one may be. */
const checkSchema = (maxTextLength: number) =>
  z.object({
    sourceLang: z.string().min(1).max(35),
    targetLang: z.string().min(1).max(35),
    source: z.string().max(maxTextLength),
    target: z.string().max(maxTextLength).optional(),
    /** What the text is, for the checks that care: a title's length limit, Markdown's markup. */
    kind: z.enum(["title", "heading", "paragraph", "list-item", "quote"]).optional(),
    format: z.enum(["text", "markdown"]).optional(),
  });

function lang(tag: string, field: string): string {
  const canonical = canonicalLang(tag);
  if (!canonical)
    throw new ValidationError(
      `"${tag}" is not a language tag Glosa can use: a BCP 47 tag of at most 35 characters once canonicalised (es, pt-BR, es-AR).`,
      { [field]: "invalid language tag" },
      "invalid_language",
    );
  return canonical;
}

export function glossaryApi({ glossary, quality }: Services, config: Config): Router {
  const router = Router();

  router.get("/glossary", async (req, res) => {
    authorize(req, "glossary.read");
    const q = typeof req.query.q === "string" ? req.query.q : "";
    const l = typeof req.query.lang === "string" && req.query.lang ? lang(req.query.lang, "lang") : undefined;
    // The spec's list is unpaged: 20,000 terms are megabytes of JSON, written a slice at a time.
    await sendJsonInSlices(res, { terms: await searchTerms(await glossary.list(), q, l) });
  });

  router.post("/glossary/terms", async (req, res) => {
    const user = authorize(req, "glossary.edit");
    res.status(201).json(await glossary.create(parseBody(termSchema, req.body), user.username));
  });

  router.put("/glossary/terms/:id", async (req, res) => {
    const user = authorize(req, "glossary.edit");
    res.json(await glossary.update(req.params.id, parseBody(termSchema, req.body), user.username));
  });

  router.delete("/glossary/terms/:id", async (req, res) => {
    const user = authorize(req, "glossary.edit");
    await glossary.remove(req.params.id, user.username);
    res.status(204).end();
  });

  router.post(
    "/glossary/import",
    // Bytes, not text: the file is decoded on a parser thread, not on the event loop.
    express.raw({ type: [...CSV_TYPES, ...TBX_TYPES], limit: config.importLimit }),
    async (req, res) => {
      const user = authorize(req, "glossary.edit");
      if (!Buffer.isBuffer(req.body) || !req.is([...CSV_TYPES, ...TBX_TYPES]))
        throw new UnsupportedMediaTypeError("Send the glossary as text/csv or application/x-tbx+xml.");
      const file = rawText(req.body, charsetOf(req.get("Content-Type")));
      const sourceLang = lang(
        typeof req.query.sourceLang === "string" ? req.query.sourceLang : "en",
        "sourceLang",
      );
      const targetLang = lang(
        typeof req.query.targetLang === "string" ? req.query.targetLang : "es",
        "targetLang",
      );
      try {
        const result = req.is(TBX_TYPES)
          ? await glossary.importTbx(file, user.username)
          : await glossary.importCsv(file, { sourceLang, targetLang }, user.username);
        res.json({
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          errors: result.errors,
          ignored: result.ignored,
        });
      } catch (error) {
        // `details.problem` says why with a code and its values, as each refused row does.
        if (error instanceof GlossaryFormatError) {
          const { code, params, reasons } = error;
          throw new ValidationError(
            error.message,
            {
              ...(error.line !== undefined ? { line: error.line } : {}),
              problem: { code, params, ...(reasons ? { reasons } : {}) },
            },
            "unreadable_file",
          );
        }
        throw error;
      }
    },
  );

  router.get("/glossary/export", async (req, res) => {
    authorize(req, "glossary.read");
    const format = req.query.format ?? "csv";
    if (format !== "csv" && format !== "tbx")
      throw new ValidationError("format must be csv or tbx.", { format: "unsupported" }, "invalid_fields");
    const l = typeof req.query.lang === "string" && req.query.lang ? lang(req.query.lang, "lang") : undefined;
    await sendDownloadChunks(res, await glossary.exportFile(format, l));
  });

  const checkBody = checkSchema(config.maxTextLength);
  router.post("/glossary/check", async (req, res) => {
    authorize(req, "glossary.read");
    const body = parseBody(checkBody, req.body);
    const sourceLang = lang(body.sourceLang, "sourceLang");
    const targetLang = lang(body.targetLang, "targetLang");
    const index = await glossary.index(sourceLang, targetLang);
    const source = body.source;
    const matches = index.match(source);
    const check = await quality.checker({ sourceLang, format: body.format ?? "text" }, targetLang);
    const paragraph = { id: "", index: 0, kind: body.kind ?? "paragraph", source };
    const findings = body.target ? check(paragraph, body.target.normalize("NFC"), matches) : [];
    res.json({
      matches: matches.map((m) => ({
        termId: m.termId,
        start: m.start,
        end: m.end,
        text: m.text,
        target: m.target,
      })),
      findings: apiFindings(req, findings),
    });
  });

  return router;
}
