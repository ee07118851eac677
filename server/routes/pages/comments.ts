/**
 * Comment threads and the inbox as pages: forms that work without JavaScript (POST, then a redirect
 * back to where the form was), and the thread as a fragment the editor's script shows inline.
 */

import type { Request, Response } from "express";
import { Router } from "express";
import { z } from "zod";
import { type Comment, textSegments } from "../../../translations/comment.ts";
import { displayTitle } from "../../../translations/document.ts";
import { GlosaError, ValidationError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import type { PageContext } from "./index.ts";

/** Where a comment form returns: the editor row, the thread page, the review card or the inbox. */
const RETURNS = ["editor", "thread", "review", "inbox"] as const;
type Return = (typeof RETURNS)[number];
const LANG = /^[A-Za-z0-9-]{1,35}$/;

const createSchema = z.object({
  text: z.string().max(8000),
  scope: z.enum(["translation", "source"]).optional(),
  return: z.enum(RETURNS).optional(),
});
/** The inbox's two lists page apart: `?mentions=` and `?queries=` carry each one's cursor. */
const inboxQuerySchema = z.object({
  mentions: z.string().min(1).max(400).optional(),
  queries: z.string().min(1).max(400).optional(),
});

const actionSchema = z.object({
  lang: z.string().regex(LANG),
  return: z.enum(RETURNS).optional(),
  text: z.string().max(8000).optional(),
  resolved: z.enum(["true", "false"]).optional(),
});

function backTo(
  where: Return | undefined,
  docId: string,
  lang: string,
  pid: string,
  commentId?: string,
): string {
  const base = `/documents/${encodeURIComponent(docId)}/${encodeURIComponent(lang)}`;
  switch (where) {
    case "editor":
      return `${base}#p-${encodeURIComponent(pid)}`;
    case "review":
      return `${base}/review#r-${encodeURIComponent(pid)}`;
    case "inbox":
      return "/inbox";
    default:
      return `${base}/paragraphs/${encodeURIComponent(pid)}/comments${commentId ? `#comment-${commentId}` : ""}`;
  }
}

export function commentRoutes({ services }: PageContext): Router {
  const router = Router();
  const { comments, translations } = services;
  const commentSegments = (c: Comment) => textSegments(c.text, c.mentions);

  /** The thread page; with `?panel=1` only the thread, for the editor's inline panel. */
  router.get("/documents/:id/:lang/paragraphs/:pid/comments", async (req, res) => {
    authorize(req, "document.read");
    const { id, lang: tag, pid } = req.params;
    const { doc, lang, paragraph } = await translations.paragraph(id, tag, pid);
    const panel = req.query.panel === "1";
    res.render(panel ? "comments/thread" : "comments/page", {
      doc,
      lang,
      pid: paragraph.id,
      paragraphNumber: paragraph.index + 1,
      source: paragraph.source,
      thread: await comments.thread(doc.id, lang, pid),
      back: panel ? "editor" : "thread",
      commentSegments,
    });
  });

  router.post("/documents/:id/:lang/paragraphs/:pid/comments", async (req, res) => {
    const user = authorize(req, "comment.write");
    const { id, lang, pid } = req.params;
    const body = parse(createSchema, req.body);
    await flashOnError(req, async () => {
      await comments.create(id, lang, pid, body, user.username);
      req.session.flash = [{ kind: "ok", message: req.t("comments.posted") }];
    });
    res.redirect(303, backTo(body.return, id, lang, pid));
  });

  const act =
    (
      run: (comment: Comment, body: z.output<typeof actionSchema>, req: Request) => Promise<unknown>,
      done: string | ((body: z.output<typeof actionSchema>) => string),
    ) =>
    async (req: Request, res: Response) => {
      authorize(req, "comment.write");
      const body = parse(actionSchema, req.body);
      const comment = await comments.get(String(req.params.id));
      await flashOnError(req, async () => {
        await run(comment, body, req);
        req.session.flash = [{ kind: "ok", message: req.t(typeof done === "string" ? done : done(body)) }];
      });
      res.redirect(303, backTo(body.return, comment.documentId, body.lang, comment.pid, comment.id));
    };

  router.post(
    "/comments/:id/edit",
    act(
      (c, body, req) => comments.update(c.id, { text: body.text ?? "" }, authorize(req, "comment.write")),
      "comments.edited_ok",
    ),
  );
  router.post(
    "/comments/:id/resolve",
    act(
      (c, body, req) =>
        comments.update(c.id, { resolved: body.resolved !== "false" }, authorize(req, "comment.write")),
      (body) => (body.resolved === "false" ? "comments.reopened_ok" : "comments.resolved_ok"),
    ),
  );
  router.post(
    "/comments/:id/delete",
    act((c, _body, req) => comments.remove(c.id, authorize(req, "comment.write")), "comments.deleted_ok"),
  );

  router.get("/inbox", async (req, res) => {
    const user = authorize(req, "document.read");
    const cursors = parse(inboxQuerySchema, req.query);
    const { mentions, queries, counts } = await comments.inbox(user, cursors);
    const titles: Record<string, string> = {};
    const paragraphNumbers: Record<string, number> = {};
    for (const c of [...mentions.comments, ...queries.comments]) {
      if (c.documentId in titles) continue;
      const doc = await translations.getDocument(c.documentId).catch(() => undefined);
      titles[c.documentId] = doc ? displayTitle(doc) : c.documentId;
      for (const p of doc?.paragraphs ?? []) paragraphNumbers[`${doc?.id}/${p.id}`] = p.index + 1;
    }
    // Each list pages on its own: a link moves one list's cursor and keeps the other's.
    const pageLink = (list: "mentions" | "queries", cursor: string | undefined) =>
      `/inbox?${new URLSearchParams(
        Object.entries({ ...cursors, [list]: cursor }).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      )}`;
    res.render("comments/inbox", {
      mentions,
      queries,
      counts,
      pages: {
        mentions: {
          next: mentions.next && pageLink("mentions", mentions.next),
          newest: cursors.mentions ? pageLink("mentions", undefined) : undefined,
        },
        queries: {
          next: queries.next && pageLink("queries", queries.next),
          newest: cursors.queries ? pageLink("queries", undefined) : undefined,
        },
      },
      titles,
      paragraphNumbers,
      commentSegments,
    });
  });

  return router;
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw new ValidationError(
      "The form is not valid.",
      z.flattenError(result.error).fieldErrors,
      "invalid_request",
    );
  return result.data;
}

/** A refused text (empty, too long, too many comments) goes back as a message on the page it came from. */
async function flashOnError(req: Request, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof GlosaError) || (error.kind !== "validation" && error.kind !== "conflict"))
      throw error;
    req.session.flash = [{ kind: "error", message: messageFor(req, error) }];
  }
}
