/** The browser UI: forms that work without JavaScript, enhanced by the scripts in public/. */

import express, { Router } from "express";
import { requirePageUser } from "../../auth.ts";
import type { Config } from "../../config.ts";
import type { Services } from "../../context.ts";
import type { Csrf } from "../../csrf.ts";
import type { Limits } from "../../rate-limits.ts";
import { wellFormedBody } from "../../well-formed.ts";
import { accountRoutes } from "./account.ts";
import { adminRoutes } from "./admin.ts";
import { commentRoutes } from "./comments.ts";
import { documentRoutes } from "./documents.ts";
import { editorRoutes } from "./editor.ts";
import { exchangeRoutes } from "./exchange.ts";
import { glossaryRoutes } from "./glossary.ts";
import { machineRoutes } from "./machine.ts";
import { memoryRoutes } from "./memory.ts";
import { qualityRoutes } from "./quality.ts";
import { replaceRoutes } from "./replace.ts";
import { reviewRoutes } from "./review.ts";
import { keepUnsentForm, sessionRoutes } from "./session.ts";
import { sourceRoutes } from "./sources.ts";
import { statsRoutes } from "./stats.ts";
import { checkedForm } from "./upload.ts";

export interface PageContext {
  services: Services;
  config: Config;
  csrf: Csrf;
  /** Shared with the API: one sign-in throttle for the page and `POST /api/v1/tokens`. */
  limits: Limits;
}

export function pageRouter(context: PageContext): Router {
  const router = Router();
  const forms = [
    express.urlencoded({ extended: false, limit: context.config.bodyLimit, parameterLimit: 200 }),
    express.json({ limit: context.config.bodyLimit }),
  ];
  // Signing in and out read their form first: the credentials and the CSRF token are in it.
  router.use(["/login", "/logout"], forms, wellFormedBody);
  router.use(sessionRoutes(context, context.limits.signIn));
  // Who first, then the body, then the CSRF token: a signed-out request gets 401 (or the sign-in
  // page) whatever it sent, not 400, 413 or 403. Every body, multipart included, is read and its
  // token checked here, before any route sees it.
  router.use(requirePageUser);
  // Its 401 for a form: the page shows back what was sent, with a way to sign in and return.
  router.use(keepUnsentForm(context.config.bodyLimit));
  router.use(forms);
  router.use(checkedForm(context.config.importLimit, context.csrf));
  // After the token check: a stranger's or a forged form is refused for that first.
  router.use(wellFormedBody);
  router.use(documentRoutes(context));
  // Before the editor's /documents/:id/:lang, which would take "source" and "history" for languages.
  router.use(sourceRoutes(context));
  router.use(editorRoutes(context));
  router.use(machineRoutes(context));
  router.use(reviewRoutes(context));
  router.use(exchangeRoutes(context));
  router.use(glossaryRoutes(context));
  router.use(memoryRoutes(context));
  router.use(accountRoutes(context));
  router.use(adminRoutes(context));
  router.use(commentRoutes(context));
  // Find and replace, statistics (findstats).
  router.use(replaceRoutes(context));
  router.use(statsRoutes(context));
  router.use(qualityRoutes(context));
  return router;
}
