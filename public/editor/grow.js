// @ts-check
// Text areas as tall as their text. Where the browser sizes them itself (CSS `field-sizing: content`)
// there is nothing to do; otherwise every height is read first and then every height set, so a page
// of a thousand rows lays out once instead of once per row.

const NATIVE = typeof CSS !== "undefined" && CSS.supports("field-sizing", "content");

/** @param {HTMLTextAreaElement[]} areas */
export function growAll(areas) {
  if (NATIVE) return;
  for (const area of areas) area.style.height = "auto";
  const heights = areas.map((area) => area.scrollHeight);
  areas.forEach((area, i) => {
    area.style.height = `${(heights[i] ?? 0) + 2}px`;
  });
}

/** @param {HTMLTextAreaElement} area */
export function grow(area) {
  growAll([area]);
}
