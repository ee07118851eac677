/**
 * Machine translation as the rest of the server sees it: the configured providers (each behind its
 * deadline, cache and circuit breaker), glossary-safe translation of paragraphs with the checks'
 * findings, one suggestion source per provider, and what the settings page lists.
 */

import type { AnyFinding } from "../../quality/run.ts";
import type { Paragraph, SourceFormat } from "../../translations/document.ts";
import type { GlossaryService } from "../services/glossary.ts";
import type { Suggestion, SuggestionRequest, SuggestionSource } from "../suggestions.ts";
import { type ApertiumMode, ApertiumTranslator, installedModes } from "./apertium.ts";
import type { MtConfig, ProviderName } from "./config.ts";
import { DeepLTranslator } from "./deepl.ts";
import { translateSafely } from "./glossary-safe.ts";
import { LibreTranslateTranslator } from "./libretranslate.ts";
import {
  type LanguagePair,
  MachineTranslationError,
  type MachineTranslator,
  ProviderPausedError,
  pairListed,
} from "./provider.ts";
import { type CircuitState, DEFAULT_RELIABILITY, ReliableTranslator } from "./reliable.ts";

/**
 * The one entry point suggestions go through for their findings: every check (QualityService's
 * `qualityCheck`, wired in server/context.ts); `glossaryCheck` runs the glossary's alone.
 */
export type CheckTranslation = (
  sourceLang: string,
  targetLang: string,
  /** The paragraph translated: its kind (a title) and its source. */
  paragraph: Paragraph,
  text: string,
  /** The document's format: Markdown's markup is checked as a saved translation's would be. */
  format?: SourceFormat,
) => Promise<readonly AnyFinding[]>;

export function glossaryCheck(glossary: GlossaryService): CheckTranslation {
  return async (sourceLang, targetLang, paragraph, text) =>
    (await glossary.index(sourceLang, targetLang)).check(paragraph.source, text);
}

/** A machine translation of one paragraph, with what the checks found in it. */
export interface MachineSuggestion {
  pid: string;
  provider: string;
  text: string;
  findings: readonly AnyFinding[];
  /** Terms whose required target was put in for the engine's word. */
  substituted: string[];
}

export interface ProviderInfo {
  name: string;
  circuit: CircuitState;
  /** While the breaker skips the provider: seconds until a call tries it again. */
  retryAfter?: number;
  pairs: LanguagePair[];
  /** Set when the provider could not say which pairs it has. */
  error?: string;
}

export function createTranslator(name: ProviderName, config: MtConfig): MachineTranslator {
  switch (name) {
    case "apertium":
      return new ApertiumTranslator();
    case "libretranslate":
      return new LibreTranslateTranslator({
        url: config.libretranslate.url ?? "",
        key: config.libretranslate.key,
      });
    case "deepl":
      return new DeepLTranslator({ key: config.deepl.key ?? "", url: config.deepl.url });
  }
}

export class MachineTranslation {
  readonly providers: ReliableTranslator[];
  readonly #pairs = new Map<string, Promise<LanguagePair[]>>();

  constructor(
    translators: readonly MachineTranslator[],
    private readonly glossary: GlossaryService,
    private readonly check: CheckTranslation,
    timeoutMs = DEFAULT_RELIABILITY.timeoutMs,
  ) {
    this.providers = translators.map((t) => new ReliableTranslator(t, { ...DEFAULT_RELIABILITY, timeoutMs }));
  }

  get enabled(): boolean {
    return this.providers.length > 0;
  }

  provider(name: string): ReliableTranslator | undefined {
    return this.providers.find((p) => p.name === name);
  }

