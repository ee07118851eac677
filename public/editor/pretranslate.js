// @ts-check
// "Pre-translate empty paragraphs" in place: starts the job through /api/v1, shows its progress with a
// cancel button, and reloads the page when the drafts are saved. Without scripts the form posts and
// the job's own page shows the progress.

import { api } from "../lib/api.js";
import { plural } from "../lib/i18n.js";

const DONE_KEY = "glosa-pretranslated";
const form = /** @type {HTMLFormElement | null} */ (document.getElementById("pretranslate"));
if (form) enable(form);

/** @param {HTMLFormElement} form */
function enable(form) {
  const strings = JSON.parse(form.dataset.strings ?? "{}");
  const path = `/documents/${encodeURIComponent(form.dataset.doc ?? "")}/translations/${encodeURIComponent(form.dataset.lang ?? "")}/pretranslate`;
  const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  status.className = "pretranslate-status";
  const bar = document.createElement("progress");
  bar.hidden = true;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = strings.cancel;
  cancel.hidden = true;
  form.append(bar, status, cancel);
  // What the job did, said after the reload that shows its drafts (the reload would wipe it).
  const said = sessionStorage.getItem(DONE_KEY);
  if (said) {
    sessionStorage.removeItem(DONE_KEY);
    status.textContent = said;
  }

  /** @type {string | null} */
  let job = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = strings.running;
    const started = await api("POST", path, {});
    if (!started.ok) {
      const error = started.body.error;
      status.textContent =
        error?.code === "mt_paused"
          ? strings.paused
              .replace("{provider}", error.details?.provider ?? "")
              .replace("{seconds}", String(error.details?.retryAfter ?? ""))
          : (error?.message ?? strings.startFailed);
      button.disabled = false;
      return;
    }
    job = started.body.id;
    cancel.hidden = false;
    bar.hidden = false;
    follow(started.body);
  });

  cancel.addEventListener("click", async () => {
    if (!job) return;
    cancel.disabled = true;
    const answer = await api("DELETE", `${path}/${encodeURIComponent(job)}`);
    if (answer.ok) show(answer.body);
    cancel.disabled = false;
  });

  /** @param {any} state */
  async function follow(state) {
    while (show(state)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const answer = await api("GET", `${path}/${encodeURIComponent(state.id)}`);
      if (!answer.ok) {
        status.textContent = strings.failed;
        button.disabled = false;
        return;
      }
      state = answer.body;
    }
  }

  /**
   * Shows a job's state; true while it runs.
   * @param {{ state: string, done: number, total: number, filled: number, error?: string }} state
   */
  function show(state) {
    bar.max = Math.max(state.total, 1);
    bar.value = state.total ? state.done : 1;
    if (state.state === "running") {
      status.textContent = strings.progress
        .replace("{done}", String(state.done))
        .replace("{total}", String(state.total));
      return true;
    }
    cancel.hidden = true;
    button.disabled = false;
    job = null;
    if (state.state === "done") {
      status.textContent = strings.done.replace("{count}", String(state.filled));
      if (state.filled > 0) {
        const lng = document.documentElement.lang || "en";
        sessionStorage.setItem(DONE_KEY, plural(strings.filled, state.filled, lng, { count: state.filled }));
        location.reload();
      }
    } else status.textContent = state.state === "cancelled" ? strings.cancelled : strings.failed;
    return false;
  }
}
