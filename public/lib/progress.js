// @ts-check
// Redraws a progress bar and its numbers from the API's `progress`, as views/partials/progress.ejs does.

import { fill, plural } from "./i18n.js";

/**
 * @typedef {{ total: number, translated: number, approved: number, outdated?: number,
 *   words?: { total: number, translated: number, approved: number } }} Progress
 * @typedef {{ translated: Record<string, string>, approved: Record<string, string>,
 *   words: Record<string, string>, outdated?: Record<string, string>, aria?: string }} ProgressStrings
 */

/**
 * @param {Progress} p
 * @param {ProgressStrings} strings
 * @param {string} lng
 */
export function progressText(p, strings, lng) {
  const number = new Intl.NumberFormat(lng);
  const percent = p.total === 0 ? 0 : Math.round((100 * p.translated) / p.total);
  const parts = [
    plural(strings.translated, p.translated, lng, { total: number.format(p.total), percent }),
    plural(strings.approved, p.approved, lng),
  ];
  // Translations a source update made outdated, as views/partials/progress.ejs shows them.
  if (p.outdated && strings.outdated) parts.push(plural(strings.outdated, p.outdated, lng));
  const head = parts.join(" · ");
  if (!p.words) return head;
  const words = plural(strings.words, p.words.total, lng, { translated: number.format(p.words.translated) });
  return `${head} · ${words}`;
}

/**
 * @param {Element | null} box the `.progress` element
 * @param {Progress} p
 * @param {ProgressStrings} strings
 * @param {string} lng
 */
export function showProgress(box, p, strings, lng) {
  if (!box) return;
  const pct = (/** @type {number} */ n) => (p.total === 0 ? 0 : Math.round((100 * n) / p.total));
  const approved = pct(p.approved);
  box.querySelector("rect.approved")?.setAttribute("width", String(approved));
  const translated = box.querySelector("rect.translated");
  translated?.setAttribute("x", String(approved));
  translated?.setAttribute("width", String(pct(p.translated - p.approved)));
  const numbers = box.querySelector(".numbers");
  if (numbers) numbers.textContent = progressText(p, strings, lng);
  // What a screen reader says of the bar follows it too.
  const bar = box.querySelector("svg.bar");
  if (bar && strings.aria)
    bar.setAttribute(
      "aria-label",
      fill(strings.aria, {
        lang: bar.getAttribute("data-lang") ?? "",
        approved: String(p.approved),
        translated: String(p.translated),
        total: String(p.total),
      }),
    );
}
