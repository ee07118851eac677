/** Who is asking: a session for the browser, a bearer token for the API; and the checks on it. */

import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ROLES, type Role, type User } from "./accounts/model.ts";
import { ForbiddenError, UnauthorizedError } from "./errors.ts";
import { type Action, can } from "./policies.ts";
import { type AccountService, hashToken } from "./services/accounts.ts";
import { type AppendGuard, CredentialRefusedError } from "./storage/store.ts";

declare module "express-session" {
  interface SessionData {
    username?: string;
    /** Epoch ms of sign-in, for the absolute timeout. */
    signedInAt?: number;
    /** The user this session was signed in as when an admin disabled the account: said, not a sign-in. */
    disabledUser?: string;
    /** Shown once on the next page; `undo` is a form that takes the change back (views/partials/head.ejs). */
    flash?: {
      kind: "ok" | "error";
      message: string;
      undo?: { action: string; label: string; fields: Record<string, string> };
      /** Floats in view at the bottom (the page opens far down, at an anchor). */
      float?: boolean;
    }[];
  }
}

declare global {
  namespace Express {
    interface Request {
      user?: User;
      /** The session's account was disabled: requests are refused as such (403), not as signed out. */
      accountDisabled?: boolean;
      /** An API token taken at this process's earlier word (`tokenCheckedByWrite`), not checked yet. */
      credential?: DeferredCredential;
    }
  }
}

/** An API token not checked yet: `user` is who it stood for when this process last checked it. */
export interface DeferredCredential {
  tokenHash: string;
  username: string;
  /** Checks the token now, as `apiUser` does: its user, or UnauthorizedError. */
  check(): Promise<User>;
}

/** Sessions live at most this long after sign-in, however active. */
export const ABSOLUTE_SESSION_MS = 24 * 60 * 60 * 1000;
/** A session unused this long expires. */
export const IDLE_SESSION_MS = 4 * 60 * 60 * 1000;

/**
 * Runs `handler` except for an API call with an Authorization header: such a call is its token's
 * alone (`apiUser` sets a session's user aside), so its session, if a cookie came along, need not
 * be read, nor a new one made and signed.
 */
export function unlessBearerApi(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.get("authorization") !== undefined && req.path.startsWith("/api/")) return next();
    handler(req, res, next);
  };
}

/** Loads the signed-in user of a browser session; ends sessions that are too old or revoked. */
export function sessionUser(accounts: AccountService): RequestHandler {
  return async (req, _res, next) => {
    const username = req.session?.username;
    if (!username) {
      // Said while the account stays disabled; enabled again, the session is a signed-out one.
      const disabled = req.session?.disabledUser;
      if (disabled && (await accounts.get(disabled))?.disabled) req.accountDisabled = true;
      else if (disabled) req.session.disabledUser = undefined;
      return next();
    }
    const user = await accounts.get(username);
    const signedInAt = req.session.signedInAt ?? 0;
    const revoked =
      user?.sessionsValidAfter !== undefined && signedInAt < Date.parse(user.sessionsValidAfter);
    const expired = Date.now() - signedInAt > ABSOLUTE_SESSION_MS;
    if (!user || user.disabled || revoked || expired) {
      req.session.username = undefined;
      req.session.signedInAt = undefined;
      // A disabled account is said as such from now on (signing in again would be refused as well),
      // without the session ever standing for the user again, should the account be enabled.
      if (user?.disabled && !expired) {
        req.session.disabledUser = username;
        req.accountDisabled = true;
      }
      return next();
    }
    req.user = user;
    next();
  };
}

/** The refusal of a request made as a disabled account (a session of it, or its password at sign-in). */
export function accountDisabled(): ForbiddenError {
  return new ForbiddenError("This account is disabled. Ask an admin to enable it again.", "account_disabled");
}

/** Most API tokens whose users a process keeps (`KnownTokens`). */
const KNOWN_TOKENS = 10_000;

/**
 * The users of API tokens this process checked lately, by the token's hash. Only a provisional
 * answer: the one write that may act on it (a save, `checkedWrite`) has the store check the token
 * in the write's own statement, so a token revoked, a user disabled, reset or given another role
 * in any process is refused by the next write whatever this map says.
 */
export class KnownTokens {
  readonly #users = new Map<string, User>();

  get(hash: string): User | undefined {
    return this.#users.get(hash);
  }

  set(hash: string, user: User): void {
    this.#users.delete(hash);
    this.#users.set(hash, user);
    if (this.#users.size > KNOWN_TOKENS) this.#users.delete(this.#users.keys().next().value as string);
  }

  delete(hash: string): void {
    this.#users.delete(hash);
  }
}

function bearerToken(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];
}

