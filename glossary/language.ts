/** BCP 47 handling shared by the glossary and the translations domain. */

const displayNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** Longest language tag accepted, in its canonical form (it names files and database keys). */
export const MAX_LANG_LENGTH = 35;

/**
 * Canonical form of a BCP 47 tag (`ES-ar` → `es-AR`), or null when the tag is malformed or its
 * canonical form is longer than MAX_LANG_LENGTH: canonicalising can lengthen a tag
 * (`sh-Latn-u-ca-islamicc` becomes `sr-Latn-u-ca-islamic-civil`), so the bound is checked on
 * what is stored, not on what was sent.
 */
export function canonicalLang(tag: string): string | null {
  if (typeof tag !== "string" || tag.length === 0 || tag.length > MAX_LANG_LENGTH) return null;
  const known = CANONICAL.get(tag);
  if (known !== undefined) return known;
  let canonical: string | null = null;
  try {
    const [read] = Intl.getCanonicalLocales(tag.trim());
    if (read && read.length <= MAX_LANG_LENGTH && /^[A-Za-z0-9-]+$/.test(read)) canonical = read;
  } catch {
    // Malformed: null.
  }
  // Every request names a language or two: ICU is asked once per tag, not several times per save.
  if (CANONICAL.size >= CANONICAL_MAX) CANONICAL.clear();
  CANONICAL.set(tag, canonical);
  return canonical;
}

/** Tags already read (a memo: the answer depends on the tag alone), at most CANONICAL_MAX of them. */
const CANONICAL = new Map<string, string | null>();
const CANONICAL_MAX = 1_000;

/** The primary language subtag (`pt-BR` → `pt`). */
export function primaryLang(tag: string): string {
  return tag.split("-")[0]?.toLowerCase() ?? tag;
}

/**
 * True when the tag names a language ICU knows (`es`, `pt-BR`), not merely a syntactically valid tag:
 * used to tell a CSV header row (`en,es`) from a data row (`IMF,FMI`).
 */
export function isKnownLang(tag: string): boolean {
  const canonical = canonicalLang(tag);
  if (!canonical) return false;
  const primary = primaryLang(canonical);
  return primary.length >= 2 && primary.length <= 3 && displayNames.of(primary) !== undefined;
}

/** English display name of a language tag, falling back to the tag itself. */
export function languageName(tag: string, locale = "en"): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language", fallback: "code" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Locales whose names of languages a CSV header may use ("English", "Español", "Französisch"...). */
const NAMING_LOCALES = ["en", "es", "fr", "de", "pt", "it", "ca", "nl"];

/** A language name as compared: lower case, accents and spaces around it gone. */
const nameKey = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .trim()
    .toLowerCase();

let byName: Map<string, string> | undefined;

/**
 * The language a column header names in words (`English`, `Spanish`, `Español`, `español`), in
 * English, Spanish and a few other languages or in the language itself; null for any other text.
 * Only two-letter languages ICU names are known: the table is made once, on first use.
 */
export function langByName(name: string): string | null {
  if (name.length > 40) return null;
  if (!byName) {
    const table = new Map<string, string>();
    const namers = NAMING_LOCALES.map(
      (locale) => new Intl.DisplayNames([locale], { type: "language", fallback: "none" }),
    );
    for (let a = 97; a <= 122; a++)
      for (let b = 97; b <= 122; b++) {
        const code = String.fromCharCode(a, b);
        if (displayNames.of(code) === undefined) continue;
        let own: string | undefined;
        try {
          own = new Intl.DisplayNames([code], { type: "language", fallback: "none" }).of(code);
        } catch {
          own = undefined;
        }
        for (const label of [...namers.map((namer) => namer.of(code)), own]) {
          // The first language a name is given to keeps it.
          const key = label ? nameKey(label) : "";
          if (key && !table.has(key)) table.set(key, code);
        }
      }
    byName = table;
  }
  return byName.get(nameKey(name)) ?? null;
}
