/**
 * Large JSON (a source update's plan of 20,000 paragraphs with their word diffs, a 10,000-paragraph
 * document the file store writes: megabytes) serialized a slice per turn of the event loop: `JSON.stringify` of 8 MB held it 40–80 ms at once,
 * several hundred under load. The text is the one `JSON.stringify` gives.
 */

import { slicer } from "../glossary/xml.ts";

/** Arrays at least this long are written element by element, with a turn of the loop let in between. */
const LONG_ARRAY = 64;

/** Text gathered before it is handed on: one socket write per ~64 KB, not per element. */
const CHUNK = 64 * 1024;

/**
 * Writes `value` as JSON through `write`, a chunk of about 64 KB at a time, letting the event loop
 * turn between slices. The chunks joined are the text `JSON.stringify` gives; none is ever the whole
 * (joining megabytes into one string, and encoding it, was itself a 30-70 ms block).
 */
export async function writeJsonInSlices(
  value: unknown,
  write: (chunk: string) => void | Promise<void>,
): Promise<void> {
  let parts: string[] = [];
  let size = 0;
  const breathe = slicer();
  const push = async (text: string) => {
    parts.push(text);
    size += text.length;
    if (size < CHUNK) return;
    const chunk = parts.join("");
    parts = [];
    size = 0;
    await write(chunk);
  };
  const walk = async (v: unknown): Promise<void> => {
    if (Array.isArray(v) && v.length >= LONG_ARRAY) {
      await push("[");
      for (let i = 0; i < v.length; i++) {
        if (i > 0) await push(",");
        const item: unknown = v[i];
        // As JSON.stringify writes them in arrays: undefined, functions and symbols become null.
        if (item === undefined || typeof item === "function" || typeof item === "symbol") await push("null");
        else await walk(item);
        await breathe();
      }
      await push("]");
      return;
    }
    if (isPlainObject(v)) {
      await push("{");
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
        await push(`${first ? "" : ","}${JSON.stringify(key)}:`);
        first = false;
        await walk(item);
      }
      await push("}");
      return;
    }
    await push(JSON.stringify(v) ?? "null");
  };
  await walk(value);
  if (parts.length > 0) await write(parts.join(""));
}

/** The JSON text of `value`, made in slices (see writeJsonInSlices). */
export async function stringifyInSlices(value: unknown): Promise<string> {
  const chunks: string[] = [];
  await writeJsonInSlices(value, (chunk) => {
    chunks.push(chunk);
  });
  return chunks.join("");
}

/** A plain object, written key by key; one with its own toJSON (a Date) is written as JSON.stringify writes it. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
