import express, { Router } from "express";
import { z } from "zod";
import { exportGlossaryCsv } from "../../../glossary/csv.ts";
import { GlossaryFormatError } from "../../../glossary/exchange.ts";
import { canonicalLang } from "../../../glossary/language.ts";
import { ValidationError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import type { Config } from "../../config.ts";
import type { Services } from "../../context.ts";
import { UnsupportedMediaTypeError } from "../../errors.ts";
import { searchTerms } from "../pages/glossary.ts";
import { apiFindings } from "./documents.ts";
import { parseBody } from "./validate.ts";

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
const checkSchema = z.object({
  sourceLang: z.string().min(1).max(35),
  targetLang: z.string().min(1).max(35),
  source: z.string().max(100_000),
  target: z.string().max(100_000).optional(),
});

function lang(tag: string, field: string): string {
  const canonical = canonicalLang(tag);
  if (!canonical)
    throw new ValidationError(
      `"${tag}" is not a BCP 47 language tag.`,
      { [field]: "invalid language tag" },
      "invalid_language",
    );
  return canonical;
}

export function glossaryApi({ glossary }: Services, config: Config): Router {
  const router = Router();

  router.get("/glossary", async (req, res) => {
    authorize(req, "glossary.read");
    const q = typeof req.query.q === "string" ? req.query.q : "";
    const l = typeof req.query.lang === "string" && req.query.lang ? lang(req.query.lang, "lang") : undefined;
    res.json({ terms: searchTerms(await glossary.list(), q, l) });
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
    express.text({
      type: ["text/csv", "text/plain", "application/x-tbx+xml", "application/xml", "text/xml"],
      limit: config.importLimit,
    }),
    async (req, res) => {
      const user = authorize(req, "glossary.edit");
      if (req.is(["application/x-tbx+xml", "application/xml", "text/xml"]))
        throw new UnsupportedMediaTypeError("TBX import is not available yet; send text/csv.");
      if (!req.is(["text/csv", "text/plain"]) || typeof req.body !== "string")
        throw new UnsupportedMediaTypeError("Send the glossary as text/csv.");
      const sourceLang = lang(
        typeof req.query.sourceLang === "string" ? req.query.sourceLang : "en",
        "sourceLang",
      );
      const targetLang = lang(
        typeof req.query.targetLang === "string" ? req.query.targetLang : "es",
        "targetLang",
      );
      try {
        const result = await glossary.importCsv(req.body, { sourceLang, targetLang }, user.username);
        res.json({
          created: result.created,
          updated: result.updated,
          errors: result.errors,
          ignored: result.ignored,
        });
      } catch (error) {
        if (error instanceof GlossaryFormatError)
          throw new ValidationError(
            error.message,
            error.line !== undefined ? { line: error.line } : undefined,
            "unreadable_file",
          );
        throw error;
      }
    },
  );

  router.get("/glossary/export", async (req, res) => {
    authorize(req, "glossary.read");
    const format = req.query.format ?? "csv";
    if (format !== "csv")
      throw new ValidationError(
        "Only format=csv is available yet.",
        { format: "unsupported" },
        "invalid_fields",
      );
    const l = typeof req.query.lang === "string" && req.query.lang ? lang(req.query.lang, "lang") : undefined;
    const terms = await glossary.list();
    res
      .type("text/csv; charset=utf-8")
      .attachment(`glossary${l ? `.${l}` : ""}.csv`)
      .send(exportGlossaryCsv(l ? terms.filter((t) => t.targets[l]) : terms, l));
  });

  router.post("/glossary/check", async (req, res) => {
    authorize(req, "glossary.read");
    const body = parseBody(checkSchema, req.body);
    const index = await glossary.index(
      lang(body.sourceLang, "sourceLang"),
      lang(body.targetLang, "targetLang"),
    );
    const source = body.source;
    const matches = index.match(source);
    const findings = body.target ? index.check(source, body.target.normalize("NFC"), matches) : [];
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
