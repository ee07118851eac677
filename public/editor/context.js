// @ts-check
// What every editor module needs: the page's data attributes, read once, and row helpers.

import { fill } from "../lib/i18n.js";

/**
 * @typedef {{ target: string | null, forbidden: string[], note: string, doNotTranslate: boolean }} TermCard
 * @typedef {{ code: string, severity: string, termId?: string, key?: string, message: string, start?: number, end?: number }} Finding
 * @typedef {Finding & { waiver: { author: string, reason: string } }} WaivedFinding
 * @typedef {{
 *   root: HTMLElement, doc: string, user: string, lang: string, lng: string, canReview: boolean, canEdit: boolean,
 *   canWaive: boolean, canConfigure: boolean, mt: boolean, strings: Record<string, any>, terms: Record<string, TermCard>,
 *   sourceVersion: number
 * }} Editor
 */

/**
 * @param {HTMLElement} root the `#editor` element
 * @returns {Editor}
 */
export function readEditor(root) {
  const data = root.dataset;
  return {
    root,
    doc: data.doc ?? "",
    /** The signed-in user's name. */
    user: data.user ?? "",
    lang: data.lang ?? "",
    lng: document.documentElement.lang || "en",
    canReview: data.canReview === "true",
    canEdit: data.canEdit === "true",
    canWaive: data.canWaive === "true",
    canConfigure: data.canConfigure === "true",
    /** Machine translation is on: the memory's matches are asked apart from it (memory.js). */
    mt: data.mt === "true",
    strings: JSON.parse(data.strings || "{}"),
    terms: JSON.parse(data.terms || "{}"),
    // The source version the page shows: saves and approvals say so, and are refused if it changed since.
    sourceVersion: Number(data.sourceVersion || 1),
  };
}

/**
 * A row's paragraph id, from its element id (`p-<pid>`).
 * @param {Element} row
 */
export function pidOf(row) {
  return row.id.slice(2);
}

/** @param {Editor} ed */
export function rows(ed) {
  return /** @type {HTMLElement[]} */ (Array.from(ed.root.querySelectorAll("article.para")));
}

/**
 * @param {Element | null | undefined} row
 * @returns {HTMLTextAreaElement | null}
 */
export function areaOf(row) {
  return row?.querySelector("textarea") ?? null;
}

/**
 * @param {Element} row
 * @returns {HTMLInputElement | null}
 */
export function baseInputOf(row) {
  return row.querySelector('input[name="baseRevision"]');
}

/** @param {Element} row */
export function isDirty(row) {
  const area = areaOf(row);
  return area ? area.value !== area.dataset.saved : false;
}

/**
 * Needs work: untranslated, a draft, rejected, outdated, or with an open error; a warning alone is
 * not (the server's needsWork uses the same rule).
 * @param {Element} row
 */
export function needsWork(row) {
  const status = /status-([a-z]+)/.exec(row.className)?.[1] ?? "";
  if (status === "untranslated" || status === "draft" || status === "rejected" || status === "outdated")
    return true;
  // A light row's findings are not on the page yet: its link says whether it has open ones.
  return row.querySelector(".findings .finding.error, .findings-link.has-error") !== null;
}

/**
 * The next row after `row` that needs work; when none after does, the first that does; null when none.
 * @param {Editor} ed
 * @param {Element} row
 */
export function nextNeedingWork(ed, row) {
  const all = rows(ed);
  const at = all.indexOf(/** @type {HTMLElement} */ (row));
  return all.slice(at + 1).find(needsWork) ?? all.slice(0, at + 1).find(needsWork) ?? null;
}

/**
 * The save state, announced politely; created on first use rather than sent with every row.
 * @param {Element} row
 * @param {string} text
 * @param {boolean} [isError]
 */
export function setState(row, text, isError = false) {
  let el = row.querySelector(".save-state");
  if (!el) {
    el = document.createElement("span");
    el.className = "save-state";
    el.setAttribute("aria-live", "polite");
    row.querySelector(".meta .rev")?.after(el);
  }
  el.textContent = text;
  el.classList.toggle("error", isError);
}

