/** Quality check settings and accepted words, per target language. */

import { Router } from "express";
import { z } from "zod";
import { canonicalLang, primaryLang } from "../../../glossary/language.ts";
import { hasForbiddenCharacters } from "../../../glossary/text.ts";
import { QUALITY_CHECKS } from "../../../quality/checks/index.ts";
import { DEFAULT_QUOTES } from "../../../quality/checks/punctuation.ts";
import {
  DEFAULT_TITLE_LIMIT,
  QUALITY_CODES,
  type QualityCode,
  type QualitySettings,
} from "../../../quality/finding.ts";
import { ValidationError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import type { QualityService } from "../../services/quality.ts";
import { parseBody } from "./validate.ts";

// A mark is stored and shown in every check's message: only characters any stored text may hold.
const mark = z
  .string()
  .min(1)
  .max(2)
  .refine((m) => !hasForbiddenCharacters(m), { message: "control characters cannot be quotation marks" });
const pair = z.tuple([mark, mark]);
const checkSetting = z.object({
  enabled: z.boolean().optional(),
  severity: z.enum(["warning", "error"]).optional(),
});
export const settingsSchema = z.object({
  checks: z.partialRecord(z.enum(QUALITY_CODES as [QualityCode, ...QualityCode[]]), checkSetting).optional(),
  quoteStyle: z.object({ outer: pair, inner: pair }).nullable().optional(),
  titleLimit: z.number().int().min(20).max(1000).optional(),
});
const wordSchema = z.object({ word: z.string().min(1).max(64) });

export function requireLang(tag: string): string {
  const lang = canonicalLang(tag);
  if (!lang)
    throw new ValidationError(
      `"${tag}" is not a language tag Glosa can use.`,
      { lang: "invalid" },
      "invalid_language",
    );
  return lang;
}

/** A language's settings with every default filled in, as the API and the Settings page show them. */
export async function effectiveSettings(quality: QualityService, lang: string) {
  const records = await quality.records();
  const settings = records.settings[lang] ?? { checks: {} };
  return {
    lang,
    checks: Object.fromEntries(
      QUALITY_CODES.map((code) => [
        code,
        {
          enabled: settings.checks[code]?.enabled !== false,
          severity: settings.checks[code]?.severity ?? QUALITY_CHECKS.find((c) => c.code === code)?.severity,
        },
      ]),
    ),
    quoteStyle: settings.quoteStyle ?? DEFAULT_QUOTES[primaryLang(lang)] ?? null,
    titleLimit: settings.titleLimit ?? DEFAULT_TITLE_LIMIT,
    acceptedWords: records.words[lang] ?? [],
  };
}

/** Merges a change into the stored settings: fields left out keep their value; `quoteStyle: null` resets it. */
export function mergeSettings(
  current: QualitySettings,
  change: z.output<typeof settingsSchema>,
): QualitySettings {
  const quoteStyle = change.quoteStyle === undefined ? current.quoteStyle : (change.quoteStyle ?? undefined);
  const titleLimit = change.titleLimit ?? current.titleLimit;
  return {
    checks: { ...current.checks, ...(change.checks ?? {}) },
    ...(quoteStyle ? { quoteStyle } : {}),
    ...(titleLimit !== undefined ? { titleLimit } : {}),
  };
}

export function qualityApi({ quality }: Services): Router {
  const router = Router();

  router.get("/quality/settings/:lang", async (req, res) => {
    authorize(req, "document.read");
    res.json(await effectiveSettings(quality, requireLang(req.params.lang)));
  });

  router.put("/quality/settings/:lang", async (req, res) => {
    const user = authorize(req, "quality.configure");
    const body = parseBody(settingsSchema, req.body);
    const lang = requireLang(req.params.lang);
    await quality.putSettings(lang, mergeSettings(await quality.settings(lang), body), user.username);
    res.json(await effectiveSettings(quality, lang));
  });

  router.post("/quality/words/:lang", async (req, res) => {
    const user = authorize(req, "quality.configure");
    const body = parseBody(wordSchema, req.body);
    const lang = requireLang(req.params.lang);
    const word = await quality.acceptWord(lang, body.word, user.username);
    res.status(201).json({ lang, word });
  });

  return router;
}
