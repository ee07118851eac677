/**
 * Quality checks as the server runs them: each language's settings and accepted words from the
 * store, kept in memory (on PostgreSQL, read again when a process announces a change by NOTIFY, or
 * after a second without word), the language's speller once loaded, and the findings of a
 * paragraph remembered while none of those change.
 */

import type { TermMatch } from "../../glossary/checks/index.ts";
import type { GlossaryIndex } from "../../glossary/index-for-pair.ts";
import { canonicalLang } from "../../glossary/language.ts";
import { documentNames } from "../../quality/checks/spelling.ts";
import { QUALITY_CODES, type QualitySettings, type Speller } from "../../quality/finding.ts";
import { type AnyFinding, checkTranslation } from "../../quality/run.ts";
import type { Document, Paragraph, SourceFormat } from "../../translations/document.ts";
import { ValidationError } from "../../translations/errors.ts";
import { Spellers } from "../spelling.ts";
import { emptyQualityRecords, type QualityRecords } from "../storage/quality-records.ts";
import type { Store } from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";
import type { GlossaryService } from "./glossary.ts";

/** Checks one paragraph's translation; built per document and language by `QualityService.checker`. */
export type ParagraphChecker = (
  paragraph: Paragraph,
  text: string,
  matches?: readonly TermMatch[],
) => readonly AnyFinding[];

const NO_SETTINGS: QualitySettings = Object.freeze({ checks: {} }) as QualitySettings;
const NO_WORDS: ReadonlySet<string> = new Set();

/** Most findings remembered per language pair (a few large documents' worth). */
const MEMO_LIMIT = 50_000;
/** Documents whose names are kept (a document's version and its names). */
const NAMES_KEPT = 64;

/** The longest word that can be accepted, and the most accepted words per language. */
export const MAX_ACCEPTED_WORD = 64;
export const MAX_ACCEPTED_WORDS = 20_000;

interface Prepared {
  index: GlossaryIndex;
  version: number;
  speller: Speller | undefined;
  memo: Map<string, readonly AnyFinding[]>;
}

/**
 * Where processes share a store (PostgreSQL), how long this one trusts its copy of the settings
 * without a word from the others: a NOTIFY lost while the listening connection was down is then
 * made up for by one read of the version.
 */
const RECHECK_MS = 1000;

/** The message every process hears when a process changed settings or words. */
const CHANGED = { t: "quality" } as const;

export class QualityService {
  #records: QualityRecords = emptyQualityRecords();
  #version = -1;
  #accepted = new Map<string, ReadonlySet<string>>();
  readonly #prepared = new Map<string, Prepared>();
  /** Recently checked documents' names, by document and version, least recently used first. */
  readonly #documentNames = new Map<string, ReadonlySet<string>>();
  /** Listening to the other processes' changes: started on the first read, true once in place. */
  #listening: boolean | undefined;
  /** Set when a change may have happened since `#version` was read. */
  #changed = true;
  #readAt = 0;

  constructor(
    private readonly store: Store,
    private readonly glossary: GlossaryService,
    private readonly audit: AuditLog,
    readonly spellers: Spellers = new Spellers(),
  ) {}

  /**
   * Every language's settings and accepted words, as the store has them now. On a store shared by
   * processes, read again only when one of them says it changed them (or after RECHECK_MS), not on
   * every check; on the file store, its version is a number in memory, read every time.
   */
  async records(): Promise<QualityRecords> {
    if (this.#trusted()) return this.#records;
    // Cleared before the read: a change heard while it runs makes the next call read again.
    this.#changed = false;
    this.#readAt = performance.now();
    const version = await this.store.qualityVersion();
    if (version !== this.#version) {
      this.#records = await this.store.readQuality();
      this.#accepted = new Map(
        Object.entries(this.#records.words).map(([lang, words]) => [lang, new Set(words)]),
      );
      this.#version = version;
    }
    return this.#records;
  }

  #trusted(): boolean {
    const pubsub = this.store.pubsub;
    if (!pubsub) return false;
    if (this.#listening === undefined) {
      this.#listening = false;
      pubsub.subscribe((message) => {
        if ((message as { t?: unknown } | null)?.t === CHANGED.t) this.#changed = true;
      });
      void pubsub.ready().then(() => {
        this.#listening = true;
        // Whatever was said before this process listened, it has not heard.
        this.#changed = true;
      });
      return false;
    }
    return this.#listening && !this.#changed && performance.now() - this.#readAt < RECHECK_MS;
  }

