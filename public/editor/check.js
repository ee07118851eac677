// @ts-check
// Glossary findings for unsaved text while the translator types, kept cheap: a check only after a
// real pause, only when the text differs from the last one checked, one request per row at a time
// (a newer pause cancels the older request), through POST /api/v1/glossary/check. Text that plainly
// uses every required target and no forbidden form is settled in the page, from the term cards it
// already holds, with no request at all; only text that may have a finding asks the server, whose
// stemmed matching decides (and every save is checked by the server anyway).

import { api } from "../lib/api.js";
import { areaOf, renderFindings } from "./context.js";

/** @typedef {import("./context.js").Editor} Editor */

/** Long enough to fall between words, not between keystrokes. */
export const CHECK_DELAY_MS = 900;

/** @type {WeakMap<Element, string>} the text whose findings the row shows */
const checked = new WeakMap();
/** @type {WeakMap<Element, ReturnType<typeof setTimeout>>} */
const timers = new WeakMap();
/** @type {WeakMap<Element, AbortController>} */
const inFlight = new WeakMap();
/** @type {WeakMap<Element, string>} */
const sources = new WeakMap();

/**
 * The findings on screen belong to this text (the server rendered them, or a save returned them).
 * @param {Element} row
 * @param {string} text
 */
export function remember(row, text) {
  checked.set(row, text);
  clearTimeout(timers.get(row));
  inFlight.get(row)?.abort();
}

/**
 * The paragraph's source text, as rendered: term markers' own text, without any term card built in them.
 * @param {Element} row
 */
function sourceOf(row) {
  let source = sources.get(row);
  if (source === undefined) {
    source = "";
    for (const node of Array.from(row.querySelector(".source p")?.childNodes ?? [])) {
      if (node.nodeType === Node.TEXT_NODE) source += node.textContent ?? "";
      else source += node.firstChild?.textContent ?? "";
    }
    sources.set(row, source);
  }
  return source;
}

/** @param {string} text */
const fold = (text) =>
  text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();

/**
 * A phrase as a whole-word pattern over folded text; `inflected` lets each word take an ending
 * ("sierras mecánicas" for "sierra mecánica"). Linear: letters, then spaces, never overlapping.
 * @param {string} phrase
 * @param {boolean} inflected
 */
function phrasePattern(phrase, inflected) {
  const words = fold(phrase)
    .split(/\s+/u)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  if (words.length === 0) return null;
  const end = inflected ? "\\p{L}*" : "";
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join(`${end}\\s+`)}${end}(?![\\p{L}\\p{N}])`, "u");
}

/**
 * True when the text surely has no glossary finding: each term of the row's source has its target
 * written as it is, and no forbidden form (or an inflection of one) appears.
 * @param {Editor} ed
 * @param {Element} row
 * @param {string} text
 */
function plainlyClean(ed, row, text) {
  const folded = fold(text);
  const ids = new Set(
    Array.from(row.querySelectorAll(".source .term[data-term]"), (el) => el.getAttribute("data-term") ?? ""),
  );
  for (const id of ids) {
    const card = ed.terms[id];
    if (!card?.target) return false;
    if (!phrasePattern(card.target, false)?.test(folded)) return false;
    for (const form of card.forbidden) if (phrasePattern(form, true)?.test(folded)) return false;
  }
  return true;
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
async function checkNow(ed, row) {
  const area = areaOf(row);
  if (!area) return;
  const text = area.value;
  // Until a check or a save, the findings on screen are the server's, for the saved text.
  const shown = checked.has(row) ? checked.get(row) : area.dataset.saved;
  if (shown === text) return;
  if (!text.trim()) {
    checked.set(row, text);
    renderFindings(ed, row, []);
    return;
  }
  inFlight.get(row)?.abort();
  if (plainlyClean(ed, row, text)) {
    checked.set(row, text);
    renderFindings(ed, row, []);
    return;
  }
  const controller = new AbortController();
  inFlight.set(row, controller);
  const answer = await api(
    "POST",
    "/glossary/check",
    { sourceLang: ed.root.dataset.sourceLang, targetLang: ed.lang, source: sourceOf(row), target: text },
    controller.signal,
  );
  if (inFlight.get(row) === controller) inFlight.delete(row);
  // Answered for text that is still the text: show it; a stale or failed answer shows nothing.
  if (!answer.ok || controller.signal.aborted || area.value !== text) return;
  checked.set(row, text);
  renderFindings(ed, row, answer.body.findings ?? []);
}

/**
 * Called on every input: (re)starts the row's pause timer.
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
export function scheduleCheck(ed, row) {
  clearTimeout(timers.get(row));
  timers.set(
    row,
    setTimeout(() => checkNow(ed, row), CHECK_DELAY_MS),
  );
}
