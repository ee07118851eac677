// The review page, enhanced: a approve, r reject (focuses the comment), j / k next and previous,
// decisions sent in place so the reviewer moves straight on. Without it every card is two forms.
(() => {
  const root = document.getElementById("review");
  if (!root) return;
  const strings = JSON.parse(root.dataset.strings || "{}");
  const csrf = root.dataset.csrf || "";
  const cards = () => Array.from(root.querySelectorAll("article.review-card"));
  let current = cards()[0] || null;

  function select(card) {
    if (!card) return;
    for (const c of cards()) c.classList.toggle("selected", c === card);
    current = card;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  function updateCounter() {
    const left = cards().length;
    const number = document.getElementById("left");
    const label = document.getElementById("left-label");
    if (number) number.textContent = String(left);
    if (label) label.textContent = left === 1 ? strings.left_one : strings.left_other;
    if (left === 0) {
      const done = document.createElement("p");
      done.className = "empty";
      done.textContent = strings.done;
      root.append(done);
    }
  }

  function showError(card, message) {
    let box = card.querySelector(".card-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "flash error card-error";
      box.setAttribute("role", "alert");
      card.querySelector(".review-actions")?.before(box);
    }
    box.textContent = message;
  }

  async function decide(card, form) {
    const data = Object.fromEntries(new FormData(form));
    if (data.action === "reject" && !String(data.comment || "").trim()) {
      form.querySelector("input[name=comment]")?.focus();
      showError(card, strings.commentRequired);
      return;
    }
    // form.action would be the hidden input named "action": read the attribute.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({
        action: data.action,
        revision: Number(data.revision),
        comment: data.comment || undefined,
      }),
      credentials: "same-origin",
    }).catch(() => null);
    if (response?.ok) {
      const next = cards()[cards().indexOf(card) + 1] || cards()[cards().indexOf(card) - 1];
      card.remove();
      updateCounter();
      select(next);
      return;
    }
    if (response?.status === 409) {
      // Someone saved in between: reload to show the new diff, nothing was decided.
      window.location.reload();
      return;
    }
    const body = response ? await response.json().catch(() => ({})) : {};
    showError(card, body.error?.message || "Error");
  }

  root.addEventListener("submit", (event) => {
    const form = event.target;
    const card = form.closest("article.review-card");
    if (!card) return;
    event.preventDefault();
    decide(card, form);
  });

  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
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
    const all = cards();
    if (event.key === "j") select(all[all.indexOf(current) + 1] || current);
    else if (event.key === "k") select(all[all.indexOf(current) - 1] || current);
    else if (event.key === "a") {
      const form = current.querySelector("form.approve-form");
      if (form) decide(current, form);
    } else if (event.key === "r") {
      event.preventDefault();
      current.querySelector("form.reject-form input[name=comment]")?.focus();
    } else return;
  });

  root.addEventListener("focusin", (event) => {
    const card = event.target.closest?.("article.review-card");
    if (card && card !== current) {
      for (const c of cards()) c.classList.toggle("selected", c === card);
      current = card;
    }
  });
  if (current) current.classList.add("selected");
  root.dataset.ready = "true";
})();
