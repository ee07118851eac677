/** Synchronizer-token CSRF protection (csrf-sync): the token lives in the session. */

import { csrfSync } from "csrf-sync";
import type { Request, RequestHandler } from "express";

export interface Csrf {
  /** Rejects a state-changing request without the session's token: 403. */
  protect: RequestHandler;
  /**
   * For the API called from a page: only the `X-CSRF-Token` header counts, never a body field, so a
   * form posted from another site cannot carry one in any content type.
   */
  protectHeader: RequestHandler;
  /** The session's token, for forms (`_csrf`) and scripts (`X-CSRF-Token`). */
  token(req: Request): string;
}

export function createCsrf(): Csrf {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const fromBody = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      return typeof fromBody === "string" ? fromBody : req.get("x-csrf-token");
    },
    // 128 random bits (OWASP's floor for session-bound tokens), and short: every row of a long
    // editor page repeats it in its no-script form.
    size: 16,
    errorConfig: { statusCode: 403, code: "EBADCSRFTOKEN", message: "invalid csrf token" },
  });
  const header = csrfSync({
    getTokenFromRequest: (req) => req.get("x-csrf-token"),
    size: 16,
    errorConfig: { statusCode: 403, code: "EBADCSRFTOKEN", message: "invalid csrf token" },
  });
  return {
    protect: csrfSynchronisedProtection,
    protectHeader: header.csrfSynchronisedProtection,
    token: (req) => req.session.csrfToken ?? generateToken(req),
  };
}