/** Checks an API token: its user, or UnauthorizedError; what it finds is kept in `known`. */
async function checkToken(accounts: AccountService, token: string, known?: KnownTokens): Promise<User> {
  const user = await accounts.userForToken(token);
  if (known) {
    const hash = hashToken(token);
    if (user) known.set(hash, user);
    else known.delete(hash);
  }
  if (!user) throw new UnauthorizedError("The API token is unknown or revoked.");
  return user;
}

/** Authenticates API calls by `Authorization: Bearer <token>`; no cookies are involved. */
export function bearerUser(accounts: AccountService, known?: KnownTokens): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    if (!token)
      return next(new UnauthorizedError("An API token is required: Authorization: Bearer <token>."));
    try {
      req.user = await checkToken(accounts, token, known);
    } catch (error) {
      return next(error);
    }
    next();
  };
}

/**
 * Registered before `apiUser` on a route whose write checks the API token in its own statement
 * (`checkedWrite`): a token this process knows is taken at its word for now (`req.credential`)
 * and `apiUser` lets it through unchecked, so the write is the request's one round trip. Only on
 * a store that checks guarded appends; any other token is checked by `apiUser` as usual.
 */
export function tokenCheckedByWrite(
  accounts: AccountService,
  known: KnownTokens,
  enabled: boolean,
): RequestHandler {
  return (req, _res, next) => {
    const token = enabled ? bearerToken(req) : undefined;
    const hash = token && hashToken(token);
    const user = hash ? known.get(hash) : undefined;
    if (token && hash && user) {
      req.user = user;
      req.credential = {
        tokenHash: hash,
        username: user.username,
        check: () => checkToken(accounts, token, known),
      };
    }
    next();
  };
}

/** The roles that may do `action`, as a guarded append checks them. */
function rolesFor(action: Action): Role[] {
  return ROLES.filter((role) => can({ role, disabled: false }, action));
}

/**
 * Authorizes and runs a write. With a deferred API token (`req.credential`), `write` gets the
 * credential to hand to the store's guarded append and says whether that append ran (`checked`):
 * the store then checked the token with the write. Any other outcome (nothing written, an error,
 * the token refused, a role that says no) is answered only once the token is checked here as on
 * any request, so a revoked token gets its 401 and a demoted user a 403, never a 404, 409 or 400;
 * a write the store refused runs again for a caller who still may.
 */
export async function checkedWrite<T>(
  req: Request,
  action: Action,
  write: (user: User, credential?: AppendGuard["credential"]) => Promise<{ value: T; checked: boolean }>,
): Promise<T> {
  const deferred = req.credential;
  if (!deferred) return (await write(authorize(req, action), undefined)).value;
  const credential = { tokenHash: deferred.tokenHash, username: deferred.username, roles: rolesFor(action) };
  let outcome: { value: T; checked: boolean } | undefined;
  let failure: unknown;
  try {
    if (can(req.user, action)) outcome = await write(req.user as User, credential);
  } catch (error) {
    failure = error;
  }
  if (outcome?.checked) return outcome.value;
  req.credential = undefined;
  req.user = undefined;
  req.user = await deferred.check();
  const user = authorize(req, action);
  if (outcome) return outcome.value;
  if (failure !== undefined && !(failure instanceof CredentialRefusedError)) throw failure;
  try {
    return (await write(user, { ...credential, username: user.username })).value;
  } catch (error) {
    // Revoked between the check just made and the write: as if it had been before.
    if (error instanceof CredentialRefusedError)
      throw new UnauthorizedError("The API token is unknown or revoked.");
    throw error;
  }
}

/**
 * Authenticates an API call: by `Authorization: Bearer <token>` when the header is there, otherwise by
 * the browser session that `sessionUser` already checked. A session call that changes state must carry
 * the session's CSRF token in `X-CSRF-Token`, whatever its content type; a bearer call needs none,
 * because no browser attaches a bearer token on its own.
 */
export function apiUser(
  accounts: AccountService,
  csrfHeader: RequestHandler,
  known?: KnownTokens,
): RequestHandler {
  const bearer = bearerUser(accounts, known);
  return (req, res, next) => {
    if (req.get("authorization") !== undefined) {
      // Its write checks it (tokenCheckedByWrite).
      if (req.credential) return next();
      // The token decides, not a session cookie that happens to come along.
      req.user = undefined;
      return bearer(req, res, next);
    }
    if (!req.user && req.accountDisabled) return next(accountDisabled());
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
  // A session whose account was disabled: said on the page, not a sign-in form that would refuse it.
  if (req.accountDisabled) {
    next(accountDisabled());
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
  if (!req.user && req.accountDisabled) throw accountDisabled();
  if (!req.user) throw new UnauthorizedError();
  if (!can(req.user, action)) throw new ForbiddenError();
  return req.user;
}
