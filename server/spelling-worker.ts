/**
 * Runs in a worker thread (see spelling.ts): loads one language's Hunspell dictionary into nspell
 * and then answers batches of words. Loading a dictionary builds tens of megabytes of small
 * objects; here, neither the build nor the collections of that heap hold up the event loop that
 * answers requests.
 *
 * After posting `ready`, the thread only waits on shared memory: the main thread writes a batch
 * of words, bumps the request number and waits (with a deadline) for the reply number to match.
 */

import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import nspell from "nspell";
import { BATCH, type SpellerChannel, type SpellerWorkerData } from "./spelling-channel.ts";

const PACKAGED: Record<string, () => Promise<{ aff: Uint8Array; dic: Uint8Array }>> = {
  en: async () => (await import("dictionary-en")).default,
  es: async () => (await import("dictionary-es")).default,
};

/** How long the thread sleeps between looks at whether it is still wanted (it is unref'd). */
const IDLE_WAIT_MS = 60_000;

async function files(input: SpellerWorkerData): Promise<{ aff: Uint8Array; dic: Uint8Array } | null> {
  const { lang, primary, hunspellDir } = input;
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
        readFile(`${hunspellDir}/${name}.aff`),
        readFile(`${hunspellDir}/${name}.dic`),
      ]);
      return { aff, dic };
    } catch {
      // Not installed under this name: try the next.
    }
  }
  return null;
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

function serve(channel: SpellerChannel, correct: (word: string) => boolean): never {
  const { control, words, verdicts } = channel;
  const decoder = new TextDecoder();
  let answered = Atomics.load(control, BATCH.reply);
  for (;;) {
    Atomics.wait(control, BATCH.request, answered, IDLE_WAIT_MS);
    const request = Atomics.load(control, BATCH.request);
    if (request === answered) continue;
    // TextDecoder refuses views of shared memory: copy the batch out first.
    const batch = decoder.decode(words.slice(0, Atomics.load(control, BATCH.bytes))).split("\n");
    for (let i = 0; i < batch.length; i++) verdicts[i] = correct(batch[i] as string) ? 1 : 0;
    answered = request;
    Atomics.store(control, BATCH.reply, request);
    Atomics.notify(control, BATCH.reply);
  }
}

async function main() {
  const input = workerData as SpellerWorkerData;
  const found = await files(input);
  if (!found) {
    parentPort?.postMessage({ ready: false });
    return;
  }
  const decoder = decoderFor(found.aff);
  const spell = nspell({ aff: decoder.decode(found.aff), dic: decoder.decode(found.dic) });
  parentPort?.postMessage({ ready: true });
  serve(input.channel, (word) => spell.correct(word));
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ ready: false, error: String(error) });
});
