// @ts-check
// Unsaved text survives a reload, a closed tab or an ended session: while a row's text differs from
// its saved text, it is kept in this browser's localStorage with the revision it was typed on, and
// given back in that row when the page opens again. Typed on an older revision than the one saved
// since, it comes back as a conflict (theirs, yours, the word diff), never over their text. Keys name
// the user, the document, the language and the paragraph: another user of the same browser never
// sees it. Kept small: one text per row, at most MAX_DRAFTS rows and MAX_TOTAL characters in all, for
// at most MAX_AGE_MS; the oldest go first.

import { api, pageUser, paragraphPath } from "../lib/api.js";
import { fill } from "../lib/i18n.js";
import { scheduleCheck } from "./check.js";
import { showConflict } from "./conflict.js";
import { areaOf, baseInputOf, focusRow, isDirty, markDirty, pidOf, rows } from "./context.js";
import { grow } from "./grow.js";

/** @typedef {import("./context.js").Editor} Editor */
/** @typedef {{ text: string, base: number, at: number }} Draft */

const PREFIX = "glosa.draft:";
/** A paragraph's longest text (GLOSA_MAX_TEXT_LENGTH's default, the text area's maxlength). */
const MAX_TEXT = 20_000;
const MAX_DRAFTS = 100;
/** Characters of all drafts together: well inside the 5 MB a browser gives an origin. */
const MAX_TOTAL = 1_000_000;
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * @param {Editor} ed
 * @param {string} user
 * @param {string} pid
 */
function keyOf(ed, user, pid) {
  return PREFIX + JSON.stringify([user, ed.doc, ed.lang, pid]);
}

/**
 * @param {string | null} raw
 * @returns {Draft | null}
 */
function parse(raw) {
  if (raw === null) return null;
  try {
    const draft = JSON.parse(raw);
    return typeof draft?.text === "string" && Number.isInteger(draft.base) && Number.isFinite(draft.at)
      ? draft
      : null;
  } catch {
    return null;
  }
}

/** Every draft in this browser, of every user, oldest first. */
function allDrafts() {
  /** @type {{ key: string, size: number, at: number }[]} */
  const found = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    const raw = localStorage.getItem(key);
    found.push({ key, size: key.length + (raw?.length ?? 0), at: parse(raw)?.at ?? 0 });
  }
  return found.sort((a, b) => a.at - b.at);
}

/**
 * Makes room for a new draft of `size` characters: drafts too old, unreadable, or the oldest beyond
 * the bounds go.
 * @param {number} size
 */
function makeRoom(size) {
  const drafts = allDrafts();
  let total = drafts.reduce((sum, d) => sum + d.size, size);
  let count = drafts.length + 1;
  const old = Date.now() - MAX_AGE_MS;
  for (const d of drafts) {
    if (d.at >= old && count <= MAX_DRAFTS && total <= MAX_TOTAL) continue;
    localStorage.removeItem(d.key);
    total -= d.size;
    count--;
  }
}

/**
 * Keeps the row's text while it is unsaved, and forgets it once saved or discarded. Called on every
 * change of the text and after every save.
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
export function keepDraft(ed, row) {
  const user = pageUser();
  const area = areaOf(row);
  const baseInput = baseInputOf(row);
  if (!user || !area || !baseInput) return;
  const key = keyOf(ed, user, pidOf(row));
  try {
    if (!isDirty(row) || area.value.length > MAX_TEXT) {
      localStorage.removeItem(key);
      return;
    }
    const value = JSON.stringify({ text: area.value, base: Number(baseInput.value), at: Date.now() });
    if (localStorage.getItem(key) === null) makeRoom(key.length + value.length);
    try {
      localStorage.setItem(key, value);
    } catch {
      // Full (other pages of this site keep things too): the oldest drafts go, and one more try.
      makeRoom(MAX_TOTAL);
      localStorage.setItem(key, value);
    }
  } catch {
    // No storage (disabled, or still full): the row stays marked unsaved and leaving still asks.
  }
}

/**
 * Gives back, in their rows, the texts kept unsaved for this user, document and language; says so
 * above the rows with a link to each.
 * @param {Editor} ed
 * @param {(row: HTMLElement) => void} saveAgain what the conflict view's Keep mine does
 */
export async function restoreDrafts(ed, saveAgain) {
  const user = pageUser();
  if (!user || !ed.canEdit) return;
  /** @type {{ row: HTMLElement, draft: Draft }[]} */
  const found = [];
  try {
    makeRoom(0);
    for (const row of rows(ed)) {
      const area = areaOf(row);
      // A row the server rendered with a refused no-script save's text shows that text.
      if (!area || row.classList.contains("has-problem")) continue;
      const key = keyOf(ed, user, pidOf(row));
      const draft = parse(localStorage.getItem(key));
      if (draft && draft.text !== area.dataset.saved) found.push({ row, draft });
      else localStorage.removeItem(key);
    }
  } catch {
    return;
  }
  if (!found.length) return;
  announce(ed, found);
  for (const { row, draft } of found) await restore(ed, row, draft, saveAgain);
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {Draft} draft
 * @param {(row: HTMLElement) => void} saveAgain
 */
async function restore(ed, row, draft, saveAgain) {
  const area = areaOf(row);
  const baseInput = baseInputOf(row);
  if (!area || !baseInput) return;
  const saved = Number(baseInput.value);
  area.value = draft.text;
  grow(area);
  markDirty(ed, row);
  scheduleCheck(ed, row);
  if (draft.base === saved) {
    said(ed, row, draft);
    return;
  }
  // Typed on an older revision: saved on top of it, it is a conflict, as a save would find.
  baseInput.value = String(draft.base);
  const answer = await api("POST", `${paragraphPath(ed.doc, ed.lang, pidOf(row))}/compare`, {
    text: draft.text,
  });
  if (answer.ok && answer.body.current && answer.body.current.revision !== draft.base)
    showConflict(ed, row, answer.body.current, draft.text, saveAgain);
  // Not compared (offline, signed out): the text waits with its old base; its save shows the conflict.
  else said(ed, row, draft);
}

/**
 * The row says where its unsaved text came from; its Discard button (markDirty's) stays beside it.
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {Draft} draft
 */
function said(ed, row, draft) {
  const state = row.querySelector(".save-state");
  const first = state?.firstChild;
  if (first?.nodeType === Node.TEXT_NODE)
    first.textContent = fill(ed.strings.draftRestored, { time: when(ed, draft) });
}

/**
 * @param {Editor} ed
 * @param {Draft} draft
 */
function when(ed, draft) {
  return new Intl.DateTimeFormat(ed.lng, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(draft.at),
  );
}

/**
 * Above the rows: which paragraphs got their text back, each a link that puts the caret in it.
 * @param {Editor} ed
 * @param {{ row: HTMLElement }[]} found
 */
function announce(ed, found) {
  const note = document.createElement("div");
  note.id = "drafts-restored";
  note.className = "flash warning drafts-restored";
  note.setAttribute("role", "status");
  note.append(ed.strings.draftsRestored);
  found.forEach(({ row }, i) => {
    const link = document.createElement("a");
    link.href = `#${row.id}`;
    link.textContent = fill(ed.strings.draftParagraph, { n: row.querySelector(".num")?.textContent ?? "" });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      focusRow(row, true);
    });
    note.append(i ? ", " : " ", link);
  });
  ed.root.before(note);
}
