/**
 * The translation memory's pages: concordance search (translators), TMX import and export (editors),
 * and "Fill exact matches" for a document's language. Plain forms: they work without scripts.
 */

import type { Request, Response } from "express";
import { Router } from "express";
import type { Problem } from "../../../glossary/problem.ts";
import { foldSource, isSameTerm, type Term } from "../../../glossary/term.ts";
import type { ConcordanceHit } from "../../../memory/index.ts";
import { codeRanges } from "../../../memory/placeholders.ts";
import { displayTitle } from "../../../translations/document.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import { languagePair } from "../../services/memory.ts";
import { escapeHtml } from "../../views.ts";
import { sendDownloadChunks } from "../download.ts";
import { sayFileProblem, sayProblem } from "./glossary-problem.ts";
import type { PageContext } from "./index.ts";
import { emptyFileName, oversizedFile, sayOversized, upload, uploadedBytes } from "./upload.ts";

/** Hits the page shows at most. */
const PAGE_HITS = 50;

/** How an inline code's placeholder is named, as the editor names it (public/editor/memory.js). */
type Translate = (key: string, options: { n: string }) => string;

/**
 * A memory text with the given ranges in <mark>, every piece escaped, and the placeholder of each of
 * its `codes` inline codes (`{1}`, `{/1}`, `{2/}`, memory/placeholders.ts) drawn as the editor draws
 * it: a token with its number, named for a screen reader ("tag 1", "end of tag 1", "code 2"). A text
 * without codes shows `{1}` as the text it is. A range never marks inside a placeholder.
 */
