// @ts-check
// The review page kept current (issue 17): others' saves, approvals and comments, heard on the
// document's event stream (/api/v1/.../events), bring the cards they touch up to date without a
// reload: a paragraph newly changed gets its card, one approved or sent back elsewhere loses it, a
// changed one shows its new diff, and the counter and progress bar follow. The cards come from the
// review page itself, fetched again: the server renders them (diff, findings, glossary) one way.
// A card the reviewer is writing a rejection in is never replaced under them: it is marked and keeps
// the revision it showed, so deciding on it is refused as stale and then shows the new version.

import { fill, plural } from "../lib/i18n.js";

/** Changes heard within this long are fetched together. */
const GATHER_MS = 150;
/** The change that stands for every paragraph (an import). */
const EVERY = "*";

/**
 * @typedef {{ changed: () => void, decisions?: () => number }} Hooks  `changed` runs after cards were
 *   added, replaced or removed; `decisions` counts the reviewer's own decisions sent and answered, so a
 *   page read while one was on its way is known to be out of date
 * @typedef {{ author: string, status?: string }} Change
 * @typedef {{ request: (changes?: Map<string, Change>, keep?: boolean) => void }} Refresher
 */

/**
 * A card is busy while a rejection is being written in it: its comment box has focus or text.
 * @param {Element} card
 */
export function isBusy(card) {
  const box = card.querySelector("form.reject-form input[name=comment]");
  if (!(box instanceof HTMLInputElement)) return false;
  return box.value.trim() !== "" || document.activeElement === box;
}

/**
 * Fetches the page again and brings the cards of `changes` up to date; busy cards are only marked
 * unless `force` names one (the reviewer's own decision on it came back stale). When `outdated` says
 * so once the page is read (a decision was made here meanwhile), nothing is changed: the page read
 * may still hold the card just decided.
 * @param {HTMLElement} root
 * @param {Map<string, Change>} changes
 * @param {Hooks} hooks
 * @param {{ force?: string, outdated?: () => boolean }} [options]
 * @returns {Promise<boolean | null>} whether the page could be read; null when it was out of date
 */
export async function refreshCards(root, changes, hooks, options = {}) {
  const strings = JSON.parse(root.dataset.strings || "{}");
  // The same page of cards (its `after`) as the reviewer sees.
  const response = await fetch(window.location.pathname + window.location.search, {
    headers: { Accept: "text/html" },
  });
  if (!response.ok) return false;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  if (options.outdated?.()) return null;
  const counts = fresh.getElementById("review")?.dataset;
  if (counts) {
    root.dataset.total = counts.total ?? "0";
    root.dataset.earlier = counts.earlier ?? "0";
    root.dataset.later = counts.later ?? "0";
  }
  // Cards decided here or elsewhere make room on the page: the ones that now come into it are added too.
  for (const card of fresh.querySelectorAll("article.review-card")) {
    const pid = /** @type {HTMLElement} */ (card).dataset.pid ?? "";
    if (!changes.has(pid) && !document.getElementById(`r-${pid}`)) changes.set(pid, { author: "" });
  }
  const status = document.getElementById("presence");
  const every = changes.get(EVERY);
  if (every) {
    // An import: every card on either page may have changed.
    changes.delete(EVERY);
    for (const card of [
      ...root.querySelectorAll("article.review-card"),
      ...fresh.querySelectorAll("article.review-card"),
    ]) {
      const pid = /** @type {HTMLElement} */ (card).dataset.pid ?? "";
      if (!changes.has(pid)) changes.set(pid, every);
    }
  }
  for (const [pid, change] of changes) {
    const mine = document.getElementById(`r-${pid}`);
    const theirs = fresh.getElementById(`r-${pid}`);
    if (mine && isBusy(mine) && options.force !== pid) {
      markChanged(mine, fill(strings.reviewKept, { n: mine.dataset.n ?? "", author: change.author }));
      // The comments badge is not the reviewer's work: it is kept current.
      const link = theirs?.querySelector("a.comments-link");
      if (link) mine.querySelector("a.comments-link")?.replaceWith(document.importNode(link, true));
      continue;
    }
    if (theirs) {
      const card = /** @type {HTMLElement} */ (document.importNode(theirs, true));
      if (mine) {
        card.classList.toggle("selected", mine.classList.contains("selected"));
        mine.replaceWith(card);
      } else insertInOrder(root, card);
    } else if (mine) {
      mine.remove();
      if (status && change.author) {
        const done = change.status === "rejected" ? strings.rejectedBy : strings.approvedBy;
        say(status, fill(done, { n: mine.dataset.n ?? "", author: change.author }));
      }
    }
  }
  const progress = fresh.querySelector(".editor-head .progress");
  if (progress)
    document.querySelector(".editor-head .progress")?.replaceWith(document.importNode(progress, true));
  // The page's range and its Previous / Next links move with the cards that came in or left.
  const counter = document.getElementById("left-counter");
  if (counter) swapPart(document.getElementById("page-range"), fresh.getElementById("page-range"), counter);
  swapPart(document.querySelector("nav.pager"), fresh.querySelector("nav.pager"), root);
  if (root.querySelector("article.review-card")) document.getElementById("all-done")?.remove();
  hooks.changed();
  return true;
}

