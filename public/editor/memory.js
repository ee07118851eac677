// @ts-check
// The translation memory in the editor: the focused paragraph's best matches (score, the old source
// with its differences from this one marked, the old translation, where it came from), inserted by a
// click or Ctrl/⌘+1…5 and saved as `origin: "memory"`; and the concordance box (Ctrl/⌘+K).

import { api, paragraphPath } from "../lib/api.js";
import { areaOf, markDirty, pidOf, replaceText } from "./context.js";
import { grow } from "./grow.js";

/** @typedef {import("./context.js").Editor} Editor */
/**
 * @typedef {{ origin: string, score?: number, source: string, text: string, sourceDiff: { op: string, text: string }[],
 *   approved: boolean, document?: { id: string, title: string }, updatedAt?: string, provider?: string,
 *   numbers?: { from: string, to: string }[], assembled?: { source: string, text: string | null }[],
 *   qa?: { code: string, severity: string, message: string }[], sourceCodes?: number, textCodes?: number }} Suggestion
 */

/** Wait after focus before asking: moving through paragraphs with Alt+↓ asks only where one stops. */
const DELAY_MS = 150;

/**
 * How long a click on a match's text waits before it inserts: past the time within which a second
 * click makes it a double click (the systems' defaults are 400 to 500 ms; a page cannot read it).
 */
const DOUBLE_CLICK_MS = 500;

/** What a person does that cancels a click's insert still waiting (DOUBLE_CLICK_MS). */
const INTERRUPTIONS = ["pointerdown", "keydown", "focusin"];

/** Concordance hits the editor's box shows at most. */
const BOX_HITS = 20;

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An inline code's placeholder as the memory writes it (memory/placeholders.ts): `{1}`, `{/1}`, `{2/}`. */
const PLACEHOLDER = /\{(\/?)(\d{1,5})(\/?)\}/g;

/**
 * The placeholders of a text that stand for one of its `codes` inline codes (the count the API gives
 * per side, as memory/placeholders.ts `codeRanges`): `{n}` is a code only when n is within the count.
 * A text without codes (a document's translation, a unit imported without them, a machine
 * translation) has none: a `{1}` in it is text, shown and inserted as written.
 * @param {string} text
 * @param {number | undefined} codes
 */
function codesIn(text, codes) {
  if (!codes) return [];
  return [...text.matchAll(PLACEHOLDER)].filter((m) => Number(m[2]) <= codes);
}

/**
 * An inline code's placeholder as a token of its own: styled apart from the text, and named for a
 * screen reader ("tag 1", "end of tag 1", "code 2") instead of read out as braces and digits.
 * @param {Record<string, string>} s
 * @param {string} placeholder
 */
function codeToken(s, placeholder) {
  const [, end = "", n = "", alone = ""] = /^\{(\/?)(\d{1,5})(\/?)\}$/.exec(placeholder) ?? [];
  const label = ((end ? s.codeEnd : alone ? s.code : s.codeStart) ?? "").replace("{{n}}", n);
  const token = el("span", `memory-code${end ? " memory-code-end" : alone ? "" : " memory-code-start"}`, n);
  token.setAttribute("role", "img");
  token.setAttribute("aria-label", label);
  token.title = label;
  return token;
}

/**
 * A memory text with the placeholder of each of its `codes` inline codes as a token, the rest as text.
 * @param {Record<string, string>} s
 * @param {string} text
 * @param {number | undefined} codes
 * @returns {(string | HTMLElement)[]}
 */
