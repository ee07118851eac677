// @ts-check
// A paragraph's comment thread inline: the row's Comments link opens the thread page's panel
// (`?panel=1`, rendered and escaped by the server) after the row. Its forms (post, edit, resolve,
// delete) go to /api/v1 and the panel is drawn again in place: a full-page post would leave the
// editor, and with it any unsaved text in other rows. Without scripts the forms post as pages.
// The panel sits outside the row, so the editor's save handler, which takes over every form inside
// a row, leaves them alone.

import { api } from "../lib/api.js";

const root = document.getElementById("editor");
if (root) {
  root.addEventListener("click", (event) => void toggle(event));
  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const panel = form.closest(".comment-panel");
    const call = panel && apiCall(form);
    if (!panel || !call) return;
    event.preventDefault();
    void send(panel, form, call);
  });
  // A comment typed and not sent is lost with the page, as unsaved translations are: leaving asks
  // (a comment being edited counts once its text differs from the one saved).
  window.addEventListener("beforeunload", (event) => {
    const unsent = Array.from(root.querySelectorAll(".comment-panel textarea")).find(
      (box) => box instanceof HTMLTextAreaElement && box.value.trim() && box.value !== box.defaultValue,
    );
    if (!unsent) return;
    event.preventDefault();
    event.returnValue =
      unsent.closest(".comment-panel")?.querySelector("[data-discard]")?.getAttribute("data-discard") ?? "";
  });
  // In a thread, as in a row: Ctrl+Enter sends what is typed; Esc closes the thread (what was
  // typed and not sent is kept only while it is open, so Esc with text asks first).
  root.addEventListener("keydown", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement)) return;
    const panel = box.closest(".comment-panel");
    if (!panel) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      box.form?.requestSubmit();
    } else if (event.key === "Escape") {
      const question = panel.querySelector("[data-discard]")?.getAttribute("data-discard");
      if (box.value.trim() && question && !window.confirm(question)) return;
      event.preventDefault();
      close(panel);
    }
  });
}

/**
 * Closes a thread panel and gives the focus back to its row's Comments link.
 * @param {Element} panel
 */
function close(panel) {
  const link = panel.previousElementSibling?.querySelector("a.comments-link");
  panel.remove();
  if (link instanceof HTMLAnchorElement) {
    link.setAttribute("aria-expanded", "false");
    link.focus();
  }
}

/**
 * The API call a panel form stands for, from its action (views/comments/thread.ejs); null for one
 * this script does not know, which then posts as a page.
 * @param {HTMLFormElement} form
 * @returns {{ method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown } | null}
 */
function apiCall(form) {
  const action = new URL(form.action, window.location.href).pathname;
  const data = new FormData(form);
  const text = String(data.get("text") ?? "");
  const thread = /^\/documents\/([^/]+)\/([^/]+)\/paragraphs\/([^/]+)\/comments$/.exec(action);
  if (thread) {
    const [, doc, lang, pid] = thread;
    const scope = data.get("scope") === "source" ? "source" : "translation";
    return {
      method: "POST",
      path: `/documents/${doc}/translations/${lang}/paragraphs/${pid}/comments`,
      body: { text, scope },
    };
  }
  const one = /^\/comments\/([^/]+)\/(edit|resolve|delete)$/.exec(action);
  if (!one) return null;
  const [, id, verb] = one;
  if (verb === "delete") return { method: "DELETE", path: `/comments/${id}` };
  if (verb === "resolve")
    return { method: "PATCH", path: `/comments/${id}`, body: { resolved: data.get("resolved") === "true" } };
  return { method: "PATCH", path: `/comments/${id}`, body: { text } };
}

/**
 * Sends a panel's form through the API and draws the thread again; a refusal is shown in the panel,
 * the typed text kept.
 * @param {Element} panel
 * @param {HTMLFormElement} form
 * @param {{ method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown }} call
 */
async function send(panel, form, call) {
  const button = form.querySelector("button[type=submit], button:not([type])");
  if (button instanceof HTMLButtonElement) button.disabled = true;
  // Its own comment, heard on the live stream before the answer, must not draw the panel a second time.
  if (panel instanceof HTMLElement) panel.dataset.sending = "";
  const answer = await api(call.method, call.path, call.body);
  if (panel instanceof HTMLElement) delete panel.dataset.sending;
  if (button instanceof HTMLButtonElement) button.disabled = false;
  const row = panel.previousElementSibling;
  const link = row?.querySelector("a.comments-link");
  if (answer.ok && row && link instanceof HTMLAnchorElement) {
    panel.remove();
    await showPanel(row, link);
    return;
  }
  let problem = form.querySelector(".flash.error");
  if (!problem) {
    problem = document.createElement("p");
    problem.className = "flash error";
    problem.setAttribute("role", "alert");
    form.prepend(problem);
  }
  // A session that ended is said in plain words, as for a save, not in the API's.
  const ended = answer.status === 401 ? panel.querySelector("[data-session-ended]") : null;
  problem.textContent =
    ended?.getAttribute("data-session-ended") ??
    answer.body.error?.message ??
    panel.querySelector("[data-failed]")?.getAttribute("data-failed") ??
    "";
}

/** @param {MouseEvent} event */
async function toggle(event) {
  const link = /** @type {Element} */ (event.target).closest("a.comments-link");
  if (!(link instanceof HTMLAnchorElement) || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const row = link.closest("article.para");
  if (!row) return;
  event.preventDefault();
  const open = row.nextElementSibling?.classList.contains("comment-panel") ? row.nextElementSibling : null;
  if (open) {
    open.remove();
    link.setAttribute("aria-expanded", "false");
    return;
  }
  await showPanel(row, link);
}

/**
 * Loads the thread panel after `row`; a failure follows the link instead.
 * @param {Element} row
 * @param {HTMLAnchorElement} link
 */
export async function showPanel(row, link) {
  const response = await fetch(`${link.pathname}?panel=1`, { credentials: "same-origin" }).catch(() => null);
  if (!response?.ok) {
    window.location.href = link.href;
    return;
  }
  const panel = document.createElement("div");
  panel.className = "comment-panel";
  // Server-rendered HTML of our own origin, every user text escaped there (views/comments/thread.ejs).
  panel.innerHTML = await response.text();
  row.after(panel);
  link.setAttribute("aria-expanded", "true");
  /** @type {HTMLTextAreaElement | null} */ (panel.querySelector(".comment-new textarea"))?.focus();
}
