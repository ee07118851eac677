/** Statistics (docs/api.md): the same numbers as the Statistics page, as JSON or CSV. */

import type { Request } from "express";
import { Router } from "express";
import { z } from "zod";
import { canonicalLang } from "../../../glossary/language.ts";
import { ValidationError } from "../../../translations/errors.ts";
import { GROUPS, type GroupBy, type StatsFilter } from "../../../translations/stats.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { statsCsv } from "../../services/stats.ts";
import { parseBody } from "./validate.ts";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "not a YYYY-MM-DD date")
  // A calendar day: 2026-02-30 or 9999-99-99 is not one (Date would roll it over).
  .refine((d) => {
    const date = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(d);
  }, "not a calendar day");
const statsQuerySchema = z
  .object({
    groupBy: z.enum(GROUPS as [GroupBy, ...GroupBy[]]).optional(),
    document: z.string().max(64).optional(),
    lang: z.string().max(35).optional(),
    user: z.string().max(64).optional(),
    from: day.optional().or(z.literal("")),
    to: day.optional().or(z.literal("")),
    format: z.enum(["json", "csv"]).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "after `to`", path: ["from"] });

/** The statistics query of a request (`?groupBy=&document=&lang=&user=&from=&to=`); empty fields are no filter. */
export function statsQuery(req: Request): { groupBy: GroupBy; filter: StatsFilter; format: "json" | "csv" } {
  const q = parseBody(statsQuerySchema, req.query);
  const filter: StatsFilter = {};
  if (q.document) filter.documentId = q.document;
  if (q.lang) {
    const lang = canonicalLang(q.lang);
    if (!lang) throw new ValidationError("Unknown language.", { lang: "invalid" }, "invalid_language");
    filter.lang = lang;
  }
  if (q.user) filter.user = q.user;
  if (q.from) filter.from = q.from;
  if (q.to) filter.to = q.to;
  return { groupBy: q.groupBy ?? "user", filter, format: q.format ?? "json" };
}

export function statsApi({ stats }: Services): Router {
  const router = Router();
  router.get("/stats", async (req, res) => {
    authorize(req, "stats.read");
    const { groupBy, filter, format } = statsQuery(req);
    const result = await stats.compute(groupBy, filter);
    if (format === "csv") {
      res.attachment(`glosa-stats-${groupBy}.csv`).type("text/csv; charset=utf-8").send(statsCsv(result));
      return;
    }
    res.json(result);
  });
  return router;
}
