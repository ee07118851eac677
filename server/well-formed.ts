/**
 * What no request carries past the routers' door: a NUL byte or a lone surrogate. PostgreSQL refuses
 * both outright (a 500 where the file store answered 404 or stored them), no id or stored text holds
 * them, and the rules of each field then see only text they can judge. One guard for the whole app,
 * not one per route.
 */

import type { RequestHandler } from "express";
import { GlosaError } from "../translations/errors.ts";

/** Deepest nesting of a parsed JSON or form body that is walked; no route reads anything deeper. */
export const MAX_BODY_DEPTH = 32;

// Any C0 or C1 control or a lone surrogate: no path segment (ids, language tags, usernames) holds one.
const NO_SEGMENT = /\p{Cc}|\p{Cs}/u;
// In a `u` expression a surrogate pair is one code point: \p{Cs} matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;

function notFound(): GlosaError {
  return new GlosaError("not_found", "not_found", "There is nothing at this address.");
}

/** A NUL, or text that is not well-formed UTF-16 (a lone surrogate). */
function unstorable(text: string): boolean {
  return text.includes("\u0000") || LONE_SURROGATE.test(text);
}

/** What is wrong with one field of a query or body. */
interface Fault {
  field: string;
  problem: "unstorable" | "too_deep";
}

/** The refusal of one field: `invalid_fields` naming it, as a schema's refusal would. */
function refused({ field, problem }: Fault): GlosaError {
  return new GlosaError("validation", "invalid_fields", `Invalid fields: ${field}.`, {
    [field]: problem === "unstorable" ? "holds a NUL character or a lone surrogate" : "nested too deeply",
    // Picks the reader's-language message (server/messages.ts).
    context: problem,
  });
}

/**
 * The path (decoded segment by segment, as the routers decode parameters) and the query. A segment
 * that does not decode (`%C0%80`, any invalid UTF-8), or holds a control character or a lone
 * surrogate, names nothing: 404. A query value or name holding a NUL or a lone surrogate: 400.
 */
export const wellFormedUrl: RequestHandler = (req, _res, next) => {
  for (const segment of req.path.split("/")) {
    if (!segment.includes("%")) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return next(notFound());
    }
    if (NO_SEGMENT.test(decoded)) return next(notFound());
  }
  const fault = faultOf(req.query);
  next(fault && refused(fault));
};

/** A parsed JSON or form body: any string in it, names included, holding a NUL or a lone surrogate is a 400. */
export const wellFormedBody: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  // A raw body (an import's bytes) is its parser's to judge, with its own problem codes.
  if (body === null || typeof body !== "object" || Buffer.isBuffer(body)) return next();
  const fault = faultOf(body);
  next(fault && refused(fault));
};

/**
 * The first string (value or name) that no stored text may hold, by its dotted path, or undefined.
 * Iterative with a depth bound: a hostile body nested a million deep costs no stack, and is refused.
 */
function faultOf(root: unknown): Fault | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: "", depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === "string") {
      if (unstorable(value)) return { field: path || "body", problem: "unstorable" };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_BODY_DEPTH) return { field: path || "body", problem: "too_deep" };
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      // A name no field has: the field is named by where it stands, not by the bytes it holds.
      if (unstorable(key)) return { field: path || "body", problem: "unstorable" };
      stack.push({ value: child, path: at, depth: depth + 1 });
    }
  }
  return undefined;
}
