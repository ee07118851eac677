// @ts-check
// A notice with an Undo (views/partials/head.ejs) after a change that can be taken back: it floats in
// view wherever the page scrolled to (the row the change was made in), and the Undo gets the focus,
// so that Enter takes the change back and a screen reader reads the notice (the button is described
// by it). Esc or Close dismisses it and gives the focus back to the row. Without scripts the notice
// and its Undo form still work; they stay until the next page.

const toast = document.querySelector(".flash.toast");
if (toast instanceof HTMLElement) {
  const undo = toast.querySelector("button.toast-undo");
  const close = document.createElement("button");
  close.type = "button";
  close.className = "link toast-close";
  close.textContent = toast.dataset.close ?? "×";
  toast.append(close);

  const dismiss = () => {
    toast.remove();
    // Back to the row the change was made in (the page's fragment), else the main content.
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    const area = target?.querySelector("textarea");
    (area ?? document.getElementById("main"))?.focus({ preventScroll: true });
  };
  close.addEventListener("click", dismiss);
  toast.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      dismiss();
    }
  });
  // After the page's own scripts have placed the focus for the fragment.
  window.addEventListener("load", () =>
    setTimeout(() => {
      if (undo instanceof HTMLElement && toast.isConnected) undo.focus({ preventScroll: true });
    }, 0),
  );
}
