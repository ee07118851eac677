/** What every page template can use: the user, policies, CSRF token, language and formatting. */

import type { RequestHandler } from "express";
import type { TermMatch } from "../glossary/checks/index.ts";
import { type AnyFinding, isQualityFinding } from "../quality/run.ts";
import { isTrivialChange } from "../translations/diff.ts";
import { displayTitle } from "../translations/document.ts";
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

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&#34;",
  "'": "&#39;",
};

/**
 * Escaped text whose revision and version codes (r3, v2) keep their case inside an uppercase label
 * (h2.label): "CHANGES SINCE APPROVED REVISION r3", not "… R3".
 */
export function keepCodes(text: string): string {
  return escapeHtml(text).replace(/\b([rv]\d+)\b/g, '<span class="as-written">$1</span>');
}

/** HTML-escapes text, as EJS's <%= %> does. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

// A paragraph's highlighted source is the same on every page view until the glossary changes, and
// the glossary index hands out the same matches array until then: the HTML is remembered per array.
const highlighted = new WeakMap<readonly TermMatch[], Map<string, string>>();

/**
 * The source text with its glossary terms marked, as HTML built from escaped pieces only (rendered
 * with <%- %>). `noTarget` labels a term without a target in this language.
 */
export function highlightSource(text: string, matches: readonly TermMatch[], noTarget: string): string {
  let byText = highlighted.get(matches);
  const cached = byText?.get(`${noTarget}\u0000${text}`);
  if (cached !== undefined) return cached;
  const html = segments(text, matches)
    .map((seg) =>
      seg.match
        ? `<span class="term" data-term="${escapeHtml(seg.match.termId)}" title="→ ${escapeHtml(seg.match.target ?? noTarget)}">${escapeHtml(seg.text)}</span>`
        : escapeHtml(seg.text),
    )
    .join("");
  if (!byText) {
    byText = new Map();
    highlighted.set(matches, byText);
  }
  byText.set(`${noTarget}\u0000${text}`, html);
  return html;
}

// Findings lists repeat across page views just like sources: HTML per findings array and language.
const findingLists = new WeakMap<readonly AnyFinding[], Map<string, string>>();

/**
 * A paragraph's findings as list items, messages in the reader's language, built from escaped pieces.
 * `items` remembers each distinct finding's item for one request: a fresh page (nothing remembered
 * per findings array yet) repeats the same few findings hundreds of times, and each i18next lookup
 * with interpolation costs far more than the row around it. Each item's `data-code` and `data-term-id` (or
 * another check's `data-key`) name it as a waiver does, for the editor's waive in place.
 */
export function findingItems(
  findings: readonly AnyFinding[],
  lng: string,
  t: (key: string, params?: object) => string,
  items: Map<string, string> = new Map(),
): string {
  if (findings.length === 0) return "";
  let byLang = findingLists.get(findings);
  const cached = byLang?.get(lng);
  if (cached !== undefined) return cached;
  let html = "";
  for (const f of findings) {
    const key = isQualityFinding(f)
      ? `${f.severity}\u0000${f.key}\u0000${f.variant}\u0000${f.start}\u0000${JSON.stringify(f.params)}`
      : `${f.severity}\u0000${f.code}\u0000${f.termId}\u0000${f.params.term}\u0000${f.params.target}\u0000${f.params.forms ?? ""}`;
    let item = items.get(key);
    if (item === undefined) {
      const sev = f.severity === "error" ? `✖ ${t("qa.error")}` : `⚠ ${t("qa.warning")}`;
      if (isQualityFinding(f)) {
        // The span (UTF-16 offsets into the translation) lets the editor's script underline it.
        const span = f.start !== undefined ? ` data-start="${f.start}" data-end="${f.end}"` : "";
        const word = f.code === "spelling" ? ` data-word="${escapeHtml(String(f.params.word))}"` : "";
        item = `<li class="finding ${f.severity}" data-code="${f.code}"${span}${word} data-key="${escapeHtml(f.key)}"><span class="sev">${escapeHtml(sev)}</span> ${escapeHtml(t(`quality.findings.${f.code}.${f.variant}`, f.params))}</li>`;
      } else
        item = `<li class="finding ${f.severity}" data-code="${f.code}" data-term-id="${escapeHtml(f.termId)}"><span class="sev">${escapeHtml(sev)}</span> ${escapeHtml(t(`qa.${f.code}`, f.params))}</li>`;
      items.set(key, item);
    }
    html += item;
  }
  if (!byLang) {
    byLang = new Map();
    findingLists.set(findings, byLang);
  }
  byLang.set(lng, html);
  return html;
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
    ..."user can csrfToken lng t flash env currentPath segments highlightSource findingItems isTrivialChange languageName".split(
      " ",
    ),
    ..."formatDate formatNumber percent titleOf keepCodes".split(" "),
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
    ..."term errors usage previous matches rowsSlot shownCount kit".split(" "),
    // comments and the inbox (issue 17)
    ..."pid thread paragraphNumber source commentSegments comment mentions queries titles paragraphNumbers openComments counts pages page label".split(
      " ",
    ),
    // Find and replace, statistics (findstats).
    ..."form undone chart narrowChart variant id groups kinds documents labelOf csvHref batches numberOf".split(
      " ",
    ),
    // source updates (views/sources)
    ..."back plan versions change removed rowsStart rowsPager removedPager".split(" "),
    // the quality Settings page
    ..."codes styles style current flagged".split(" "),
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

// Language names: Intl.DisplayNames is costly to build (a few ms per editor page went to its
// language links), so one is kept per UI language and names are remembered per tag; tags are few in
// practice. "standard" names every regional variant the same way, language (region): the default
// "dialect" style mixes "español de México" and "Latin American Spanish" with "español (Argentina)".
const LANGUAGE_NAMES = new Map<string, string>();
const DISPLAY_NAMES = new Map<string, Intl.DisplayNames>();
export function languageNameIn(tag: string, lng: string): string {
  const key = `${lng}\u0000${tag}`;
  let name = LANGUAGE_NAMES.get(key);
  if (name === undefined) {
    if (LANGUAGE_NAMES.size >= 1000) LANGUAGE_NAMES.clear();
    let names = DISPLAY_NAMES.get(lng);
    if (!names) {
      names = new Intl.DisplayNames([lng], {
        type: "language",
        languageDisplay: "standard",
        fallback: "code",
      });
      DISPLAY_NAMES.set(lng, names);
    }
    try {
      name = names.of(tag) ?? tag;
    } catch {
      name = tag;
    }
    LANGUAGE_NAMES.set(key, name);
  }
  return name;
}

export function viewHelpers(config: Config, csrf: Csrf): RequestHandler {
  return (req, res, next) => {
    const lng = (req.language ?? "en").startsWith("es") ? "es" : "en";
    const flash = req.session?.flash ?? [];
    const findingItemsOfRequest = new Map<string, string>();
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
      highlightSource,
      // A document's title as people read it (a Markdown title without its marks of emphasis).
      titleOf: displayTitle,
      keepCodes,
      findingItems: (findings: readonly AnyFinding[]) =>
        findingItems(
          findings,
          lng,
          (key, params) => req.t(key, params as Record<string, string>),
          findingItemsOfRequest,
        ),
      isTrivialChange,
      languageName: (tag: string) => languageNameIn(tag, lng),
      formatDate: (iso: string | undefined) => (iso ? formatters(lng).date.format(new Date(iso)) : ""),
      formatNumber: (n: number) => formatters(lng).number.format(n),
      percent: (part: number, whole: number) => (whole === 0 ? 0 : Math.round((100 * part) / whole)),
    });
    next();
  };
}
