// @ts-check
// Small enhancements for every page; everything works without them.

// A form with data-confirm asks first. Without this script the server shows a confirmation page;
// with it, the answer given here is sent along (confirm=yes) so that page is skipped.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (!question) return;
  if (!window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (!form.querySelector('input[name="confirm"]')) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "confirm";
    input.value = "yes";
    form.append(input);
  }
});

// A form with data-busy (uploads, imports: a large file takes seconds) says it is working once sent,
// and its buttons wait, so that a second click does not send it again. The buttons are disabled after
// the submission has been built: a disabled button's own name and value would not be sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || event.defaultPrevented || !form.dataset.busy) return;
  let status = form.querySelector(".busy-status");
  if (!status) {
    status = document.createElement("p");
    status.className = "busy-status muted";
    status.setAttribute("role", "status");
    form.append(status);
  }
  status.textContent = form.dataset.busy;
  form.setAttribute("aria-busy", "true");
  setTimeout(() => {
    for (const button of form.querySelectorAll("button")) button.disabled = true;
  });
});

// Back to a page kept in the browser's cache: its forms can be sent again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll("form[aria-busy]")) {
    form.removeAttribute("aria-busy");
    form.querySelector(".busy-status")?.remove();
    for (const button of form.querySelectorAll("button")) button.disabled = false;
  }
});
