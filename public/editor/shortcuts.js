// @ts-check
// Keyboard: Ctrl/⌘+Enter save and go to the next paragraph that needs work, Ctrl/⌘+Shift+Enter save
// as draft, Alt+↓/↑ next/previous, ? the list of shortcuts.

import { focusRow, rows } from "./context.js";
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
    }
    // Esc is not here: it is a reflex key (closing a card, an autocomplete, an input method's list)
    // and once threw the typed text away. Going back to the saved text is the row's Discard button.
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
    // Asked before hiding: a hidden list loses the focus to <body>, and then it no longer holds it.
    const hadFocus = help.contains(document.activeElement);
    help.hidden = !open;
    helpButton?.setAttribute("aria-expanded", String(open));
    if (open) {
      openedFrom = document.activeElement;
      // The list takes the focus, so that a screen reader reads it and Esc closes it at once.
      help.focus();
    } else if (hadFocus) backFrom(openedFrom);
  };
  /**
   * Where the focus goes when the list closes: where it was opened from; when that was nowhere (the
   * page's body) or is gone, the button that opens the list, when it shows.
   * @param {Element | null} from
   */
  const backFrom = (from) => {
    if (from instanceof HTMLElement && from !== document.body && from.isConnected) from.focus();
    if (document.activeElement === from && from !== document.body) return;
    if (helpButton?.checkVisibility?.()) helpButton.focus();
  };
  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", () => showHelp(!!help?.hidden));
  }
  document.getElementById("shortcuts-close")?.addEventListener("click", () => showHelp(false));
  // The list floats over the rows: on a phone it can lie over the text area the focus moves to (Alt+↓,
  // a tap on the part that shows) and hide what is typed there. Going back to a text area it covers
  // closes it; one it leaves in view keeps it open, to read beside the text.
  /** @param {Event} event */
  const uncover = (event) => {
    if (!help || help.hidden || !(event.target instanceof HTMLTextAreaElement)) return;
    const list = help.getBoundingClientRect();
    const area = event.target.getBoundingClientRect();
    const covered =
      area.left < list.right && list.left < area.right && area.top < list.bottom && list.top < area.bottom;
    if (covered) showHelp(false);
  };
  ed.root.addEventListener("focusin", uncover);
  ed.root.addEventListener("input", uncover);
  document.addEventListener("keydown", (event) => {
    const target = /** @type {Element} */ (event.target);
    const tag = target.tagName;
    const typing = tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT";
    if (event.key === "?" && !typing) showHelp(!!help?.hidden);
    // Esc closes the list wherever the focus is (in a text area it does nothing else).
    else if (event.key === "Escape" && help && !help.hidden) showHelp(false);
  });
}
