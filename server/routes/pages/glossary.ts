import { Router } from "express";
import { exportGlossaryCsv } from "../../../glossary/csv.ts";
import { canonicalLang } from "../../../glossary/language.ts";
import { foldWord } from "../../../glossary/normalize.ts";
import type { Term } from "../../../glossary/term.ts";
import { authorize } from "../../auth.ts";
import type { PageContext } from "./index.ts";

const SORTS = ["source", "target", "updated"] as const;

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

export function glossaryRoutes({ services }: PageContext): Router {
  const router = Router();

  router.get("/glossary", async (req, res) => {
    authorize(req, "glossary.read");
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
    });
  });

  router.get("/glossary/export", async (req, res) => {
    authorize(req, "glossary.read");
    const lang =
      typeof req.query.lang === "string" && req.query.lang
        ? (canonicalLang(req.query.lang) ?? undefined)
        : undefined;
    const terms = await services.glossary.list();
    res
      .type("text/csv; charset=utf-8")
      .attachment(`glossary${lang ? `.${lang}` : ""}.csv`)
      .send(exportGlossaryCsv(lang ? terms.filter((t) => t.targets[lang]) : terms, lang));
  });

  return router;
}
