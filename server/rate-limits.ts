/** Request rate limits and sign-in throttling (express-rate-limit), lifted by GLOSA_RATE_LIMIT=off. */

import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, type Options, rateLimit } from "express-rate-limit";
import { GlosaError } from "../translations/errors.ts";

/** Answers a limited request with our error body (JSON or page) and Retry-After. */
export function rateLimited(req: Request, res: Response, next: NextFunction, options: Options): void {
  const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  const retryAfter = Math.max(
    1,
    Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000),
  );
  res.set("Retry-After", String(retryAfter));
  next(
    new GlosaError(
      "rate_limited",
      "rate_limited",
      req.t ? req.t("error.rate_limited") : "Too many requests.",
      { retryAfter },
    ),
  );
}

/** Requests per minute from one address, for pages and the API alike; off with GLOSA_RATE_LIMIT=off. */
export function requestLimit(enabled: boolean, perMinute = 600): RequestHandler {
  if (!enabled) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: rateLimited,
  });
}

export interface LoginThrottle {
  middleware: RequestHandler;
  /** A successful sign-in clears the failures of that username and address. */
  reset(req: Request): void;
}

function loginKey(req: Request): string {
  const username =
    typeof req.body?.username === "string" ? req.body.username.trim().toLowerCase().slice(0, 64) : "";
  return `${ipKeyGenerator(req.ip ?? "unknown")}|${username}`;
}

/** After 5 failed sign-ins for a username from one address within 5 minutes: 429 with Retry-After. */
export function loginThrottle(enabled: boolean, limit = 5, windowMs = 5 * 60 * 1000): LoginThrottle {
  if (!enabled) return { middleware: (_req, _res, next) => next(), reset: () => undefined };
  const limiter = rateLimit({
    windowMs,
    limit,
    keyGenerator: loginKey,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: rateLimited,
  });
  return { middleware: limiter, reset: (req) => void limiter.resetKey(loginKey(req)) };
}