  /** True when the provider lists the pair; a provider that cannot say is taken at its word later. */
  async supports(provider: ReliableTranslator, pair: LanguagePair): Promise<boolean> {
    let pairs = this.#pairs.get(provider.name);
    if (!pairs) {
      pairs = provider.pairs(AbortSignal.timeout(DEFAULT_RELIABILITY.timeoutMs));
      this.#pairs.set(provider.name, pairs);
      // A failed listing is asked again next time rather than remembered.
      pairs.catch(() => this.#pairs.delete(provider.name));
    }
    return pairListed(await pairs.catch(() => [pair]), pair);
  }

  /**
   * Glossary-safe translations of paragraphs of a document with one provider; `context` is the
   * document's whole source, where names are found ("Donald Trump" before "Trump").
   */
  async translate(
    provider: ReliableTranslator,
    pair: LanguagePair,
    paragraphs: readonly Paragraph[],
    signal: AbortSignal,
    context: readonly string[] = paragraphs.map((p) => p.source),
    format?: SourceFormat,
  ): Promise<MachineSuggestion[]> {
    if (!(await this.supports(provider, pair)))
      throw new MachineTranslationError(provider.name, "unsupported_pair", `${pair.source}-${pair.target}`);
    const index = await this.glossary.index(pair.source, pair.target);
    const sources = paragraphs.map((p) => p.source);
    const safe = await translateSafely(provider, index, pair, sources, signal, context);
    return Promise.all(
      safe.map(async (s, i) => {
        const paragraph = paragraphs[i] as Paragraph;
        return {
          pid: paragraph.id,
          provider: provider.name,
          text: s.text,
          findings: await this.check(pair.source, pair.target, paragraph, s.text, format),
          substituted: s.substituted,
        };
      }),
    );
  }

  /** One suggestion source per provider, in the configured order. */
  sources(): SuggestionSource[] {
    return this.providers.map((provider) => ({
      name: provider.name,
      suggest: async (
        { document, lang, paragraph }: SuggestionRequest,
        signal: AbortSignal,
      ): Promise<Suggestion[]> => {
        const pair = { source: document.sourceLang, target: lang };
        if (!(await this.supports(provider, pair))) return [];
        const context = document.paragraphs.map((p) => p.source);
        const [result] = await this.translate(provider, pair, [paragraph], signal, context, document.format);
        if (!result?.text.trim()) return [];
        return [
          {
            origin: "mt",
            source: paragraph.source,
            text: result.text,
            sourceDiff: paragraph.source ? [{ op: "equal", text: paragraph.source }] : [],
            approved: false,
            provider: provider.name,
            findings: result.findings,
          },
        ];
      },
    }));
  }

  /**
   * Gets each local engine ready for the pairs it supports (Apertium loads its dictionaries), so that
   * a translator's first suggestion does not wait for it. Failures are left to the first real request.
   */
  async warm(pairs: readonly LanguagePair[]): Promise<void> {
    await Promise.all(
      this.providers.flatMap((provider) =>
        provider.warm
          ? pairs.map(async (pair) => {
              if (await this.supports(provider, pair).catch(() => false))
                await provider.warm?.(pair).catch(() => undefined);
            })
          : [],
      ),
    );
  }

  /** Providers with their pairs and circuit state, and Apertium's installed pairs, for the settings page. */
  async info(): Promise<{ providers: ProviderInfo[]; apertium: ApertiumMode[] }> {
    const providers = await Promise.all(
      this.providers.map(async (provider): Promise<ProviderInfo> => {
        const retryAt = provider.retryAt;
        const state = {
          name: provider.name,
          circuit: provider.circuit,
          ...(retryAt !== undefined
            ? { retryAfter: new ProviderPausedError(provider.name, retryAt).retryAfter() }
            : {}),
        };
        try {
          return {
            ...state,
            pairs: await provider.pairs(AbortSignal.timeout(DEFAULT_RELIABILITY.timeoutMs)),
          };
        } catch (error) {
          const failure = error instanceof MachineTranslationError ? error.failure : "unavailable";
          return { ...state, pairs: [], error: failure };
        }
      }),
    );
    return { providers, apertium: await installedModes() };
  }

  close(): void {
    for (const provider of this.providers) provider.close();
  }
}
