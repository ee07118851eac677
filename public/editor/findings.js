// @ts-check
// Findings that point at a span: a click selects it in the text area. A spelling finding's "Add to
// dictionary" (editors and admins) accepts the word for the language through the API, then checks
// the row again so the finding goes.

import { api } from "../lib/api.js";
import { recheck } from "./check.js";
import { areaOf, decorateFinding, rows } from "./context.js";

/** @typedef {import("./context.js").Editor} Editor */

/** @param {Editor} ed */
export function enableFindings(ed) {
  // The findings the server rendered with the page: only those with a span or a word need buttons.
  for (const row of rows(ed))
    for (const li of Array.from(row.querySelectorAll("li.finding[data-start], li.finding[data-word]")))
      decorateFinding(ed, row, /** @type {HTMLElement} */ (li));

  ed.root.addEventListener("click", async (event) => {
    const button = /** @type {Element} */ (event.target).closest("button.finding-span, button.add-word");
    const li = /** @type {HTMLElement | null | undefined} */ (button?.closest("li.finding"));
    const row = /** @type {HTMLElement | null | undefined} */ (li?.closest("article.para"));
    if (!button || !li || !row) return;
    if (button.classList.contains("finding-span")) {
      const area = areaOf(row);
      if (!area) return;
      area.focus();
      area.setSelectionRange(Number(li.dataset.start), Number(li.dataset.end));
      return;
    }
    const word = li.dataset.word ?? "";
    /** @type {HTMLButtonElement} */ (button).disabled = true;
    const answer = await api("POST", `/quality/words/${encodeURIComponent(ed.lang)}`, { word });
    if (!answer.ok) {
      /** @type {HTMLButtonElement} */ (button).disabled = false;
      return;
    }
    button.replaceWith(ed.strings.wordAdded);
    await recheck(ed, row);
  });
}
