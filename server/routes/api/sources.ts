/**
 * Source updates (api-v1.md "Source versions"): replace a document's source with its next version,
 * or preview what that would do (`?dryRun=true`); list and read the kept versions.
 */

import { Router } from "express";
import { z } from "zod";
import { NotFoundError, ValidationError } from "../../../translations/errors.ts";
import type { SourcePlan } from "../../../translations/source-update.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { sendJsonInSlices } from "../json-slices.ts";
import { documentJson } from "./documents.ts";
import { parseBody } from "./validate.ts";

export const sourceSchema = z.object({
  format: z.enum(["text", "markdown"]),
  content: z.string().min(1).max(5_000_000),
  title: z.string().max(1000).optional(),
  baseVersion: z.number().int().min(1),
  /** Punctuation, quote and whitespace changes outdate translations too. */
  outdateTrivial: z.boolean().optional(),
});

/** The plan as the API shows it: each new paragraph's fate and what each language will need. */
export function planJson(plan: SourcePlan) {
  return {
    fromVersion: plan.baseVersion,
    version: plan.version,
    paragraphs: plan.paragraphs.map((p) => ({
      id: p.paragraph.id,
      index: p.paragraph.index,
      fate: p.fate,
      from: p.from,
      moved: p.moved,
      outdates: p.outdates,
      source: p.paragraph.source,
      ...(p.diff ? { changes: p.diff } : {}),
    })),
    removed: plan.removed.map((p) => ({ id: p.id, source: p.source })),
    languages: plan.languages,
  };
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined || value === "false" || value === "0") return false;
  if (value === "true" || value === "1" || value === "") return true;
  throw new ValidationError(`${name} must be true or false.`, { [name]: "not a boolean" }, "invalid_fields");
}

export function sourceApi({ translations }: Services): Router {
  const router = Router();

  router.put("/documents/:docId/source", async (req, res) => {
    const user = authorize(req, "document.update_source");
    // Strict: a misspelt or bracketed dryRun (`?dryRun[]=1`, `?dryrun=true`) would otherwise apply for real.
    const unknown = Object.keys(req.query).filter((k) => k !== "dryRun");
    if (unknown.length > 0)
      throw new ValidationError(
        `Unknown query parameter: ${unknown.slice(0, 3).join(", ").slice(0, 200)}. Only dryRun is read.`,
        Object.fromEntries(unknown.slice(0, 10).map((k) => [k.slice(0, 50), "unknown"])),
        "invalid_fields",
      );
    const dryRun = flag(req.query.dryRun, "dryRun");
    const body = parseBody(sourceSchema, req.body);
    const plan = await translations.updateSource(req.params.docId, body, user.username, { dryRun });
    // 20,000 paragraphs and their diffs are megabytes of JSON: written a slice per turn of the loop.
    await sendJsonInSlices(res, {
      document: documentJson(plan.document),
      changes: plan.changes,
      dryRun,
      plan: planJson(plan),
    });
  });

  router.get("/documents/:docId/source/versions", async (req, res) => {
    authorize(req, "document.read");
    const versions = await translations.sourceVersions(req.params.docId);
    res.json({
      versions: versions.map((v) => ({
        version: v.version,
        title: v.title,
        createdAt: v.createdAt,
        createdBy: v.createdBy,
        paragraphCount: v.paragraphs.length,
        ...(v.changes ? { changes: v.changes } : {}),
      })),
    });
  });

  router.get("/documents/:docId/source/versions/:version", async (req, res) => {
    authorize(req, "document.read");
    const versions = await translations.sourceVersions(req.params.docId);
    const found = versions.find((v) => String(v.version) === req.params.version);
    if (!found) throw new NotFoundError("Source version", "source_version_not_found");
    res.json({
      version: found.version,
      title: found.title,
      createdAt: found.createdAt,
      createdBy: found.createdBy,
      paragraphs: found.paragraphs.map((p) => ({ id: p.id, index: p.index, kind: p.kind, source: p.source })),
    });
  });

  return router;
}
