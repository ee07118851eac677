/**
 * The translation memory's pages: concordance search (translators), TMX import and export (editors),
 * and "Fill exact matches" for a document's language. Plain forms: they work without scripts.
 */

import type { Request, Response } from "express";
import { Router } from "express";
import type { ConcordanceHit } from "../../../memory/index.ts";
import { placeholderRanges } from "../../../memory/placeholders.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { languagePair } from "../../services/memory.ts";
import { escapeHtml } from "../../views.ts";
import { sendDownloadChunks } from "../download.ts";
import type { PageContext } from "./index.ts";
import { upload, uploadedBytes } from "./upload.ts";

/** Hits the page shows at most. */
const PAGE_HITS = 50;

/** How an inline code's placeholder is named, as the editor names it (public/editor/memory.js). */
type Translate = (key: string, options: { n: string }) => string;

/**
 * A memory text with the given ranges in <mark>, every piece escaped, and each inline code's
 * placeholder (`{1}`, `{/1}`, `{2/}`, memory/placeholders.ts) drawn as the editor draws it: a token
 * with its number, named for a screen reader ("tag 1", "end of tag 1", "code 2"). A range never
 * marks inside a placeholder.
 */
export function markRanges(text: string, ranges: readonly [number, number][], t?: Translate): string {
  let html = "";
  let at = 0;
  for (const [start, end] of t ? placeholderRanges(text) : []) {
    html += marked(text, at, start, ranges) + codeToken(text.slice(start, end), t as Translate);
    at = end;
  }
  return html + marked(text, at, text.length, ranges);
}

/** `text` from `from` to `to`, escaped, with the parts of `ranges` inside in <mark>. */
function marked(text: string, from: number, to: number, ranges: readonly [number, number][]): string {
  let html = "";
  let at = from;
  for (const [start, end] of ranges) {
    const a = Math.max(start, at);
    const b = Math.min(end, to);
    if (b <= a) continue;
    html += `${escapeHtml(text.slice(at, a))}<mark>${escapeHtml(text.slice(a, b))}</mark>`;
    at = b;
  }
  return html + escapeHtml(text.slice(at, to));
}

function codeToken(placeholder: string, t: Translate): string {
  const [, end = "", n = "", alone = ""] = /^\{(\/?)(\d{1,5})(\/?)\}$/.exec(placeholder) ?? [];
  const label = escapeHtml(t(end ? "memory.code_end" : alone ? "memory.code" : "memory.code_start", { n }));
  const kind = end ? " memory-code-end" : alone ? "" : " memory-code-start";
  return `<span class="memory-code${kind}" role="img" aria-label="${label}" title="${label}">${n}</span>`;
}

const field = (value: unknown, fallback: string) =>
  typeof value === "string" && value.trim() ? value.trim().slice(0, 200) : fallback;

export function memoryRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();
  const { memory } = services;

  async function render(req: Request, res: Response, report: unknown = null) {
    const source = req.method === "GET" ? req.query : (req.body as Record<string, unknown>);
    const sourceLang = field(source.sourceLang, "en");
    const targetLang = field(source.targetLang, "es");
    const q = req.method === "GET" ? field(req.query.q, "") : "";
    let hits: ConcordanceHit[] = [];
    let error: string | null = null;
    if (q) {
      try {
        const [from, to] = languagePair(sourceLang, targetLang);
        hits = await memory.concordance(from, to, q, PAGE_HITS);
      } catch (e) {
        if (!(e instanceof GlosaError)) throw e;
        error = e.message;
        res.status(400);
      }
    }
    res.render("memory/index", { sourceLang, targetLang, q, hits, error, report, markRanges });
  }

  router.get("/memory", async (req, res) => {
    authorize(req, "document.read");
    await render(req, res);
  });

  router.post("/memory/import", ...upload("file", config.importLimit, csrf), async (req, res) => {
    const user = authorize(req, "memory.manage");
    const body = req.body as Record<string, unknown>;
    const text = uploadedBytes(req.file);
    try {
      if (!text) throw new GlosaError("validation", "no_file", req.t("memory.no_file"));
      const result = await memory.importTmx(
        text,
        field(body.sourceLang, ""),
        field(body.targetLang, ""),
        user.username,
      );
      await render(req, res, result);
    } catch (e) {
      if (!(e instanceof GlosaError) || e.kind !== "validation") throw e;
      res.status(400);
      await render(req, res, { error: e.message });
    }
  });

  router.get("/memory/export", async (req, res) => {
    authorize(req, "memory.manage");
    const [sourceLang, targetLang] = languagePair(
      field(req.query.sourceLang, ""),
      field(req.query.targetLang, ""),
    );
    await sendDownloadChunks(res, {
      chunks: await memory.exportTmx(sourceLang, targetLang),
      contentType: "application/x-tmx+xml; charset=utf-8",
      filename: `memory-${sourceLang}-${targetLang}.tmx`,
    });
  });

  router.post("/documents/:docId/:lang/fill-exact", async (req, res) => {
    const user = authorize(req, "translation.edit");
    const { docId, lang } = req.params;
    const filled = await memory.fillExactMatches(docId, lang, user.username);
    res.render("memory/filled", {
      filled,
      back: `/documents/${encodeURIComponent(docId)}/${encodeURIComponent(lang)}`,
    });
  });

  return router;
}
