// @ts-check
// Live editing: who else has this translation open and where (from /api/v1/.../events, server-sent
// events), others' saves and approvals shown in their rows without a reload, and comment badges
// kept current. A row with unsaved text of one's own is never overwritten: it is marked, keeps its
// base revision, and its save gets the conflict view as before. Focus is reported with a small,
// throttled POST.

import { api, paragraphPath } from "../lib/api.js";
import { fill, plural } from "../lib/i18n.js";
import { showProgress } from "../lib/progress.js";
import { remember, scheduleCheck } from "./check.js";
import { showPanel } from "./comments.js";
import {
  areaOf,
  baseInputOf,
  isDirty,
  readEditor,
  rememberSavedFindings,
  setState,
  setStatus,
} from "./context.js";
import { grow } from "./grow.js";
import { showActions, written } from "./save.js";

/** @typedef {{ connection: string, username: string, pid: string | null }} Present */
/** @typedef {{ kind: "revision" | "review", pid: string, revision: number, status: string, author: string, at: string, text?: string, comment?: string }} ParagraphChange */

/** How long the header's progress waits for more changes heard live before it is read again. */
const PROGRESS_WAIT_MS = 600;

const root = document.getElementById("editor");
const line = document.getElementById("presence");
if (root && line && typeof EventSource === "function") start(root, line);

/**
 * @param {HTMLElement} root
 * @param {HTMLElement} line
 */
