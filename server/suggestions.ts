/**
 * Where a paragraph's suggestions come from besides the translation memory: each machine
 * translation provider (and any later source) is one SuggestionSource registered in
 * `Services.suggestionSources`. The suggestions route asks them all, with a deadline, and a
 * source that fails or times out is skipped while the rest still answer.
 */

import type { AnyFinding } from "../quality/run.ts";
import type { Change } from "../translations/diff.ts";
import type { Document, Paragraph } from "../translations/document.ts";

/** One suggestion as `GET .../suggestions` returns it (api-v1.md, "Translation memory and suggestions"). */
export interface Suggestion {
  origin: "memory" | "mt";
  /** Memory only: the fuzzy match percentage between the two sources (100: identical). */
  score?: number;
  /** The suggestion's source text. */
  source: string;
  /** The suggested translation. */
  text: string;
  /** Word diff from the suggestion's source to this paragraph's source. */
  sourceDiff: Change[];
  approved: boolean;
  /** Memory: the document the pair came from. */
  document?: { id: string; title: string };
  /** Machine translation: the provider's name (`apertium`, `libretranslate`, `deepl`). */
  provider?: string;
  /** Machine translation: what the quality checks found in the suggested text (shown with it as `qa`). */
  findings?: readonly AnyFinding[];
  // Translation memory extras (docs/api.md).
  /** Memory: the paragraph the pair came from, and when it was translated or imported. */
  paragraphId?: string;
  updatedAt?: string;
  /** Memory: numbers of the old source put into `text` with this source's values. */
  numbers?: { from: string; to: string }[];
  /**
   * Memory: how many inline codes an imported unit's source and translation have (memory/tmx.ts); a
   * placeholder `{n}` is a code only when n is within its side's count, otherwise it is text.
   */
  sourceCodes?: number;
  textCodes?: number;
  /**
   * Memory: put together from sentences found separately; `null` where a sentence's source stands.
   * A found sentence says where its translation came from.
   */
  assembled?: {
    source: string;
    text: string | null;
    document?: { id: string; title: string };
    updatedAt?: string;
    approved?: boolean;
  }[];
}

export interface SuggestionRequest {
  document: Document;
  /** Canonical target language tag. */
  lang: string;
  paragraph: Paragraph;
}

export interface SuggestionSource {
  readonly name: string;
  /** Suggestions for one paragraph; `signal` aborts when the route stops waiting. */
  suggest(request: SuggestionRequest, signal: AbortSignal): Promise<Suggestion[]>;
}
