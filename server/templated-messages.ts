/**
 * Messages with parameters, looked up in i18next once per key and set of parameter names and filled
 * in afterwards. A long editor page shows thousands of findings that differ only in a value (a
 * number, a word): each i18next lookup with interpolation cost about 50 µs, hundreds per first view.
 */

export type Translate = (key: string, params?: object) => string;

/** Stands for a parameter in a looked-up message; user text cannot hold it (a NUL cannot be stored). */
const MARK = "\u0000";
const MARKED = new RegExp(`${MARK}(\\d+)${MARK}`);

/** Options that change which message i18next picks, not only what it inserts: never templated. */
const CHOOSERS = new Set(["count", "context", "lng", "defaultValue", "ordinal", "returnObjects"]);

/**
 * A translator that answers as `t` does, remembering each message's template for its lifetime
 * (one request: one language). Values are inserted as given, as i18next does with `escapeValue: false`.
 */
export function templatedTranslator(t: Translate): Translate {
  // Literal text at even indexes, parameter indexes at odd ones.
  const templates = new Map<string, (string | number)[] | null>();
  return (key, given) => {
    if (!given) return t(key);
    const params = given as Record<string, unknown>;
    const names = Object.keys(params);
    const values = names.map((name) => params[name]);
    if (
      names.some((name) => CHOOSERS.has(name)) ||
      values.some((value) => typeof value !== "string" && typeof value !== "number")
    )
      return t(key, params);
    const id = `${key}${MARK}${names.join(MARK)}`;
    let template = templates.get(id);
    if (template === undefined) {
      const marks = Object.fromEntries(names.map((name, i) => [name, `${MARK}${i}${MARK}`]));
      const pieces = t(key, marks).split(MARKED);
      // A value i18next formats (`{{ratio, number}}`) turns its mark into "NaN": such a message is
      // looked up with its values every time.
      const used = pieces.filter((_, i) => i % 2 === 1);
      template = names.every((_, i) => used.includes(String(i)))
        ? pieces.map((piece, i) => (i % 2 === 1 ? Number(piece) : piece))
        : null;
      templates.set(id, template);
    }
    if (template === null) return t(key, params);
    let out = "";
    for (let i = 0; i < template.length; i++) {
      const piece = template[i] as string | number;
      out += i % 2 === 1 ? String(values[piece as number]) : piece;
    }
    return out;
  };
}
