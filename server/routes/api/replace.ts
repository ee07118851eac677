/**
 * Find and replace (docs/api.md): preview, apply, undo. Within one document × language any
 * translator may replace (each change is a save they could make by hand); across documents it
 * takes an editor.
 */

import type { Request } from "express";
import { Router } from "express";
import { z } from "zod";
import { NotFoundError } from "../../../translations/errors.ts";
import { MAX_QUERY_LENGTH } from "../../../translations/replace.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { MAX_CHOSEN, type ReplaceScope } from "../../services/replace.ts";
import { parseBody } from "./validate.ts";

const querySchema = z.object({
  lang: z.string().min(1).max(35),
  documentId: z.string().min(1).max(64).optional(),
  find: z.string().min(1).max(MAX_QUERY_LENGTH),
  replace: z.string().max(MAX_QUERY_LENGTH),
  matchCase: z.boolean().optional(),
  inflections: z.boolean().optional(),
});
const applySchema = querySchema.extend({
  occurrences: z.array(z.string().min(1).max(200)).min(1).max(MAX_CHOSEN),
});
const undoSchema = z.object({
  lang: z.string().min(1).max(35),
  /** Without `revisions`, the batch's revisions are found by its id in this document (or every document). */
  documentId: z.string().min(1).max(64).optional(),
  revisions: z
    .array(
      z.object({
        documentId: z.string().min(1).max(64),
        pid: z.string().min(1).max(64),
        revision: z.number().int().min(1),
      }),
    )
    .min(1)
    .max(MAX_CHOSEN)
    .optional(),
});

const batchesSchema = z.object({
  lang: z.string().min(1).max(35),
  documentId: z.string().min(1).max(64).optional(),
});

/** Translators within one document, editors across documents. */
export function authorizeScope(req: Request, documentIds: readonly (string | undefined)[]) {
  const one = documentIds.length > 0 && documentIds.every((id) => id !== undefined && id === documentIds[0]);
  return authorize(req, one ? "translation.edit" : "translation.replace_across");
}

export function scopeOf(body: { lang: string; documentId?: string | undefined }): ReplaceScope {
  return { lang: body.lang, ...(body.documentId !== undefined ? { documentId: body.documentId } : {}) };
}

export function queryOf(body: z.output<typeof querySchema>) {
  return {
    find: body.find,
    replace: body.replace,
    ...(body.matchCase !== undefined ? { matchCase: body.matchCase } : {}),
    ...(body.inflections !== undefined ? { inflections: body.inflections } : {}),
  };
}

export function replaceApi({ replace }: Services): Router {
  const router = Router();

  router.post("/replace/preview", async (req, res) => {
    authorizeScope(req, [req.body?.documentId]);
    const body = parseBody(querySchema, req.body);
    res.json(await replace.preview(scopeOf(body), queryOf(body)));
  });

  router.post("/replace/apply", async (req, res) => {
    const user = authorizeScope(req, [req.body?.documentId]);
    const body = parseBody(applySchema, req.body);
    res.json(await replace.apply(scopeOf(body), queryOf(body), body.occurrences, user.username));
  });

  router.get("/replace/batches", async (req, res) => {
    authorizeScope(req, [typeof req.query.documentId === "string" ? req.query.documentId : undefined]);
    const query = parseBody(batchesSchema, req.query);
    res.json({ batches: await replace.batches(scopeOf(query)) });
  });

  router.post("/replace/batches/:batch/undo", async (req, res) => {
    authorize(req, "translation.edit");
    const batch = String(req.params.batch);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(batch)) throw new NotFoundError("Batch", "batch_not_found");
    const body = parseBody(undoSchema, req.body);
    const named = body.revisions?.map((r) => r.documentId) ?? [body.documentId];
    const user = authorizeScope(req, body.documentId !== undefined ? [...named, body.documentId] : named);
    const revisions = body.revisions ?? (await replace.findBatch(batch, scopeOf(body)));
    if (revisions.length === 0) throw new NotFoundError("Batch", "batch_not_found");
    res.json(await replace.undo(batch, body.lang, revisions, user.username));
  });

  return router;
}
