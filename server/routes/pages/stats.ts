/**
 * The Statistics page (editors and admins): filters as a GET form, a server-rendered SVG chart
 * (no script), the same numbers as a table, and a CSV download of them.
 */

import { Router } from "express";
import { displayTitle } from "../../../translations/document.ts";
import { GROUPS, type StatsRow } from "../../../translations/stats.ts";
import { authorize } from "../../auth.ts";
import { statsCsv } from "../../services/stats.ts";
import { statsQuery } from "../api/stats.ts";
import type { PageContext } from "./index.ts";

const KINDS = ["translated", "reviewed", "approved"] as const;

/** Bars of the chart: one group per row, one bar per kind, widths against the largest. */
export interface ChartBar {
  kind: (typeof KINDS)[number];
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface Chart {
  width: number;
  height: number;
  labelWidth: number;
  /** Labels above their bars (a phone's narrow layout), not beside them. */
  labelsAbove: boolean;
  groups: { key: string; y: number; labelY: number; bars: ChartBar[] }[];
}

/**
 * Lays out a horizontal grouped bar chart of the rows (at most 40 groups: the table has the rest):
 * labels beside the bars, or, `narrow`, above them, so that a phone's 20 rem shows every bar and its
 * value at a readable size without scrolling sideways.
 */
export function chartOf(rows: readonly StatsRow[], narrow = false): Chart {
  const labelWidth = narrow ? 0 : 170;
  const label = narrow ? 18 : 0;
  const plot = narrow ? 240 : 400;
  const bar = 16;
  const gap = 14;
  const shown = rows.slice(0, 40);
  const max = Math.max(1, ...shown.flatMap((r) => KINDS.map((k) => r[k].total)));
  const groupHeight = label + KINDS.length * bar + gap;
  const groups = shown.map((row, i) => {
    const y = i * groupHeight + gap / 2;
    return {
      key: row.key,
      y,
      labelY: narrow ? y + 13 : y + 28,
      bars: KINDS.map((kind, k) => ({
        kind,
        x: labelWidth,
        y: y + label + k * bar,
        width: Math.round((row[kind].total / max) * plot),
        height: bar - 1,
        value: row[kind].total,
      })),
    };
  });
  return {
    width: labelWidth + plot + 60,
    height: Math.max(groupHeight, shown.length * groupHeight + gap),
    labelWidth,
    labelsAbove: narrow,
    groups,
  };
}

export function statsRoutes({ services }: PageContext): Router {
  const router = Router();
  const { stats, translations } = services;

  router.get("/stats", async (req, res) => {
    authorize(req, "stats.read");
    const { groupBy, filter } = statsQuery(req);
    const [result, documents] = await Promise.all([
      stats.compute(groupBy, filter),
      translations.listDocuments(),
    ]);
    const titles = new Map(documents.map((d) => [d.id, displayTitle(d)]));
    const query = new URLSearchParams(
      Object.entries({
        groupBy,
        document: filter.documentId,
        lang: filter.lang,
        user: filter.user,
        from: filter.from,
        to: filter.to,
      }).flatMap(([k, v]) => (v ? [[k, v]] : [])),
    );
    res.render("stats/index", {
      title: req.t("stats.title"),
      result,
      chart: chartOf(result.rows),
      narrowChart: chartOf(result.rows, true),
      groups: GROUPS,
      kinds: KINDS,
      documents,
      languages: [...new Set(documents.flatMap((d) => d.languages))].sort(),
      labelOf: (key: string) => (groupBy === "document" ? (titles.get(key) ?? key) : key),
      csvHref: `/stats/download?${query}`,
    });
  });

  router.get("/stats/download", async (req, res) => {
    authorize(req, "stats.read");
    const { groupBy, filter } = statsQuery(req);
    const result = await stats.compute(groupBy, filter);
    res.attachment(`glosa-stats-${groupBy}.csv`).type("text/csv; charset=utf-8").send(statsCsv(result));
  });

  return router;
}
