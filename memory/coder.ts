/**
 * Numbers for words: one coder per memory (language pair) gives each index key and each folded form
 * a number, so that a unit is held as three small typed arrays rather than arrays of strings, and
 * comparing two words is comparing two integers.
 */

import { NUMBER_ID, type Sequence } from "./score.ts";
import { isHeavy, NUMBER_KEY, readWords, type Words } from "./words.ts";

export interface Coded extends Sequence {
  readonly keys: Int32Array;
  readonly forms: Int32Array;
  readonly heavy: Uint8Array;
}

export class Coder {
  readonly #keys = new Map<string, number>([[NUMBER_KEY, NUMBER_ID]]);
  readonly #forms = new Map<string, number>();

  constructor(readonly lang: string) {}

  /** The number of a key, or undefined when no text held it. */
  keyId(key: string): number | undefined {
    return this.#keys.get(key);
  }

  get keyCount(): number {
    return this.#keys.size;
  }

  get formCount(): number {
    return this.#forms.size;
  }

  /**
   * Codes a text. `learn`: new words get numbers (a unit being added); otherwise each unknown word
   * gets its own negative number, equal to nothing held.
   */
  code(text: string, learn: boolean): { words: Words; coded: Coded } {
    const words = readWords(text, this.lang);
    const n = words.keys.length;
    const keys = new Int32Array(n);
    const forms = new Int32Array(n);
    const heavy = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const key = words.keys[i] as string;
      const form = words.folded[i] as string;
      keys[i] = this.#number(this.#keys, key, learn) ?? -1 - 2 * i;
      forms[i] = this.#number(this.#forms, form, learn) ?? -2 - 2 * i;
      heavy[i] = isHeavy(form, key) ? 1 : 0;
    }
    return { words, coded: { keys, forms, heavy } };
  }

  #number(map: Map<string, number>, word: string, learn: boolean): number | undefined {
    let id = map.get(word);
    if (id === undefined && learn) {
      id = map.size + 1;
      map.set(word, id);
    }
    return id;
  }
}
