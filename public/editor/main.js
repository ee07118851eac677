// @ts-check
// The translator's editor, enhanced: saves in place through /api/v1, keyboard shortcuts, unsaved
// markers, live glossary checks, conflicts and term insertion. Without scripts every paragraph is a
// plain form that posts and comes back to the next paragraph that needs work.

import { scheduleCheck } from "./check.js";
import { areaOf, focusRow, isDirty, markDirty, readEditor, rows } from "./context.js";
import { keepDraft, restoreDrafts } from "./drafts.js";
import { enableFindings } from "./findings.js";
import { grow, growAll } from "./grow.js";
import { enableLightRows } from "./light.js";
import { enableMarks } from "./marks.js";
import { enableMemory } from "./memory.js";
import { approve, save } from "./save.js";
import { enableShortcuts } from "./shortcuts.js";
import { enableTerms } from "./terms.js";
import { enableWaive } from "./waive.js";

const root = document.getElementById("editor");
if (root) start(root);

/** @param {HTMLElement} root */
function start(root) {
  // Measured (performance.measure "glosa:editor-start") by the long-page test.
  performance.mark("glosa:editor-start");
  const ed = readEditor(root);
  const all = rows(ed);
  /** @type {HTMLTextAreaElement[]} */
  const areas = [];
  for (const row of all) {
    const area = areaOf(row);
    if (!area) continue;
    // The text last saved: what the server rendered, unless it rendered a failed save's text.
    area.dataset.saved ??= area.defaultValue;
    areas.push(area);
  }
  growAll(areas);

  root.addEventListener("input", (event) => {
    const area = /** @type {Element} */ (event.target);
    if (!(area instanceof HTMLTextAreaElement)) return;
    const row = /** @type {HTMLElement | null} */ (area.closest("article.para"));
    if (!row) return;
    grow(area);
    markDirty(ed, row);
    keepDraft(ed, row);
    scheduleCheck(ed, row);
  });
  root.addEventListener("submit", (event) => {
    const form = /** @type {Element} */ (event.target);
    const row = /** @type {HTMLElement | null} */ (form.closest("article.para"));
    // The row's own form; another in the row (the waive form) handles its submit itself.
    if (!row || !form.matches("form.target")) return;
    event.preventDefault();
    const submitter = /** @type {HTMLButtonElement | null} */ (event.submitter);
    if (submitter?.value === "approve") {
      approve(ed, row);
      return;
    }
    const intent = submitter?.value === "draft" || submitter?.value === "clear" ? submitter.value : "save";
    // Clear sits beside Save as draft and erases a saved translation: asked first.
    if (intent === "clear" && !window.confirm(ed.strings.clearConfirm ?? "")) return;
    save(ed, row, intent, intent === "save");
  });

  enableShortcuts(ed);
  enableTerms(ed);
  enableMemory(ed);
  enableFindings(ed);
  enableWaive(ed);
  enableMarks(ed);
  enableLightRows(ed);

  window.addEventListener("beforeunload", (event) => {
    if (rows(ed).some(isDirty)) {
      event.preventDefault();
      event.returnValue = ed.strings.leave;
    }
  });

  // A row rendered with a failed save's text is unsaved from the start.
  for (const row of all) if (row.classList.contains("has-problem")) markDirty(ed, row);

  // Text kept unsaved in this browser (a reload, a closed tab, an ended session) comes back in its row.
  void restoreDrafts(ed, (row) => save(ed, row, "save", false));

  root.dataset.ready = "true";
  performance.measure("glosa:editor-start", "glosa:editor-start");
  // Coming back from a no-script save lands on the next paragraph: focus it.
  if (location.hash.startsWith("#p-")) focusRow(document.getElementById(location.hash.slice(1)), true);
}
