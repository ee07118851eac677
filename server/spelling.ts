/**
 * Spelling dictionaries, each loaded in a worker thread of its own the first time its language is
 * checked (spelling-worker.ts): building a Spanish dictionary in nspell takes over a second of CPU
 * and leaves tens of megabytes of small objects whose garbage collections alone held this thread
 * for 70 ms, so neither happens on the thread that answers requests. Until the worker is ready, the
 * language has no speller and the spelling check finds nothing; then words go to the worker in
 * batches through shared memory (spelling-channel.ts) and the verdicts are remembered here.
 *
 * Dictionaries: the `dictionary-en` and `dictionary-es` packages, and Debian's
 * /usr/share/hunspell/<lang>.dic for any other language installed there.
 */

import { Worker } from "node:worker_threads";
import { primaryLang } from "../glossary/language.ts";
import type { Speller } from "../quality/finding.ts";
import {
  BATCH,
  BATCH_BYTES,
  newChannel,
  type SpellerChannel,
  type SpellerWorkerData,
} from "./spelling-channel.ts";

const HUNSPELL_DIR = "/usr/share/hunspell";
const WORKER = new URL("./spelling-worker-entry.mjs", import.meta.url);

/**
 * The longest a check waits for one batch's verdicts. A batch of a paragraph's words takes well
 * under a millisecond; a worker this late is starved of CPU (on a machine so loaded, this thread
 * waits as long for its own turn), and is not waited for: its words pass, and the findings of
 * that check are not remembered (QualityService), so the next check has them. Under the event
 * loop rule (no request held past ~50 ms): once late, later batches do not wait until it answers.
 */
const BATCH_WAIT_MS = 45;

/** Longer runs of letters are no word of any dictionary (and not worth a lookup). */
const LONGEST_WORD = 60;

/**
 * Loaded dictionaries, shared by every app in the process: each is tens of megabytes in its
 * worker, and loading it costs seconds of CPU (tests build many apps).
 */
const LOADED = new Map<string, WorkerSpeller | null>();
const LOADING = new Map<string, Promise<WorkerSpeller | null>>();

export class Spellers {
  /** `hunspellDir` null: no dictionaries at all (tests that want findings independent of load timing). */
  constructor(private readonly hunspellDir: string | null = HUNSPELL_DIR) {}

  /** Spellers that never load a dictionary: spelling finds nothing. */
  static none(): Spellers {
    return new Spellers(null);
  }

  /** The language's speller if loaded; otherwise starts loading it and answers undefined at once. */
  get(lang: string): Speller | undefined {
    const speller = LOADED.get(this.#key(lang));
    if (speller !== undefined) return speller ?? undefined;
    void this.ready(lang);
    return undefined;
  }

  /** The language's speller once loaded; undefined when no dictionary for it is installed. */
  async ready(lang: string): Promise<Speller | undefined> {
    if (this.hunspellDir === null) return undefined;
    const key = this.#key(lang);
    let loading = LOADING.get(key);
    if (!loading) {
      loading = load({ lang, primary: primaryLang(lang), hunspellDir: this.hunspellDir }, () => {
        // The worker died (it should not): the next check starts another.
        LOADED.delete(key);
        LOADING.delete(key);
      });
      LOADING.set(key, loading);
      void loading.then((speller) => LOADED.set(key, speller));
    }
    return (await loading) ?? undefined;
  }

  #key(lang: string): string {
    return `${this.hunspellDir}\u0000${primaryLang(lang)}`;
  }
}

function load(input: Omit<SpellerWorkerData, "channel">, onExit: () => void): Promise<WorkerSpeller | null> {
  const channel = newChannel();
  const worker = new Worker(WORKER, { workerData: { ...input, channel } });
  // A loaded dictionary waits for words; it must not keep a finished process (a CLI, a test) alive.
  worker.unref();
  return new Promise((resolve) => {
    let speller: WorkerSpeller | null = null;
    worker.once("message", (message: { ready: boolean }) => {
      if (!message.ready) {
        void worker.terminate();
        resolve(null);
        return;
      }
      speller = new WorkerSpeller(channel);
      resolve(speller);
    });
    worker.once("error", () => resolve(null));
    worker.once("exit", () => {
      if (speller) speller.closed = true;
      resolve(null);
      onExit();
    });
  });
}

