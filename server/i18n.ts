/** i18next for the server-rendered UI: resources from locales/, language from ?lng, cookie or browser. */

import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RequestHandler } from "express";
import i18next, { type i18n, type TFunction } from "i18next";
import Backend from "i18next-fs-backend";
import { LanguageDetector } from "i18next-http-middleware";

export const UI_LANGUAGES = ["en", "es"] as const;
export const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "locales");

/** A fresh, synchronously loaded i18next instance (no globals: each app gets its own). */
export function createI18n(): i18n {
  const instance = i18next.createInstance();
  instance
    .use(Backend)
    .use(LanguageDetector)
    .init({
      initAsync: false,
      fallbackLng: "en",
      supportedLngs: [...UI_LANGUAGES],
      nonExplicitSupportedLngs: true,
      load: "languageOnly",
      preload: [...UI_LANGUAGES],
      ns: ["translation"],
      defaultNS: "translation",
      backend: { loadPath: path.join(LOCALES_DIR, "{{lng}}", "{{ns}}.json") },
      detection: {
        order: ["querystring", "cookie", "header"],
        lookupQuerystring: "lng",
        lookupCookie: "glosa_lng",
        // Only an explicit switch (?lng=) is remembered, by rememberLanguage below, not every detection.
        caches: [],
        ignoreCase: true,
      },
      // EJS escapes on output; escaping here too would double-escape.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  return instance;
}

/** Remembers the language a person picked with the header switch (`?lng=es`) in a cookie. */
export function rememberLanguage(secure: boolean): RequestHandler {
  return (req, res, next) => {
    const lng = typeof req.query.lng === "string" ? req.query.lng.toLowerCase() : "";
    if ((UI_LANGUAGES as readonly string[]).includes(lng))
      res.cookie("glosa_lng", lng, {
        httpOnly: true,
        sameSite: "lax",
        secure,
        maxAge: 365 * 24 * 3600 * 1000,
      });
    next();
  };
}

/** Most languages, as detected, whose `t` is kept (detection can return any region of a language). */
const FIXED_LANGUAGES = 64;

/**
 * i18next-http-middleware's `handle` without its clone of the i18next instance on every request
 * (about a third of a millisecond each, for every API call too): the language is detected by the
 * same detector, and `req.t` is a `t` fixed to it, made once per language. `req.i18n` is a clone
 * made on first use, for code that wants an instance of its own.
 */
export function handleLanguage(instance: i18n): RequestHandler {
  // Per language, what every request of it reads: its `t`, its fallback chain and its direction.
  const fixed = new Map<string, { t: TFunction; languages: readonly string[]; dir: string }>();
  const fallback = "en";
  return (req, res, next) => {
    const detected: unknown = instance.services.languageDetector?.detect(req, res);
    const lng = typeof detected === "string" && detected ? detected : fallback;
    let known = fixed.get(lng);
    if (!known) {
      known = {
        t: instance.getFixedT(lng),
        languages: instance.services.languageUtils.toResolveHierarchy(lng),
        dir: instance.dir(lng),
      };
      if (fixed.size < FIXED_LANGUAGES) fixed.set(lng, known);
    }
    const { t } = known;
    const request = req as typeof req & { locale?: string; lng?: string };
    request.language = request.locale = request.lng = lng;
    req.languages = [...known.languages];
    req.t = t;
    let clone: i18n | undefined;
    Object.defineProperty(req, "i18n", {
      configurable: true,
      get: () => {
        clone ??= instance.cloneInstance({ initAsync: false, lng });
        return clone;
      },
    });
    // The detector returns only identifiers it found safe; a header is kept to a tag's characters all the same.
    res.setHeader("Content-Language", lng.replace(/[^\w-]/g, ""));
    Object.assign(res.locals, { t, language: lng, languageDir: known.dir });
    next();
  };
}
