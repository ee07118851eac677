// @ts-check
// The review page, enhanced: a approve, r reject (focuses the comment), j / k next and previous,
// decisions sent in place through /api/v1 so the reviewer moves straight on; the counter and the
// progress bar follow, and the page is read again so the next waiting cards come into it (with the
// Previous / Next links). Others' changes arrive as they happen (live.js). A rejection's comment is
// sent with Enter or, as in the editor, Ctrl+Enter (⌘+Enter). Without this script every card is two
// forms.

import { api, paragraphPath } from "../lib/api.js";
import { plural } from "../lib/i18n.js";
import { showProgress } from "../lib/progress.js";
import { cardMessage, cardRefresher, followChanges, refreshCards } from "./live.js";

const root = document.getElementById("review");
if (root) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const strings = JSON.parse(root.dataset.strings || "{}");
  const doc = root.dataset.doc ?? "";
  const lang = root.dataset.lang ?? "";
  const lng = document.documentElement.lang || "en";
  const cards = () => /** @type {HTMLElement[]} */ (Array.from(root.querySelectorAll("article.review-card")));
  /** The cards the keys move among: not those whose decision is on its way. */
  const open = () => cards().filter((c) => !c.dataset.deciding);
  /** @type {HTMLElement | null} */
  let current = cards()[0] ?? null;

  /** @param {HTMLElement | null | undefined} card */
  function select(card) {
    if (!card) return;
    for (const c of cards()) c.classList.toggle("selected", c === card);
    current = card;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  /**
   * The open card after `card`, or the one before it when it is the last: where the keys go once it
   * is decided.
   * @param {HTMLElement} card
   */
  function neighbourOf(card) {
    const all = open();
    const at = all.indexOf(card);
    if (at < 0) return null;
    return all[at + 1] ?? all[at - 1] ?? null;
  }

  /** No card left to move to: the page's heading takes the focus, so it is not lost with the card. */
  function focusHeading() {
    const heading = /** @type {HTMLElement | null} */ (document.querySelector("main h1, h1"));
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    current = null;
  }

  /** Decisions sent from here and answered: a page read while one was on its way is read again. */
  let decisions = 0;

  /** After live.js added, replaced or removed cards: the selection and the counter follow. */
  const hooks = {
    decisions: () => decisions,
    changed() {
      if (!current?.isConnected) {
        current =
          /** @type {HTMLElement | null} */ (root.querySelector("article.review-card.selected")) ?? null;
        if (!current) {
          current = cards()[0] ?? null;
          current?.classList.add("selected");
        }
        // The focused card was replaced by its fresh copy: the focus goes with the selection.
        if (current && document.activeElement === document.body) current.focus({ preventScroll: true });
      }
      updateCounter();
    },
  };

  const refresher = cardRefresher(root, hooks);

  function updateCounter() {
    // The page holds 50 cards at most: the count is of every paragraph waiting (the page's last
    // reading, less the decisions made here since).
    const total = Number(root.dataset.total || 0);
    const counter = document.getElementById("left-counter");
    if (counter) counter.textContent = plural(strings.left, total, lng);
    if (cards().length > 0) return;
    // This page is done: the next cards come in (the same page read again starts after them), or
    // the first page's, when only earlier ones wait.
    if (total > 0 && Number(root.dataset.later || 0) > 0) {
      window.location.reload();
      return;
    }
    if (total > 0 && Number(root.dataset.earlier || 0) > 0) {
      window.location.assign(window.location.pathname);
      return;
    }
    if (!document.getElementById("all-done")) {
      const done = document.createElement("p");
      done.className = "empty";
      done.id = "all-done";
      done.textContent = strings.done;
      root.append(done);
    }
  }

  /**
   * @param {HTMLElement} card
   * @param {string} message
   */
  const showError = (card, message) => cardMessage(card, "error", message);

  /**
   * @param {HTMLElement} card
   * @param {HTMLFormElement} form
   */
  async function decide(card, form) {
    const data = new FormData(form);
    const action = String(data.get("action"));
    const comment = String(data.get("comment") ?? "").trim();
    if (action === "reject" && !comment) {
      /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=comment]"))?.focus();
      showError(card, strings.commentRequired);
      return;
    }
    // Decided once: the keys move straight on to the next card, and a second `a` pressed before
    // the answer came decides that one, not this one again.
    if (card.dataset.deciding) return;
    // Its neighbours are found while it is still among the open cards (an approval or a rejection alike).
    const neighbour = neighbourOf(card);
    card.dataset.deciding = "true";
    if (card === current) {
      if (neighbour) select(neighbour);
      else focusHeading();
    }
    decisions++;
    const answer = await api("POST", `${paragraphPath(doc, lang, card.dataset.pid ?? "")}/review`, {
      action,
      revision: Number(data.get("revision")),
      ...(comment ? { comment } : {}),
      // The source the card shows: a decision on a paragraph whose source changed since is refused.
      sourceVersion: Number(card.dataset.sourceVersion || root.dataset.sourceVersion || 1),
    });
    decisions++;
    delete card.dataset.deciding;
    if (answer.ok) {
      // Still selected when it was the last open card: the one before it is, if any.
      const next = card === current ? neighbourOf(card) : null;
      card.remove();
      root.dataset.total = String(Math.max(0, Number(root.dataset.total || 0) - 1));
      updateCounter();
      if (answer.body.progress)
        showProgress(
          document.querySelector(".editor-head .progress"),
          answer.body.progress,
          strings.progress,
          lng,
        );
      if (next) select(next);
      else if (!cards().length) focusHeading();
      // The card made room on the page: the next one waiting comes in, the links move past it.
      if (cards().length > 0) refresher.request();
      return;
    }
    if (answer.status === 409) {
      // Someone saved in between: nothing was decided. The card shows their version, the comment
      // being written is kept.
      const pid = card.dataset.pid ?? "";
      const read = await refreshCards(root, new Map([[pid, { author: "" }]]), hooks, { force: pid });
      if (!read) window.location.reload();
      const fresh = document.getElementById(`r-${pid}`);
      if (!fresh) return;
      const box = fresh.querySelector("form.reject-form input[name=comment]");
      if (box instanceof HTMLInputElement && comment) box.value = comment;
      const changed = answer.body.error?.code === "source_changed";
      // The fresh card shows the new source: the next decision is made against it.
      if (changed) fresh.dataset.sourceVersion = String(answer.body.current?.sourceVersion ?? "");
      showError(fresh, changed ? answer.body.error.message : strings.stale);
      select(fresh);
      return;
    }
    showError(card, answer.body.error?.message ?? strings.failed);
    select(card);
  }

  root.addEventListener("submit", (event) => {
    const form = /** @type {HTMLFormElement} */ (event.target);
    const card = /** @type {HTMLElement | null} */ (form.closest("article.review-card"));
    if (!card) return;
    event.preventDefault();
    decide(card, form);
  });

  document.addEventListener("keydown", (event) => {
    const tag = /** @type {Element} */ (event.target).tagName;
    if (
      tag === "INPUT" ||
      tag === "TEXTAREA" ||
      tag === "SELECT" ||
      event.ctrlKey ||
      event.metaKey ||
      event.altKey
    )
      return;
    if (!current) return;
    const all = open();
    if (event.key === "j") select(all[all.indexOf(current) + 1] ?? current);
    else if (event.key === "k") select(all[all.indexOf(current) - 1] ?? current);
    else if (event.key === "a") {
      const form = /** @type {HTMLFormElement | null} */ (current.querySelector("form.approve-form"));
      if (form) decide(current, form);
    } else if (event.key === "r") {
      event.preventDefault();
      /** @type {HTMLInputElement | null} */ (
        current.querySelector("form.reject-form input[name=comment]")
      )?.focus();
    }
  });

  // The comment box is one line: Enter sends it, and so does Ctrl+Enter (⌘+Enter), as in the editor
  // and the comment boxes, which a browser does not do for a one-line box on its own.
  root.addEventListener("keydown", (event) => {
    const box = /** @type {Element} */ (event.target);
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const form = box.closest?.("form.reject-form");
    if (!(form instanceof HTMLFormElement) || box.getAttribute("name") !== "comment") return;
    event.preventDefault();
    form.requestSubmit();
  });

  root.addEventListener("focusin", (event) => {
    const card = /** @type {HTMLElement | null} */ (
      /** @type {Element} */ (event.target).closest?.("article.review-card") ?? null
    );
    if (card && card !== current) {
      for (const c of cards()) c.classList.toggle("selected", c === card);
      current = card;
    }
  });
  // A rejection's reason typed and not sent is not lost to a link or a reload without a question.
  window.addEventListener("beforeunload", (event) => {
    const unsent = open().some((card) => {
      const box = card.querySelector("form.reject-form input[name=comment]");
      return box instanceof HTMLInputElement && box.value.trim() !== "";
    });
    if (!unsent) return;
    event.preventDefault();
    event.returnValue = strings.leave;
  });

  if (current) current.classList.add("selected");
  followChanges(root, refresher);
  // The keys work only with this script: their hints show only with it.
  document.getElementById("review-keys")?.removeAttribute("hidden");
  root.dataset.ready = "true";
}
