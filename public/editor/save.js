// @ts-check
// Saving a row (translated or draft), clearing it, and approving it, through /api/v1.

import { api, pageUser, paragraphPath } from "../lib/api.js";
import { fill } from "../lib/i18n.js";
import { showProgress } from "../lib/progress.js";
import { remember } from "./check.js";
import { removeConflict, showConflict } from "./conflict.js";
import {
  areaOf,
  baseInputOf,
  focusRow,
  isDirty,
  markDirty,
  nextNeedingWork,
  pidOf,
  renderFindings,
  setState,
  setStatus,
  signInAgainLink,
} from "./context.js";
import { keepDraft } from "./drafts.js";

/** @typedef {import("./context.js").Editor} Editor */

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
function pathOf(ed, row) {
  return paragraphPath(ed.doc, ed.lang, pidOf(row));
}

/**
 * @param {Editor} ed
 * @param {{ error?: { message?: string } }} body
 * @param {number} status
 */
function failure(ed, body, status) {
  return ed.strings.failed.replace("{{message}}", body.error?.message ?? (status || ed.strings.network));
}

/**
 * A refused write: why, in the row. A session that ended, or this browser signed in since as someone
 * else, is said in plain words with a sign-in link that opens beside this page, so the typed text stays
 * where it is; once signed in again, the next save goes through (lib/api.js takes the new session's
 * CSRF token).
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {{ body: any, status: number }} answer
 */
function refused(ed, row, answer) {
  const other = typeof answer.body.signedInAs === "string" ? answer.body.signedInAs : null;
  // An account an admin disabled: signing in again would not help, so no sign-in link.
  if (answer.status === 403 && answer.body.error?.code === "account_disabled") {
    setState(row, ed.strings.accountDisabled, true);
    return;
  }
  if (answer.status !== 401 && !other) {
    setState(row, failure(ed, answer.body, answer.status), true);
    return;
  }
  setState(
    row,
    other ? fill(ed.strings.otherUser, { user: other, me: pageUser() }) : ed.strings.sessionEnded,
    true,
  );
  row.querySelector(".save-state")?.append(" ", signInAgainLink(ed));
}

/**
 * The source version this row's text was written against: the page's, or the newer one shown in the
 * row after a save was refused for it.
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
function seenVersion(ed, row) {
  return Number(row.dataset.sourceVersion || ed.sourceVersion);
}

/**
 * The paragraph's source changed after the page was opened: show the new source in place of the old
 * one, keep the typed text, and let the next save confirm it against what is now shown.
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {{ sourceVersion: number, source?: string }} current
 */
function showNewSource(ed, row, current) {
  row.dataset.sourceVersion = String(current.sourceVersion);
  const shown = row.querySelector(".source p");
  if (shown && current.source !== undefined) {
    shown.textContent = current.source;
    shown.classList.add("source-new");
  }
  row.classList.add("has-problem");
  setState(row, ed.strings.sourceChanged, true);
}

/** The write of each row on its way (a save, a clear, an approval), until its answer is shown. */
const writing = new WeakMap();

/**
 * @template T
 * @param {HTMLElement} row
 * @param {Promise<T>} write
 * @returns {Promise<T>}
 */
function track(row, write) {
  writing.set(row, write);
  const done = () => {
    if (writing.get(row) === write) writing.delete(row);
  };
  write.then(done, done);
  return write;
}

/**
 * Resolves once the row's write on its way (if any) has been answered and shown. The live stream
 * waits for it before applying a change to the row: the change may be this very write, heard before
 * its answer, which would otherwise find the row unsaved and mark it changed by someone else.
 * @param {HTMLElement} row
 * @returns {Promise<unknown>}
 */
