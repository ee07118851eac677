// @ts-check
// A refused save: their text, mine, and the word diff between them, in the translation column, with
// Take theirs · Keep mine · Edit merge.

import { areaOf, baseInputOf, focusRow, markDirty, replaceText, setState, setStatus } from "./context.js";
import { grow } from "./grow.js";
import { showActions } from "./save.js";

/**
 * @typedef {import("./context.js").Editor} Editor
 * @typedef {{ revision: number, text: string, author: string, createdAt: string, status?: string,
 *   changes?: { op: string, text: string }[] }} Current
 */

/** @param {Element} row */
export function removeConflict(row) {
  row.querySelector(".conflict")?.remove();
  row.classList.remove("has-problem");
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {Current} current
 * @param {string} mine
 * @param {(row: HTMLElement) => void} saveAgain
 */
export function showConflict(ed, row, current, mine, saveAgain) {
  const s = ed.strings;
  removeConflict(row);
  row.classList.add("has-problem");
  // The box says it all; the save state only points at it. The row's status is the saved one's.
  // One's own save (another tab, a page gone back to) is not "someone else's": said so throughout.
  const self = ed.user !== "" && current.author === ed.user;
  setState(row, self ? s.notSavedSelf : s.notSaved, true);
  if (current.status && current.revision > 0)
    setStatus(ed, row, {
      status: current.status,
      revision: current.revision,
      author: current.author,
      createdAt: current.createdAt,
    });
  const box = document.createElement("section");
  box.className = "conflict";
  box.setAttribute("role", "alert");
  const title = document.createElement("h3");
  title.textContent = self ? s.conflictTitleSelf : s.conflictTitle;
  const explain = document.createElement("p");
  explain.textContent = (self ? s.conflictExplainSelf : s.conflictExplain)
    .replace("{{author}}", current.author)
    .replace("{{revision}}", String(current.revision));
  const versions = document.createElement("div");
  versions.className = "versions";
  for (const [heading, text] of [
    [self ? s.theirsSelf : s.theirs, current.text],
    [self ? s.mineSelf : s.mine, mine],
  ]) {
    const col = document.createElement("div");
    const h4 = document.createElement("h4");
    h4.textContent = heading ?? "";
    const p = document.createElement("p");
    p.lang = ed.lang;
    p.textContent = text ?? "";
    col.append(h4, p);
    versions.append(col);
  }
  const diffTitle = document.createElement("h4");
  diffTitle.textContent = self ? s.diffSelf : s.diff;
  const diff = document.createElement("p");
  diff.className = "diff";
  diff.lang = ed.lang;
  for (const change of current.changes ?? []) {
    const el = document.createElement(
      change.op === "insert" ? "ins" : change.op === "delete" ? "del" : "span",
    );
    el.textContent = change.text;
    diff.append(el);
  }
  const actions = document.createElement("div");
  actions.className = "actions";
  const area = areaOf(row);
  const baseInput = baseInputOf(row);
  if (!area || !baseInput) return;
  /**
   * @param {string} label
   * @param {() => void} onClick
   * @param {boolean} [primary]
   */
  const button = (label, onClick, primary = false) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    if (primary) b.className = "primary";
    b.addEventListener("click", onClick);
    actions.append(b);
  };
  button(self ? s.takeSaved : s.takeTheirs, () => {
    // As an edit: a merge typed in the meantime comes back with Ctrl+Z.
    area.dataset.saved = current.text;
    replaceText(area, current.text);
    baseInput.value = String(current.revision);
    removeConflict(row);
    setStatus(ed, row, { status: "translated", ...current });
    // What a reload would offer on their revision: History, Clear, Approve for editors.
    showActions(ed, row, current.status ?? "translated");
    markDirty(ed, row);
    grow(area);
  });
  button(
    self ? s.keepPage : s.keepMine,
    () => {
      baseInput.value = String(current.revision);
      removeConflict(row);
      // The button goes with the box: the focus stays in the row, on the text being saved.
      focusRow(row, true);
      saveAgain(row);
    },
    true,
  );
  button(s.editMerge, () => {
    baseInput.value = String(current.revision);
    // Their text and the diff stay, to merge against, until the merge is saved (save.js removes the
    // box) or the conflict settled with Take theirs or Keep mine; the how-to takes this button's place.
    const how = document.createElement("p");
    how.className = "merge-how muted";
    how.textContent = s.conflictHow ?? "";
    actions.querySelector(".edit-merge")?.remove();
    actions.after(how);
    focusRow(row, true);
  });
  actions.lastElementChild?.classList.add("edit-merge");
  box.append(title, explain, versions, diffTitle, diff, actions);
  // In the translation column, under the text it is about.
  area.after(box);
  /** @type {HTMLButtonElement | null} */ (actions.querySelector("button.primary"))?.focus();
}
