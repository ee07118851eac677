// @ts-check
// Glossary terms in the source: a card (target, forbidden forms, note, an Insert button) on hover,
// focus, click or tap, built the first time. Enter on a term, the card's Insert button, or a click on
// a term while writing in its row (the caret in its text area) inserts the target into the text.
// A click elsewhere only shows the card: reading a term (on a phone, tapping is the only way) must
// not write into a translation. The card is the term's sibling, a popover the term controls
// (aria-controls, aria-expanded): inside the term, its Insert button was a button in a button. Esc
// closes it and leaves the focus on the term.

import { areaOf } from "./context.js";

/** @typedef {import("./context.js").Editor} Editor */

/** Text areas that have had the caret: elsewhere there is no caret to insert at. */
const touched = new WeakSet();

/** Each card's term: the card is the term's sibling, not inside it (no button inside a button). */
const termOfCard = new WeakMap();

/** The card showing, with its term: one at a time. */
/** @type {{ term: HTMLElement, card: HTMLElement } | null} */
let shown = null;

/** Set while Esc gives the focus back to a term: that focus must not show the card again. */
let returning = false;

/**
 * The term's card, built the first time: a popover beside the term (its next sibling), which the
 * term controls (aria-controls, aria-expanded) and is described by.
 * @param {Editor} ed
 * @param {HTMLElement} term
 * @returns {HTMLElement | null}
 */
function cardOf(ed, term) {
  const id = term.getAttribute("aria-controls");
  const existing = id ? document.getElementById(id) : null;
  if (existing) return existing;
  const info = ed.terms[term.dataset.term ?? ""];
  if (!info) return null;
  const s = ed.strings;
  const card = document.createElement("span");
  card.className = "term-card";
  card.id = `card-${Math.random().toString(36).slice(2)}`;
  card.hidden = true;
  const target = document.createElement("strong");
  target.textContent = info.target ?? s.noTarget;
  card.append(target);
  if (info.doNotTranslate) card.append(` · ${s.doNotTranslate}`);
  if (info.forbidden.length) {
    const del = document.createElement("s");
    del.textContent = info.forbidden.join(", ");
    card.append(document.createElement("br"), `${s.forbidden}: `, del);
  }
  if (info.note) {
    const em = document.createElement("em");
    em.textContent = info.note;
    card.append(document.createElement("br"), em);
  }
  const area = areaOf(term.closest("article.para"));
  if (info.target && area && !area.readOnly && ed.canEdit && s.insertTerm) {
    const insert = document.createElement("button");
    insert.type = "button";
    insert.className = "term-insert";
    // For pointer and touch: from the keyboard, Enter on the term inserts it, one Tab stop per term.
    insert.tabIndex = -1;
    insert.textContent = s.insertTerm;
    insert.setAttribute("aria-label", s.insertTermLabel.replace("{{target}}", info.target));
    card.append(document.createElement("br"), insert);
  }
  termOfCard.set(card, term);
  term.removeAttribute("title");
  term.setAttribute("aria-controls", card.id);
  term.setAttribute("aria-describedby", card.id);
  term.setAttribute("aria-expanded", "false");
  term.after(card);
  return card;
}

/**
 * Shows the term's card under the term's last line, kept inside the window (a phone is narrow).
 * @param {Editor} ed
 * @param {HTMLElement} term
 */
function showCard(ed, term) {
  const card = cardOf(ed, term);
  if (!card) return;
  if (shown && shown.card !== card) hideCard();
  card.hidden = false;
  term.setAttribute("aria-expanded", "true");
  shown = { term, card };
  placeCard(term, card);
}

/**
 * Puts the card under the term's last line, inside the window. A term no longer laid out (its row
 * hidden by a filter, say) closes its card.
 * @param {HTMLElement} term
 * @param {HTMLElement} card
 */
function placeCard(term, card) {
  const parent = /** @type {HTMLElement | null} */ (card.offsetParent);
  const lines = term.getClientRects();
  const line = lines[lines.length - 1];
  if (!parent || !line) {
    hideCard();
    return;
  }
  const box = parent.getBoundingClientRect();
  const room = document.documentElement.clientWidth;
  const left = Math.max(4, Math.min(line.left, room - card.offsetWidth - 4));
  card.style.left = `${left - box.left - parent.clientLeft}px`;
  card.style.top = `${line.bottom - box.top - parent.clientTop}px`;
}

/** A frame asked for to place the shown card again, or 0. */
let placing = 0;

/**
 * The window was resized or something scrolled: the term may have moved (its line wrapped
 * elsewhere, the window is narrower), so the shown card is placed again at the next frame, once
 * for any number of events. The focus stays where it is.
 */
function follow() {
  if (!shown || placing) return;
  placing = requestAnimationFrame(() => {
    placing = 0;
    if (shown) placeCard(shown.term, shown.card);
  });
}

function hideCard() {
  if (!shown) return;
  shown.card.hidden = true;
  shown.term.setAttribute("aria-expanded", "false");
  shown = null;
}

/**
 * The term an event is about: on the term itself, or in its card.
 * @param {Event} event
 * @returns {HTMLElement | null}
 */
function termOf(event) {
  const target = /** @type {Element | null} */ (event.target);
  const term = target?.closest?.(".term");
  if (term) return /** @type {HTMLElement} */ (term);
  const card = target?.closest?.(".term-card");
  return card ? (termOfCard.get(card) ?? null) : null;
}

/**
 * Whether a node is the shown card's term or inside it or its card.
 * @param {EventTarget | null} node
 */
