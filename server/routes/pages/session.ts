import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type Response,
  Router,
} from "express";
import multer from "multer";
import { z } from "zod";
import { GlosaError } from "../../../translations/errors.ts";
import { safeNext } from "../../auth.ts";
import { UnauthorizedError } from "../../errors.ts";
import type { LoginThrottle } from "../../rate-limits.ts";
import type { PageContext } from "./index.ts";

const loginSchema = z.object({
  username: z.string().max(64),
  password: z.string().max(1024),
  next: z.string().max(2000).optional(),
});

export function sessionRoutes({ services, csrf }: PageContext, throttle: LoginThrottle): Router {
  const router = Router();

  router.get("/login", (req, res, next) => {
    if (req.user) return res.redirect(303, safeNext(req.query.next));
    // The form's token is good only once the session holding it is stored: saved before the page is
    // sent, a full disk answers 503 here rather than a form whose sign-in would fail the CSRF check.
    csrf.token(req);
    req.session.save((error) => {
      if (error) return next(error);
      res.render("login", { next: safeNext(req.query.next), username: "", failed: false, error: "" });
    });
  });

  /**
   * Throttled: the form again, with how long to wait, rather than an error page whose only way on is a
   * link to pages a signed-out reader cannot open.
   */
  const throttled: ErrorRequestHandler = (error, req, res, next) => {
    if (!(error instanceof GlosaError) || error.kind !== "rate_limited") return next(error);
    const seconds = (error.details as { retryAfter?: number } | undefined)?.retryAfter ?? 60;
    res.status(429).render("login", {
      next: safeNext(typeof req.body?.next === "string" ? req.body.next : undefined),
      username: typeof req.body?.username === "string" ? req.body.username.slice(0, 64) : "",
      failed: false,
      error: req.t("login.throttled", { count: Math.ceil(seconds / 60) }),
    });
  };

  router.post(
    "/login",
    csrf.protect,
    throttle.middleware,
    async (req: Request, res: Response, next: NextFunction) => {
      const parsed = loginSchema.safeParse(req.body);
      const target = safeNext(parsed.success ? parsed.data.next : undefined);
      const user = parsed.success
        ? await services.accounts.authenticate(parsed.data.username, parsed.data.password)
        : null;
      if (user === "disabled") {
        res.status(403).render("login", {
          next: target,
          username: parsed.success ? parsed.data.username : "",
          failed: false,
          error: req.t("errors.account_disabled"),
        });
        return;
      }
      if (!user) {
        res.status(401).render("login", {
          next: target,
          username: parsed.success ? parsed.data.username : "",
          failed: true,
          error: "",
        });
        return;
      }
      throttle.reset(req);
      // A new session id at sign-in, so that a planted id is worth nothing (session fixation).
      req.session.regenerate((error: unknown) => {
        if (error) return next(error);
        req.session.username = user.username;
        req.session.signedInAt = Date.now();
        req.session.save((saveError: unknown) => (saveError ? next(saveError) : res.redirect(303, target)));
      });
    },
    throttled,
  );

  router.post("/logout", csrf.protect, (req, res, next) => {
    // Live views of this session end with it (server/live.ts).
    services.live.endSession(req.sessionID);
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie("glosa.sid");
      res.redirect(303, "/login");
    });
  });

  return router;
}

/**
 * Form fields that carry the page's bookkeeping, not what the person wrote: an upload form's
 * languages and format are picked again with the file.
 */
const BOOKKEEPING = new Set([
  "action",
  "after",
  "baseRevision",
  "confirm",
  "current",
  "format",
  "intent",
  "next",
  "return",
  "revision",
  "sourceLang",
  "sourceVersion",
  "status",
  "targetLang",
]);
/** Secrets are never shown back, whatever the form: a shared screen or a cache must not show them. */
const SECRET = /pass|secret|token|key/i;
/** At most this many fields are shown back: a form a person fills holds one or two. */
const MAX_FIELDS = 5;

/** What a signed-out form post is shown back on its 401 page (views/error.ejs). */
export interface UnsentForm {
  /** The text fields the person filled, in the form's order. */
  texts: { name: string; value: string }[];
  /** The sign-in page, bringing them back to the page the form was on. */
  signIn: string;
  /** An upload form sent a file: it was not read, and must be chosen again. */
  fileLeft?: boolean;
}

/**
 * The page a form was sent from, from its Referer when that is this site (the Origin, when sent, too):
 * a relative path through safeNext, or "/" for anything else, so no other site can be sent back to.
 */
export function formPage(req: Request): string {
  const own = `${req.protocol}://${req.get("host") ?? ""}`;
  const origin = req.get("origin");
  if (origin !== undefined && origin !== own) return "/";
  const referer = req.get("referer");
  if (!referer) return "/";
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return "/";
  }
  if (url.origin !== own || url.pathname.startsWith("/login")) return "/";
  return safeNext(url.pathname + url.search);
}

/**
 * A page form posted after the session ended (registered right after requirePageUser, whose 401 it
 * reads): the 401 page shows the text that was sent, to copy, and a sign-in link back to the form's
 * page, rather than a dead end that drops the text. Only an ordinary form body is read, within the
 * pages' own limit; of an upload form (multipart), only its text fields before the file, within the
 * same limit: the file is never read for a stranger, and the page says to choose it again. A body
 * that cannot be read still gets the page, with the sign-in link and without the text.
 */
export function keepUnsentForm(bodyLimit: number): ErrorRequestHandler {
  const readForm = express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 200 });
  // No file at all: a chosen file's part stops the reading (LIMIT_UNEXPECTED_FILE), the fields
  // before it kept; an empty file input (nothing chosen) is passed over.
  const readUpload = multer({ limits: { fieldSize: bodyLimit, fields: 20, parts: 21 } }).none();
  return (error, req, res, next) => {
    if (!(error instanceof UnauthorizedError) || req.method !== "POST") return next(error);
    const upload = Boolean(req.is("multipart/form-data"));
    if (!upload && !req.is("application/x-www-form-urlencoded")) return next(error);
    (upload ? readUpload : readForm)(req, res, (parseError?: unknown) => {
      const back = formPage(req);
      const fileLeft = (parseError as { code?: string } | undefined)?.code === "LIMIT_UNEXPECTED_FILE";
      // Fields read before an upload's file are kept; an unreadable ordinary form shows none.
      const body: Record<string, unknown> = parseError && !fileLeft ? {} : { ...(req.body ?? {}) };
      const texts = Object.entries(body)
        .filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === "string" &&
            !entry[0].startsWith("_") &&
            !BOOKKEEPING.has(entry[0]) &&
            !SECRET.test(entry[0]) &&
            entry[1].trim() !== "" &&
            !/^\d+$/.test(entry[1].trim()),
        )
        .slice(0, MAX_FIELDS)
        .map(([name, value]) => ({ name, value }));
      const unsent: UnsentForm = {
        texts,
        signIn: `/login?next=${encodeURIComponent(back)}`,
        ...(fileLeft ? { fileLeft } : {}),
      };
      res.locals.unsent = unsent;
      next(error);
    });
  };
}
