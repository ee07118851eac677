/** What every page template can use: the user, policies, CSRF token, language and formatting. */

import type { RequestHandler } from "express";
import type { TermMatch } from "../glossary/checks/index.ts";
import { languageName } from "../glossary/language.ts";
import { isTrivialChange } from "../translations/diff.ts";
import type { Config } from "./config.ts";
import type { Csrf } from "./csrf.ts";
import { type Action, can } from "./policies.ts";

/** A piece of source text, with the glossary match it belongs to, if any; rendered escaped. */
export interface Segment {
  text: string;
  match?: TermMatch;
}

/** Cuts a text at its (non-overlapping, ordered) matches, for highlighting without building HTML. */
export function segments(text: string, matches: readonly TermMatch[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const match of matches) {
    if (match.start > at) out.push({ text: text.slice(at, match.start) });
    out.push({ text: text.slice(match.start, match.end), match });
    at = match.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/**
 * EJS without its `with (locals)` block, which keeps V8 from optimising a template (a 1,000-row
 * editor page rendered 4x slower): every name a template reads is declared here instead. A name
 * missing from this list fails loudly (ReferenceError), and every page is rendered by the tests.
 */
export const VIEW_OPTIONS = {
  _with: false,
  // Indentation is for people reading templates, not for the wire: a long page is mostly rows.
  rmWhitespace: true,
  destructuredLocals: [
    // viewHelpers, on every page
    ..."user can csrfToken lng t flash env currentPath segments isTrivialChange languageName".split(" "),
    ..."formatDate formatNumber percent".split(" "),
    // page and partial data
    ..."title scripts status code message details next username failed rows values error doc base view".split(
      " ",
    ),
    ..."filter filters state termCards terms total q lang sort languages shownLangs tokens newToken users".split(
      " ",
    ),
    ..."roles entries progress compact changes mode ignoreTrivial tooDifferent events items paragraph".split(
      " ",
    ),
    ..."revisions from to diff queue translation conflict notice preview problem download result report".split(
      " ",
    ),
    ..."term errors usage previous".split(" "),
  ],
};

// Intl formatters are costly to build: one of each per UI language, shared.
const FORMATTERS = new Map<string, { date: Intl.DateTimeFormat; number: Intl.NumberFormat }>();
function formatters(lng: string) {
  let f = FORMATTERS.get(lng);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat(lng, { dateStyle: "medium", timeStyle: "short" }),
      number: new Intl.NumberFormat(lng),
    };
    FORMATTERS.set(lng, f);
  }
  return f;
}

export function viewHelpers(config: Config, csrf: Csrf): RequestHandler {
  return (req, res, next) => {
    const lng = (req.language ?? "en").startsWith("es") ? "es" : "en";
    const flash = req.session?.flash ?? [];
    if (req.session?.flash) req.session.flash = undefined;
    Object.assign(res.locals, {
      user: req.user,
      can: (action: Action) => can(req.user, action),
      csrfToken: () => csrf.token(req),
      lng,
      t: req.t,
      flash,
      env: config.env,
      currentPath: req.originalUrl,
      segments,
      isTrivialChange,
      languageName: (tag: string) => languageName(tag, lng),
      formatDate: (iso: string | undefined) => (iso ? formatters(lng).date.format(new Date(iso)) : ""),
      formatNumber: (n: number) => formatters(lng).number.format(n),
      percent: (part: number, whole: number) => (whole === 0 ? 0 : Math.round((100 * part) / whole)),
    });
    next();
  };
}
