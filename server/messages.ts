import type { Request } from "express";
import type { GlosaError } from "../translations/errors.ts";

/**
 * An error's message in the reader's language, looked up by its stable code; the domain's English
 * sentence when the code has no translation (parser details, for instance). Pages only: the JSON API
 * keeps the English sentence.
 */
export function messageFor(req: Request, error: GlosaError): string {
  return req.t ? req.t(`errors.${error.code}`, { defaultValue: error.message }) : error.message;
}
