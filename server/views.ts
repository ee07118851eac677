/** What every page template can use: the user, policies, CSRF token, language and formatting. */

import type { RequestHandler } from "express";
import type { TermMatch } from "../glossary/checks/index.ts";
import { languageName } from "../glossary/language.ts";
import type { Config } from "./config.ts";
import type { Csrf } from "./csrf.ts";
import { type Action, can } from "./policies.ts";

/** A piece of source text, with the glossary match it belongs to, if any; rendered escaped. */
export interface Segment {
  text: string;
  match?: TermMatch;
}

/** Cuts a text at its (non-overlapping, ordered) matches, for highlighting without building HTML. */
export function segments(text: string, matches: TermMatch[]): Segment[] {
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
      languageName: (tag: string) => languageName(tag, lng),
      formatDate: (iso: string | undefined) =>
        iso
          ? new Intl.DateTimeFormat(lng, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso))
          : "",
      formatNumber: (n: number) => new Intl.NumberFormat(lng).format(n),
      percent: (part: number, whole: number) => (whole === 0 ? 0 : Math.round((100 * part) / whole)),
    });
    next();
  };
}
