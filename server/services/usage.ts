/**
 * Which current translations use a form (the term page's "still uses the old form"), without
 * keeping histories: the index holds each document × language's current texts only, read once
 * from its history, kept up with this process's saves through the change feed, and read again
 * only when the store's version of that history moved otherwise (another process). The versions of
 * all the histories a search looks at are read in one store call. Bounded by characters held,
 * least recently used first out.
 */

import { primaryLang } from "../../glossary/language.ts";
import { PhraseMatcher } from "../../glossary/matcher.ts";
import type { Document } from "../../translations/document.ts";
import type { TranslationEvent } from "../../translations/translation.ts";
import type { ChangeFeed, TranslationChange } from "../changes.ts";
import type { Store } from "../storage/store.ts";
import type { UsageHit } from "./translations.ts";

/** Most characters of current texts kept (about 100 MB of strings). */
export const USAGE_CHARS = 50_000_000;

interface Texts {
  /** The store's version of the history these texts are current at. */
  version: number;
  /** Paragraph id → its current text (translated, draft, approved or rejected; not cleared). */
  texts: Map<string, string>;
  chars: number;
}

export class UsageIndex {
  readonly #entries = new Map<string, Texts>();
  #chars = 0;

  constructor(
    private readonly store: Store,
    changes: ChangeFeed,
    private readonly maxChars = USAGE_CHARS,
  ) {
    changes.onTranslation((change) => this.#follow(change));
  }

  /** Characters of current texts held now. */
  get chars(): number {
    return this.#chars;
  }

  /**
   * Paragraphs whose current translation uses one of `forms` (any inflection), documents oldest
   * first, at most `limit`.
   */
  async find(forms: { lang: string; text: string }[], limit = 500): Promise<UsageHit[]> {
    const documents = [...(await this.store.listDocuments())].sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    const searches: { doc: Document; lang: string; matcher: PhraseMatcher<string> }[] = [];
    for (const doc of documents)
      for (const lang of doc.languages) {
        const phrases = forms.filter((f) => primaryLang(f.lang) === primaryLang(lang) && f.text.trim());
        if (phrases.length === 0) continue;
        const matcher = new PhraseMatcher(
          lang,
          phrases.map((f) => ({ text: f.text, caseSensitive: false, ref: f.text })),
        );
        searches.push({ doc, lang, matcher });
      }
    const versions = await this.store.translationVersions(
      searches.map(({ doc, lang }) => ({ document: doc.id, lang })),
    );
    const hits: UsageHit[] = [];
    for (const [i, { doc, lang, matcher }] of searches.entries()) {
      const texts = await this.#texts(doc.id, lang, versions[i] ?? 0);
      for (const paragraph of doc.paragraphs) {
        const text = texts.get(paragraph.id);
        const match = text ? matcher.find(text)[0] : undefined;
        if (!text || !match) continue;
        hits.push({
          document: doc,
          lang,
          paragraph,
          text,
          form: match.ref,
          start: match.start,
          end: match.end,
        });
        if (hits.length >= limit) return hits;
      }
    }
    return hits;
  }

  async #texts(documentId: string, lang: string, version: number): Promise<Map<string, string>> {
    const key = `${documentId}/${lang}`;
    const kept = this.#entries.get(key);
    if (kept && kept.version === version) {
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.texts;
    }
    this.#drop(key);
    // Tagged with the version read before the history: at worst a later search reads it again.
    const entry: Texts = { version, texts: new Map(), chars: 0 };
    for (const event of await this.store.readTranslationEvents(documentId, lang)) apply(entry, event);
    this.#entries.set(key, entry);
    this.#chars += entry.chars;
    for (const [oldest] of this.#entries) {
      if (this.#chars <= this.maxChars || this.#entries.size <= 1) break;
      this.#drop(oldest);
    }
    return entry.texts;
  }

  /** This process's own append: applied when it is the one change since the texts were read. */
  #follow({ document, lang, events, version }: TranslationChange): void {
    const key = `${document.id}/${lang}`;
    const entry = this.#entries.get(key);
    if (!entry) return;
    if (version !== entry.version + 1) {
      this.#drop(key);
      return;
    }
    this.#chars -= entry.chars;
    for (const event of events) apply(entry, event);
    entry.version = version;
    this.#chars += entry.chars;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#chars -= entry.chars;
  }
}

/** Only a revision changes a paragraph's current text; a review or a waiver leaves it as it is. */
function apply(entry: Texts, event: TranslationEvent): void {
  if (event.type !== "revision") return;
  entry.chars -= entry.texts.get(event.pid)?.length ?? 0;
  if (event.status === "untranslated") entry.texts.delete(event.pid);
  else {
    entry.texts.set(event.pid, event.text);
    entry.chars += event.text.length;
  }
}