/** Most words whose verdict a speller keeps: news reuses its vocabulary, and a lookup is cheap. */
const REMEMBERED_WORDS = 200_000;

/** A dictionary in a worker, asked synchronously in batches; its verdicts remembered. */
class WorkerSpeller implements Speller {
  closed = false;
  readonly #verdicts = new Map<string, boolean>();
  readonly #encoder = new TextEncoder();
  readonly #batch = new Uint8Array(BATCH_BYTES);

  constructor(private readonly channel: SpellerChannel) {}

  /** Words passed unanswered so far: checks that used them must not be remembered. */
  unanswered = 0;
  /** The words of a batch this thread stopped waiting for, whose verdicts may still come. */
  #late: string[] = [];

  correct(word: string): boolean {
    let verdict = this.#verdicts.get(word);
    if (verdict === undefined) {
      this.prefetch([word]);
      verdict = this.#verdicts.get(word);
    }
    if (verdict !== undefined) return verdict;
    // Unanswered (the worker is gone or late): a word is not flagged on a guess.
    this.unanswered++;
    return true;
  }

  remembers(word: string): boolean {
    return this.#verdicts.has(word);
  }

  prefetch(words: Iterable<string>): void {
    // Most words were asked before: nothing is built for them.
    const wanted = new Set<string>();
    for (const word of words) {
      if (this.#verdicts.has(word)) continue;
      if (word.length > LONGEST_WORD || word.includes("\n")) this.#remember(word, false);
      else wanted.add(word);
    }
    if (wanted.size === 0) return;
    this.#askAll([...wanted]);
  }

  #askAll(wanted: string[]): void {
    let next = 0;
    while (next < wanted.length && !this.closed) {
      const batch: string[] = [];
      let bytes = 0;
      while (next < wanted.length) {
        const encoded = this.#encoder.encode(`${batch.length > 0 ? "\n" : ""}${wanted[next]}`);
        if (bytes + encoded.length > BATCH_BYTES) break;
        this.#batch.set(encoded, bytes);
        bytes += encoded.length;
        batch.push(wanted[next] as string);
        next++;
      }
      const verdicts = this.#ask(bytes, batch);
      if (!verdicts) return;
      this.#rememberAll(batch, verdicts);
    }
  }

  #rememberAll(batch: string[], verdicts: Uint8Array): void {
    for (const [i, word] of batch.entries()) this.#remember(word, verdicts[i] === 1);
  }

  #remember(word: string, verdict: boolean): void {
    if (this.#verdicts.size >= REMEMBERED_WORDS) this.#verdicts.clear();
    this.#verdicts.set(word, verdict);
  }

  /** The verdicts of the batch's words, or null when the worker does not answer in time. */
  #ask(bytes: number, batch: string[]): Uint8Array | null {
    const { control, words, verdicts } = this.channel;
    const last = Atomics.load(control, BATCH.request);
    // Still busy with a batch this thread stopped waiting for: its buffer is not ours to write.
    if (Atomics.load(control, BATCH.reply) !== last) return null;
    // That batch answered since: its verdicts are in the buffer until this batch's overwrite them.
    if (this.#late.length > 0) this.#rememberAll(this.#late.splice(0), verdicts);
    words.set(this.#batch.subarray(0, bytes));
    Atomics.store(control, BATCH.bytes, bytes);
    const request = (last + 1) | 0;
    Atomics.store(control, BATCH.request, request);
    Atomics.notify(control, BATCH.request);
    const deadline = performance.now() + BATCH_WAIT_MS;
    while (Atomics.load(control, BATCH.reply) !== request) {
      const left = deadline - performance.now();
      if (left <= 0) {
        this.#late = batch;
        return null;
      }
      Atomics.wait(control, BATCH.reply, last, left);
    }
    return verdicts.slice(0, batch.length);
  }
}