/**
 * Puts the fresh page's part in place of the shown one, after `anchor` when none is shown, or takes
 * the shown one away when the fresh page has none.
 * @param {Element | null} mine
 * @param {Element | null} theirs
 * @param {Element} anchor
 */
function swapPart(mine, theirs, anchor) {
  const part = theirs ? document.importNode(theirs, true) : null;
  if (mine && part) mine.replaceWith(part);
  else if (mine) mine.remove();
  else if (part) anchor.after(part);
}

/**
 * Reads the page again for the cards of the changes asked for, one read at a time, changes asked
 * within GATHER_MS read together. Asked with no changes (a decision made here), the read brings in
 * the cards that now come into the page and moves the counter and the links. A read made while a
 * decision was on its way is done again, so a decided card never comes back.
 * @param {HTMLElement} root
 * @param {Hooks} hooks
 * @returns {Refresher}
 */
export function cardRefresher(root, hooks) {
  /** @type {Map<string, Change>} */
  let pending = new Map();
  let asked = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let running = false;

  function schedule() {
    if (timer || running) return;
    timer = setTimeout(async () => {
      timer = undefined;
      running = true;
      const changes = pending;
      pending = new Map();
      asked = false;
      // The newest source version heard of (followChanges): the page takes it once its cards are read.
      const version = root.dataset.heardVersion;
      const decisions = hooks.decisions?.();
      /** @type {boolean | null | undefined} */
      let read;
      try {
        read = await refreshCards(root, changes, hooks, {
          outdated: () => hooks.decisions?.() !== decisions,
        });
        if (read && version) root.dataset.sourceVersion = version;
      } catch {
        // Offline for a moment: the stream's error handler says so, and the next change retries.
      } finally {
        running = false;
        if (read === false || read === null)
          for (const [pid, change] of changes) if (!pending.has(pid)) pending.set(pid, change);
        if (read === null) asked = true;
        if (asked || pending.size) schedule();
      }
    }, GATHER_MS);
  }

  return {
    request(changes = new Map(), keep = false) {
      for (const [pid, change] of changes) if (!keep || !pending.has(pid)) pending.set(pid, change);
      asked = true;
      schedule();
    },
  };
}

/**
 * Shows a message above a card's buttons: an error (`alert`) or a notice of others' change (`status`).
 * @param {HTMLElement} card
 * @param {"error" | "notice"} kind
 * @param {string} message
 */
export function cardMessage(card, kind, message) {
  let box = card.querySelector(`.card-${kind}`);
  if (!box) {
    box = document.createElement("p");
    box.className = `flash card-${kind}${kind === "error" ? " error" : ""}`;
    box.setAttribute("role", kind === "error" ? "alert" : "status");
    card.querySelector(".review-actions")?.before(box);
  }
  box.textContent = message;
}

/**
 * @param {HTMLElement} card
 * @param {string} message
 */
function markChanged(card, message) {
  card.classList.add("remote-changed");
  cardMessage(card, "notice", message);
}

/**
 * Puts a new card among the others in paragraph order.
 * @param {HTMLElement} root
 * @param {HTMLElement} card
 */
