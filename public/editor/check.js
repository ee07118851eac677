// @ts-check
// Findings for unsaved text while the translator types, kept cheap: a check only after a real
// pause, only when the text differs from the last one checked, one request per row at a time (a
// newer pause cancels the older request), through POST /api/v1/glossary/check, which runs every
// check (glossary, numbers, punctuation, spelling, ...): the page cannot settle any of them itself.

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
 * The text the row's findings were computed for, once a check or a save answered for the row;
 * undefined while they are still the server's, for the text it rendered.
 * @param {Element} row
 */
export function checkedText(row) {
  const text = checked.get(row);
  return text === "\u0000" ? undefined : text;
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
  const controller = new AbortController();
  inFlight.set(row, controller);
  const answer = await api(
    "POST",
    "/glossary/check",
    {
      sourceLang: ed.root.dataset.sourceLang,
      targetLang: ed.lang,
      source: sourceOf(row),
      target: text,
      // A title has a length limit; Markdown's markup is compared.
      kind: /\bkind-(title|heading|paragraph|list-item|quote)\b/.exec(row.className)?.[1] ?? "paragraph",
      format: ed.root.dataset.format ?? "text",
    },
    controller.signal,
  );
  if (inFlight.get(row) === controller) inFlight.delete(row);
  // Answered for text that is still the text: show it; a stale or failed answer shows nothing.
  if (!answer.ok || controller.signal.aborted || area.value !== text) return;
  checked.set(row, text);
  // Typed back to the saved text, its findings are the saved translation's: they can be waived.
  renderFindings(ed, row, answer.body.findings ?? [], text === area.dataset.saved);
}

/**
 * Whether a check, a save or a live change has answered for the row since the page was rendered.
 * @param {Element} row
 */
export function answered(row) {
  return checked.has(row);
}

/**
 * Checks the row's text again now, even unchanged (a word was just added to the dictionary).
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
export function recheck(ed, row) {
  // A text no row can hold: whatever the row's text, it differs and is checked.
  checked.set(row, "\u0000");
  return checkNow(ed, row);
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
