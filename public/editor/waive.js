// @ts-check
// Waiving a finding in place. The row's "Waive…" link opens the waive page (and leaving the editor
// asked about unsaved text); with scripts it opens a small form in the row instead: which finding
// (as the page asks), a reason, Waive and Cancel. Enter sends, Esc cancels and gives the focus back
// to the link. The waiver goes through POST /api/v1/…/waivers, and the finding moves to the row's
// waived ones as a page load draws them; the text area, typed text and all, is not touched. A notice
// in the row offers Undo (DELETE …/waivers), as the page's notice does. Refusals stay in the form.

import { api, paragraphPath } from "../lib/api.js";
import { fill } from "../lib/i18n.js";
import {
  areaOf,
  findingName,
  findingsListOf,
  pidOf,
  showWaiveLink,
  signInAgainLink,
  waivedItem,
} from "./context.js";

/** @typedef {import("./context.js").Editor} Editor */
/** @typedef {{ code: string, termId?: string, key?: string }} Named */

/** @param {Editor} ed */
export function enableWaive(ed) {
  if (!ed.canWaive) return;
  ed.root.addEventListener("click", (event) => {
    const mouse = /** @type {MouseEvent} */ (event);
    const link = /** @type {Element} */ (event.target).closest?.("a.waive-link");
    const row = /** @type {HTMLElement | null | undefined} */ (link?.closest("article.para"));
    // A new tab or window (Ctrl, ⌘, Shift, middle button) still opens the page.
    if (!link || !row || mouse.button !== 0 || mouse.ctrlKey || mouse.metaKey || mouse.shiftKey) return;
    if (!openFindings(row).length) return;
    event.preventDefault();
    openForm(ed, row, /** @type {HTMLElement} */ (link));
  });
}

/**
 * The row's open findings that name what a waiver would (every one the server or a check drew),
 * except those only the unsaved text has: the server waives the saved translation's findings.
 * @param {Element} row
 * @returns {HTMLElement[]}
 */
function openFindings(row) {
  return Array.from(
    row.querySelectorAll(
      ".findings li.finding:not(.waived):not([data-unsaved])[data-code][data-term-id], .findings li.finding:not(.waived):not([data-unsaved])[data-code][data-key]",
    ),
  );
}

/**
 * What a finding's item names, for the API and for its waived item (`data-waived`).
 * @param {HTMLElement} li
 * @returns {Named}
 */
function namedBy(li) {
  const code = li.dataset.code ?? "";
  return li.dataset.key !== undefined
    ? { code, key: li.dataset.key }
    : { code, termId: li.dataset.termId ?? "" };
}

/**
 * A finding's message as its item shows it: the text after the severity, without the buttons.
 * @param {HTMLElement} li
 */
function messageOf(li) {
  return Array.from(li.childNodes)
    .filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.textContent)
    .join("")
    .trim();
}

/** @param {Element} row */
function numberOf(row) {
  return Number(row.querySelector(".num")?.textContent ?? 0);
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {HTMLElement} link
 */
function openForm(ed, row, link) {
  const s = ed.strings;
  const open = row.querySelector("form.waive-form");
  if (open) {
    /** @type {HTMLInputElement | null} */ (open.querySelector("input[name=reason]"))?.focus();
    return;
  }
  row.querySelector(".waive-note")?.remove();
  const form = document.createElement("form");
  form.className = "waive-form";
  const fieldset = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = s.waiveWhich;
  fieldset.append(legend);
  for (const [i, li] of openFindings(row).entries()) {
    const label = document.createElement("label");
    label.className = "check";
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "finding";
    radio.value = findingName(namedBy(li));
    radio.checked = i === 0;
    const message = document.createElement("span");
    message.className = `finding ${li.classList.contains("error") ? "error" : "warning"}`;
    message.textContent = messageOf(li);
    label.append(radio, " ", message);
    fieldset.append(label);
  }
  // Findings only the typed text has are left out of the list, and the form says why.
  if (row.querySelector(".findings li.finding:not(.waived)[data-unsaved]")) {
    const others = document.createElement("p");
    others.className = "waive-others-unsaved muted";
    others.textContent = s.waiveOthersUnsaved;
    fieldset.append(others);
  }
  const reasonLabel = document.createElement("label");
  const reason = document.createElement("input");
  reason.name = "reason";
  reason.required = true;
  reason.maxLength = 1000;
  reason.autocomplete = "off";
  reasonLabel.append(`${s.waiveReason} `, reason);
  // The browser's own "fill in this field" speaks the browser's language, not the page's.
  reason.addEventListener("invalid", () => reason.setCustomValidity(s.waiveReasonRequired));
  reason.addEventListener("input", () => reason.setCustomValidity(""));
  const problem = document.createElement("p");
  problem.className = "flash error";
  problem.setAttribute("role", "alert");
  problem.hidden = true;
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = s.waiveSubmit;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "waive-cancel";
  cancel.textContent = s.waiveCancel;
  const actions = document.createElement("div");
  actions.className = "actions";
  actions.append(submit, " ", cancel);
  form.append(fieldset, reasonLabel, problem, actions);

  const close = () => {
    form.remove();
    link.setAttribute("aria-expanded", "false");
    if (link.isConnected) link.focus();
    else areaOf(row)?.focus({ preventScroll: true });
  };
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    close();
  });
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const picked = /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=finding]:checked"));
    const li = openFindings(row).find((item) => findingName(namedBy(item)) === picked?.value);
    if (!li) {
      close();
      return;
    }
    busy = true;
    form.setAttribute("aria-busy", "true");
    // A refusal said again is a new one: announced, not left over from the last try.
    problem.hidden = true;
    problem.replaceChildren();
    const named = namedBy(li);
    const answer = await api("POST", `${paragraphPath(ed.doc, ed.lang, pidOf(row))}/waivers`, {
      ...named,
      reason: reason.value,
    });
    busy = false;
    form.removeAttribute("aria-busy");
    if (!answer.ok) {
      showProblem(ed, problem, answer);
      return;
    }
    const waived = moveToWaived(ed, row, named, messageOf(li), answer.body);
    form.remove();
    link.setAttribute("aria-expanded", "false");
    showNote(ed, row, named, waived);
    // The focus stays in the row: on the link while findings are left to waive, else in the text.
    const next = row.querySelector(".waive-link");
    if (next instanceof HTMLElement) next.focus();
    else areaOf(row)?.focus({ preventScroll: true });
  });

  link.setAttribute("aria-expanded", "true");
  link.after(form);
  reason.focus();
}