export function written(row) {
  return (writing.get(row) ?? Promise.resolve()).catch(() => undefined);
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {"save" | "draft" | "clear"} intent
 * @param {boolean} advance go on to the next paragraph that needs work
 * @returns {Promise<boolean>} saved
 */
export function save(ed, row, intent, advance) {
  return track(row, saveRow(ed, row, intent, advance));
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {"save" | "draft" | "clear"} intent
 * @param {boolean} advance
 * @returns {Promise<boolean>} saved
 */
async function saveRow(ed, row, intent, advance) {
  const area = areaOf(row);
  const baseInput = baseInputOf(row);
  if (!area || !baseInput) return false;
  const text = area.value;
  const baseRevision = Number(baseInput.value);
  setState(row, ed.strings.saving);
  const answer =
    intent === "clear"
      ? await api("POST", `${pathOf(ed, row)}/clear`, { baseRevision })
      : await api("PUT", pathOf(ed, row), {
          text,
          baseRevision,
          status: intent === "draft" ? "draft" : "translated",
          // Inserted from the memory (memory.js), saved unchanged or edited from it.
          ...(area.dataset.origin ? { origin: area.dataset.origin } : {}),
          ...(area.dataset.origin && area.dataset.suggestion ? { suggestion: area.dataset.suggestion } : {}),
          sourceVersion: seenVersion(ed, row),
        });
  const { body } = answer;
  if (answer.ok) {
    area.value = intent === "clear" ? "" : area.value;
    area.dataset.saved = body.text;
    delete area.dataset.origin;
    delete area.dataset.suggestion;
    remember(row, body.text);
    baseInput.value = String(body.revision);
    removeConflict(row);
    setStatus(ed, row, body);
    renderFindings(ed, row, body.qa ?? [], true);
    if (body.progress)
      showProgress(
        document.querySelector(".editor-head .progress"),
        body.progress,
        ed.strings.progress,
        ed.lng,
      );
    showActions(ed, row, body.status);
    markDirty(ed, row);
    keepDraft(ed, row);
    // Nothing written (the text as saved): said so, above all for a rejected paragraph, which a save
    // of the same text does not send back for review.
    const unchanged = intent !== "clear" && body.revision === baseRevision && baseRevision > 0;
    setState(
      row,
      unchanged
        ? body.status === "rejected"
          ? ed.strings.unchangedRejected
          : ed.strings.unchanged
        : ed.strings.saved,
    );
    if (advance) focusRow(nextNeedingWork(ed, row), true);
    // The Clear button is gone (nothing is saved to clear): the focus stays in the row, to write anew.
    else if (intent === "clear") area.focus();
    return true;
  }
  if (answer.status === 409 && body.error?.code === "source_changed" && body.current) {
    showNewSource(ed, row, body.current);
    return false;
  }
  if (answer.status === 409 && body.current) {
    showConflict(ed, row, body.current, text, (r) => save(ed, r, intent, false));
    return false;
  }
  refused(ed, row, answer);
  return false;
}

/**
 * An editor approves the text as saved: unsaved changes are saved first, then that revision approved.
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
export function approve(ed, row) {
  return track(row, approveRow(ed, row));
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} row
 */
async function approveRow(ed, row) {
  if (isDirty(row) && !(await saveRow(ed, row, "save", false))) return;
  const baseInput = baseInputOf(row);
  if (!baseInput) return;
  const answer = await api("POST", `${pathOf(ed, row)}/review`, {
    action: "approve",
    revision: Number(baseInput.value),
    sourceVersion: seenVersion(ed, row),
  });
  if (answer.status === 409 && answer.body.error?.code === "source_changed" && answer.body.current) {
    showNewSource(ed, row, answer.body.current);
    return;
  }
  if (!answer.ok) {
    refused(ed, row, answer);
    return;
  }
  setStatus(ed, row, answer.body);
  showActions(ed, row, answer.body.status);
  if (answer.body.progress)
    showProgress(
      document.querySelector(".editor-head .progress"),
      answer.body.progress,
      ed.strings.progress,
      ed.lng,
    );
  setState(row, ed.strings.statuses.approved);
}

/**
 * After a change in place the row offers what a reload would: its history, Clear, and Approve for editors.
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {string} status
 */
export function showActions(ed, row, status) {
  const meta = row.querySelector(".meta");
  const saveButton = meta?.querySelector('button[value="save"]');
  if (!meta || !saveButton) return;
  if (!meta.querySelector("a.history")) {
    const link = document.createElement("a");
    link.className = "history";
    link.href = `/documents/${ed.doc}/${ed.lang}/paragraphs/${pidOf(row)}`;
    link.textContent = ed.strings.history;
    saveButton.before(link);
  }
  const clear = meta.querySelector('button[value="clear"]');
  if (status === "untranslated") clear?.remove();
  else if (!clear) {
    const button = document.createElement("button");
    button.type = "submit";
    button.name = "intent";
    button.value = "clear";
    button.className = "link clear";
    button.formNoValidate = true;
    button.textContent = ed.strings.clearLabel;
    meta.querySelector('button[value="draft"]')?.after(button);
  }
  const approveButton = meta.querySelector("button.approve");
  const approvable = status === "translated" || status === "draft" || status === "outdated";
  if (ed.canReview && approvable && !approveButton) {
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "approve";
    button.name = "action";
    button.value = "approve";
    button.formAction = `/documents/${ed.doc}/${ed.lang}/paragraphs/${pidOf(row)}/review?return=editor`;
    button.textContent = ed.strings.approve;
    meta.append(button);
  } else if (approveButton && !approvable) approveButton.remove();
}
