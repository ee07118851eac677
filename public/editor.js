// The translator's editor, enhanced: saves in place, keyboard shortcuts, unsaved markers,
// live glossary checks, conflict resolution and term insertion. Without this script every
// paragraph is a plain form that posts and comes back to the same paragraph.
(() => {
  const root = document.getElementById("editor");
  if (!root) return;
  const strings = JSON.parse(root.dataset.strings || "{}");
  const terms = JSON.parse(root.dataset.terms || "{}");
  const csrf = root.dataset.csrf || "";
  const base = root.dataset.base || "";
  const rows = () => Array.from(root.querySelectorAll("article.para"));
  const areaOf = (row) => row.querySelector("textarea");

  function grow(area) {
    area.style.height = "auto";
    area.style.height = `${area.scrollHeight + 2}px`;
  }

  function isDirty(row) {
    const area = areaOf(row);
    return area ? area.value !== area.dataset.saved : false;
  }

  // The save state is announced politely; the element is created on first use, not sent per row.
  function setState(row, text, isError) {
    let el = row.querySelector(".save-state");
    if (!el) {
      el = document.createElement("span");
      el.className = "save-state";
      el.setAttribute("aria-live", "polite");
      row.querySelector(".meta .rev")?.after(el);
    }
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("error", Boolean(isError));
  }

  function markDirty(row) {
    const dirty = isDirty(row);
    row.classList.toggle("unsaved", dirty);
    setState(row, dirty ? strings.unsaved : "");
  }

  function setStatus(row, status, revision) {
    row.className = row.className.replace(/status-[a-z]+/, `status-${status}`);
    const label = row.querySelector(".status-label");
    if (label) label.textContent = strings.statuses[status] || status;
    const rev = row.querySelector(".rev");
    if (rev) rev.textContent = revision ? `${strings.revision}${revision}` : "";
    row.dataset.status = status;
  }

  function renderFindings(row, findings) {
    const list = row.querySelector(".findings");
    if (!list) return;
    list.textContent = "";
    for (const f of findings) {
      const li = document.createElement("li");
      li.className = `finding ${f.severity}`;
      const sev = document.createElement("span");
      sev.className = "sev";
      sev.textContent = f.severity === "error" ? "✖" : "⚠";
      li.append(sev, ` ${f.message}`);
      list.append(li);
    }
    row.querySelector(".waive-link")?.remove();
    if (findings.length) {
      const link = document.createElement("a");
      link.className = "waive-link";
      link.href = `${base}/paragraphs/${row.dataset.pid}/waive`;
      link.textContent = strings.waive;
      list.after(link);
    }
  }

  function focusRow(row, atEnd) {
    const area = row && areaOf(row);
    if (!area) return;
    area.focus({ preventScroll: true });
    row.scrollIntoView({ block: "center", behavior: "smooth" });
    if (atEnd) area.setSelectionRange(area.value.length, area.value.length);
  }

  function nextNeedingWork(row) {
    const all = rows();
    const at = all.indexOf(row);
    for (let k = 1; k <= all.length; k++) {
      const candidate = all[(at + k) % all.length];
      if (candidate && !candidate.classList.contains("status-approved")) return candidate;
    }
    return null;
  }

  function removeConflict(row) {
    row.querySelector(".conflict")?.remove();
    row.classList.remove("has-problem");
  }

  function showConflict(row, current, mine) {
    removeConflict(row);
    row.classList.add("has-problem");
    const box = document.createElement("section");
    box.className = "conflict";
    box.setAttribute("role", "alert");
    const h = document.createElement("h3");
    h.textContent = strings.conflict;
    const versions = document.createElement("div");
    versions.className = "versions";
    for (const [title, text] of [
      [`${strings.theirs} (${current.author}, ${strings.revision}${current.revision})`, current.text],
      [strings.mine, mine],
    ]) {
      const col = document.createElement("div");
      const h4 = document.createElement("h4");
      h4.textContent = title;
      const p = document.createElement("p");
      p.textContent = text;
      col.append(h4, p);
      versions.append(col);
    }
    const h4 = document.createElement("h4");
    h4.textContent = strings.diff;
    const diff = document.createElement("p");
    diff.className = "diff";
    for (const change of current.diff?.changes ?? []) {
      const el = document.createElement(
        change.op === "insert" ? "ins" : change.op === "delete" ? "del" : "span",
      );
      el.textContent = change.text;
      diff.append(el);
    }
    const actions = document.createElement("div");
    actions.className = "actions";
    const area = areaOf(row);
    const baseInput = row.querySelector('input[name="baseRevision"]');
    const button = (label, onClick, primary) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      if (primary) b.className = "primary";
      b.addEventListener("click", onClick);
      actions.append(b);
    };
    button(strings.takeTheirs, () => {
      area.value = current.text;
      area.dataset.saved = current.text;
      baseInput.value = String(current.revision);
      removeConflict(row);
      setStatus(row, "translated", current.revision);
      markDirty(row);
      grow(area);
    });
    button(
      strings.keepMine,
      () => {
        baseInput.value = String(current.revision);
        removeConflict(row);
        save(row, "save", false);
      },
      true,
    );
    button(strings.editMerge, () => {
      baseInput.value = String(current.revision);
      removeConflict(row);
      focusRow(row, true);
    });
    box.append(h, versions, h4, diff, actions);
    row.querySelector(".findings")?.before(box);
    actions.querySelector("button.primary")?.focus();
  }

  async function save(row, intent, advance) {
    const form = row.querySelector("form.target");
    const area = areaOf(row);
    const baseInput = row.querySelector('input[name="baseRevision"]');
    if (!form || !area || !baseInput) return;
    const text = area.value;
    setState(row, strings.saving);
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ text, baseRevision: Number(baseInput.value), intent }),
        credentials: "same-origin",
      });
    } catch {
      setState(row, strings.failed.replace("{{message}}", "network"), true);
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      if (intent === "clear") area.value = "";
      area.dataset.saved = body.text;
      baseInput.value = String(body.revision);
      removeConflict(row);
      setStatus(row, body.status, body.revision);
      renderFindings(row, body.qa || []);
      if (body.progress) showProgress(body.progress);
      showActions(row, body.status);
      markDirty(row);
      setState(row, strings.saved);
      if (advance) focusRow(nextNeedingWork(row), true);
      return;
    }
    if (response.status === 409 && body.current) {
      setState(row, strings.conflict, true);
      showConflict(row, body.current, text);
      return;
    }
    setState(row, strings.failed.replace("{{message}}", body.error?.message || response.status), true);
  }

  // After a save in place the row offers what a reload would: its history, Clear, and Approve for editors.
  function showActions(row, status) {
    const meta = row.querySelector(".meta");
    const save = meta?.querySelector('button[value="save"]');
    if (!meta || !save) return;
    if (!meta.querySelector("a.history")) {
      const link = document.createElement("a");
      link.className = "history";
      link.href = `${base}/paragraphs/${row.dataset.pid}`;
      link.textContent = strings.history;
      save.before(link);
    }
    const clear = meta.querySelector('button[value="clear"]');
    if (status === "untranslated") clear?.remove();
    else if (!clear) {
      const button = document.createElement("button");
      button.type = "submit";
      button.name = "intent";
      button.value = "clear";
      button.className = "link clear";
      button.formNoValidate = true;
      button.textContent = strings.clearLabel;
      meta.querySelector('button[value="draft"]')?.after(button);
    }
    const approve = meta.querySelector("button.approve");
    if (root.dataset.canReview === "true" && (status === "translated" || status === "draft") && !approve) {
      const button = document.createElement("button");
      button.type = "submit";
      button.className = "approve";
      button.name = "action";
      button.value = "approve";
      button.formAction = `${base}/paragraphs/${row.dataset.pid}/review?return=editor`;
      button.textContent = strings.approve;
      meta.append(button);
    } else if (approve && status !== "translated" && status !== "draft") approve.remove();
  }

  function showProgress(progress) {
    const box = document.querySelector(".editor-head .progress");
    if (!box) return;
    const approved = box.querySelector("rect.approved");
    const translated = box.querySelector("rect.translated");
    approved?.setAttribute("width", String(progress.approvedPercent));
    translated?.setAttribute("x", String(progress.approvedPercent));
    translated?.setAttribute("width", String(progress.translatedPercent));
    const numbers = box.querySelector(".numbers");
    if (numbers) numbers.textContent = progress.summary;
  }

  // An editor approves the text as saved; unsaved changes are saved first, then that revision approved.
  async function approve(row, button) {
    if (isDirty(row)) await save(row, "save", false);
    if (isDirty(row)) return;
    const baseInput = row.querySelector('input[name="baseRevision"]');
    const response = await fetch(button.formAction, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ action: "approve", revision: Number(baseInput.value) }),
      credentials: "same-origin",
    }).catch(() => null);
    const body = response ? await response.json().catch(() => ({})) : {};
    if (response?.ok) {
      setStatus(row, body.status, body.revision);
      button.remove();
      setState(row, strings.statuses.approved);
      return;
    }
    setState(row, strings.failed.replace("{{message}}", body.error?.message || "error"), true);
  }

  const checkTimers = new WeakMap();
  function liveCheck(row) {
    clearTimeout(checkTimers.get(row));
    checkTimers.set(
      row,
      setTimeout(async () => {
        const area = areaOf(row);
        if (!area?.value.trim()) return renderFindings(row, []);
        const response = await fetch(`${base}/paragraphs/${row.dataset.pid}/check`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ text: area.value }),
          credentials: "same-origin",
        }).catch(() => null);
        if (response?.ok) renderFindings(row, (await response.json()).qa || []);
      }, 400),
    );
  }

  // Terms become keyboard-reachable buttons (insert their target) only where this script runs.
  for (const term of root.querySelectorAll(".term")) {
    term.tabIndex = 0;
    term.setAttribute("role", "button");
  }

  for (const row of rows()) {
    const area = areaOf(row);
    if (!area) continue;
    // The text last saved: what the server rendered, unless it rendered a failed save's text.
    area.dataset.saved ??= area.defaultValue;
    grow(area);
    area.addEventListener("input", () => {
      grow(area);
      markDirty(row);
      liveCheck(row);
    });
    row.querySelector("form.target")?.addEventListener("submit", (event) => {
      event.preventDefault();
      if (event.submitter?.value === "approve") {
        approve(row, event.submitter);
        return;
      }
      const intent = event.submitter?.value || "save";
      save(row, intent, intent === "save");
    });
  }

  root.addEventListener("keydown", (event) => {
    const row = event.target.closest?.("article.para");
    if (!row || event.target.tagName !== "TEXTAREA") return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (event.shiftKey) save(row, "draft", false);
      else save(row, "save", true);
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const all = rows();
      focusRow(all[all.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)], false);
    } else if (event.key === "Escape") {
      const area = areaOf(row);
      area.value = area.dataset.saved;
      grow(area);
      markDirty(row);
    }
  });

  // A term's card (target, forbidden forms, note) is built the first time it is hovered or focused.
  function showCard(term) {
    if (term.querySelector(".term-card")) return;
    const info = terms[term.dataset.term];
    if (!info) return;
    const card = document.createElement("span");
    card.className = "term-card";
    card.setAttribute("role", "tooltip");
    card.id = `card-${Math.random().toString(36).slice(2)}`;
    const target = document.createElement("strong");
    target.textContent = info.target ?? strings.noTarget;
    card.append(target);
    if (info.doNotTranslate) card.append(` · ${strings.doNotTranslate}`);
    if (info.forbidden.length) {
      const s = document.createElement("s");
      s.textContent = info.forbidden.join(", ");
      card.append(document.createElement("br"), `${strings.forbidden}: `, s);
    }
    if (info.note) {
      const em = document.createElement("em");
      em.textContent = info.note;
      card.append(document.createElement("br"), em);
    }
    term.removeAttribute("title");
    term.setAttribute("aria-describedby", card.id);
    term.append(card);
  }
  root.addEventListener("mouseover", (event) => {
    const term = event.target.closest?.(".term");
    if (term) showCard(term);
  });
  root.addEventListener("focusin", (event) => {
    const term = event.target.closest?.(".term");
    if (term) showCard(term);
  });

  // Clicking (or Enter on) a glossary term inserts its target where the cursor was in that row.
  function insertTerm(term) {
    const target = terms[term.dataset.term]?.target;
    const row = term.closest("article.para");
    const area = row && areaOf(row);
    if (!target || !area) return;
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    area.setRangeText(target, start, end, "end");
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  root.addEventListener("click", (event) => {
    const term = event.target.closest?.(".term");
    if (term) insertTerm(term);
  });
  root.addEventListener("keydown", (event) => {
    const term = event.target.closest?.(".term");
    if (term && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      insertTerm(term);
    }
  });

  const help = document.getElementById("shortcuts");
  const helpButton = document.getElementById("shortcuts-button");
  const toggleHelp = () => {
    if (!help) return;
    help.hidden = !help.hidden;
    helpButton?.setAttribute("aria-expanded", String(!help.hidden));
  };
  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", toggleHelp);
  }
  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (event.key === "?" && tag !== "TEXTAREA" && tag !== "INPUT" && tag !== "SELECT") toggleHelp();
  });

  window.addEventListener("beforeunload", (event) => {
    if (rows().some(isDirty)) {
      event.preventDefault();
      event.returnValue = strings.leave;
    }
  });

  root.dataset.ready = "true";
  // Coming back from a no-script save lands on the next paragraph: focus it.
  if (location.hash.startsWith("#p-")) focusRow(document.getElementById(location.hash.slice(1)), true);
})();
