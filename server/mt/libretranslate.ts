/** A self-hosted LibreTranslate server: `POST /translate` with a batch of texts, `GET /languages` for its pairs. */

import { requestJson, stringsOf } from "./http.ts";
import { type LanguagePair, type MachineTranslator, primary, type TranslateOptions } from "./provider.ts";

export interface LibreTranslateOptions {
  url: string;
  key?: string | undefined;
}

export class LibreTranslateTranslator implements MachineTranslator {
  readonly name = "libretranslate";
  readonly placeholders = "token" as const;

  constructor(private readonly options: LibreTranslateOptions) {}

  async pairs(signal?: AbortSignal): Promise<LanguagePair[]> {
    const languages = await requestJson(this.name, this.#url("languages"), signal ? { signal } : {});
    if (!Array.isArray(languages)) return [];
    return languages.flatMap((l: { code?: unknown; targets?: unknown }) =>
      typeof l.code === "string" && Array.isArray(l.targets)
        ? l.targets
            .filter((t): t is string => typeof t === "string" && t !== l.code)
            .map((target) => ({ source: l.code as string, target }))
        : [],
    );
  }

  async translate(
    segments: readonly string[],
    pair: LanguagePair,
    options: TranslateOptions,
  ): Promise<string[]> {
    const body = {
      q: segments,
      source: primary(pair.source),
      target: libreTarget(pair.target),
      format: "text",
      ...(this.options.key ? { api_key: this.options.key } : {}),
    };
    const answer = (await requestJson(this.name, this.#url("translate"), {
      body,
      signal: options.signal,
    })) as {
      translatedText?: unknown;
    };
    return stringsOf(this.name, answer?.translatedText, segments.length);
  }

  #url(path: string): URL {
    return new URL(path, this.options.url.endsWith("/") ? this.options.url : `${this.options.url}/`);
  }
}

/** LibreTranslate names Brazilian Portuguese and the Chinese scripts by region; the rest by language. */
function libreTarget(tag: string): string {
  if (tag === "pt-BR") return "pb";
  if (tag === "zh-TW" || tag === "zh-Hant") return "zt";
  return primary(tag);
}
