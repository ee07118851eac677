/**
 * Copying and serializing records of many megabytes (a 10,000-paragraph document, an import's units)
 * a slice per turn of the event loop. At once, `structuredClone` and `JSON.stringify` of a 22 MB
 * document held the loop 250-600 ms, and every other request with it.
 */

import { isPlainObject, writeJsonInSlices } from "../json-slices.ts";
import { deepFreeze } from "./freeze.ts";

/** Arrays at least this long are copied element by element; shorter ones in one step. */
const LONG = 64;

/** Whether a value holds a long array within its first levels, so that walking it pays. */
function holdsLong(value: unknown, depth: number): boolean {
  if (Array.isArray(value)) return value.length >= LONG;
  if (depth === 0 || !isPlainObject(value)) return false;
  for (const child of Object.values(value)) if (holdsLong(child, depth - 1)) return true;
  return false;
}

/** The UTF-8 of `JSON.stringify(value)` and a newline: one commit-log line, serialized in slices. */
export async function jsonLineInSlices(value: unknown): Promise<Buffer> {
  const pieces: Buffer[] = [];
  await writeJsonInSlices(value, (chunk) => {
    pieces.push(Buffer.from(chunk));
  });
  pieces.push(Buffer.from("\n"));
  return Buffer.concat(pieces);
}

/**
 * A deep, frozen copy of a record, the elements of its long arrays (within its first three levels)
 * copied and frozen a slice at a time, with `pause` awaited between.
 */
export async function frozenCopyInSlices<T>(value: T, pause: () => Promise<void>): Promise<T> {
  const copy = async (v: unknown, depth: number): Promise<unknown> => {
    if (!holdsLong(v, depth)) return deepFreeze(structuredClone(v));
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) {
        out.push(deepFreeze(structuredClone(item)));
        await pause();
      }
      return Object.freeze(out);
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(v as Record<string, unknown>))
      out[key] = await copy(child, depth - 1);
    return Object.freeze(out);
  };
  return (await copy(value, 3)) as T;
}
