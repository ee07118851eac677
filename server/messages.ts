import type { Request } from "express";
import type { GlosaError } from "../translations/errors.ts";

/**
 * An error's message in the reader's language, looked up by its stable code; the domain's English
 * sentence when the code has no translation (parser details, for instance).
 */
export function messageFor(req: Request, error: GlosaError): string {
  if (!req.t) return error.message;
  // An error's details fill the message's placeholders; a `context` among them picks a variant
  // (i18next's `_context` keys), such as the one naming the paragraph that differs.
  const details = typeof error.details === "object" && error.details !== null ? error.details : {};
  return req.t(`errors.${error.code}`, { ...details, defaultValue: error.message });
}
