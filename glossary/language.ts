/** BCP 47 handling shared by the glossary and the translations domain. */

const displayNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** Canonical form of a BCP 47 tag (`ES-ar` → `es-AR`), or null when the tag is malformed. */
export function canonicalLang(tag: string): string | null {
  if (typeof tag !== "string" || tag.length === 0 || tag.length > 35) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    return canonical ?? null;
  } catch {
    return null;
  }
}

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
