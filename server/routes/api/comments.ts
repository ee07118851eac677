/** Paragraph comments and source queries (api-v1.md "Comments", docs/api.md). */

import type { Request } from "express";
import { Router } from "express";
import { z } from "zod";
import { type Comment, MAX_COMMENT_LENGTH } from "../../../translations/comment.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { readPage } from "../../services/paging.ts";
import { parseBody } from "./validate.ts";

const createSchema = z.object({
  text: z.string().max(MAX_COMMENT_LENGTH * 2),
  scope: z.enum(["translation", "source"]).optional(),
});
const updateSchema = z
  .object({
    text: z
      .string()
      .max(MAX_COMMENT_LENGTH * 2)
      .optional(),
    resolved: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.text !== undefined || b.resolved !== undefined, { message: "send text or resolved" });

/** Comments per page of a thread when only a cursor is given. */
const THREAD_PAGE = 50;
const threadQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "not an integer")
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional(),
  cursor: z.string().min(1).max(400).optional(),
});

/** A comment as the API shows it: the spec's fields, then what the project adds (docs/api.md). */
export function commentJson(c: Comment) {
  return {
    id: c.id,
    author: c.author,
    text: c.text,
    scope: c.scope,
    createdAt: c.createdAt,
    mentions: c.mentions,
    resolved: c.resolved,
    lang: c.lang,
    paragraphId: c.pid,
    documentId: c.documentId,
    ...(c.editedAt ? { editedAt: c.editedAt } : {}),
    ...(c.resolvedBy ? { resolvedBy: c.resolvedBy, resolvedAt: c.resolvedAt } : {}),
    history: c.history.map((h) => ({ text: h.text, action: h.action, by: h.by, at: h.at })),
  };
}

export function commentApi({ comments }: Services): Router {
  const router = Router();
  const thread = "/documents/:docId/translations/:lang/paragraphs/:pid/comments";
  const params = (req: Request) =>
    [req.params.docId, req.params.lang, req.params.pid] as [string, string, string];

  // Without `limit` and `cursor` the whole thread, as the spec shows (bounded per paragraph); with
  // either, a page and `next`, as the documents list (docs/api.md).
  router.get(thread, async (req, res) => {
    authorize(req, "document.read");
    const query = parseBody(threadQuery, req.query);
    if (query.limit === undefined && query.cursor === undefined) {
      res.json({ comments: (await comments.thread(...params(req))).map(commentJson) });
      return;
    }
    const page = await readPage(() =>
      comments.threadPage(...params(req), query.limit ?? THREAD_PAGE, query.cursor),
    );
    res.json({ comments: page.comments.map(commentJson), ...(page.next ? { next: page.next } : {}) });
  });

  router.post(thread, async (req, res) => {
    const user = authorize(req, "comment.write");
    const body = parseBody(createSchema, req.body);
    res.status(201).json(commentJson(await comments.create(...params(req), body, user.username)));
  });

  router.patch("/comments/:id", async (req, res) => {
    const user = authorize(req, "comment.write");
    const body = parseBody(updateSchema, req.body);
    res.json(commentJson(await comments.update(String(req.params.id), body, user)));
  });

  router.delete("/comments/:id", async (req, res) => {
    const user = authorize(req, "comment.write");
    await comments.remove(String(req.params.id), user);
    res.status(204).end();
  });

  return router;
}
