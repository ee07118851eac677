/** Paragraph comments and source queries (api-v1.md "Comments", docs/api.md). */

import type { Request } from "express";
import { Router } from "express";
import { z } from "zod";
import { type Comment, MAX_COMMENT_LENGTH } from "../../../translations/comment.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
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

  router.get(thread, async (req, res) => {
    authorize(req, "document.read");
    res.json({ comments: (await comments.thread(...params(req))).map(commentJson) });
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