function withCodes(s, text, codes) {
  /** @type {(string | HTMLElement)[]} */
  const out = [];
  let at = 0;
  for (const match of codesIn(text, codes)) {
    if (match.index > at) out.push(text.slice(at, match.index));
    out.push(codeToken(s, match[0]));
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/**
 * The old source with its differences from this one marked, its placeholders as tokens. A word diff
 * can cut a placeholder into pieces ("{", "1", "}"), so placeholders are found in the old source
 * whole (what the equal and deleted pieces spell) and each is drawn once, where it starts.
 * @param {Record<string, string>} s
 * @param {{ op: string, text: string }[]} changes
 * @param {number | undefined} codes the old source's inline codes
 */
function diffNode(s, changes, codes) {
  const p = el("p", "memory-source diff");
  const old = changes
    .filter((c) => c.op !== "insert")
    .map((c) => c.text)
    .join("");
  const tokens = codesIn(old, codes).map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    text: m[0],
  }));
  let offset = 0;
  for (const change of changes) {
    if (change.op === "insert") {
      p.append(el("ins", "", change.text));
      continue;
    }
    const start = offset;
    offset += change.text.length;
    /** @type {(string | HTMLElement)[]} */
    const parts = [];
    let at = start;
    for (const code of tokens) {
      if (code.end <= at || code.start >= offset) continue;
      if (code.start > at) parts.push(old.slice(at, code.start));
      if (code.start >= start) parts.push(codeToken(s, code.text));
      at = Math.min(code.end, offset);
    }
    if (at < offset) parts.push(old.slice(at, offset));
    if (change.op === "equal") p.append(...parts);
    else {
      const del = el("del");
      del.append(...parts);
      p.append(del);
    }
  }
  return p;
}

/**
 * Whether the document's translation is plain text (a text or Markdown document): it has no inline
 * codes, so a memory text's placeholders are markup it cannot hold.
 * @param {Editor} ed
 */
function plainText(ed) {
  const format = ed.root.dataset.format ?? "text";
  return format === "text" || format === "markdown";
}

/**
 * What a suggestion puts into a text area: its text; the ranges of an assembly's sentences that the
 * memory did not have (their source kept, for the translator to type over); and, for a plain-text
 * translation, the text without its inline codes' placeholders (what was between them stays; text
 * shaped like a placeholder in a text without codes stays too).
 * @param {Suggestion} suggestion
 * @param {boolean} plain
 * @returns {{ text: string, kept: [number, number][], codesLeftOut: boolean }}
 */
export function insertion(suggestion, plain) {
  const { text } = suggestion;
  /** @type {[number, number][]} */
  const kept = [];
  let at = 0;
  for (const part of suggestion.assembled ?? []) {
    const piece = part.text ?? part.source;
    const start = text.indexOf(piece, at);
    if (start < 0) continue;
    at = start + piece.length;
    if (part.text === null) kept.push([start, at]);
  }
  const codes = plain ? codesIn(text, suggestion.textCodes) : [];
  if (codes.length === 0) return { text, kept, codesLeftOut: false };
  /** @param {number} pos a position in the text with placeholders, in the text without them */
  const shift = (pos) =>
    codes.reduce((n, m) => n - Math.max(0, Math.min(pos, m.index + m[0].length) - m.index), pos);
  let left = "";
  let from = 0;
  for (const m of codes) {
    left += text.slice(from, m.index);
    from = m.index + m[0].length;
  }
  return {
    text: left + text.slice(from),
    kept: kept.map(([start, end]) => [shift(start), shift(end)]),
    codesLeftOut: true,
  };
}

/**
 * Puts a suggestion's text into the row's text area; the save then records it as from the memory.
 * A sentence the memory did not have is selected, to be typed over, and the row says so; so does it
 * when inline codes were left out of a plain-text translation.
 * @param {Editor} ed
 * @param {HTMLElement} row
 * @param {Suggestion} suggestion
 * @param {Record<string, string>} [s] the panel's strings
 */
export function insertSuggestion(ed, row, suggestion, s = {}) {
  const area = areaOf(row);
  if (!area || area.readOnly || area.disabled) return;
  const { text, kept, codesLeftOut } = insertion(suggestion, plainText(ed));
  area.dataset.origin = suggestion.origin === "mt" ? "mt" : "memory";
  // The text inserted, so that the save records how much of it was edited (originEdit).
  area.dataset.suggestion = text;
  // It replaces what was typed: as an edit, so that Ctrl+Z brings the typed text back (Ctrl+1 is
  // pressed quickly). The edit fires `input`, which marks the row unsaved and checks it.
  replaceText(area, text);
  grow(area);
  markDirty(ed, row);
  const [first] = kept;
  if (first) area.setSelectionRange(first[0], first[1]);
  const said = [kept.length > 0 ? s.keptSource : "", codesLeftOut ? s.codesLeftOut : ""].filter(Boolean);
  let notice = row.querySelector(".memory-notice");
  if (said.length === 0) {
    notice?.remove();
    return;
  }
  if (!notice) {
    notice = el("p", "memory-notice");
    notice.setAttribute("role", "status");
    row.querySelector("form.target")?.after(notice);
  }
  notice.textContent = said.join(" ");
}

