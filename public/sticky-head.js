// @ts-check
// The editor's head sticks to the top of the screen and its height changes (a language menu, the
// concordance hits, the shortcut list, a window resized): its height is kept in --editor-head-height,
// which the page's scroll padding uses, so that a focused or scrolled-to row is never under it.

const head = document.querySelector(".editor-head");
if (head instanceof HTMLElement) {
  const root = document.documentElement;
  const update = () => root.style.setProperty("--editor-head-height", `${Math.ceil(head.offsetHeight)}px`);
  new ResizeObserver(update).observe(head);
  update();
}
