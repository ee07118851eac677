/**
 * Spelling dictionaries, loaded the first time a language is checked and never on a request's
 * time: nspell (Hunspell-compatible, pure JavaScript) reads the .dic file a few hundred lines at a
 * time, yielding to the event loop every few milliseconds, and the language's checks skip spelling
 * until it is ready. Dictionaries: the `dictionary-en` and `dictionary-es` packages, and Debian's
 * /usr/share/hunspell/<lang>.dic for any other language installed there.
 */

import { readFile } from "node:fs/promises";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import nspell from "nspell";
import { primaryLang } from "../glossary/language.ts";
import type { Speller } from "../quality/finding.ts";

/** How long one slice of a dictionary load may hold the event loop. */
const SLICE_MS = 8;

const PACKAGED: Record<string, () => Promise<{ aff: Uint8Array; dic: Uint8Array }>> = {
  en: async () => (await import("dictionary-en")).default,
  es: async () => (await import("dictionary-es")).default,
};

const HUNSPELL_DIR = "/usr/share/hunspell";

/**
 * Loaded dictionaries, shared by every app in the process: each is tens of megabytes of read-only
 * data from an installed package, and loading it costs seconds of CPU (tests build many apps).
 */
const LOADED = new Map<string, Speller | null>();
const LOADING = new Map<string, Promise<Speller | null>>();

export class Spellers {
  readonly #loaded = LOADED;
  readonly #loading = LOADING;

  /** `hunspellDir` null: no dictionaries at all (tests that want findings independent of load timing). */
  constructor(private readonly hunspellDir: string | null = HUNSPELL_DIR) {}

  /** Spellers that never load a dictionary: spelling finds nothing. */
  static none(): Spellers {
    return new Spellers(null);
  }

  /** The language's speller if loaded; otherwise starts loading it and answers undefined. */
  get(lang: string): Speller | undefined {
    const primary = `${this.hunspellDir}\u0000${primaryLang(lang)}`;
    const speller = this.#loaded.get(primary);
    if (speller !== undefined) return speller ?? undefined;
    void this.ready(lang);
    return undefined;
  }

  /** The language's speller once loaded; undefined when no dictionary for it is installed. */
  async ready(lang: string): Promise<Speller | undefined> {
    const primary = primaryLang(lang);
    const key = `${this.hunspellDir}\u0000${primary}`;
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(lang, primary).catch(() => null);
      this.#loading.set(key, loading);
      void loading.then((speller) => this.#loaded.set(key, speller));
    }
    return (await loading) ?? undefined;
  }

  async #load(lang: string, primary: string): Promise<Speller | null> {
    const files = await this.#files(lang, primary);
    if (!files) return null;
    const decoder = decoderFor(files.aff);
    const spell = nspell(decoder.decode(files.aff));
    // Each call to dictionary() rebuilds the compound rules from their source strings: keep those.
    const internals = spell as unknown as { compoundRules: unknown[] };
    const rules = internals.compoundRules.slice();
    const lines = decoder.decode(files.dic).split("\n").slice(1);
    let i = 0;
    while (i < lines.length) {
      const started = performance.now();
      while (i < lines.length && performance.now() - started < SLICE_MS) {
        internals.compoundRules = rules.slice();
        spell.dictionary(`\n${lines.slice(i, i + 100).join("\n")}`);
        i += 100;
      }
      await yieldToLoop();
    }
    return rememberingSpeller((word) => spell.correct(word));
  }

  async #files(lang: string, primary: string): Promise<{ aff: Uint8Array; dic: Uint8Array } | null> {
    if (this.hunspellDir === null) return null;
    const packaged = PACKAGED[primary];
    if (packaged) return packaged();
    const region = lang.split("-")[1];
    const names = [
      region ? `${primary}_${region.toUpperCase()}` : "",
      primary,
      `${primary}_${primary.toUpperCase()}`,
    ];
    for (const name of names.filter(Boolean)) {
      try {
        const [aff, dic] = await Promise.all([
          readFile(`${this.hunspellDir}/${name}.aff`),
          readFile(`${this.hunspellDir}/${name}.dic`),
        ]);
        return { aff, dic };
      } catch {
        // Not installed under this name: try the next.
      }
    }
    return null;
  }
}

/** Hunspell files name their encoding on the .aff's SET line (Debian's are not all UTF-8). */
function decoderFor(aff: Uint8Array): TextDecoder {
  const head = new TextDecoder("latin1").decode(aff.subarray(0, 4096));
  const label = /^SET\s+(\S+)/m.exec(head)?.[1] ?? "utf-8";
  try {
    return new TextDecoder(label.toLowerCase());
  } catch {
    return new TextDecoder();
  }
}

/** Most words whose verdict a speller keeps: news reuses its vocabulary, and a lookup is cheap. */
const REMEMBERED_WORDS = 200_000;

/** A speller that remembers its verdicts (nspell's own check of an unknown word tries every affix). */
function rememberingSpeller(correct: (word: string) => boolean): Speller {
  const verdicts = new Map<string, boolean>();
  return {
    correct(word) {
      let verdict = verdicts.get(word);
      if (verdict === undefined) {
        verdict = correct(word);
        if (verdicts.size >= REMEMBERED_WORDS) verdicts.clear();
        verdicts.set(word, verdict);
      }
      return verdict;
    },
  };
}
