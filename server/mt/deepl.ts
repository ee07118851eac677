/**
 * DeepL's API (v2): free keys (ending in `:fx`) go to api-free.deepl.com, others to api.deepl.com,
 * unless GLOSA_DEEPL_URL says otherwise. Protected spans travel as XML tags (`tag_handling: xml`).
 * When the pair supports glossaries, the required terms go along as a DeepL glossary, created once
 * per set of entries.
 */

import { createHash } from "node:crypto";
import { requestJson } from "./http.ts";
import {
  type GlossaryHint,
  type LanguagePair,
  MachineTranslationError,
  type MachineTranslator,
  primary,
  type TranslateOptions,
} from "./provider.ts";

export interface DeepLOptions {
  key: string;
  /** Base URL; by default DeepL's free or pro endpoint, chosen by the key. */
  url?: string | undefined;
}

export function deeplBaseUrl(key: string, url?: string): string {
  if (url) return url;
  return key.endsWith(":fx") ? "https://api-free.deepl.com" : "https://api.deepl.com";
}

/** DeepL's target codes: English and Portuguese need a variant. */
export function deeplTarget(tag: string): string {
  const upper = tag.toUpperCase();
  if (upper === "EN") return "EN-US";
  if (upper === "PT") return "PT-PT";
  if (/^(EN-(GB|US)|PT-(PT|BR)|ZH-HANS|ZH-HANT)$/.test(upper)) return upper;
  return primary(tag).toUpperCase();
}

/** DeepL's `EN-GB` as the BCP 47 tag Glosa uses, `en-GB`. */
function canonical(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? tag.toLowerCase();
  } catch {
    return tag.toLowerCase();
  }
}

/** At most this many glossaries are remembered; DeepL accounts hold a limited number. */
const GLOSSARY_MEMORY = 50;

export class DeepLTranslator implements MachineTranslator {
  readonly name = "deepl";
  readonly placeholders = "xml" as const;
  readonly #base: string;
  #glossaryPairs?: Promise<Set<string>>;
  readonly #glossaries = new Map<string, Promise<string>>();

  constructor(private readonly options: DeepLOptions) {
    this.#base = deeplBaseUrl(options.key, options.url);
  }

  async pairs(signal?: AbortSignal): Promise<LanguagePair[]> {
    const get = (type: string) =>
      this.#get(`v2/languages?type=${type}`, signal) as Promise<{ language?: string }[]>;
    const [sources, targets] = await Promise.all([get("source"), get("target")]);
    const tags = (list: unknown) =>
      Array.isArray(list)
        ? list.flatMap((l) => (typeof l?.language === "string" ? [l.language as string] : []))
        : [];
    return tags(sources).flatMap((s) =>
      tags(targets)
        .filter((t) => primary(t) !== primary(s))
        .map((t) => ({
          source: s.toLowerCase(),
          target: canonical(t),
        })),
    );
  }

  async translate(
    segments: readonly string[],
    pair: LanguagePair,
    options: TranslateOptions,
  ): Promise<string[]> {
    const glossaryId = await this.#glossary(pair, options.glossary ?? [], options.signal);
    const answer = (await requestJson(this.name, new URL("v2/translate", `${this.#base}/`), {
      body: {
        text: segments,
        source_lang: primary(pair.source).toUpperCase(),
        target_lang: deeplTarget(pair.target),
        tag_handling: "xml",
        ...(glossaryId ? { glossary_id: glossaryId } : {}),
      },
      headers: this.#auth(),
      signal: options.signal,
    })) as { translations?: { text?: unknown }[] };
    const texts = Array.isArray(answer?.translations) ? answer.translations.map((t) => t?.text) : [];
    if (texts.length !== segments.length || !texts.every((t) => typeof t === "string"))
      throw new MachineTranslationError(this.name, "bad_response");
    return texts as string[];
  }

  #auth(): Record<string, string> {
    return { authorization: `DeepL-Auth-Key ${this.options.key}` };
  }

  #get(path: string, signal?: AbortSignal): Promise<unknown> {
    return requestJson(this.name, new URL(path, `${this.#base}/`), {
      headers: this.#auth(),
      ...(signal ? { signal } : {}),
    });
  }

  /** The id of a DeepL glossary holding exactly these entries, or undefined when the pair has none. */
  async #glossary(
    pair: LanguagePair,
    entries: readonly GlossaryHint[],
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const usable = entries.filter(
      (e) => e.source.trim() && e.target.trim() && !/[\t\n]/.test(e.source + e.target),
    );
    if (usable.length === 0) return undefined;
    const source = primary(pair.source);
    const target = primary(pair.target);
    this.#glossaryPairs ??= this.#get("v2/glossary-language-pairs", signal).then(
      (answer) =>
        new Set(
          (
            (answer as { supported_languages?: { source_lang?: string; target_lang?: string }[] })
              ?.supported_languages ?? []
          ).map((p) => `${p.source_lang?.toLowerCase()}>${p.target_lang?.toLowerCase()}`),
        ),
    );
    this.#glossaryPairs.catch(() => (this.#glossaryPairs = undefined));
    if (!(await this.#glossaryPairs).has(`${source}>${target}`)) return undefined;
    const tsv = usable
      .map((e) => `${e.source}\t${e.target}`)
      .sort()
      .join("\n");
    const key = createHash("sha256").update(`${source}>${target}\n${tsv}`).digest("hex");
    let id = this.#glossaries.get(key);
    if (!id) {
      id = requestJson(this.name, new URL("v2/glossaries", `${this.#base}/`), {
        body: {
          name: `glosa-${key.slice(0, 12)}`,
          source_lang: source,
          target_lang: target,
          entries: tsv,
          entries_format: "tsv",
        },
        headers: this.#auth(),
        signal,
      }).then((answer) => {
        const glossaryId = (answer as { glossary_id?: unknown })?.glossary_id;
        if (typeof glossaryId !== "string") throw new MachineTranslationError(this.name, "bad_response");
        return glossaryId;
      });
      id.catch(() => this.#glossaries.delete(key));
      if (this.#glossaries.size >= GLOSSARY_MEMORY) this.#glossaries.clear();
      this.#glossaries.set(key, id);
    }
    return id;
  }
}
