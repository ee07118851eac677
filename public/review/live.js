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
 * @typedef {{ changed: () => void }} Hooks  `changed` runs after cards were added, replaced or removed
 * @typedef {{ author: string, status?: string }} Change
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
 * unless `force` names one (the reviewer's own decision on it came back stale).
 * @param {HTMLElement} root
 * @param {Map<string, Change>} changes
 * @param {Hooks} hooks
 * @param {{ force?: string }} [options]
 * @returns {Promise<boolean>} whether the page could be read
 */
export async function refreshCards(root, changes, hooks, options = {}) {
  const strings = JSON.parse(root.dataset.strings || "{}");
  // The same page of cards (its `after`) as the reviewer sees.
  const response = await fetch(window.location.pathname + window.location.search, {
    headers: { Accept: "text/html" },
  });
  if (!response.ok) return false;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const counts = fresh.getElementById("review")?.dataset;
  if (counts) {
    root.dataset.total = counts.total ?? "0";
    root.dataset.earlier = counts.earlier ?? "0";
    root.dataset.later = counts.later ?? "0";
  }
  // Cards decided elsewhere make room on the page: the ones that now come into it are added too.
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
  if (root.querySelector("article.review-card")) document.getElementById("all-done")?.remove();
  hooks.changed();
  return true;
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
 * Follows the document's stream for as long as the page is open.
 * @param {HTMLElement} root
 * @param {Hooks} hooks
 */
export function followChanges(root, hooks) {
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
  /** @type {Map<string, Change>} */
  let pending = new Map();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let running = false;
  /** The newest source version heard of; the page takes it once its cards are read again. */
  let heardVersion = Number(root.dataset.sourceVersion || 1);

  function schedule() {
    if (timer || running) return;
    timer = setTimeout(async () => {
      timer = undefined;
      running = true;
      const changes = pending;
      const version = heardVersion;
      pending = new Map();
      try {
        if (await refreshCards(root, changes, hooks)) root.dataset.sourceVersion = String(version);
        else for (const [pid, change] of changes) if (!pending.has(pid)) pending.set(pid, change);
      } catch {
        // Offline for a moment: the stream's error handler says so, and the next change retries.
      } finally {
        running = false;
        if (pending.size) schedule();
      }
    }, GATHER_MS);
  }

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
    pending.set(data.pid, { author: data.author, status: data.status });
    const card = document.getElementById(`r-${data.pid}`);
    say(line, fill(strings.updated, { n: card?.dataset.n ?? "?", author: data.author }));
    schedule();
  });
  source.addEventListener("comment", (event) => {
    const data = JSON.parse(/** @type {MessageEvent} */ (event).data);
    if (data.author === me || !document.getElementById(`r-${data.pid}`)) return;
    if (!pending.has(data.pid)) pending.set(data.pid, { author: data.author });
    schedule();
  });
  source.addEventListener("bulk", (event) => {
    // An import touched many paragraphs: every card may have changed.
    const { author } = JSON.parse(/** @type {MessageEvent} */ (event).data);
    if (author === me) return;
    pending.set(EVERY, { author });
    schedule();
  });
  source.addEventListener("source", (event) => {
    // The article was updated: every card may show an old source.
    const { version } = JSON.parse(/** @type {MessageEvent} */ (event).data);
    if (version <= heardVersion) return;
    heardVersion = version;
    say(line, fill(strings.sourceUpdated, { version }));
    pending.set(EVERY, { author: "" });
    schedule();
  });
  source.addEventListener("error", () => {
    line.hidden = false;
    line.classList.add("offline");
    line.textContent = strings.offline;
  });
  window.addEventListener("pagehide", () => source.close());
}
