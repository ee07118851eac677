/**
 * What changed, as it happens, for whoever follows it in this process: the translation memory
 * keeps up with saves, live editors hear of others' saves. A listener that throws never fails the
 * write that was already made durable; it is reported to `onError`.
 */

import type { Document } from "../translations/document.ts";
import type { TranslationEvent } from "../translations/translation.ts";

/** Events appended to a document's translation into one language, after they were made durable. */
export interface TranslationChange {
  document: Document;
  lang: string;
  events: readonly TranslationEvent[];
  /** The store's version of the history after the append. */
  version: number;
}

/** A document was created or its record rewritten (languages, source). */
export interface DocumentChange {
  document: Document;
}

type Listener<T> = (change: T) => void;

export class ChangeFeed {
  readonly #translation = new Set<Listener<TranslationChange>>();
  readonly #document = new Set<Listener<DocumentChange>>();

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Follows translation appends; returns the function that stops following. */
  onTranslation(listener: Listener<TranslationChange>): () => void {
    this.#translation.add(listener);
    return () => this.#translation.delete(listener);
  }

  onDocument(listener: Listener<DocumentChange>): () => void {
    this.#document.add(listener);
    return () => this.#document.delete(listener);
  }

  translation(change: TranslationChange): void {
    this.#emit(this.#translation, change);
  }

  document(change: DocumentChange): void {
    this.#emit(this.#document, change);
  }

  #emit<T>(listeners: Set<Listener<T>>, change: T): void {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
