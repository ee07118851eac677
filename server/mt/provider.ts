/**
 * One small interface for every machine translation engine: translate a batch of segments for a
 * language pair, say which pairs it supports. A new engine is one file beside this one.
 */

/** A direction of translation, as canonical BCP 47 tags (`en` → `es`). */
export interface LanguagePair {
  source: string;
  target: string;
}

/** A glossary entry an engine may be told to use (DeepL's glossaries); engines without the feature ignore it. */
export interface GlossaryHint {
  source: string;
  target: string;
}

export interface TranslateOptions {
  /** Aborts when the caller stops waiting (the per-request timeout, a cancelled job). */
  signal: AbortSignal;
  /** Required translations of terms, for engines that take a glossary. */
  glossary?: readonly GlossaryHint[];
}

/** How protected spans travel through an engine unchanged: a word it does not know, or an XML tag it ignores. */
export type PlaceholderStyle = "token" | "xml";

export interface MachineTranslator {
  /** `apertium`, `libretranslate`, `deepl`: the label suggestions carry. */
  readonly name: string;
  readonly placeholders: PlaceholderStyle;
  /** The pairs it translates, for the settings page and for `supports`. */
  pairs(signal?: AbortSignal): Promise<LanguagePair[]>;
  /** One translation per segment, in order. Throws MachineTranslationError. */
  translate(segments: readonly string[], pair: LanguagePair, options: TranslateOptions): Promise<string[]>;
  /**
   * Personal names in the texts that the engine would translate as words ("Trump" → "Triunfo"),
   * to be kept as written. Engines that recognise names themselves leave it out.
   */
  names?(texts: readonly string[], pair: LanguagePair, signal: AbortSignal): Promise<string[]>;
  /** Gets ready to translate the pair (starts processes, loads dictionaries); engines over HTTP leave it out. */
  warm?(pair: LanguagePair): Promise<void>;
  /** Ends long-lived processes or connections. */
  close?(): void;
}

export type MachineTranslationFailure =
  | "timeout"
  | "unauthorized"
  | "rate_limited"
  | "quota_exceeded"
  | "unavailable"
  | "unsupported_pair"
  | "bad_response"
  | "circuit_open";

/** A provider's failure, named without the request (a key or URL never appears in the message). */
export class MachineTranslationError extends Error {
  constructor(
    readonly provider: string,
    readonly failure: MachineTranslationFailure,
    detail = "",
  ) {
    super(`${provider}: ${failure.replaceAll("_", " ")}${detail ? ` (${detail})` : ""}`);
    this.name = "MachineTranslationError";
  }
}

/**
 * A provider skipped by its circuit breaker after repeated failures: it is tried again at `retryAt`
 * (epoch ms), so that a client can say when instead of "could not translate".
 */
export class ProviderPausedError extends MachineTranslationError {
  constructor(
    provider: string,
    readonly retryAt: number,
  ) {
    super(provider, "circuit_open");
    this.name = "ProviderPausedError";
  }

  /** Whole seconds from `now` until the provider is tried again, at least 1 (for Retry-After). */
  retryAfter(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.retryAt - now) / 1000));
  }
}

/** The primary language subtag, lower case: `es-AR` → `es`. */
export function primary(tag: string): string {
  return tag.split("-")[0]?.toLowerCase() ?? tag;
}

/** True when the pair list holds the pair, by primary language (a provider picks the variant itself). */
export function pairListed(pairs: readonly LanguagePair[], pair: LanguagePair): boolean {
  return pairs.some(
    (p) => primary(p.source) === primary(pair.source) && primary(p.target) === primary(pair.target),
  );
}
