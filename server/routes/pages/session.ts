import { type ErrorRequestHandler, type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import { GlosaError } from "../../../translations/errors.ts";
import { safeNext } from "../../auth.ts";
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