/**
 * A link to sign in again, for a write refused because the session ended: it opens beside this page,
 * so the typed text stays where it is.
 * @param {Editor} ed
 */
export function signInAgainLink(ed) {
  const link = document.createElement("a");
  link.href = `/login?next=${encodeURIComponent(location.pathname)}`;
  link.target = "_blank";
  link.rel = "noopener";
  link.textContent = ed.strings.signInAgain;
  return link;
}

/**
 * Unsaved changes are said in the row, with a button that discards them: the only way back to the
 * saved text (Esc is a reflex key and leaves the text alone), and one that can be undone.
 * @param {Editor} ed
 * @param {Element} row
 */
export function markDirty(ed, row) {
  const dirty = isDirty(row);
  row.classList.toggle("unsaved", dirty);
  const state = row.querySelector(".save-state");
  // Typing keeps the same state: rebuilt on every key it would be announced again and again.
  if (dirty && state?.querySelector(".discard")) return;
  setState(row, dirty ? ed.strings.unsaved : "");
  if (dirty && ed.strings.discard) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link discard";
    button.textContent = ed.strings.discard;
    button.addEventListener("click", () => discardChanges(ed, row));
    row.querySelector(".save-state")?.append(" ", button);
  }
}

/**
 * Back to the saved text, as an edit in the text area (Ctrl+Z brings the typed text back) and with
 * an Undo button in the row that does the same where there is no Ctrl+Z (a phone).
 * @param {Editor} ed
 * @param {Element} row
 */
function discardChanges(ed, row) {
  const area = areaOf(row);
  if (!area) return;
  const typed = area.value;
  const { origin, suggestion } = area.dataset;
  replaceText(area, area.dataset.saved ?? "");
  delete area.dataset.origin;
  delete area.dataset.suggestion;
  setState(row, ed.strings.discarded);
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "link undo-discard";
  undo.textContent = ed.strings.undoDiscard;
  undo.addEventListener("click", () => {
    replaceText(area, typed);
    if (origin !== undefined) area.dataset.origin = origin;
    if (suggestion !== undefined) area.dataset.suggestion = suggestion;
  });
  row.querySelector(".save-state")?.append(" ", undo);
}

/**
 * Replaces a text area's whole text as the browser's own edit, so that Ctrl+Z takes it back; the
 * caret stays in the text area. Fires `input` (the row's unsaved state and checks follow it).
 * @param {HTMLTextAreaElement} area
 * @param {string} text
 */
export function replaceText(area, text) {
  area.focus({ preventScroll: true });
  area.select();
  if (area.value === text) return;
  // execCommand is deprecated but still the only edit that joins the text area's undo history.
  const done = text === "" ? document.execCommand("delete") : document.execCommand("insertText", false, text);
  if (done && area.value === text) return;
  area.value = text;
  area.dispatchEvent(new Event("input", { bubbles: true }));
}

/**
 * Status, revision, and who made it when.
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {{ status: string, revision: number, author?: string | null, createdAt?: string | null }} saved
 */
