import type { Request, Response } from "express";
import { Router } from "express";
import { GlossaryFormatError } from "../../../glossary/exchange.ts";
import { canonicalLang } from "../../../glossary/language.ts";
import { foldWord } from "../../../glossary/normalize.ts";
import type { Term } from "../../../glossary/term.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import { sendDownloadChunks } from "../download.ts";
import { type SaidProblem, sayImportProblem, sayProblem } from "./glossary-problem.ts";
import type { PageContext } from "./index.ts";
import {
  fieldErrors,
  formMessage,
  formValues,
  prefilledValues,
  termValues,
  toTermInput,
} from "./term-form.ts";
import { upload, uploadedText } from "./upload.ts";

const SORTS = ["source", "target"] as const;

/** An import's report as the page shows it, each problem in the reader's language. */
interface ImportReport {
  created: number;
  updated: number;
  errors: (SaidProblem & { where: string })[];
  ignored: string[];
}

/** Terms whose source, targets, forbidden forms or note contain `q` (accent- and case-insensitively). */
export function searchTerms(terms: Term[], q: string, lang?: string): Term[] {
  const needle = foldWord(q.trim());
  return terms.filter((term) => {
    if (lang && !term.targets[lang] && term.sourceLang !== lang) return false;
    if (!needle) return true;
    const haystack = [
      term.source,
      term.description,
      ...Object.values(term.targets).flatMap((t) => [t.text, ...t.forbidden]),
    ];
    return haystack.some((s) => foldWord(s).includes(needle));
  });
}

export function glossaryRoutes({ services, config, csrf }: PageContext): Router {
  const router = Router();

  async function renderList(req: Request, res: Response, report: unknown = null) {
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 200) : "";
    const lang =
      typeof req.query.lang === "string" && req.query.lang
        ? (canonicalLang(req.query.lang) ?? undefined)
        : undefined;
    const sort = (SORTS as readonly string[]).includes(String(req.query.sort))
      ? String(req.query.sort)
      : "source";
    const all = await services.glossary.list();
    const languages = [...new Set(all.flatMap((t) => Object.keys(t.targets)))].sort();
    const shownLangs = lang ? [lang] : languages;
    const collator = new Intl.Collator(req.language, { sensitivity: "base" });
    const terms = searchTerms(all, q, lang).sort((a, b) =>
      sort === "target"
        ? collator.compare(
            a.targets[shownLangs[0] ?? ""]?.text ?? "",
            b.targets[shownLangs[0] ?? ""]?.text ?? "",
          )
        : collator.compare(a.source, b.source),
    );
    res.render("glossary/list", {
      terms,
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
  router.post("/glossary/import", ...upload("file", config.importLimit, csrf), async (req, res) => {
    const user = authorize(req, "glossary.edit");
    const text = uploadedText(req.file);
    const name = req.file?.originalname.toLowerCase() ?? "";
    let report: ImportReport | { error: SaidProblem };
    if (!text) report = { error: { text: req.t("glossary.import_empty"), reasons: [] } };
    else {
      const sourceLang = canonicalLang(String(req.body?.sourceLang ?? "en")) ?? "en";
      const targetLang = canonicalLang(String(req.body?.targetLang ?? "es")) ?? "es";
      const isTbx = name.endsWith(".tbx") || name.endsWith(".xml") || /^\s*<(\?xml|tbx)/.test(text);
      try {
        const result = isTbx
          ? await services.glossary.importTbx(text, user.username)
          : await services.glossary.importCsv(text, { sourceLang, targetLang }, user.username);
        report = { ...result, errors: result.errors.map((e) => sayImportProblem(req, e)) };
      } catch (error) {
        if (!(error instanceof GlossaryFormatError)) throw error;
        const { code, params, reasons, message } = error;
        const said = sayProblem(req, { code, params, message, ...(reasons ? { reasons } : {}) });
        // The line, unless the sentence already names it.
        if (error.line !== undefined && !("line" in error.params))
          said.text += ` (${req.t("glossary.line", { line: error.line })})`;
        report = { error: said };
      }
    }
    res.status("error" in report ? 400 : 200);
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