function withinShown(node) {
  return !!shown && node instanceof Node && (shown.term.contains(node) || shown.card.contains(node));
}

/**
 * Where the target goes: at the caret (replacing a selection) in a text area that has had one;
 * otherwise at the end, after a space when the text does not already end in one.
 * @param {string} value
 * @param {string} target
 * @param {{ start: number, end: number } | null} caret
 * @returns {{ text: string, start: number, end: number }}
 */
export function insertion(value, target, caret) {
  if (caret) {
    // A term is a word of its own: spaced from a word or a sentence's end it touches, not glued on
    // ("ocho.motosierra"); an opening bracket, quote or mark before it keeps it close.
    const before = value.slice(Math.max(0, caret.start - 1), caret.start);
    const after = value.slice(caret.end, caret.end + 1);
    const lead = before && !/[\s([{¿¡«“‘"'/-]/u.test(before) ? " " : "";
    const tail = after && /[\p{L}\p{N}]/u.test(after) ? " " : "";
    return { text: lead + target + tail, start: caret.start, end: caret.end };
  }
  const space = value === "" || /\s$/u.test(value) ? "" : " ";
  return { text: space + target, start: value.length, end: value.length };
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} term
 */
function insertTerm(ed, term) {
  const target = ed.terms[term.dataset.term ?? ""]?.target;
  const area = areaOf(term.closest("article.para"));
  if (!target || !area || area.readOnly) return;
  const caret = touched.has(area) ? { start: area.selectionStart, end: area.selectionEnd } : null;
  const { text, start, end } = insertion(area.value, target, caret);
  // As the browser's own edit, so that Ctrl+Z takes an insertion back.
  area.focus();
  area.setSelectionRange(start, end);
  if (!document.execCommand("insertText", false, text)) {
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

/** Terms made buttons per turn: a 1,000-row page has thousands, and all at once took 80 ms. */
const TERMS_PER_TURN = 400;

/**
 * Makes terms buttons from `from` on, a batch per idle moment, top of the page (on screen) first.
 * @param {Element[]} terms
 * @param {number} from
 */
export function makeButtons(terms, from) {
  for (const term of terms.slice(from, from + TERMS_PER_TURN)) {
    term.setAttribute("tabindex", "0");
    term.setAttribute("role", "button");
  }
  const next = from + TERMS_PER_TURN;
  if (next >= terms.length) return;
  if (typeof requestIdleCallback === "function")
    requestIdleCallback(() => makeButtons(terms, next), { timeout: 200 });
  else setTimeout(() => makeButtons(terms, next), 0);
}

/** @param {Editor} ed */
export function enableTerms(ed) {
  // Terms become keyboard-reachable buttons only where this script runs.
  makeButtons(Array.from(ed.root.querySelectorAll(".term")), 0);
  // An open card follows its term when the window changes size (a phone turned, a window dragged
  // narrower) or anything scrolls; a scroll inside a scrolled box is caught on the way down.
  window.addEventListener("resize", follow, { passive: true });
  document.addEventListener("scroll", follow, { passive: true, capture: true });
  // Hover only with a mouse: after a tap a phone reports the pointer over the term, and the card
  // would stay over the row after its Insert; there the card follows the focus (a tap focuses the term).
  ed.root.addEventListener("pointerover", (event) => {
    const term = termOf(event);
    if (term && event.pointerType === "mouse") showCard(ed, term);
  });
  ed.root.addEventListener("pointerout", (event) => {
    if (event.pointerType !== "mouse" || !shown || withinShown(event.relatedTarget)) return;
    if (!withinShown(/** @type {Element} */ (event.target))) return;
    if (!withinShown(document.activeElement)) hideCard();
  });
  ed.root.addEventListener("focusin", (event) => {
    const target = /** @type {Element} */ (event.target);
    if (target instanceof HTMLTextAreaElement) touched.add(target);
    const term = termOf(event);
    if (term && !returning) showCard(ed, term);
  });
  ed.root.addEventListener("focusout", (event) => {
    const next = /** @type {FocusEvent} */ (event).relatedTarget;
    if (shown && withinShown(/** @type {Element} */ (event.target)) && !withinShown(next)) hideCard();
  });
  // Whether the caret was in the clicked term's row when the pointer went down (the click moves it).
  let writingInRow = false;
  ed.root.addEventListener("pointerdown", (event) => {
    const term = /** @type {Element} */ (event.target).closest?.(".term");
    writingInRow = !!term && document.activeElement === areaOf(term.closest("article.para"));
  });
  ed.root.addEventListener("click", (event) => {
    const term = termOf(event);
    if (!term) return;
    const target = /** @type {Element} */ (event.target);
    if (target.closest(".term-insert") || (writingInRow && target.closest(".term"))) {
      insertTerm(ed, term);
      writingInRow = false;
      return;
    }
    if (target.closest(".term-card")) return;
    // Reading: the card shows, held by the focus (a tap focuses the term as a click does).
    showCard(ed, term);
    term.focus({ preventScroll: true });
  });
  ed.root.addEventListener("keydown", (event) => {
    const term = termOf(event);
    if (!term) return;
    const onTerm = /** @type {Element} */ (event.target).closest(".term") !== null;
    if (onTerm && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      insertTerm(ed, term);
    } else if (event.key === "Escape" && shown?.term === term) {
      // The card closes and the focus is back on its term (from the card's Insert button too).
      event.preventDefault();
      hideCard();
      returning = true;
      term.focus({ preventScroll: true });
      returning = false;
    }
  });
}