export function setStatus(ed, row, saved) {
  row.className = row.className.replace(/status-[a-z]+/, `status-${saved.status}`);
  // A save confirms an outdated translation against the new source: its source diff has done its job.
  if (saved.status !== "outdated") row.querySelector(".source-change")?.remove();
  const label = row.querySelector(".status-label");
  if (label) label.textContent = ed.strings.statuses[saved.status] ?? saved.status;
  const rev = row.querySelector(".rev");
  if (rev) rev.textContent = saved.revision ? `${ed.strings.revision}${saved.revision}` : "";
  if (saved.author && saved.createdAt) {
    let who = row.querySelector(".who");
    if (!who) {
      who = document.createElement("span");
      who.className = "who muted";
      row.querySelector(".meta .rev")?.after(who);
    }
    const time = document.createElement("time");
    time.dateTime = saved.createdAt;
    time.textContent = new Intl.DateTimeFormat(ed.lng, { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(saved.createdAt),
    );
    who.replaceChildren(`${saved.author}, `, time);
  }
}

/**
 * What a waiver names of a finding: its code and its term, or another check's key.
 * @param {{ code?: string, termId?: string, key?: string }} f
 */
export const findingName = (f) => `${f.code} ${f.termId ?? f.key}`;

/**
 * Per row, the names of the findings of its saved text: the only ones a waiver may name, as the
 * server checks the saved translation (translations/review.ts waiveFinding). Null while they are not
 * known (a light row checked before it was filled, a row someone else saved): then every finding is
 * offered and the server decides.
 * @type {WeakMap<Element, Set<string> | null>}
 */
const savedFindings = new WeakMap();

/**
 * The row's saved text has these findings (a save, a range read or a check of the saved text
 * answered), or null: they are not known.
 * @param {Element} row
 * @param {{ code?: string, termId?: string, key?: string }[] | null} findings
 */
export function rememberSavedFindings(row, findings) {
  savedFindings.set(row, findings && new Set(findings.map(findingName)));
}

/**
 * Whether a finding of the row may be waived now: the saved text has it too.
 * @param {Element} row
 * @param {string} name
 */
function waivable(row, name) {
  const saved = savedFindings.get(row);
  return !saved || saved.has(name);
}

/**
 * Findings under the text area, errors before warnings; the ones waived for this paragraph stay waived.
 * A finding only the unsaved text has is marked `data-unsaved`: it cannot be waived until it is saved.
 * @param {Editor} ed
 * @param {Element} row
 * @param {Finding[]} findings
 * @param {boolean} [ofSaved] the findings are the saved text's
 */
export function renderFindings(ed, row, findings, ofSaved = false) {
  const list = findingsListOf(row);
  // The first time, the findings on screen are the server's, for the saved text (a light row has none yet).
  if (!savedFindings.has(row) && !row.querySelector(".findings-link"))
    rememberSavedFindings(
      row,
      Array.from(list.querySelectorAll(".finding:not(.waived)")).map((li) => ({
        .../** @type {HTMLElement} */ (li).dataset,
      })),
    );
  if (ofSaved) rememberSavedFindings(row, findings);
  // These are the row's findings now: a light row's link to the server's stands for nothing more.
  row.querySelector(".findings-link")?.remove();
  const waived = new Set(
    Array.from(list.querySelectorAll(".finding.waived")).map((li) => li.getAttribute("data-waived")),
  );
  const open = findings
    .filter((f) => !waived.has(findingName(f)))
    .sort((a, b) => Number(b.severity === "error") - Number(a.severity === "error"));
  for (const li of Array.from(list.querySelectorAll(".finding:not(.waived)"))) li.remove();
  const first = list.firstChild;
  for (const f of open) {
    const li = document.createElement("li");
    li.className = `finding ${f.severity}`;
    const sev = document.createElement("span");
    sev.className = "sev";
    sev.textContent = f.severity === "error" ? ed.strings.error : ed.strings.warning;
    li.append(sev, ` ${f.message}`);
    li.dataset.code = f.code;
    // Named as a waiver names it (views.ts findingItems): a glossary finding by its term, another by its key.
    if (f.termId !== undefined) li.dataset.termId = f.termId;
    else if (f.key !== undefined) li.dataset.key = f.key;
    if (f.start !== undefined && f.end !== undefined) {
      li.dataset.start = String(f.start);
      li.dataset.end = String(f.end);
    }
    if (f.code === "spelling" && f.start !== undefined)
      li.dataset.word = areaOf(row)?.value.slice(f.start, f.end) ?? "";
    if (!waivable(row, findingName(f))) li.dataset.unsaved = "";
    decorateFinding(ed, row, li);
    list.insertBefore(li, first);
  }
  showWaiveLink(ed, row);
}

/**
 * The row's waive control, for those who may waive, while the row has open findings of its saved
 * text: a link to the waive page (the form in the row, with scripts: waive.js). Kept when it stays,
 * so that it keeps the focus. When every open finding is only in the unsaved text, the row says
 * instead that the text must be saved first: the server waives only the saved translation's findings.
 * @param {Editor} ed
 * @param {Element} row
 */
export function showWaiveLink(ed, row) {
  const open = row.querySelectorAll(".findings li.finding:not(.waived)");
  const unsaved = row.querySelectorAll(".findings li.finding:not(.waived)[data-unsaved]").length;
  const wanted = ed.canWaive && open.length > unsaved;
  const saveFirst = ed.canWaive && !wanted && unsaved > 0;
  const existing = row.querySelector(".waive-link");
  const note = row.querySelector(".waive-save-first");
  if (!saveFirst) note?.remove();
  else if (!note) {
    const said = document.createElement("p");
    said.className = "waive-save-first muted";
    said.textContent = ed.strings.waiveSaveFirst;
    findingsListOf(row).after(said);
  }
  if (!wanted) {
    existing?.remove();
    return;
  }
  if (existing) return;
  const link = document.createElement("a");
  link.className = "waive-link";
  link.href = `/documents/${ed.doc}/${ed.lang}/paragraphs/${pidOf(row)}/waive`;
  link.textContent = ed.strings.waive;
  findingsListOf(row).after(link);
}

/**
 * A waived finding's item, as the server renders it in views/editor/rows.ejs.
 * @param {Editor} ed
 * @param {WaivedFinding} w
 */
export function waivedItem(ed, w) {
  const li = document.createElement("li");
  li.className = "finding waived";
  li.dataset.waived = `${w.code} ${w.termId ?? w.key}`;
  const sev = document.createElement("span");
  sev.className = "sev";
  sev.textContent = ed.strings.waived;
  const message = document.createElement("s");
  message.textContent = w.message;
  li.append(sev, " ", message, ` — ${fill(ed.strings.waivedBy, w.waiver)}`);
  return li;
}

/**
 * The row's findings list; a light row (views/editor/rows.ejs) has none until its findings come.
 * @param {Element} row
 * @returns {HTMLElement}
 */
export function findingsListOf(row) {
  let list = /** @type {HTMLElement | null} */ (row.querySelector(".findings"));
  if (!list) {
    list = document.createElement("ul");
    list.className = "findings";
    row.querySelector("form.target")?.after(list);
  }
  return list;
}

/**
 * A finding that points at a span gets a button that selects it in the text area (the span, shown
 * underlined); a spelling finding, for those who may, an "Add to dictionary" button. The clicks are
 * handled in findings.js.
 * @param {Editor} ed
 * @param {Element} row
 * @param {HTMLElement} li
 */
export function decorateFinding(ed, row, li) {
  if (li.querySelector(".finding-span")) return;
  const start = Number(li.dataset.start);
  const end = Number(li.dataset.end);
  const text = areaOf(row)?.value.slice(start, end) ?? "";
  if (li.dataset.start !== undefined && text.trim()) {
    const span = document.createElement("button");
    span.type = "button";
    span.className = "finding-span link";
    span.title = ed.strings.showSpan.replace("{{text}}", text);
    const u = document.createElement("u");
    u.textContent = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    span.append(u);
    li.append(" ", span);
  }
  if (li.dataset.word && ed.canConfigure) {
    const add = document.createElement("button");
    add.type = "button";
    add.className = "add-word";
    add.textContent = ed.strings.addWord;
    li.append(" ", add);
  }
}

/**
 * @param {Element | null | undefined} row
 * @param {boolean} atEnd
 */
export function focusRow(row, atEnd) {
  const area = areaOf(row);
  if (!row || !area) return;
  area.focus({ preventScroll: true });
  // A row taller than the screen under the sticky head (a conflict box open in it, a long
  // paragraph) is not centred, which would leave the text being typed in under the head.
  const head = document.querySelector(".editor-head")?.getBoundingClientRect().height ?? 0;
  const fits = row.getBoundingClientRect().height < window.innerHeight - head - 16;
  (fits ? row : area).scrollIntoView({ block: "center", behavior: "smooth" });
  if (atEnd) area.setSelectionRange(area.value.length, area.value.length);
}