function insertInOrder(root, card) {
  const n = Number(card.dataset.n);
  const after = Array.from(root.querySelectorAll("article.review-card")).find(
    (c) => Number(/** @type {HTMLElement} */ (c).dataset.n) > n,
  );
  if (after) after.before(card);
  else root.append(card);
}

/**
 * @param {HTMLElement} line
 * @param {string} text
 */
function say(line, text) {
  line.hidden = false;
  line.classList.remove("offline");
  line.textContent = text;
  newsAt = Date.now();
}

/** When a message about a change was last shown: who is here does not cover it for NEWS_MS. */
let newsAt = 0;
const NEWS_MS = 8000;

/**
 * Follows the document's stream for as long as the page is open; the cards it touches are read again
 * through `refresher`.
 * @param {HTMLElement} root
 * @param {Refresher} refresher
 */
export function followChanges(root, refresher) {
  const line = document.getElementById("presence");
  if (!line || typeof EventSource !== "function") return;
  const strings = JSON.parse(root.dataset.strings || "{}");
  const lng = document.documentElement.lang || "en";
  const doc = encodeURIComponent(root.dataset.doc ?? "");
  const lang = encodeURIComponent(root.dataset.lang ?? "");
  const source = new EventSource(`/api/v1/documents/${doc}/translations/${lang}/events`);
  let me = "";
  /** The "also here" line last shown. */
  let here = "";
  /** The newest source version heard of; the page takes it once its cards are read again. */
  let heardVersion = Number(root.dataset.sourceVersion || 1);
  /**
   * @param {string} pid
   * @param {Change} change
   * @param {boolean} [keep] a change already asked for the paragraph stays (it says more)
   */
  const ask = (pid, change, keep = false) => refresher.request(new Map([[pid, change]]), keep);

  source.addEventListener("hello", (event) => {
    me = JSON.parse(/** @type {MessageEvent} */ (event).data).username;
    line.classList.remove("offline");
    if (line.textContent === strings.offline) line.hidden = true;
  });
  source.addEventListener("presence", (event) => {
    /** @type {{ username: string }[]} */
    const users = JSON.parse(/** @type {MessageEvent} */ (event).data).users;
    const others = [...new Set(users.map((u) => u.username).filter((u) => u !== me))];
    if (others.length) {
      here = plural(strings.here, others.length, lng, { names: others.join(" · ") });
      // A change's message (an approval elsewhere, an updated source) stays a while before names cover it.
      if (Date.now() - newsAt < NEWS_MS && line.textContent !== "" && !line.hidden) return;
      say(line, here);
      newsAt = 0;
    } else if (here && line.textContent === here) {
      // Everyone else left: their names go (a newer message about a change stays).
      line.hidden = true;
      line.textContent = "";
    }
  });
  source.addEventListener("paragraph", (event) => {
    const data = JSON.parse(/** @type {MessageEvent} */ (event).data);
    // One's own decisions are already on the page.
    if (data.author === me) return;
    const card = document.getElementById(`r-${data.pid}`);
    say(line, fill(strings.updated, { n: card?.dataset.n ?? "?", author: data.author }));
    ask(data.pid, { author: data.author, status: data.status });
  });
  source.addEventListener("comment", (event) => {
    const data = JSON.parse(/** @type {MessageEvent} */ (event).data);
    if (data.author === me || !document.getElementById(`r-${data.pid}`)) return;
    ask(data.pid, { author: data.author }, true);
  });
  source.addEventListener("bulk", (event) => {
    // An import touched many paragraphs: every card may have changed.
    const { author } = JSON.parse(/** @type {MessageEvent} */ (event).data);
    if (author === me) return;
    ask(EVERY, { author });
  });
  source.addEventListener("source", (event) => {
    // The article was updated: every card may show an old source.
    const { version } = JSON.parse(/** @type {MessageEvent} */ (event).data);
    if (version <= heardVersion) return;
    heardVersion = version;
    root.dataset.heardVersion = String(version);
    say(line, fill(strings.sourceUpdated, { version }));
    ask(EVERY, { author: "" });
  });
  source.addEventListener("error", () => {
    line.hidden = false;
    line.classList.add("offline");
    line.textContent = strings.offline;
  });
  window.addEventListener("pagehide", () => source.close());
}
