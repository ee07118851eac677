// @ts-check
// Light rows. Past its first screens the server sends each paragraph without its glossary terms
// marked and without its findings, with a link to them for readers without scripts: on a
// 1,000-paragraph page the terms and findings were 850 KB of 2 MB. As light rows come near the
// screen, their terms and findings are read a range of paragraphs at a time through
// GET /api/v1/documents/:id/translations/:lang?from=&limit= and filled in as the server renders them.

import { api } from "../lib/api.js";
import { answered } from "./check.js";
import {
  baseInputOf,
  findingsListOf,
  pidOf,
  rememberSavedFindings,
  renderFindings,
  waivedItem,
} from "./context.js";
import { makeButtons } from "./terms.js";

/** @typedef {import("./context.js").Editor} Editor */
/** @typedef {import("./context.js").Finding} Finding */
/** @typedef {import("./context.js").WaivedFinding} WaivedFinding */
/** @typedef {{ termId: string, start: number, end: number, target: string | null }} Match */
/**
 * @typedef {{ id: string, source: string, revision: number, glossary: Match[], qa: Finding[],
 *   waived: WaivedFinding[] }} ParagraphJson
 */

/** How far from the screen a row is filled in: two screens ahead, so scrolling rarely meets one. */
const MARGIN = "200% 0px";
/** Most paragraph indexes one request spans. */
const RANGE = 100;
/** After a failed read, how long before the rows are tried again. */
const RETRY_MS = 5_000;

/** @param {Element} row */
function indexOf(row) {
  return Number(row.querySelector(".num")?.textContent ?? 0) - 1;
}

/** @param {Editor} ed */
export function enableLightRows(ed) {
  const light = Array.from(ed.root.querySelectorAll("article.para.light"));
  if (light.length === 0 || typeof IntersectionObserver !== "function") return;
  /** @type {Set<Element>} */
  const wanted = new Set();
  let flushing = false;
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries)
        if (entry.isIntersecting) {
          wanted.add(entry.target);
          observer.unobserve(entry.target);
        }
      if (wanted.size && !flushing) {
        flushing = true;
        // The rows that came near the screen in this frame go in one request.
        setTimeout(flush, 0);
      }
    },
    { rootMargin: MARGIN },
  );
  for (const row of light) observer.observe(row);

  function flush() {
    flushing = false;
    const rows = [...wanted].sort((a, b) => indexOf(a) - indexOf(b));
    wanted.clear();
    while (rows.length) {
      const from = indexOf(/** @type {Element} */ (rows[0]));
      const group = [];
      while (rows.length && indexOf(/** @type {Element} */ (rows[0])) < from + RANGE)
        group.push(/** @type {Element} */ (rows.shift()));
      load(group, from, indexOf(/** @type {Element} */ (group.at(-1))) - from + 1);
    }
  }

  /**
   * @param {Element[]} group
   * @param {number} from
   * @param {number} limit
   */
  async function load(group, from, limit) {
    const path = `/documents/${encodeURIComponent(ed.doc)}/translations/${encodeURIComponent(ed.lang)}`;
    const answer = await api("GET", `${path}?from=${from}&limit=${limit}`);
    if (!answer.ok) {
      setTimeout(() => {
        for (const row of group) observer.observe(row);
      }, RETRY_MS);
      return;
    }
    /** @type {Map<string, ParagraphJson>} */
    const byId = new Map();
    for (const p of answer.body.paragraphs ?? []) byId.set(p.id, p);
    for (const row of group) {
      const paragraph = byId.get(pidOf(row));
      if (paragraph) fillRow(ed, row, paragraph);
    }
  }
}

/**
 * @param {Editor} ed
 * @param {Element} row
 * @param {ParagraphJson} paragraph
 */
function fillRow(ed, row, paragraph) {
  row.classList.remove("light");
  const source = row.querySelector(".source p");
  if (source && source.childElementCount === 0 && source.textContent === paragraph.source) {
    markTerms(ed, source, paragraph.glossary);
    makeButtons(Array.from(source.querySelectorAll(".term")), 0);
  }
  // A row that shows another revision than the one read waits for the live change on its way. A
  // save or a check that answered for the row drew its findings (and took the link away): newer.
  if (Number(baseInputOf(row)?.value) !== paragraph.revision) return;
  if (answered(row) && !row.querySelector(".findings-link")) {
    // The row shows the typed text's findings; which of them the saved text has is known now.
    rememberSavedFindings(row, paragraph.qa);
    return;
  }
  const list = findingsListOf(row);
  for (const w of paragraph.waived) list.append(waivedItem(ed, w));
  renderFindings(ed, row, paragraph.qa, true);
}

/**
 * The source with its glossary terms marked, as the server marks them (views.ts highlightSource).
 * @param {Editor} ed
 * @param {Element} source
 * @param {Match[]} matches
 */
export function markTerms(ed, source, matches) {
  if (matches.length === 0) return;
  const text = source.textContent ?? "";
  /** @type {(Node | string)[]} */
  const parts = [];
  let at = 0;
  // The matches come ordered and apart, as the server's matcher gives them.
  for (const m of matches) {
    if (m.start < at) continue;
    if (m.start > at) parts.push(text.slice(at, m.start));
    const term = document.createElement("span");
    term.className = "term";
    term.dataset.term = m.termId;
    term.title = `→ ${m.target ?? ed.strings.noTarget}`;
    term.textContent = text.slice(m.start, m.end);
    parts.push(term);
    at = m.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  source.replaceChildren(...parts);
}