/**
 * An assembly's text as the panel shows it: each sentence the memory had, translated, and each it
 * did not, in the source language and marked as such.
 * @param {Record<string, string>} s
 * @param {{ source: string, text: string | null }[]} sentences
 * @param {string} sourceLang
 */
function assembledText(s, sentences, sourceLang) {
  /** @type {(string | HTMLElement)[]} */
  const out = [];
  sentences.forEach((sentence, i) => {
    if (i > 0) out.push(" ");
    if (sentence.text !== null) {
      // The sentences come from units the answer does not name: their codes are not known, so
      // nothing in them is drawn as one.
      out.push(sentence.text);
      return;
    }
    const missing = el("span", "memory-missing");
    const source = el("span");
    if (sourceLang) source.lang = sourceLang;
    source.append(sentence.source);
    missing.append(source, " ", el("small", "memory-missing-label", `(${s.missing ?? ""})`));
    out.push(missing);
  });
  return out;
}

/**
 * @param {Editor} ed
 * @param {Record<string, string>} s
 * @param {HTMLElement} row
 * @param {Suggestion[]} suggestions
 * @param {{ source: string, reason: string, retryAfter?: number }[]} [unavailable] sources that did not answer
 * @param {(asked: boolean) => void} [retry] asked again: by a click (true) or by the paused provider's timer (false)
 * @param {boolean} [unreachable] the lookup itself failed: `suggestions` are those shown before, if any
 */
