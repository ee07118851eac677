/**
 * Copying and serializing records of many megabytes (a 10,000-paragraph document, an import's units)
 * a slice per turn of the event loop. At once, `structuredClone` and `JSON.stringify` of a 22 MB
 * document held the loop 250-600 ms, and every other request with it.
 */

import { deepFreeze } from "./freeze.ts";

/** Arrays at least this long are walked element by element; shorter ones are one step. */
const LONG = 64;
/** Bytes of JSON gathered before they become one Buffer. */
const PIECE = 256 * 1024;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}

/** Whether a value holds a long array within its first levels, so that walking it pays. */
function holdsLong(value: unknown, depth: number): boolean {
  if (Array.isArray(value)) return value.length >= LONG;
  if (depth === 0 || !isPlainObject(value)) return false;
  for (const child of Object.values(value)) if (holdsLong(child, depth - 1)) return true;
  return false;
}

/**
 * The UTF-8 of `JSON.stringify(value)` followed by a newline, as pieces: long arrays within the
 * record's first three levels are serialized element by element, with `pause` awaited between.
 */
export async function jsonLineInSlices(value: unknown, pause: () => Promise<void>): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  let text = "";
  const emit = (s: string) => {
    text += s;
    if (text.length >= PIECE) {
      pieces.push(Buffer.from(text));
      text = "";
    }
  };
  const walk = async (v: unknown, depth: number): Promise<void> => {
    if (!holdsLong(v, depth)) {
      emit(JSON.stringify(v) ?? "null");
      return;
    }
    if (Array.isArray(v)) {
      emit("[");
      for (let i = 0; i < v.length; i++) {
        // An array element JSON.stringify cannot write (undefined, a function) is written null.
        emit((i > 0 ? "," : "") + (JSON.stringify(v[i]) ?? "null"));
        await pause();
      }
      emit("]");
      return;
    }
    emit("{");
    let first = true;
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      if (child === undefined || typeof child === "function" || typeof child === "symbol") continue;
      emit(`${first ? "" : ","}${JSON.stringify(key)}:`);
      first = false;
      await walk(child, depth - 1);
    }
    emit("}");
  };
  await walk(value, 3);
  emit("\n");
  if (text) pieces.push(Buffer.from(text));
  return pieces;
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
