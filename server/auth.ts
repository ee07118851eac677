/** Who is asking: a session for the browser, a bearer token for the API; and the checks on it. */

import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { User } from "./accounts/model.ts";
import { ForbiddenError, UnauthorizedError } from "./errors.ts";
import { type Action, can } from "./policies.ts";
import type { AccountService } from "./services/accounts.ts";

declare module "express-session" {
  interface SessionData {
    username?: string;
    /** Epoch ms of sign-in, for the absolute timeout. */
    signedInAt?: number;
    /** Shown once on the next page; `undo` is a form that takes the change back (views/partials/head.ejs). */
    flash?: {
      kind: "ok" | "error";
      message: string;
      undo?: { action: string; label: string; fields: Record<string, string> };
    }[];
  }
}

declare global {
  namespace Express {
    interface Request {
      user?: User;
    }
  }
}

/** Sessions live at most this long after sign-in, however active. */
export const ABSOLUTE_SESSION_MS = 24 * 60 * 60 * 1000;
/** A session unused this long expires. */
export const IDLE_SESSION_MS = 4 * 60 * 60 * 1000;

/** Loads the signed-in user of a browser session; ends sessions that are too old or revoked. */
export function sessionUser(accounts: AccountService): RequestHandler {
  return async (req, _res, next) => {
    const username = req.session?.username;
    if (!username) return next();
    const user = await accounts.get(username);
    const signedInAt = req.session.signedInAt ?? 0;
    const revoked =
      user?.sessionsValidAfter !== undefined && signedInAt < Date.parse(user.sessionsValidAfter);
    if (!user || user.disabled || revoked || Date.now() - signedInAt > ABSOLUTE_SESSION_MS) {
      req.session.username = undefined;
      req.session.signedInAt = undefined;
      return next();
    }
    req.user = user;
    next();
  };
}

/** Authenticates API calls by `Authorization: Bearer <token>`; no cookies are involved. */
export function bearerUser(accounts: AccountService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      return next(new UnauthorizedError("An API token is required: Authorization: Bearer <token>."));
    const user = await accounts.userForToken(match[1]);
    if (!user) return next(new UnauthorizedError("The API token is unknown or revoked."));
    req.user = user;
    next();
  };
}

/**
 * Authenticates an API call: by `Authorization: Bearer <token>` when the header is there, otherwise by
 * the browser session that `sessionUser` already checked. A session call that changes state must carry
 * the session's CSRF token in `X-CSRF-Token`, whatever its content type; a bearer call needs none,
 * because no browser attaches a bearer token on its own.
 */
export function apiUser(accounts: AccountService, csrfHeader: RequestHandler): RequestHandler {
  const bearer = bearerUser(accounts);
  return (req, res, next) => {
    if (req.get("authorization") !== undefined) {
      // The token decides, not a session cookie that happens to come along.
      req.user = undefined;
      return bearer(req, res, next);
    }
    if (!req.user)
      return next(new UnauthorizedError("Sign in, or send an API token: Authorization: Bearer <token>."));
    csrfHeader(req, res, next);
  };
}

const LOCAL_ORIGIN = "http://glosa.invalid";

/**
 * Only local paths are followed after sign-in. The target is resolved the way a browser resolves a
 * Location (dot segments, `%2e`, a backslash read as `/`, tabs and newlines dropped), and what comes out must
 * still be a path on this origin: `/.//evil.example` resolves to `//evil.example`, another host.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > 2000 || !next.startsWith("/")) return "/";
  // A path we made never holds these; a browser drops tabs and newlines and reads a backslash as `/`.
  if (/[\p{Cc}\\]/u.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, LOCAL_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== LOCAL_ORIGIN) return "/";
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}

/** Pages need a signed-in user: browsers are sent to the sign-in page and brought back. */
export function requirePageUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user) {
    next();
    return;
  }
  if (req.method === "GET" || req.method === "HEAD") {
    res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
    return;
  }
  next(new UnauthorizedError());
}

/** The policy check every route that reads or changes data goes through. */
export function authorize(req: Request, action: Action): User {
  if (!req.user) throw new UnauthorizedError();
  if (!can(req.user, action)) throw new ForbiddenError();
  return req.user;
}
