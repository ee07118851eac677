// @ts-check
// The spans findings point at, underlined in the text itself: a mirror of the focused text area,
// laid behind it with the same box, font and wrapping, holds the text in transparent ink with the
// spans underlined (wavy for spelling; red for errors, amber for warnings). Only the focused row
// has a mirror, so a long document costs nothing while typing elsewhere. The mirror is hidden from
// assistive technology: the findings list under the text area stays what a screen reader reads.
// Styles are set through the CSSOM (allowed by the CSP, unlike style attributes).

import { checkedText } from "./check.js";
import { areaOf, findingsListOf } from "./context.js";

/** @typedef {import("./context.js").Editor} Editor */
/** @typedef {{ start: number, end: number, severity: string, code: string }} Mark */

const COLOURS = { error: "#b3261e", warning: "#a35c00" };

/** The text area's properties the mirror copies, so that both wrap the text at the same places. */
const COPIED = [
  "boxSizing",
  "width",
  "height",
  "paddingTop",
  "paddingRight",
  "paddingBottom",
  "paddingLeft",
  "borderTopWidth",
  "borderRightWidth",
  "borderBottomWidth",
  "borderLeftWidth",
  "fontFamily",
  "fontSize",
  "fontWeight",
  "fontStyle",
  "letterSpacing",
  "wordSpacing",
  "lineHeight",
  "textTransform",
  "textIndent",
  "tabSize",
  "direction",
];

/** @param {Editor} ed */
export function enableMarks(ed) {
  /** @type {{ row: HTMLElement, area: HTMLTextAreaElement, mirror: HTMLElement, stop: () => void } | undefined} */
  let current;

  const detach = () => {
    if (!current) return;
    current.stop();
    current.mirror.remove();
    current.area.style.removeProperty("background");
    current.area.style.removeProperty("position");
    current.area.style.removeProperty("z-index");
    current = undefined;
  };

  ed.root.addEventListener("focusin", (event) => {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement)) return;
    const row = /** @type {HTMLElement | null} */ (area.closest("article.para"));
    if (!row || areaOf(row) !== area || current?.area === area) return;
    detach();
    current = attach(row, area);
  });
  ed.root.addEventListener("focusout", (event) => {
    // Leaving for a button of the same row (a finding's span) keeps the mirror.
    const next = /** @type {Node | null} */ (/** @type {FocusEvent} */ (event).relatedTarget);
    if (current && next && current.row.contains(next)) return;
    if (current && event.target === current.area) detach();
  });
}

/**
 * @param {HTMLElement} row
 * @param {HTMLTextAreaElement} area
 */
function attach(row, area) {
  const mirror = document.createElement("div");
  mirror.className = "finding-marks";
  mirror.setAttribute("aria-hidden", "true");
  const parent = /** @type {HTMLElement} */ (area.parentElement);
  if (getComputedStyle(parent).position === "static") parent.style.position = "relative";
  Object.assign(mirror.style, {
    position: "absolute",
    overflow: "hidden",
    whiteSpace: "pre-wrap",
    overflowWrap: "break-word",
    color: "transparent",
    borderStyle: "solid",
    borderColor: "transparent",
    pointerEvents: "none",
    zIndex: "0",
  });
  const look = getComputedStyle(area);
  mirror.style.background = look.backgroundColor;
  area.style.background = "transparent";
  area.style.position = "relative";
  area.style.zIndex = "1";
  area.before(mirror);

  const place = () => {
    const now = getComputedStyle(area);
    for (const name of COPIED) mirror.style.setProperty(kebab(name), now.getPropertyValue(kebab(name)));
    mirror.style.top = `${area.offsetTop}px`;
    mirror.style.left = `${area.offsetLeft}px`;
    mirror.scrollTop = area.scrollTop;
  };
  let frame = 0;
  const drawNow = () => {
    frame = 0;
    render(mirror, area.value, marksFor(row, area.value));
    mirror.scrollTop = area.scrollTop;
  };
  // At most once a frame, after the keystroke's own work: typing waits for none of it.
  const draw = () => {
    frame ||= requestAnimationFrame(drawNow);
  };
  const onScroll = () => {
    mirror.scrollTop = area.scrollTop;
  };
  const resized = new ResizeObserver(place);
  resized.observe(area);
  // The findings list changes when a check or a save answers: draw its spans.
  const changed = new MutationObserver(draw);
  changed.observe(findingsListOf(row), { childList: true });
  area.addEventListener("input", draw);
  area.addEventListener("scroll", onScroll);
  place();
  drawNow();
  return {
    row,
    area,
    mirror,
    stop() {
      cancelAnimationFrame(frame);
      resized.disconnect();
      changed.disconnect();
      area.removeEventListener("input", draw);
      area.removeEventListener("scroll", onScroll);
    },
  };
}

/** @param {string} name */
function kebab(name) {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The row's findings with spans, moved to where they are in `text`: the findings were computed for
 * the text last checked; a span before the edit stays, one after it moves with it, one the edit
 * touched is dropped until the next check.
 * @param {HTMLElement} row
 * @param {string} text
 * @returns {Mark[]}
 */
function marksFor(row, text) {
  const area = areaOf(row);
  const base = checkedText(row) ?? area?.dataset.saved ?? text;
  let prefix = 0;
  const shortest = Math.min(base.length, text.length);
  while (prefix < shortest && base.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shortest - prefix &&
    base.charCodeAt(base.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
  )
    suffix++;
  const shift = text.length - base.length;
  /** @type {Mark[]} */
  const marks = [];
  for (const li of Array.from(row.querySelectorAll(".findings li.finding[data-start]:not(.waived)"))) {
    const item = /** @type {HTMLElement} */ (li);
    let start = Number(item.dataset.start);
    let end = Number(item.dataset.end);
    if (!(end > start) || end > base.length) continue;
    const before = end <= prefix;
    if (!before && start >= base.length - suffix) {
      start += shift;
      end += shift;
    } else if (!before) continue;
    const severity = item.classList.contains("error") ? "error" : "warning";
    marks.push({ start, end, severity, code: item.dataset.code ?? "" });
  }
  return marks.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * @param {HTMLElement} mirror
 * @param {string} text
 * @param {Mark[]} marks
 */
function render(mirror, text, marks) {
  // Nothing to underline: no text to lay out either.
  if (marks.length === 0) {
    if (mirror.firstChild) mirror.replaceChildren();
    return;
  }
  /** @type {(Node | string)[]} */
  const parts = [];
  let at = 0;
  for (const mark of marks) {
    // Overlapping spans: the first (and longest) one is drawn.
    if (mark.start < at) continue;
    parts.push(text.slice(at, mark.start));
    const span = document.createElement("span");
    span.textContent = text.slice(mark.start, mark.end);
    span.className = `mark ${mark.severity}`;
    span.dataset.code = mark.code;
    const colour = COLOURS[/** @type {"error" | "warning"} */ (mark.severity)];
    span.style.textDecorationLine = "underline";
    span.style.textDecorationStyle = mark.code === "spelling" ? "wavy" : "solid";
    span.style.textDecorationColor = colour;
    span.style.textDecorationThickness = mark.code === "spelling" ? "1px" : "2px";
    span.style.textUnderlineOffset = "3px";
    span.style.textDecorationSkipInk = "none";
    parts.push(span);
    at = mark.end;
  }
  // A final newline takes a line in a text area but not in a div without something after it.
  parts.push(`${text.slice(at)}\u200b`);
  mirror.replaceChildren(...parts);
}
