/** Live editors: the event stream of a document's translation, and where its reader is (server/live.ts). */

import { type Request, Router } from "express";
import { z } from "zod";
import { GlosaError } from "../../../translations/errors.ts";
import type { User } from "../../accounts/model.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { type StreamAuth, TooManyStreamsError } from "../../live.ts";
import { parseBody } from "./validate.ts";

const focusSchema = z.object({
  connection: z.string().min(1).max(64),
  pid: z.string().min(1).max(64).nullable(),
});

export function liveApi({ live, translations, accounts }: Services): Router {
  const router = Router();
  const base = "/documents/:docId/translations/:lang";

  /** Who the stream reads as: it lives on after this request, and is checked at every heartbeat. */
  function streamAuth(req: Request, user: User): StreamAuth {
    const header = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];
    const sessionId = header ? undefined : req.sessionID;
    const stillValid = header
      ? async () => (await accounts.userForToken(header)) !== null
      : () => live.sessionValid(sessionId as string, user.username);
    return { sessionId, stillValid };
  }

  router.get(`${base}/events`, async (req, res) => {
    const user = authorize(req, "document.read");
    // 404 for an unknown document or language, before any stream starts.
    const { doc, lang } = await translations.resolve(String(req.params.docId), String(req.params.lang));
    await bounded(live.open(res, doc.id, lang, user, streamAuth(req, user)));
  });

  router.get("/review/events", async (req, res) => {
    const user = authorize(req, "translation.review");
    await bounded(live.openQueue(res, user, streamAuth(req, user)));
  });

  router.post(`${base}/presence`, async (req, res) => {
    const user = authorize(req, "document.read");
    const body = parseBody(focusSchema, req.body);
    // The paragraph must be one of this document's (404 otherwise): others are shown its number.
    const { doc, lang } =
      body.pid === null
        ? await translations.resolve(String(req.params.docId), String(req.params.lang))
        : await translations.paragraph(String(req.params.docId), String(req.params.lang), body.pid);
    if (!live.focus(user, doc.id, lang, body.connection, body.pid))
      throw new GlosaError(
        "not_found",
        "stream_not_found",
        "No open live view of yours has that connection id.",
      );
    res.status(204).end();
  });

  return router;
}

/** A stream that would pass a bound is a 429 with the time to wait. */
async function bounded(opening: Promise<void>): Promise<void> {
  try {
    await opening;
  } catch (error) {
    if (!(error instanceof TooManyStreamsError)) throw error;
    throw new GlosaError(
      "rate_limited",
      "too_many_streams",
      "Too many live views are open for this user: close some tabs first.",
      { retryAfter: 30 },
    );
  }
}
