/**
 * The shared memory through which the main thread asks a dictionary's worker (spelling-worker.ts)
 * about a batch of words and waits for the verdicts, without a message round through the event loop.
 */

/** Slots of the control array. */
export const BATCH = { request: 0, reply: 1, bytes: 2 } as const;

/** The most bytes of words, joined by "\n", one batch carries; and so the most words. */
export const BATCH_BYTES = 64 * 1024;

export interface SpellerChannel {
  /** [request number, reply number, byte length of the batch]. */
  control: Int32Array;
  /** The batch's words, UTF-8, joined by "\n". */
  words: Uint8Array;
  /** One verdict per word of the batch: 1 spelled right, 0 not. */
  verdicts: Uint8Array;
}

export interface SpellerWorkerData {
  lang: string;
  primary: string;
  hunspellDir: string;
  channel: SpellerChannel;
}

export function newChannel(): SpellerChannel {
  return {
    control: new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)),
    words: new Uint8Array(new SharedArrayBuffer(BATCH_BYTES)),
    // A word takes at least two bytes with its separator.
    verdicts: new Uint8Array(new SharedArrayBuffer(BATCH_BYTES / 2 + 1)),
  };
}
