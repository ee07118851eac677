// @ts-check
// Keyboard: Ctrl/⌘+Enter save and go to the next paragraph that needs work, Ctrl/⌘+Shift+Enter save
// as draft, Alt+↓/↑ next/previous, Esc back to the saved text, ? the list of shortcuts.

import { areaOf, focusRow, markDirty, rows } from "./context.js";
import { grow } from "./grow.js";
import { save } from "./save.js";

/** @typedef {import("./context.js").Editor} Editor */

/** @param {Editor} ed */
export function enableShortcuts(ed) {
  ed.root.addEventListener("keydown", (event) => {
    const target = /** @type {Element} */ (event.target);
    if (!(target instanceof HTMLTextAreaElement)) return;
    const row = /** @type {HTMLElement | null} */ (target.closest("article.para"));
    if (!row) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (event.shiftKey) save(ed, row, "draft", false);
      else save(ed, row, "save", true);
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const all = rows(ed);
      focusRow(all[all.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)], false);
    } else if (event.key === "Escape") {
      const area = areaOf(row);
      if (!area) return;
      area.value = area.dataset.saved ?? "";
      delete area.dataset.origin;
      delete area.dataset.suggestion;
      grow(area);
      markDirty(ed, row);
    }
  });

  // The list floats over the rows' corner (outside the sticky head, so the head stays small); Esc or
  // its Close button shuts it and gives focus back to where it was opened from.
  const help = document.getElementById("shortcuts");
  const helpButton = document.getElementById("shortcuts-button");
  /** @type {Element | null} */
  let openedFrom = null;
  /** @param {boolean} open */
  const showHelp = (open) => {
    if (!help || help.hidden === !open) return;
    help.hidden = !open;
    helpButton?.setAttribute("aria-expanded", String(open));
    if (open) {
      openedFrom = document.activeElement;
      // The list takes the focus, so that a screen reader reads it and Esc closes it at once.
      help.focus();
    } else if (help.contains(document.activeElement) && openedFrom instanceof HTMLElement) openedFrom.focus();
  };
  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", () => showHelp(!!help?.hidden));
  }
  document.getElementById("shortcuts-close")?.addEventListener("click", () => showHelp(false));
  document.addEventListener("keydown", (event) => {
    const target = /** @type {Element} */ (event.target);
    const tag = target.tagName;
    const typing = tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT";
    if (event.key === "?" && !typing) showHelp(!!help?.hidden);
    // In a text area Esc goes back to the saved text (above); elsewhere it closes the list.
    else if (event.key === "Escape" && help && !help.hidden && tag !== "TEXTAREA") showHelp(false);
  });
}