  /** Tells this process and the others that settings or words changed (after the change is durable). */
  async #announce(): Promise<void> {
    this.#changed = true;
    await this.store.pubsub?.publish(CHANGED).catch(() => {
      // The others read the version again within RECHECK_MS all the same.
    });
  }

  async settings(lang: string): Promise<QualitySettings> {
    return (await this.records()).settings[lang] ?? NO_SETTINGS;
  }

  /**
   * A checker for a document's paragraphs in `lang`: the glossary's checks and every other, with
   * the language's settings. Findings are remembered until the glossary, the settings or words,
   * or the speller's readiness change. Spelling starts once the dictionary has loaded.
   */
  async checker(
    doc: Pick<Document, "sourceLang" | "format"> & Partial<Pick<Document, "id" | "version" | "paragraphs">>,
    lang: string,
  ): Promise<ParagraphChecker> {
    const index = await this.glossary.index(doc.sourceLang, lang);
    await this.records();
    const settings = this.#records.settings[lang] ?? NO_SETTINGS;
    const acceptedWords = this.#accepted.get(lang) ?? NO_WORDS;
    const speller = settings.checks.spelling?.enabled === false ? undefined : this.spellers.get(lang);
    const key = `${doc.sourceLang}\u0000${lang}`;
    let prepared = this.#prepared.get(key);
    if (
      !prepared ||
      prepared.index !== index ||
      prepared.version !== this.#version ||
      prepared.speller !== speller
    ) {
      prepared = { index, version: this.#version, speller, memo: new Map() };
      this.#prepared.set(key, prepared);
    }
    const { memo } = prepared;
    const format = doc.format === "markdown" ? "markdown" : "text";
    const names = this.#names(doc);
    // A document's names take part in its findings: they are remembered per document version.
    const scope = names ? `${doc.id}\u0000${doc.version ?? 1}\u0000` : "";
    return (paragraph, text, matches) => {
      const memoKey = `${scope}${paragraph.kind}\u0000${format}\u0000${paragraph.source}\u0000${text}`;
      let found = memo.get(memoKey);
      if (!found) {
        const unanswered = speller?.unanswered;
        found = checkTranslation({
          source: paragraph.source,
          target: text,
          kind: paragraph.kind,
          format,
          index,
          ...(matches ? { matches } : {}),
          settings,
          acceptedWords,
          ...(speller ? { speller } : {}),
          ...(names ? { names } : {}),
        });
        // Findings made with words the dictionary did not answer for in time are not kept.
        if (speller?.unanswered !== unanswered) return found;
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(memoKey, found);
      }
      return found;
    };
  }

  /**
   * The names of a document's source (quality/checks/spelling.ts documentNames), read once per
   * document version: a 1,000-paragraph article's words are not read again on every save.
   */
  #names(doc: Partial<Pick<Document, "id" | "version" | "paragraphs">>): ReadonlySet<string> | undefined {
    if (!doc.id || !doc.paragraphs) return undefined;
    const key = `${doc.id}\u0000${doc.version ?? 1}`;
    let names = this.#documentNames.get(key);
    if (!names) {
      names = documentNames(doc.paragraphs.map((p) => p.source));
      if (this.#documentNames.size >= NAMES_KEPT)
        this.#documentNames.delete(this.#documentNames.keys().next().value as string);
    }
    // Most recently used last.
    this.#documentNames.delete(key);
    this.#documentNames.set(key, names);
    return names;
  }

  /** Replaces a language's settings (an editor's command), audited. */
  async putSettings(tag: string, input: QualitySettings, actor: string): Promise<QualitySettings> {
    const lang = requireLang(tag);
    const settings = cleanSettings(input);
    await this.store.putQualitySettings(
      lang,
      settings,
      this.audit.entry(actor, "quality.settings", `quality:${lang}`, { settings }),
    );
    await this.#announce();
    return settings;
  }

  /** Adds a word to a language's accepted words ("Add to dictionary"), audited. */
  async acceptWord(tag: string, input: string, actor: string): Promise<string> {
    const lang = requireLang(tag);
    const word = input.normalize("NFC").trim().toLowerCase();
    if (!/^\p{L}+(?:['’-]\p{L}+)*$/u.test(word) || word.length > MAX_ACCEPTED_WORD)
      throw new ValidationError(
        `An accepted word is one word of letters, at most ${MAX_ACCEPTED_WORD} characters.`,
        { word: "invalid" },
        "invalid_word",
      );
    const words = (await this.records()).words[lang] ?? [];
    if (words.includes(word)) return word;
    if (words.length >= MAX_ACCEPTED_WORDS)
      throw new ValidationError(
        `A language has at most ${MAX_ACCEPTED_WORDS} accepted words.`,
        { word: "too many" },
        "too_many_words",
      );
    await this.store.addAcceptedWords(
      lang,
      [word],
      this.audit.entry(actor, "quality.accept_word", `quality:${lang}`, { word }),
    );
    await this.#announce();
    return word;
  }
}

/** Every check, for a text outside any document (a machine translation's suggestion): a plain paragraph. */
export function qualityCheck(quality: QualityService) {
  return async (
    sourceLang: string,
    targetLang: string,
    paragraph: Paragraph,
    text: string,
    format?: SourceFormat,
  ) => (await quality.checker({ sourceLang, ...(format ? { format } : {}) }, targetLang))(paragraph, text);
}

function requireLang(tag: string): string {
  const lang = canonicalLang(tag);
  if (!lang)
    throw new ValidationError(`"${tag}" is not a language tag.`, { lang: "invalid" }, "invalid_language");
  return lang;
}

/** Only known checks, and nothing a default already says. */
function cleanSettings(input: QualitySettings): QualitySettings {
  const checks: QualitySettings["checks"] = {};
  for (const code of QUALITY_CODES) {
    const setting = input.checks[code];
    if (!setting) continue;
    checks[code] = {
      ...(setting.enabled === false ? { enabled: false } : {}),
      ...(setting.severity ? { severity: setting.severity } : {}),
    };
  }
  return {
    checks,
    ...(input.quoteStyle ? { quoteStyle: input.quoteStyle } : {}),
    ...(input.titleLimit !== undefined ? { titleLimit: input.titleLimit } : {}),
  };
}
