import type { Request, Response } from "express";
import { Router } from "express";
import { z } from "zod";
import { GlossaryFormatError } from "../../../glossary/exchange.ts";
import { canonicalLang } from "../../../glossary/language.ts";
import { foldWord, stemmerFor, tokenize } from "../../../glossary/normalize.ts";
import type { Term } from "../../../glossary/term.ts";
import { slicer } from "../../../glossary/xml.ts";
import { GlosaError, ValidationError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import { headOf } from "../../parse-pool.ts";
import { sendDownloadChunks } from "../download.ts";
import { type SaidProblem, sayFileProblem, sayImportProblem } from "./glossary-problem.ts";
import type { PageContext } from "./index.ts";
import {
  fieldErrors,
  formMessage,
  formValues,
  prefilledValues,
  termValues,
  toTermInput,
} from "./term-form.ts";
import { emptyFileName, oversizedFile, sayOversized, upload, uploadedBytes } from "./upload.ts";

const SORTS = ["source", "target"] as const;

/** An import's report as the page shows it, each problem in the reader's language. */
interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: (SaidProblem & { where: string })[];
  ignored: string[];
}

/** Terms on one page of the glossary list. */
export const GLOSSARY_PAGE_SIZE = 100;

// Each term's texts folded for search, kept while the term object lives (an edit makes a new one).
const folded = new WeakMap<Term, string[]>();

function foldedTexts(term: Term): string[] {
  let texts = folded.get(term);
  if (!texts) {
    texts = [
      term.source,
      term.description,
      ...Object.values(term.targets).flatMap((t) => [t.text, ...t.forbidden]),
    ].map(foldWord);
    folded.set(term, texts);
  }
  return texts;
}

/**
 * Terms whose source, targets, forbidden forms or note contain `q` (accent- and case-insensitively),
 * a slice of the glossary per turn of the event loop: folding 50,000 terms' texts takes a while.
 */
/** The most words a search compares as words, inflected or not. */
const MAX_QUERY_WORDS = 12;

// Each term's words by language, stemmed as the glossary's matcher stems them ("lang\u0000stem").
const stemmed = new WeakMap<Term, Set<string>>();

function stemsOf(term: Term): Set<string> {
  let stems = stemmed.get(term);
  if (!stems) {
    stems = new Set();
    const add = (text: string, lang: string) => {
      const stem = stemmerFor(lang);
      for (const token of tokenize(text)) stems?.add(`${lang}\u0000${stem(foldWord(token.surface))}`);
    };
    add(term.source, term.sourceLang);
    for (const [lang, target] of Object.entries(term.targets)) add(target.text, lang);
    stemmed.set(term, stems);
  }
  return stems;
}

/**
 * Whether every word of the query is one of the term's words in one of its languages, inflected or
 * not ("chainsaws" finds "chainsaw", "motosierras" finds "motosierra"). `keysIn` gives the query's
 * words as stemmed in a language, made once per language for the whole search.
 */
function holdsWords(term: Term, keysIn: (lang: string) => readonly string[]): boolean {
  const stems = stemsOf(term);
  const langs = [term.sourceLang, ...Object.keys(term.targets)];
  const count = keysIn(term.sourceLang).length;
  for (let i = 0; i < count; i++)
    if (!langs.some((lang) => stems.has(keysIn(lang)[i] as string))) return false;
  return true;
}

/**
 * The terms whose texts hold the query (case and accents folded), or whose words are the query's,
 * inflected or not; only those translated into `lang` (or written in it) when it is given.
 */
export async function searchTerms(terms: readonly Term[], q: string, lang?: string): Promise<Term[]> {
  const needle = foldWord(q.trim());
  // A term is a few words: a longer query is matched as text only (and costs no stemming per term).
  const distinct = [...new Set(tokenize(q).map((token) => foldWord(token.surface)))];
  const words = distinct.length <= MAX_QUERY_WORDS ? distinct : [];
  const keys = new Map<string, string[]>();
  const keysIn = (lang: string) => {
    let made = keys.get(lang);
    if (!made) {
      const stem = stemmerFor(lang);
      made = words.map((word) => `${lang}\u0000${stem(word)}`);
      keys.set(lang, made);
    }
    return made;
  };
  const pause = slicer();
  const found: Term[] = [];
  for (const term of terms) {
    if (lang && !term.targets[lang] && term.sourceLang !== lang) continue;
    if (
      !needle ||
      foldedTexts(term).some((s) => s.includes(needle)) ||
      (words.length > 0 && holdsWords(term, keysIn))
    )
      found.push(term);
    await pause();
  }
  return found;
}

const pageSchema = z.coerce.number().int().min(1).max(1_000_000).default(1);

