// @ts-check
// A paragraph's comment thread inline: the row's Comments link opens the thread page's panel
// (`?panel=1`, rendered and escaped by the server) after the row. Its forms post as they do without
// scripts and come back to the row. The panel sits outside the row, so the editor's save handler,
// which takes over every form inside a row, leaves them alone.

const root = document.getElementById("editor");
if (root) root.addEventListener("click", (event) => void toggle(event));

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
