import { Router } from "express";
import { z } from "zod";
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
      res.render("login", { next: safeNext(req.query.next), username: "", failed: false });
    });
  });

  router.post("/login", csrf.protect, throttle.middleware, async (req, res, next) => {
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
      });
      return;
    }
    throttle.reset(req);
    // A new session id at sign-in, so that a planted id is worth nothing (session fixation).
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.username = user.username;
      req.session.signedInAt = Date.now();
      req.session.save((saveError) => (saveError ? next(saveError) : res.redirect(303, target)));
    });
  });

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