export function glossaryRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();

  // The list in each order asked for, kept for the glossary version it was sorted at: sorting
  // 50,000 terms with a collator takes ~0.1 s, too long to repeat for every page.
  const sorts = new Map<string, Term[]>();
  function sortedTerms(
    all: readonly Term[],
    version: number,
    locale: string,
    sort: string,
    targetLang: string,
  ): Term[] {
    const key = [version, locale, sort, targetLang].join("\u0000");
    let sorted = sorts.get(key);
    if (!sorted) {
      const collator = new Intl.Collator(locale, { sensitivity: "base" });
      const text = (term: Term) => (sort === "target" ? (term.targets[targetLang]?.text ?? "") : term.source);
      // Each term's sort text read once, not twice per comparison.
      const keyed = all.map((term) => ({ term, text: text(term) }));
      keyed.sort((a, b) => collator.compare(a.text, b.text));
      sorted = keyed.map((k) => k.term);
      if (sorts.size >= 8) sorts.clear();
      sorts.set(key, sorted);
    }
    return sorted;
  }

  async function renderList(req: Request, res: Response, report: unknown = null) {
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 200) : "";
    const lang =
      typeof req.query.lang === "string" && req.query.lang
        ? (canonicalLang(req.query.lang) ?? undefined)
        : undefined;
    const sort = (SORTS as readonly string[]).includes(String(req.query.sort))
      ? String(req.query.sort)
      : "source";
    const page = pageSchema.safeParse(req.query.page ?? undefined);
    if (!page.success)
      throw new ValidationError(
        "page must be a page number (1, 2, ...).",
        { page: "invalid" },
        "invalid_fields",
      );
    const all = await services.glossary.list();
    const languages = [...new Set(all.flatMap((t) => Object.keys(t.targets)))].sort();
    const shownLangs = lang ? [lang] : languages;
    const sorted = sortedTerms(all, services.glossary.version, req.language, sort, shownLangs[0] ?? "");
    const found = await searchTerms(sorted, q, lang);
    // Only a page of the terms found is rendered: the whole 20,000-term list was a 5.6 MB page.
    const pages = Math.max(1, Math.ceil(found.length / GLOSSARY_PAGE_SIZE));
    const current = Math.min(page.data, pages);
    const terms = found.slice((current - 1) * GLOSSARY_PAGE_SIZE, current * GLOSSARY_PAGE_SIZE);
    const link = (n: number) =>
      `/glossary?${new URLSearchParams({ ...(q ? { q } : {}), ...(lang ? { lang } : {}), sort, page: String(n) })}`;
    res.render("glossary/list", {
      terms,
      found: found.length,
      pager: {
        size: GLOSSARY_PAGE_SIZE,
        ...(current > 1 ? { previous: link(current - 1) } : {}),
        ...(current < pages ? { next: link(current + 1) } : {}),
      },
      page: current,
      pages,
      total: all.length,
      q,
      lang: lang ?? "",
      sort,
      languages,
      shownLangs,
      report,
    });
  }

  router.get("/glossary", async (req, res) => {
    authorize(req, "glossary.read");
    await renderList(req, res);
  });

  router.get("/glossary/export", async (req, res) => {
    authorize(req, "glossary.read");
    const lang =
      typeof req.query.lang === "string" && req.query.lang
        ? (canonicalLang(req.query.lang) ?? undefined)
        : undefined;
    await sendDownloadChunks(
      res,
      await services.glossary.exportFile(req.query.format === "tbx" ? "tbx" : "csv", lang),
    );
  });

  /** A glossary file uploaded in the browser: CSV or TBX by its name or content, with a report. */
  const importUpload = upload("file", config.importLimit, csrf, { sayOversized: true });
  router.post("/glossary/import", ...importUpload, async (req, res) => {
    const user = authorize(req, "glossary.edit");
    const text = uploadedBytes(req.file);
    const fileName = req.file?.originalname ?? "";
    const name = fileName.toLowerCase();
    let report: ImportReport | { error: SaidProblem };
    const empty = emptyFileName(req.file);
    const oversized = oversizedFile(req);
    if (oversized) report = { error: { text: sayOversized(req, oversized), reasons: [] } };
    else if (!text)
      report = {
        error: {
          text: empty ? req.t("glossary.import_file_empty", { name: empty }) : req.t("glossary.import_empty"),
          reasons: [],
        },
      };
    else {
      const sourceLang = canonicalLang(String(req.body?.sourceLang ?? "en")) ?? "en";
      const targetLang = canonicalLang(String(req.body?.targetLang ?? "es")) ?? "es";
      const isTbx = name.endsWith(".tbx") || name.endsWith(".xml") || /^\s*<(\?xml|tbx)/.test(headOf(text));
      try {
        const result = isTbx
          ? await services.glossary.importTbx(text, user.username, fileName)
          : await services.glossary.importCsv(text, { sourceLang, targetLang }, user.username, fileName);
        report = { ...result, errors: result.errors.map((e) => sayImportProblem(req, e)) };
      } catch (error) {
        // A file that is no text at all (not UTF-8, binary) is refused by the reader before any
        // glossary rule: said on this page too, its form ready, not on an error page of its own.
        if (!(error instanceof GlossaryFormatError)) {
          if (!(error instanceof GlosaError) || error.kind !== "validation") throw error;
          report = { error: { text: messageFor(req, error), reasons: [] } };
          res.status(400);
          return renderList(req, res, report);
        }
        const { code, params, reasons, message } = error;
        report = {
          error: sayFileProblem(
            req,
            { code, params, message, ...(reasons ? { reasons } : {}) },
            error.line,
            fileName,
          ),
        };
      }
    }
    res.status(oversized ? 413 : "error" in report ? 400 : 200);
    await renderList(req, res, report);
  });

  router.get("/glossary/terms/new", (req, res) => {
    authorize(req, "glossary.edit");
    res.render("glossary/term", {
      term: null,
      values: prefilledValues(req.query),
      errors: {},
      usage: null,
      previous: [],
    });
  });

  router.post("/glossary/terms", async (req, res) => {
    const user = authorize(req, "glossary.edit");
    const values = formValues(req.body);
    try {
      const term = await services.glossary.create(toTermInput(values), user.username);
      req.session.flash = [{ kind: "ok", message: req.t("glossary.created", { term: term.source }) }];
      res.redirect(303, `/glossary#term-${term.id}`);
    } catch (error) {
      // A duplicate term is a conflict, shown in the form like an invalid field.
      if (!(error instanceof GlosaError) || (error.kind !== "validation" && error.kind !== "conflict"))
        throw error;
      res.status(error.kind === "conflict" ? 409 : 400).render("glossary/term", {
        term: null,
        values,
        errors: { ...fieldErrors(error), form: formMessage(req, error, values) },
        usage: null,
        previous: [],
      });
    }
  });

  /** A term: its form, and the paragraphs that still use a previous target or a forbidden form. */
  router.get("/glossary/terms/:id", async (req, res) => {
    authorize(req, "glossary.read");
    const term = await services.glossary.get(req.params.id);
    const previous = [req.query.was ?? []]
      .flat()
      .map(String)
      .map((w) => ({ lang: w.slice(0, w.indexOf(":")), text: w.slice(w.indexOf(":") + 1) }))
      .filter((w) => canonicalLang(w.lang) && w.text);
    const forbidden = Object.entries(term.targets).flatMap(([lang, t]) =>
      t.forbidden.map((text) => ({ lang, text })),
    );
    const usage = await services.usage.find([...previous, ...forbidden]);
    res.render("glossary/term", { term, values: termValues(term), errors: {}, usage, previous });
  });

  router.post("/glossary/terms/:id", async (req, res) => {
    const user = authorize(req, "glossary.edit");
    const before = await services.glossary.get(req.params.id);
    const values = formValues(req.body);
    try {
      const term = await services.glossary.update(before.id, toTermInput(values), user.username);
      // Old targets that changed: the term page lists the paragraphs still using them.
      const was = Object.entries(before.targets)
        .filter(([lang, t]) => t.text && term.targets[lang]?.text !== t.text)
        .map(([lang, t]) => `was=${encodeURIComponent(`${lang}:${t.text}`)}`);
      req.session.flash = [{ kind: "ok", message: req.t("glossary.updated", { term: term.source }) }];
      res.redirect(303, `/glossary/terms/${term.id}${was.length ? `?${was.join("&")}` : ""}`);
    } catch (error) {
      // A duplicate term is a conflict, shown in the form like an invalid field.
      if (!(error instanceof GlosaError) || (error.kind !== "validation" && error.kind !== "conflict"))
        throw error;
      res.status(error.kind === "conflict" ? 409 : 400).render("glossary/term", {
        term: before,
        values,
        errors: { ...fieldErrors(error), form: formMessage(req, error, values) },
        usage: null,
        previous: [],
      });
    }
  });

  /** Deleting asks first: without JavaScript, through a confirmation page. */
  router.post("/glossary/terms/:id/delete", async (req, res) => {
    const user = authorize(req, "glossary.edit");
    const term = await services.glossary.get(req.params.id);
    if (req.body?.confirm !== "yes") {
      res.render("glossary/delete", { term });
      return;
    }
    await services.glossary.remove(term.id, user.username);
    req.session.flash = [{ kind: "ok", message: req.t("glossary.deleted", { term: term.source }) }];
    res.redirect(303, "/glossary");
  });

  return router;
}
