/** Request rate limits and sign-in throttling (express-rate-limit), lifted by GLOSA_RATE_LIMIT=off. */

import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, type Options, rateLimit } from "express-rate-limit";
import { GlosaError } from "../translations/errors.ts";
import type { Config } from "./config.ts";
import { type HitCounter, hitCounter, SharedCounter } from "./shared-counter.ts";
import type { Store } from "./storage/store.ts";

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

const pass: RequestHandler = (_req, _res, next) => next();

function addressKey(req: Request): string {
  return `address:${ipKeyGenerator(req.ip ?? "unknown")}`;
}

/** The signed-in user, whichever authentication set `req.user`; the address before sign-in. */
function requesterKey(req: Request): string {
  return req.user ? `user:${req.user.username}` : addressKey(req);
}

export interface RequestLimit {
  /** Counts a request once: runs after authentication, so it sees `req.user`. */
  count: RequestHandler;
  /** The same count for a request whose authentication failed (an error middleware). */
  countFailed: ErrorRequestHandler;
}

/**
 * Requests per minute per signed-in user, or per address for anonymous requests: fifteen translators
 * behind one office address are fifteen budgets, not one. Pages and the API share it; a request is
 * counted once however many places it passes.
 */
export function requestLimit(enabled: boolean, perMinute = 600, shared?: HitCounter): RequestLimit {
  if (!enabled) return { count: pass, countFailed: (error, _req, _res, next) => next(error) };
  const limiter = rateLimit({
    ...storeFor(shared, "requests:"),
    windowMs: 60_000,
    limit: perMinute,
    keyGenerator: requesterKey,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: rateLimited,
  });
  const counted = new WeakSet<Request>();
  const count: RequestHandler = (req, res, next) => {
    if (counted.has(req)) return next();
    counted.add(req);
    return limiter(req, res, next);
  };
  return {
    count,
    countFailed: (error, req, res, next) => count(req, res, (limited?: unknown) => next(limited ?? error)),
  };
}

export interface LoginThrottle {
  middleware: RequestHandler;
  /** A successful sign-in clears the failures of that username and address (not the address's own). */
  reset(req: Request): void;
}

function loginKey(req: Request): string {
  const username =
    typeof req.body?.username === "string" ? req.body.username.trim().toLowerCase().slice(0, 64) : "";
  return `${ipKeyGenerator(req.ip ?? "unknown")}|${username}`;
}

/**
 * Failed sign-ins, counted twice: per username and address (5 in 5 minutes), and per address across
 * usernames (20 in 15 minutes) so that one password sprayed over many names is stopped too. One
 * instance serves the sign-in page and `POST /api/v1/tokens`: they are one door.
 */
export function loginThrottle(
  enabled: boolean,
  { perUsername = 5, perAddress = 20, usernameWindowMs = 5 * 60_000, addressWindowMs = 15 * 60_000 } = {},
  shared?: HitCounter,
): LoginThrottle {
  if (!enabled) return { middleware: pass, reset: () => undefined };
  const common = {
    skipSuccessfulRequests: true,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: rateLimited,
  } as const;
  const byAddress = rateLimit({
    ...common,
    ...storeFor(shared, "sign-in-address:"),
    windowMs: addressWindowMs,
    limit: perAddress,
    keyGenerator: addressKey,
  });
  const byUsername = rateLimit({
    ...common,
    ...storeFor(shared, "sign-in-username:"),
    windowMs: usernameWindowMs,
    limit: perUsername,
    keyGenerator: loginKey,
  });
  return {
    middleware: (req, res, next) =>
      byAddress(req, res, (error?: unknown) => (error ? next(error) : byUsername(req, res, next))),
    // The address count is not cleared: signing in to one's own account must not buy more guesses.
    reset: (req) => void byUsername.resetKey(loginKey(req)),
  };
}

/** The limits of one app: built once in createApp and handed to the page and API routers. */
export interface Limits {
  requests: RequestLimit;
  signIn: LoginThrottle;
}

/**
 * The limits of one app. On a store shared by several processes (PostgreSQL) they count in the
 * store, so that a client cannot multiply its budget by the number of processes behind the load
 * balancer; otherwise in this process's memory.
 */
export function createLimits(config: Pick<Config, "rateLimit" | "requestsPerMinute">, store?: Store): Limits {
  const shared = hitCounter(store);
  return {
    requests: requestLimit(config.rateLimit, config.requestsPerMinute, shared),
    signIn: loginThrottle(config.rateLimit, {}, shared),
  };
}

/** The rateLimit option that counts in the shared store, when there is one. */
function storeFor(shared: HitCounter | undefined, prefix: string): Partial<Options> {
  return shared ? { store: new SharedCounter(shared, prefix) } : {};
}