/**
 * Why the API refused, in the form (a session that ended: with a sign-in link that opens beside
 * this page, as a refused save has).
 * @param {Editor} ed
 * @param {HTMLElement} problem
 * @param {import("../lib/api.js").ApiAnswer} answer
 */
function showProblem(ed, problem, answer) {
  const message = answer.body.error?.message ?? (answer.status || ed.strings.network);
  // A session that ended is said in plain words, as a refused save says it, not in the API's.
  problem.replaceChildren(
    answer.status === 401 ? ed.strings.waiveSessionEnded : fill(ed.strings.waiveFailed, { message }),
  );
  if (answer.status === 401) problem.append(" ", signInAgainLink(ed));
  problem.hidden = false;
}

/**
 * The waived finding leaves the open ones for the row's waived ones, drawn as a page load draws them.
 * Its open items are handed back, for an Undo.
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {Named} named
 * @param {string} message
 * @param {{ author: string, reason: string }} waiver
 */
function moveToWaived(ed, row, named, message, waiver) {
  const items = openFindings(row).filter((li) => findingName(namedBy(li)) === findingName(named));
  for (const li of items) li.remove();
  const list = findingsListOf(row);
  list.append(waivedItem(ed, { ...named, severity: "", message, waiver }));
  showWaiveLink(ed, row);
  return items;
}

/**
 * "Warning waived on paragraph n." with an Undo, in the row, announced politely.
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {Named} named
 * @param {HTMLElement[]} items the finding's open items, put back by the Undo
 */
function showNote(ed, row, named, items) {
  const s = ed.strings;
  row.querySelector(".waive-note")?.remove();
  const note = document.createElement("p");
  note.className = "waive-note";
  note.setAttribute("role", "status");
  const text = document.createElement("span");
  text.textContent = fill(s.waiveDone, { n: numberOf(row) });
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "link waive-undo";
  undo.textContent = s.waiveUndo;
  note.append(text, " ", undo);
  undo.addEventListener("click", async () => {
    const query = new URLSearchParams(
      named.key !== undefined
        ? { code: named.code, key: named.key }
        : { code: named.code, termId: named.termId ?? "" },
    );
    const answer = await api("DELETE", `${paragraphPath(ed.doc, ed.lang, pidOf(row))}/waivers?${query}`);
    if (!answer.ok) {
      note.classList.add("error");
      text.textContent = String(answer.body.error?.message ?? (answer.status || s.network));
      return;
    }
    const list = findingsListOf(row);
    for (const li of Array.from(list.querySelectorAll(".finding.waived")))
      if (li.getAttribute("data-waived") === findingName(named)) li.remove();
    // Open findings come first, errors before warnings, as the server orders them.
    const firstWaived = list.querySelector(".finding.waived");
    for (const li of items)
      list.insertBefore(li, li.classList.contains("error") ? list.firstChild : firstWaived);
    showWaiveLink(ed, row);
    text.textContent = fill(s.waiveLifted, { n: numberOf(row) });
    undo.remove();
    areaOf(row)?.focus({ preventScroll: true });
  });
  const link = row.querySelector(".waive-link");
  (link ?? findingsListOf(row)).after(note);
}
