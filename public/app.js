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