function render(ed, s, row, suggestions, unavailable = [], retry = () => {}, unreachable = false) {
  let panel = row.querySelector(".memory-matches");
  if (!panel) {
    panel = el("section", "memory-matches");
    panel.setAttribute("aria-label", s.title ?? "");
    row.querySelector("form.target")?.after(panel);
  }
  panel.replaceChildren();
  // A lookup that failed (the server away, the network gone, an error) is said, with a retry: not
  // left on "looking" for ever, nor taken for "no matches".
  if (unreachable) {
    const line = el("p", "muted memory-unavailable memory-unreachable", `${s.unreachable ?? ""} `);
    line.setAttribute("role", "status");
    const again = /** @type {HTMLButtonElement} */ (el("button", "link", s.retry ?? ""));
    again.type = "button";
    again.addEventListener("click", () => {
      // The button goes with the panel: the focus goes back to the row's text (no second lookup:
      // the focus comes from inside the row).
      areaOf(row)?.focus({ preventScroll: true });
      retry(true);
    });
    line.append(again);
    panel.append(line);
  }
  // A machine translation that did not answer is said, with a retry: not taken for "no matches".
  // A paused provider says when it is tried again, and is asked again then by itself.
  for (const { source, reason, retryAfter } of unavailable) {
    const message = (s[reason] ?? s.failed ?? "")
      .replace("{{provider}}", source)
      .replace("{{seconds}}", String(retryAfter ?? ""));
    const line = el("p", "muted memory-unavailable", `${message} `);
    line.setAttribute("role", "status");
    const again = /** @type {HTMLButtonElement} */ (el("button", "link", s.retry ?? ""));
    again.type = "button";
    again.addEventListener("click", () => retry(true));
    line.append(again);
    panel.append(line);
    if (reason === "paused" && retryAfter)
      setTimeout(() => {
        if (line.isConnected) retry(false);
      }, retryAfter * 1000);
  }
  if (suggestions.length === 0) {
    if (unavailable.length === 0 && !unreachable) panel.append(el("p", "muted", s.noMatches));
    return;
  }
  const list = el("ol", "memory-list");
  suggestions.slice(0, 5).forEach((suggestion, i) => {
    const item = el("li", "memory-match");
    const button = /** @type {HTMLButtonElement} */ (el("button", "memory-insert"));
    button.type = "button";
    const n = String(i + 1);
    const score =
      suggestion.score !== undefined
        ? (s.score ?? "").replace("{{score}}", String(suggestion.score))
        : (s.mt ?? "");
    button.title = (s.insert ?? "").replace("{{n}}", n);
    button.setAttribute(
      "aria-label",
      (s.insertLabel ?? "").replaceAll("{{n}}", n).replace("{{score}}", score),
    );
    button.append(el("kbd", "", n), " ", el("strong", "memory-score", score));
    button.addEventListener("click", () => insertSuggestion(ed, row, suggestion, s));
    item.append(button);
    // A click on the match itself inserts it too, as the button does (which stays, for the keyboard,
    // and inserts at once). A press that moved (dragging over the words to select and copy them) or a
    // double click (selecting a word) is no such click; but a double click's first click is a click
    // like any other, and inserting on it replaced the translator's text. So a click inserts only once
    // the double-click time has passed without a second click, and with no text selected in the match
    // (the selection can tell by then: a click inside one made before has cleared it).
    /** @type {{ x: number, y: number } | null} */
    let pressed = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let waiting;
    item.addEventListener("pointerdown", (event) => {
      pressed = { x: event.clientX, y: event.clientY };
    });
    /** Drops the pending insert: whatever the person does next (a second click, a key, another row, Save) wins. */
    const cancel = () => {
      clearTimeout(waiting);
      waiting = undefined;
      for (const type of INTERRUPTIONS) document.removeEventListener(type, cancel, true);
    };
    item.addEventListener("click", (event) => {
      if (button.contains(/** @type {Node} */ (event.target))) return;
      cancel();
      const moved = pressed && Math.hypot(event.clientX - pressed.x, event.clientY - pressed.y) > 4;
      if (moved || event.detail > 1) return;
      waiting = setTimeout(() => {
        cancel();
        const selection = window.getSelection();
        const selecting = selection && !selection.isCollapsed && selection.containsNode(item, true);
        if (!selecting && item.isConnected) insertSuggestion(ed, row, suggestion, s);
      }, DOUBLE_CLICK_MS);
      // Anything the person does meanwhile (typing on in another row, pressing Save, a second click)
      // comes first: the insert would land in a row they have left, or over what they saved.
      for (const type of INTERRUPTIONS) document.addEventListener(type, cancel, true);
    });
    if (suggestion.origin === "memory")
      item.append(diffNode(s, suggestion.sourceDiff, suggestion.sourceCodes));
    // Placeholders are drawn as tokens; a plain-text translation gets the text without them (insertion).
    const text = el("p", "memory-text");
    if (suggestion.assembled)
      text.append(...assembledText(s, suggestion.assembled, ed.root.dataset.sourceLang ?? ""));
    else text.append(...withCodes(s, suggestion.text, suggestion.textCodes));
    item.append(text);
    const meta = el("p", "muted memory-meta");
    if (suggestion.origin === "mt")
      meta.append((s.machine ?? "").replace("{{provider}}", suggestion.provider ?? ""));
    else if (suggestion.document) meta.append(suggestion.document.title);
    else if (!suggestion.assembled) meta.append(s.imported ?? "");
    if (suggestion.updatedAt) meta.append(` · ${new Date(suggestion.updatedAt).toLocaleDateString(ed.lng)}`);
    if (suggestion.approved) meta.append(` · ${s.approved}`);
    // A single sentence found in a longer paragraph is said as such, not as sentences put together.
    if (suggestion.assembled) {
      const said = (suggestion.assembled.length === 1 ? s.assembledOne : s.assembled) ?? "";
      meta.append(meta.textContent ? ` · ${said}` : said);
    }
    if (suggestion.numbers?.length)
      meta.append(
        ` · ${(s.numbers ?? "").replace("{{changes}}", suggestion.numbers.map((n) => `${n.from} → ${n.to}`).join(", "))}`,
      );
    item.append(meta);
    // What the checks found in a machine suggestion, under it: not in the row's own list, where it read
    // as the translator's text's (the trial), and before it is inserted, not once it is saved.
    if (suggestion.qa?.length) {
      const findings = el("ul", "memory-findings");
      findings.setAttribute("aria-label", s.suggestionFindings ?? "");
      for (const f of suggestion.qa) {
        const error = f.severity === "error";
        const line = el("li", `finding ${error ? "error" : "warning"}`);
        line.append(
          el("span", "sev", `${error ? "✖" : "⚠"} ${(error ? s.error : s.warning) ?? ""}`),
          ` ${f.message}`,
        );
        findings.append(line);
      }
      item.append(findings);
    }
    list.append(item);
  });
  panel.append(list);
}

