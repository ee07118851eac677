/**
 * A large JSON answer (a source update's plan of 20,000 paragraphs with their word diffs is megabytes)
 * serialized a slice per turn of the event loop: `JSON.stringify` of 8 MB held it 40–80 ms at once,
 * several hundred under load. The text is the one `JSON.stringify` gives.
 */

import type { Response } from "express";
import { slicer } from "../../glossary/xml.ts";

/** Arrays at least this long are written element by element, with a turn of the loop let in between. */
const LONG_ARRAY = 64;

export async function stringifyInSlices(value: unknown): Promise<string> {
  const parts: string[] = [];
  const breathe = slicer();
  const walk = async (v: unknown): Promise<void> => {
    if (Array.isArray(v) && v.length >= LONG_ARRAY) {
      parts.push("[");
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push(",");
        const item: unknown = v[i];
        // As JSON.stringify writes them in arrays: undefined, functions and symbols become null.
        if (item === undefined || typeof item === "function" || typeof item === "symbol") parts.push("null");
        else await walk(item);
        await breathe();
      }
      parts.push("]");
      return;
    }
    if (isPlainObject(v)) {
      parts.push("{");
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
        parts.push(`${first ? "" : ","}${JSON.stringify(key)}:`);
        first = false;
        await walk(item);
      }
      parts.push("}");
      return;
    }
    parts.push(JSON.stringify(v) ?? "null");
  };
  await walk(value);
  return parts.join("");
}

/** Sends `value` as JSON, serialized in slices (see above). */
export async function sendJsonInSlices(res: Response, value: unknown): Promise<void> {
  const text = await stringifyInSlices(value);
  res.type("application/json").end(text);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  // An object with its own toJSON (a Date) is written as JSON.stringify writes it.
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