export function markRanges(
  text: string,
  ranges: readonly [number, number][],
  t?: Translate,
  codes = 0,
): string {
  let html = "";
  let at = 0;
  for (const [start, end] of t ? codeRanges(text, codes) : []) {
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

/**
 * The glossary's terms by language and folded source, made once per glossary list: the service
 * keeps one list until the glossary changes, and folding 20,000 sources costs ~50 ms.
 */
const termsByFold = new WeakMap<readonly Term[], Map<string, Map<string, Term[]>>>();

/**
 * The glossary's term a phrase found in a source already is (the duplicate rule of glossary/term.ts),
 * so that a hit links to it instead of offering a term the glossary would refuse.
 */
function termFinder(terms: readonly Term[], sourceLang: string): (phrase: string) => Term | undefined {
  let byLang = termsByFold.get(terms);
  if (!byLang) {
    byLang = new Map();
    termsByFold.set(terms, byLang);
  }
  let byFold = byLang.get(sourceLang);
  if (!byFold) {
    const made = new Map<string, Term[]>();
    for (const term of terms) {
      if (term.sourceLang !== sourceLang) continue;
      const key = foldSource(term.source);
      const same = made.get(key);
      if (same) same.push(term);
      else made.set(key, [term]);
    }
    byLang.set(sourceLang, made);
    byFold = made;
  }
  const found = byFold;
  return (phrase) =>
    phrase
      ? found
          .get(foldSource(phrase))
          ?.find((term) => isSameTerm(term, { ...term, source: phrase, caseSensitive: false }))
      : undefined;
}

const field = (value: unknown, fallback: string) =>
  typeof value === "string" && value.trim() ? value.trim().slice(0, 200) : fallback;

/** A refused file's reason in the reader's language: its problem's code when it has one, and where. */
function sayRefusal(req: Request, e: GlosaError, name?: string): string {
  const details = (e.details ?? {}) as { line?: number; problem?: Pick<Problem, "code" | "params"> };
  if (!details.problem) return messageFor(req, e);
  return sayFileProblem(req, { ...details.problem, message: e.message }, details.line, name).text;
}

export function memoryRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();
  const { memory } = services;

  /**
   * Hits whose documents' titles read as people read them (a Markdown title without its marks): the
   * memory keeps a document's title as stored, without its format, so the document is asked.
   */
  async function withDisplayTitles(hits: ConcordanceHit[]): Promise<ConcordanceHit[]> {
    const titles = new Map<string, string>();
    for (const { unit } of hits) {
      if (!unit.document || titles.has(unit.document.id)) continue;
      const doc = await services.translations.getDocument(unit.document.id).catch(() => undefined);
      titles.set(unit.document.id, doc ? displayTitle(doc) : unit.document.title);
    }
    return hits.map((hit) =>
      hit.unit.document
        ? {
            ...hit,
            unit: {
              ...hit.unit,
              document: {
                ...hit.unit.document,
                title: titles.get(hit.unit.document.id) ?? hit.unit.document.title,
              },
            },
          }
        : hit,
    );
  }

  async function render(req: Request, res: Response, report: unknown = null) {
    const source = req.method === "GET" ? req.query : (req.body as Record<string, unknown>);
    const sourceLang = field(source.sourceLang, "en");
    const targetLang = field(source.targetLang, "es");
    const q = req.method === "GET" ? field(req.query.q, "") : "";
    let hits: ConcordanceHit[] = [];
    let more = false;
    let termOf: (phrase: string) => Term | undefined = () => undefined;
    let error: string | null = null;
    if (q) {
      try {
        const [from, to] = languagePair(sourceLang, targetLang);
        // One more than is shown is asked for: when it comes, the page says there may be more.
        const found = await memory.concordance(from, to, q, PAGE_HITS + 1);
        more = found.length > PAGE_HITS;
        hits = found.slice(0, PAGE_HITS);
        if (hits.length > 0) termOf = termFinder(await services.glossary.list(), from);
      } catch (e) {
        if (!(e instanceof GlosaError)) throw e;
        error = messageFor(req, e);
        res.status(400);
      }
    }
    res.render("memory/index", {
      sourceLang,
      targetLang,
      q,
      hits: await withDisplayTitles(hits),
      more,
      termOf,
      error,
      report,
      markRanges,
    });
  }

  router.get("/memory", async (req, res) => {
    authorize(req, "document.read");
    await render(req, res);
  });

  const importUpload = upload("file", config.importLimit, csrf, { sayOversized: true });
  router.post("/memory/import", ...importUpload, async (req, res) => {
    const user = authorize(req, "memory.manage");
    const body = req.body as Record<string, unknown>;
    const text = uploadedBytes(req.file);
    const oversized = oversizedFile(req);
    if (oversized) {
      res.status(413);
      await render(req, res, { error: sayOversized(req, oversized) });
      return;
    }
    try {
      if (!text) {
        const empty = emptyFileName(req.file);
        if (empty)
          throw new GlosaError("validation", "empty_file", `${empty} is empty.`, {
            name: empty,
            context: "tmx",
          });
        throw new GlosaError("validation", "no_file", req.t("memory.no_file"));
      }
      const result = await memory.importTmx(
        text,
        field(body.sourceLang, ""),
        field(body.targetLang, ""),
        user.username,
        req.file?.originalname,
      );
      // Each unit left out says why in the reader's language.
      await render(req, res, {
        ...result,
        errors: result.errors.map((p) => ({ ...p, message: sayProblem(req, p).text })),
      });
    } catch (e) {
      if (!(e instanceof GlosaError) || e.kind !== "validation") throw e;
      res.status(400);
      // The file named (an empty one's sentence names it already).
      await render(req, res, { error: sayRefusal(req, e, req.file?.originalname || undefined) });
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
    const { filled, skipped } = await memory.fillExactMatches(docId, lang, user.username);
    // Post/Redirect/Get: a reload shows the editor again instead of filling a second time.
    req.session.flash = [
      {
        kind: "ok",
        message: filled > 0 ? req.t("memory.filled", { count: filled }) : req.t("memory.fill_nothing"),
      },
      // Matches whose text a save refuses were left out: said, so that the reader knows why.
      ...(skipped > 0
        ? [{ kind: "error" as const, message: req.t("memory.fill_skipped", { count: skipped }) }]
        : []),
    ];
    res.redirect(303, `/documents/${encodeURIComponent(docId)}/${encodeURIComponent(lang)}`);
  });

  return router;
}