/** @param {Editor} ed */
export function enableMemory(ed) {
  const box = /** @type {HTMLDetailsElement | null} */ (document.getElementById("concordance"));
  /** @type {Record<string, string>} */
  const s = {
    ...JSON.parse(box?.dataset.strings || "{}"),
    unreachable: box?.dataset.unreachable ?? "",
    signedOut: box?.dataset.signedOut ?? "",
  };
  /** @type {Map<string, Suggestion[]>} */
  const shown = new Map();
  /** @type {AbortController | null} */
  let pending = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** The row focused last: only its answer is shown. */
  /** @type {HTMLElement | null} */
  let current = null;

  /** @param {HTMLElement} row */
  async function load(row) {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    // Machine translation can take seconds: the panel says it is on its way. Asked again, the panel
    // keeps what it shows until the new answer replaces it.
    if (!shown.has(row.id)) {
      const panel = row.querySelector(".memory-matches");
      if (panel) panel.replaceChildren(el("p", "muted", s.loading ?? ""));
      else render(ed, { ...s, noMatches: s.loading ?? "" }, row, []);
    }
    const path = `${paragraphPath(ed.doc, ed.lang, pidOf(row))}/suggestions`;
    // With machine translation on, the memory's matches are asked apart and shown as soon as they
    // come (a few milliseconds): an engine can take seconds, and a 100 % match waited for it.
    const fromMemory = ed.mt ? api("GET", `${path}?only=memory`, undefined, controller.signal) : undefined;
    const whole = api("GET", ed.mt ? `${path}?only=mt` : path, undefined, controller.signal);
    /** @type {Suggestion[] | undefined} */
    let memoryMatches;
    if (fromMemory) {
      const first = await fromMemory;
      if (controller.signal.aborted || current !== row) return;
      if (first.ok) {
        memoryMatches = /** @type {Suggestion[]} */ (first.body.suggestions ?? []);
        shown.set(row.id, memoryMatches);
        render(ed, { ...s, noMatches: s.loadingMt ?? "" }, row, memoryMatches);
        if (memoryMatches.length > 0)
          row.querySelector(".memory-matches")?.append(el("p", "muted memory-waiting", s.loadingMt ?? ""));
      }
    }
    const reply = await whole;
    // An answer that arrives after the focus moved to another row is dropped.
    if (controller.signal.aborted || current !== row) return;
    // The memory's matches first, then the machine's, as one answer of both gives them.
    if (memoryMatches && !reply.ok) {
      // The memory answered and the machine's request did not: the matches stay, without the wait line.
      render(ed, s, row, memoryMatches);
      return;
    }
    const answer = memoryMatches
      ? {
          ...reply,
          body: { ...reply.body, suggestions: [...memoryMatches, ...(reply.body.suggestions ?? [])] },
        }
      : reply;
    /** @param {boolean} asked */
    const retry = (asked) => {
      // A paused provider's timer asks for its row only while that row has the focus: loading a row
      // the focus left would cancel the focused row's request on its way.
      if (!asked && current !== row) return;
      current = row;
      void load(row);
    };
    if (!answer.ok) {
      // What was shown before stays under the notice; the next focus of the row asks again by itself.
      // A session that ended is no memory out of reach: said as such (sign in again, then Try again).
      const said = answer.status === 401 ? { ...s, unreachable: s.signedOut ?? "" } : s;
      render(ed, said, row, shown.get(row.id) ?? [], [], retry, true);
      return;
    }
    const suggestions = /** @type {Suggestion[]} */ (answer.body.suggestions ?? []);
    shown.set(row.id, suggestions);
    render(ed, s, row, suggestions, answer.body.unavailable ?? [], retry);
  }

  /**
   * Only the row being translated shows its matches: moving through a document left every row's
   * panel open, a trail that grew the page. The others' panels are hidden, not removed: coming back,
   * the row's list shows at once (no "looking" in between) while it is asked again. Focus moving into
   * the panel itself (a match's button, Try again) is no text area's, and changes nothing.
   * @param {HTMLElement} row
   */
  function showOnly(row) {
    for (const panel of ed.root.querySelectorAll(".memory-matches:not([hidden])"))
      if (!row.contains(panel)) /** @type {HTMLElement} */ (panel).hidden = true;
    const own = /** @type {HTMLElement | null} */ (row.querySelector(".memory-matches"));
    if (own) own.hidden = false;
  }

  // Every time a row's text area gains focus from outside the row, its matches are asked again: a
  // translation saved since (by anyone, on any process) shows without a reload.
  ed.root.addEventListener("focusin", (event) => {
    const target = /** @type {Element} */ (event.target);
    if (!(target instanceof HTMLTextAreaElement)) return;
    const row = /** @type {HTMLElement | null} */ (target.closest("article.para"));
    if (!row) return;
    const from = event.relatedTarget;
    if (row === current && from instanceof Node && row.contains(from)) return;
    if (row !== current) {
      pending?.abort();
      showOnly(row);
    }
    current = row;
    clearTimeout(timer);
    timer = setTimeout(() => load(row), DELAY_MS);
  });

  ed.root.addEventListener("keydown", (event) => {
    const target = /** @type {Element} */ (event.target);
    if (!(target instanceof HTMLTextAreaElement) || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    const n = Number(event.key);
    if (!Number.isInteger(n) || n < 1 || n > 5) return;
    const row = /** @type {HTMLElement | null} */ (target.closest("article.para"));
    const suggestion = row ? shown.get(row.id)?.[n - 1] : undefined;
    if (!row || !suggestion) return;
    event.preventDefault();
    insertSuggestion(ed, row, suggestion, s);
  });

  if (box) enableConcordance(ed, box, s);
}

/**
 * @param {Editor} ed
 * @param {HTMLDetailsElement} box
 * @param {Record<string, string>} s
 */
function enableConcordance(ed, box, s) {
  const form = box.querySelector("form");
  const input = /** @type {HTMLInputElement | null} */ (box.querySelector('input[name="q"]'));
  const results = box.querySelector(".concordance-results");
  if (!form || !input || !results) return;
  const sourceLang =
    /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="sourceLang"]'))?.value ?? "";

  // The key works only with the script: its hint is shown by it.
  for (const hint of box.querySelectorAll("[data-script-key]")) hint.removeAttribute("hidden");
  // On a phone the box is inside the folded tools: Ctrl/⌘+K unfolds them too, and Esc folds back
  // what it unfolded and gives the focus back to where it was.
  const tools = /** @type {HTMLDetailsElement | null} */ (
    box.parentElement?.closest("details.tools") ?? null
  );
  /** @type {Element | null} */
  let openedFrom = null;
  let toolsOpened = false;
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "k" || event.shiftKey) return;
    event.preventDefault();
    const selected = window.getSelection()?.toString().trim() ?? "";
    if (!box.contains(document.activeElement)) openedFrom = document.activeElement;
    if (tools && !tools.open) {
      tools.open = true;
      toolsOpened = true;
    }
    box.open = true;
    if (selected && selected.length <= 200) input.value = selected;
    input.focus();
    input.select();
  });
  box.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !box.open) return;
    event.preventDefault();
    box.open = false;
    if (tools && toolsOpened) tools.open = false;
    toolsOpened = false;
    if (openedFrom instanceof HTMLElement && openedFrom.isConnected) openedFrom.focus();
    else box.querySelector("summary")?.focus();
    openedFrom = null;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    results.replaceChildren(el("p", "muted", s.loading));
    // One more than is shown is asked for: when it comes, the count says there may be more.
    const query = new URLSearchParams({ sourceLang, targetLang: ed.lang, q, limit: String(BOX_HITS + 1) });
    // The glossary's terms that hold the words, asked at the same time: a hit whose phrase already is
    // a term links to it instead of offering to add it (which the glossary would refuse).
    const [answer, glossary] = await Promise.all([
      api("GET", `/memory?${query}`),
      api("GET", `/glossary?${new URLSearchParams({ q, lang: sourceLang })}`),
    ]);
    const termOf = termFinder(glossary.ok ? (glossary.body.terms ?? []) : [], sourceLang);
    results.replaceChildren();
    /** @type {{ source: string, text: string, approved: boolean, document?: { id: string, title: string }, paragraphId?: string, updatedAt: string, sourceHits: [number, number][], targetHits: [number, number][], sourceCodes?: number, textCodes?: number }[]} */
    const found = answer.ok ? answer.body.hits : [];
    const hits = found.slice(0, BOX_HITS);
    if (!answer.ok) results.append(el("p", "flash error", answer.body.error?.message ?? ""));
    else if (hits.length === 0) results.append(el("p", "muted", s.noMatches));
    else {
      const form = found.length > BOX_HITS ? s.hitsFirst : hits.length === 1 ? (s.hitsOne ?? s.hits) : s.hits;
      results.append(el("p", "", (form ?? "").replace("{{count}}", String(hits.length))));
    }
    const list = el("ol", "concordance-hits");
    for (const hit of hits) {
      const item = el("li", "card");
      item.append(
        marked(s, hit.source, hit.sourceHits, hit.sourceCodes),
        marked(s, hit.text, hit.targetHits, hit.textCodes),
      );
      const meta = el("p", "muted");
      if (hit.document) {
        const link = /** @type {HTMLAnchorElement} */ (el("a", "", hit.document.title));
        link.href = `/documents/${encodeURIComponent(hit.document.id)}/${encodeURIComponent(ed.lang)}#p-${hit.paragraphId ?? ""}`;
        meta.append(link, " · ");
      }
      meta.append(new Date(hit.updatedAt).toLocaleDateString(ed.lng));
      if (hit.approved) meta.append(` · ${s.approved}`);
      // A term is made from a phrase found in the source: a hit only in the translation has none.
      const part = (/** @type {string} */ text, /** @type {[number, number][]} */ ranges) =>
        ranges[0] ? text.slice(ranges[0][0], ranges[0][1]) : "";
      const term = hit.sourceHits[0] ? termOf(part(hit.source, hit.sourceHits)) : undefined;
      if (term) {
        const link = /** @type {HTMLAnchorElement} */ (el("a", "", s.inGlossary));
        link.href = `/glossary/terms/${encodeURIComponent(term.id)}`;
        meta.append(" · ", link);
      } else if (s.addToGlossary && hit.sourceHits[0]) {
        const add = /** @type {HTMLAnchorElement} */ (el("a", "", s.addToGlossary));
        add.href = `/glossary/terms/new?${new URLSearchParams({
          sourceLang,
          source: part(hit.source, hit.sourceHits),
          targetLang: ed.lang,
          target: part(hit.text, hit.targetHits),
        })}`;
        meta.append(" · ", add);
      }
      item.append(meta);
      list.append(item);
    }
    results.append(list);
  });
}

