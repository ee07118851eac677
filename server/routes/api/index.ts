/**
 * The public JSON API (../shared/spec/api-v1.md): bearer tokens, or the browser's session with its
 * CSRF header; JSON bodies, JSON errors. The page scripts use it like any other client.
 */

import express, { Router } from "express";
import { apiUser, KnownTokens, tokenCheckedByWrite } from "../../auth.ts";
import type { Config } from "../../config.ts";
import type { Services } from "../../context.ts";
import type { Csrf } from "../../csrf.ts";
import { UnsupportedMediaTypeError } from "../../errors.ts";
import type { Limits } from "../../rate-limits.ts";
import { wellFormedBody } from "../../well-formed.ts";
import { commentApi } from "./comments.ts";
import { documentApi, PARAGRAPH_PATH } from "./documents.ts";
import { exchangeApi } from "./exchange.ts";
import { glossaryApi } from "./glossary.ts";
import { liveApi } from "./live.ts";
import { machineApi } from "./machine.ts";
import { memoryApi } from "./memory.ts";
import { qualityApi } from "./quality.ts";
import { replaceApi } from "./replace.ts";
import { sessionApi } from "./session.ts";
import { sourceApi } from "./sources.ts";
import { statsApi } from "./stats.ts";
import { tokenApi } from "./tokens.ts";
import { userApi } from "./users.ts";

export function apiRouter(services: Services, config: Config, csrf: Csrf, limits: Limits): Router {
  const router = Router();
  const json = express.json({ limit: config.bodyLimit, strict: true });
  // Registered before the caller check, with its own body parser: tokens are what you get by
  // signing in, and the credentials are in the body.
  router.use(tokenApi(services, limits, [json, wellFormedBody]));
  // A save, clear, review or revert checks its API token in the write itself (before apiUser,
  // which then lets it through).
  const known = new KnownTokens();
  const checkedByWrite = tokenCheckedByWrite(
    services.accounts,
    known,
    services.translations.checksTokensInWrites,
  );
  router.put(PARAGRAPH_PATH, checkedByWrite);
  router.post(
    [`${PARAGRAPH_PATH}/clear`, `${PARAGRAPH_PATH}/review`, `${PARAGRAPH_PATH}/revert`],
    checkedByWrite,
  );
  // Counted once the caller is known (per user), or once it is known that it is not (per address).
  router.use(
    apiUser(services.accounts, csrf.protectHeader, known),
    limits.requests.count,
    limits.requests.countFailed,
  );
  // The body is read only for a known caller: a stranger gets 401 whatever they sent (malformed,
  // too large, wrong type), and no byte of it is parsed for them.
  // An import takes a file, never JSON: its body is left to the route, whose type check answers 415
  // for a JSON content type whether or not the body would parse (the spec's 415, not malformed_json).
  const isImport = (req: express.Request) => req.path.endsWith("/import");
  router.use((req, res, next) =>
    isImport(req)
      ? next()
      : json(req, res, (error?: unknown) => {
          // A token the save was to check in its write is checked now, before its body's fault is
          // answered: a revoked token gets its 401, whatever it sent.
          if (!error || !req.credential) return next(error);
          const deferred = req.credential;
          req.credential = undefined;
          deferred.check().then(() => next(error), next);
        }),
  );
  router.use(wellFormedBody);
  router.use((req, _res, next) => {
    const writes = req.method === "POST" || req.method === "PUT" || req.method === "PATCH";
    if (
      writes &&
      !isImport(req) &&
      req.headers["content-length"] !== "0" &&
      req.is("application/json") === false
    )
      return next(new UnsupportedMediaTypeError("Send JSON: Content-Type: application/json."));
    next();
  });
  router.use(sessionApi(csrf));
  router.use(userApi(services));
  router.use(documentApi(services));
  router.use(sourceApi(services));
  router.use(exchangeApi(services, config));
  router.use(glossaryApi(services, config));
  router.use(commentApi(services));
  router.use(liveApi(services));
  router.use(memoryApi(services, config));
  // Find and replace, statistics (findstats).
  router.use(replaceApi(services));
  router.use(statsApi(services));
  router.use(machineApi(services));
  router.use(qualityApi(services));
  return router;
}