function start(root, line) {
  const ed = readEditor(root);
  const strings = JSON.parse(line.dataset.strings || "{}");
  const base = paragraphPath(ed.doc, ed.lang, "").replace(/\/paragraphs\/$/, "");
  let me = "";
  let connection = "";
  /** @type {Present[]} */
  let present = [];
  /** @type {EventSource | undefined} */
  let source;
  /** Reconnections tried since the stream last answered, for the wait before the next. */
  let tries = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let again;
  /** Whether the stream was lost since the page opened: others may have saved meanwhile. */
  let lost = false;

  /**
   * Opens the stream. A lost connection the browser gives up on (a 401 once the session ended, the
   * server restarted and refusing for a moment) is opened again, sooner when the page is looked at
   * again, and what others saved meanwhile is read back into the rows.
   */
  function connect() {
    clearTimeout(again);
    source = new EventSource(`/api/v1${base}/events`);
    source.addEventListener("hello", (event) => {
      const data = JSON.parse(/** @type {MessageEvent} */ (event).data);
      me = data.username;
      connection = data.connection;
      tries = 0;
      line.classList.remove("offline");
      line.hidden = true;
      line.textContent = "";
      sent = undefined;
      reportFocus();
      if (lost) void catchUp();
    });
    source.addEventListener("presence", (event) => {
      present = JSON.parse(/** @type {MessageEvent} */ (event).data).users;
      showPresence();
    });
    source.addEventListener("paragraph", (event) => {
      // Every change, one's own included: the same user's other tabs (and processes) show it as anyone
      // else's. The tab that made it already shows it: applyChange passes over a revision it has.
      void applyChange(/** @type {ParagraphChange} */ (JSON.parse(/** @type {MessageEvent} */ (event).data)));
    });
    source.addEventListener("bulk", (event) => {
      // An import or a batch, made on another page (no editor tab makes one in place): said here
      // whoever made it, one's own from another tab included.
      const { author } = JSON.parse(/** @type {MessageEvent} */ (event).data);
      line.hidden = false;
      line.textContent = fill(strings.updated, { n: "…", author });
      // Its rows are read back as after a lost stream, the author known: no row's history is asked.
      void catchUp(author);
    });
    source.addEventListener("source", (event) => {
      const { version } = JSON.parse(/** @type {MessageEvent} */ (event).data);
      if (version > ed.sourceVersion) showSourceUpdated(ed, version);
    });
    source.addEventListener("comment", (event) => {
      const data = JSON.parse(/** @type {MessageEvent} */ (event).data);
      showCommentCount(data.pid, data.open);
      // Whoever wrote it, from this tab or another: a panel this tab is sending from is drawn again by
      // comments.js when its answer comes, and refreshPanel leaves it alone.
      refreshPanel(data.pid);
    });
    source.addEventListener("error", () => {
      lost = true;
      connection = "";
      line.hidden = false;
      line.classList.add("offline");
      line.textContent = strings.offline;
      // The browser retries a dropped stream itself, but not one answered with an error status.
      if (source?.readyState === EventSource.CLOSED) {
        clearTimeout(again);
        again = setTimeout(connect, Math.min(30_000, 2_000 * 2 ** tries++));
      }
    });
  }

  /** Back in view with the stream given up on: tried again now, not at the end of its wait. */
  const retryNow = () => {
    if (source?.readyState === EventSource.CLOSED && document.visibilityState === "visible") connect();
  };
  window.addEventListener("focus", retryNow);
  document.addEventListener("visibilitychange", retryNow);

  /**
   * After a lost stream: the rows others saved meanwhile, read from the translation as it is now and
   * shown as their saves would have been (a row with unsaved text of one's own is marked, not changed).
   */
  /** @param {string} [author] who made the changes, when one append made them all (a `bulk`) */
  async function catchUp(author) {
    lost = false;
    const answer = await api("GET", base);
    if (!answer.ok) return;
    for (const paragraph of answer.body.paragraphs ?? []) {
      const row = document.getElementById(`p-${paragraph.id}`);
      const baseInput = row ? baseInputOf(row) : null;
      if (!baseInput || paragraph.revision <= Number(baseInput.value)) continue;
      let last = author ? { author, createdAt: new Date().toISOString() } : undefined;
      if (!last) {
        const revisions = await api("GET", `${paragraphPath(ed.doc, ed.lang, paragraph.id)}/revisions`);
        last = revisions.ok ? revisions.body.revisions.at(-1) : undefined;
      }
      if (!last) continue;
      await applyChange(
        {
          kind: "revision",
          pid: paragraph.id,
          revision: paragraph.revision,
          status: paragraph.status,
          author: last.author,
          at: last.createdAt,
          text: paragraph.text ?? "",
        },
        false,
      );
    }
    clearTimeout(progressTimer);
    showProgressOf(answer.body);
  }

  /** @param {{ progress?: import("../lib/progress.js").Progress }} translation */
  function showProgressOf(translation) {
    if (translation.progress)
      showProgress(
        document.querySelector(".editor-head .progress"),
        translation.progress,
        ed.strings.progress,
        ed.lng,
      );
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let progressTimer;
  /**
   * The header's progress after others' saves and reviews, read once they pause (a row's status is
   * known here; the words translated are counted as the server counts them). One paragraph is read.
   */
  function refreshProgress() {
    clearTimeout(progressTimer);
    progressTimer = setTimeout(async () => {
      const answer = await api("GET", `${base}?from=0&limit=1`);
      if (answer.ok) showProgressOf(answer.body);
    }, PROGRESS_WAIT_MS);
  }

  function showPresence() {
    // Another tab of this user's is said as such: a save there is a save here (and a conflict with
    // oneself is the one a person least expects).
    const others = present.filter((p) => p.connection !== connection);
    for (const el of Array.from(root.querySelectorAll(".editing-by"))) el.remove();
    const names = [];
    for (const p of others) {
      const row = p.pid ? document.getElementById(`p-${p.pid}`) : null;
      const n = row?.querySelector(".num")?.textContent ?? "";
      const self = p.username === me;
      const editing = fill(self ? strings.editingElsewhere : strings.editing, { name: p.username, n });
      names.push(p.pid && n ? editing : self ? strings.youElsewhere : p.username);
      if (row) {
        const badge = document.createElement("span");
        badge.className = "editing-by";
        badge.textContent = editing;
        row.querySelector(".meta")?.prepend(badge);
      }
    }
    line.hidden = others.length === 0;
    line.textContent = others.length
      ? plural(strings.here, others.length, ed.lng, { names: names.join(" · ") })
      : "";
  }

  /**
   * Shows a change in its row, unless the row already has it: a change this tab made itself (heard
   * before or after the answer to its write, which it waits for) or one already caught up with.
   * @param {ParagraphChange} change
   * @param {boolean} [progress] whether the header's progress is read again after it (catchUp reads it once)
   */
  async function applyChange(change, progress = true) {
    const row = document.getElementById(`p-${change.pid}`);
    if (!row) return;
    await written(row);
    const area = areaOf(row);
    const baseInput = baseInputOf(row);
    if (!area || !baseInput) return;
    const shown = Number(baseInput.value);
    if (change.revision < shown) return;
    if (change.revision === shown) {
      // The same revision: a save already shown, or a review of it, shown once its status is.
      if (change.kind === "revision" || row.classList.contains(`status-${change.status}`)) return;
    }
    // A change this row did not show: the language's progress moved, whatever the row keeps.
    if (progress) refreshProgress();
    const n = row.querySelector(".num")?.textContent ?? "";
    if (isDirty(row)) {
      // Their change stays on the server; this row keeps its base revision, so saving shows the conflict.
      row.classList.add("remote-changed");
      setState(row, fill(strings.keptLocal, { n, author: change.author }));
      return;
    }
    if (change.kind === "revision") {
      const text = change.text ?? (await latestText(change.pid));
      if (text === undefined || isDirty(row)) return;
      area.value = text;
      area.dataset.saved = text;
      remember(row, text);
      // The findings on screen are the old text's: which ones the new text has is not known here.
      rememberSavedFindings(row, null);
      grow(area);
      baseInput.value = String(change.revision);
      scheduleCheck(ed, row);
    }
    setStatus(ed, row, {
      status: change.status,
      revision: Number(baseInput.value),
      author: change.author,
      createdAt: change.at,
    });
    // What a reload would offer for the new status: History, Clear, and Approve for editors.
    showActions(ed, row, change.status);
    row.classList.remove("remote-changed");
    showRejection(row, change);
    // A review is said as what it was: approved, or sent back, not "changed".
    /** @type {Record<string, string>} */
    const reviewed = { approved: strings.approvedBy, rejected: strings.rejectedBy };
    const said = (change.kind === "review" && reviewed[change.status]) || strings.updated;
    setState(row, fill(said, { n, author: change.author }));
  }

  /**
   * The reason of a rejection heard live, under the text as a reload shows it; gone once the row
   * moves on (a save, an approval).
   * @param {Element} row
   * @param {ParagraphChange} change
   */
  function showRejection(row, change) {
    row.querySelector(".rejection")?.remove();
    if (change.status !== "rejected" || !change.comment) return;
    const note = document.createElement("p");
    note.className = "rejection";
    const who = document.createElement("strong");
    who.textContent = fill(strings.rejection, { author: change.author });
    note.append(who, ` ${change.comment}`);
    row.querySelector(".meta")?.before(note);
  }

  /** @param {string} pid */
  async function latestText(pid) {
    const answer = await api("GET", `${paragraphPath(ed.doc, ed.lang, pid)}/revisions`);
    const revisions = answer.ok ? answer.body.revisions : [];
    return revisions.length ? String(revisions[revisions.length - 1].text) : undefined;
  }

  /**
   * @param {string} pid
   * @param {number} open
   */
  function showCommentCount(pid, open) {
    const link = document.getElementById(`p-${pid}`)?.querySelector("a.comments-link");
    if (!link) return;
    link.classList.toggle("has-open", open > 0);
    link.textContent = open > 0 ? plural(strings.badge, open, ed.lng) : strings.link;
  }

  /** @param {string} pid */
  function refreshPanel(pid) {
    const row = document.getElementById(`p-${pid}`);
    const panel = row?.nextElementSibling;
    const link = row?.querySelector("a.comments-link");
    // A panel being typed in, holding text not sent, or sending (comments.js draws it again once
    // answered) is left alone; an idle one is fetched again.
    if (!row || !panel?.classList.contains("comment-panel") || !(link instanceof HTMLAnchorElement)) return;
    if (panel instanceof HTMLElement && panel.dataset.sending !== undefined) return;
    if (panel.contains(document.activeElement) && document.activeElement instanceof HTMLTextAreaElement)
      return;
    const boxes = Array.from(panel.querySelectorAll("textarea"));
    if (boxes.some((box) => box.value.trim() && box.value !== box.defaultValue)) return;
    panel.remove();
    void showPanel(row, link);
  }

  // Focus: the paragraph being edited, sent at most every 500 ms and only when it changed.
  /** @type {string | null} */
  let focused = null;
  /** @type {string | null | undefined} */
  let sent;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  function reportFocus() {
    if (timer || !connection) return;
    timer = setTimeout(async () => {
      timer = undefined;
      if (focused === sent) return;
      sent = focused;
      const answer = await api("POST", `${base}/presence`, { connection, pid: focused });
      if (!answer.ok) sent = undefined;
    }, 500);
  }
  root.addEventListener("focusin", (event) => {
    const row = /** @type {Element} */ (event.target).closest("article.para");
    focused = row ? row.id.slice(2) : null;
    reportFocus();
  });
  root.addEventListener("focusout", (event) => {
    if (!root.contains(/** @type {Node | null} */ (event.relatedTarget))) {
      focused = null;
      reportFocus();
    }
  });
  window.addEventListener("pagehide", () => {
    clearTimeout(again);
    source?.close();
  });
  connect();
}

/**
 * The article was updated while this page was open: say so above the paragraphs, once, with a way to
 * reload (the page's own leave warning guards unsaved rows). Saves go on working: a paragraph whose
 * source changed shows its new source when saved (save.js).
 * @param {import("./context.js").Editor} ed
 * @param {number} version
 */
function showSourceUpdated(ed, version) {
  let note = /** @type {HTMLElement | null} */ (document.getElementById("source-updated"));
  if (!note) {
    note = document.createElement("div");
    note.id = "source-updated";
    note.className = "flash warning source-updated";
    note.setAttribute("role", "alert");
    // In the sticky head, in view wherever the translator is (above the rows, a trial's translator
    // writing at ¶9 never saw it).
    const head = document.querySelector(".editor-head");
    if (head) head.append(note);
    else ed.root.before(note);
  }
  note.replaceChildren(ed.strings.sourceUpdated.replace("{version}", String(version)), " ");
  const reload = document.createElement("button");
  reload.type = "button";
  reload.textContent = ed.strings.reload;
  reload.addEventListener("click", () => location.reload());
  note.append(reload);
}
