/**
 * The providers' names as people write them. Apart from config.ts, which server/config.ts imports in a
 * cycle: a page importing these names must not be the first to load it.
 */

import type { ProviderName } from "./config.ts";

const PROVIDER_LABELS: Record<ProviderName, string> = {
  apertium: "Apertium",
  libretranslate: "LibreTranslate",
  deepl: "DeepL",
};

/** A provider's name as people write it; one this version does not know, as stored. */
export function providerLabel(name: string): string {
  return (PROVIDER_LABELS as Record<string, string | undefined>)[name] ?? name;
}
