// @ts-check
// UI strings the page handed over (rendered by the server through i18next), with i18next's plural rule.

/** @typedef {Record<string, string>} PluralForms forms by Intl plural category: one, many, other */

/**
 * Fills `{{name}}` placeholders.
 * @param {string} template
 * @param {Record<string, string | number>} values
 */
export function fill(template, values) {
  // `{{count, number}}` (i18next's number format) is filled as `{{count}}`: plural() formats the count.
  return template.replace(/\{\{(\w+)(?:, ?number)?\}\}/g, (whole, name) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}

/**
 * The form for `count` (as i18next picks it: Intl.PluralRules), filled.
 * @param {PluralForms} forms
 * @param {number} count
 * @param {string} lng
 * @param {Record<string, string | number>} [values]
 */
export function plural(forms, count, lng, values = {}) {
  // As i18next does: a `zero` form, when there is one, is used for 0 in every language.
  const category = count === 0 && forms.zero ? "zero" : new Intl.PluralRules(lng).select(count);
  const template = forms[category] ?? forms.other ?? "";
  return fill(template, { ...values, count: new Intl.NumberFormat(lng).format(count) });
}
