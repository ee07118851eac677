/** The quality Settings page: each language's checks, quotation marks, title limit and accepted words. */

import { type Response, Router } from "express";
import { z } from "zod";
import { QUALITY_CODES, type QualityCode } from "../../../quality/finding.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import { effectiveSettings, mergeSettings, requireLang, settingsSchema } from "../api/quality.ts";
import type { PageContext } from "./index.ts";

const QUOTE_STYLES: Record<string, { outer: [string, string]; inner: [string, string] } | null> = {
  default: null,
  angle: { outer: ["«", "»"], inner: ["“", "”"] },
  curly: { outer: ["“", "”"], inner: ["‘", "’"] },
  german: { outer: ["„", "“"], inner: ["‚", "‘"] },
};

// A form sends each check as `<code>=on|off` and `<code>.severity=warning|error`; absent boxes are off.
const formSchema = z.record(z.string().max(40), z.string().max(200));
const wordForm = z.object({ word: z.string().max(200), return: z.string().max(2000).optional() });

/** Only a path of this site is a place to go back to. */
function localPath(value: string | undefined, fallback: string): string {
  return value && /^\/(?![/\\])/.test(value) ? value : fallback;
}

export function qualityRoutes({ services }: PageContext): Router {
  const router = Router();
  const { quality } = services;

  const render = async (res: Response, lang: string, error: string | null = null) => {
    const stored = JSON.stringify((await quality.settings(lang)).quoteStyle ?? null);
    const style =
      Object.keys(QUOTE_STYLES).find((k) => JSON.stringify(QUOTE_STYLES[k]) === stored) ?? "default";
    res.render("quality/settings", {
      current: await effectiveSettings(quality, lang),
      style,
      codes: QUALITY_CODES,
      styles: Object.keys(QUOTE_STYLES),
      error,
      lang,
    });
  };

  router.get("/quality", async (req, res) => {
    authorize(req, "quality.configure");
    const tag = typeof req.query.lang === "string" && req.query.lang ? req.query.lang : "es";
    let lang: string;
    try {
      lang = requireLang(tag);
    } catch (e) {
      res.status(400);
      return render(res, "es", messageFor(req, e as GlosaError));
    }
    await render(res, lang);
  });

  router.post("/quality/:lang", async (req, res) => {
    const user = authorize(req, "quality.configure");
    const lang = requireLang(req.params.lang);
    const form = formSchema.safeParse(req.body ?? {});
    const fields = form.success ? form.data : {};
    const checks: Partial<Record<QualityCode, { enabled: boolean; severity?: "warning" | "error" }>> = {};
    for (const code of QUALITY_CODES) {
      const severity = fields[`${code}.severity`];
      checks[code] = {
        enabled: fields[code] === "on",
        ...(severity === "warning" || severity === "error" ? { severity } : {}),
      };
    }
    const style = fields.quoteStyle ?? "default";
    const body = settingsSchema.safeParse({
      checks,
      ...(style in QUOTE_STYLES ? { quoteStyle: QUOTE_STYLES[style] } : {}),
      ...(fields.titleLimit ? { titleLimit: Number(fields.titleLimit) } : {}),
    });
    if (!form.success || !body.success) {
      res.status(400);
      return render(res, lang, req.t("quality.settings.invalid"));
    }
    await quality.putSettings(lang, mergeSettings(await quality.settings(lang), body.data), user.username);
    req.session.flash = [{ kind: "ok", message: req.t("quality.settings.saved", { lang }) }];
    res.redirect(303, `/quality?lang=${encodeURIComponent(lang)}`);
  });

  /** "Add to dictionary": from the Settings page or from a spelling finding in the editor. */
  router.post("/quality/:lang/words", async (req, res) => {
    const user = authorize(req, "quality.configure");
    const lang = requireLang(req.params.lang);
    const body = wordForm.safeParse(req.body ?? {});
    const back = localPath(
      body.success ? body.data.return : undefined,
      `/quality?lang=${encodeURIComponent(lang)}`,
    );
    try {
      const word = await quality.acceptWord(lang, body.success ? body.data.word : "", user.username);
      req.session.flash = [{ kind: "ok", message: req.t("quality.settings.word_added", { word, lang }) }];
    } catch (e) {
      if (!(e instanceof GlosaError) || e.kind !== "validation") throw e;
      req.session.flash = [{ kind: "error", message: req.t("quality.settings.invalid_word") }];
    }
    res.redirect(303, back);
  });

  return router;
}
