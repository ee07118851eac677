import type { Request } from "express";
import { type GlosaError, InvalidFieldsError } from "../translations/errors.ts";

/**
 * An error's message in the reader's language, looked up by its stable code; the domain's English
 * sentence when the code has no translation (parser details, for instance).
 */
export function messageFor(req: Request, error: GlosaError): string {
  if (!req.t) return error.message;
  if (error instanceof InvalidFieldsError)
    return req.t("errors.invalid_fields_named", {
      fields: error.fields.join(", "),
      defaultValue: error.message,
    });
  // An error's details fill the message's placeholders; a `context` among them picks a variant
  // (i18next's `_context` keys), such as the one naming the paragraph that differs.
  const details = typeof error.details === "object" && error.details !== null ? error.details : {};
  // A refused file's problem (an import's reader: xml_malformed, tmx_not_tmx...) is said as the
  // import pages say it, when the reader's language has words for it.
  const { problem } = details as { problem?: { code?: unknown; params?: unknown } };
  if (typeof problem?.code === "string") {
    const params = typeof problem.params === "object" && problem.params !== null ? problem.params : {};
    const said = req.t(`glossary.problem.${problem.code}`, { ...params, defaultValue: "" });
    if (said) return said;
  }
  return req.t(`errors.${error.code}`, { ...details, defaultValue: error.message });
}