/**
 * A phrase as the glossary compares sources for duplicates (glossary/term.ts foldSource, near
 * enough): accents and apostrophes folded, words joined by single spaces, case folded unless kept.
 * @param {string} text
 * @param {boolean} [keepCase]
 */
function fold(text, keepCase = false) {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/['’ʼ‘]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean)
    .join(" ");
  const folded = words || text.trim();
  return keepCase ? folded : folded.toLowerCase();
}

/**
 * The term among `terms` that a phrase of a source in `sourceLang` already is.
 * @param {{ id: string, source: string, sourceLang: string, caseSensitive?: boolean }[]} terms
 * @param {string} sourceLang
 * @returns {(phrase: string) => { id: string } | undefined}
 */
function termFinder(terms, sourceLang) {
  const same = terms.filter((t) => t.sourceLang === sourceLang);
  return (phrase) =>
    same.find(
      (t) =>
        fold(t.source) === fold(phrase) && (!t.caseSensitive || fold(t.source, true) === fold(phrase, true)),
    );
}

/**
 * A text with the concordance's hits marked and its placeholders as tokens (hits are whole words,
 * never inside a placeholder).
 * @param {Record<string, string>} s
 * @param {string} text
 * @param {[number, number][]} ranges
 * @param {number | undefined} codes the text's inline codes
 */
function marked(s, text, ranges, codes) {
  const p = el("p");
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    const mark = el("mark");
    mark.append(...withCodes(s, text.slice(start, end), codes));
    p.append(...withCodes(s, text.slice(at, start), codes), mark);
    at = end;
  }
  p.append(...withCodes(s, text.slice(at), codes));
  return p;
}
