import { Router } from "express";
import { authorize } from "../../auth.ts";
import type { Csrf } from "../../csrf.ts";

/**
 * Who is calling, and for a browser session its CSRF token: a page opened under a session that has
 * since ended, and signed in again in another tab, reads the new session's token here instead of
 * reloading (and losing what was typed in it). Same-origin only: no CORS header lets another site
 * read the answer.
 */
export function sessionApi(csrf: Csrf): Router {
  const router = Router();
  router.get("/session", (req, res) => {
    const user = authorize(req, "document.read");
    res.set("Cache-Control", "no-store");
    // A bearer call has no session to guard, and must not start one.
    const bearer = req.get("authorization") !== undefined;
    res.json({
      username: user.username,
      role: user.role,
      ...(bearer ? {} : { csrfToken: csrf.token(req) }),
    });
  });
  return router;
}
