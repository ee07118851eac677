/**
 * The new-document form's fields, checked one by one so that each problem is said beside its field
 * (views/documents/new.ejs links them with aria-describedby and focuses the first), not once for the
 * whole form.
 */

import { z } from "zod";
import { canonicalLang } from "../../../glossary/language.ts";
import { MAX_TITLE_LENGTH } from "../../../translations/document.ts";
import type { GlosaError } from "../../../translations/errors.ts";

/** The form's fields that can be wrong, in the order the page shows them. */
export const NEW_DOCUMENT_FIELDS = ["title", "sourceLang", "targetLang", "content"] as const;
export type NewDocumentField = (typeof NEW_DOCUMENT_FIELDS)[number];

/** What was typed, as typed (a wrong value is shown back to be corrected, not replaced). */
export interface NewDocumentValues {
  title: string;
  sourceLang: string;
  targetLang: string;
  format: "text" | "markdown";
  content: string;
}

/** A problem per field, in the reader's language. */
export type FieldErrors = Partial<Record<NewDocumentField, string>>;

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Any body reads as the form's values: a missing or odd field is empty, and checked as such. */
const formSchema = z.object({
  title: z.string().catch(""),
  sourceLang: z.string().catch(""),
  targetLang: z.string().catch(""),
  format: z.enum(["text", "markdown"]).catch("text"),
  content: z.string().catch(""),
});

/** The form's values from a posted body. */
export function newDocumentValues(body: unknown): NewDocumentValues {
  return formSchema.parse(body ?? {});
}

/** Every field's problem before the document is made; none when it can be. */
export function checkNewDocument(values: NewDocumentValues, hasFile: boolean, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  if (values.title.length > MAX_TITLE_LENGTH)
    errors.title = t("documents.new.error_title", { max: MAX_TITLE_LENGTH });
  const source = values.sourceLang.trim();
  if (!source) errors.sourceLang = t("documents.new.error_source_missing");
  else if (!canonicalLang(source))
    errors.sourceLang = t("documents.new.error_source_lang", { value: source });
  const target = values.targetLang.trim();
  if (target && !canonicalLang(target))
    // "es, fr": the field takes one language; more are added from the document once it exists.
    errors.targetLang = t(
      /[\s,;/]/.test(target) ? "documents.new.error_target_several" : "documents.new.error_target_lang",
      {
        value: target,
      },
    );
  if (!hasFile && !values.content.trim()) errors.content = t("documents.new.error_content");
  return errors;
}

/**
 * The field a command's validation error is about (its details name the command's input), or none:
 * such an error is said above the form.
 */
export function fieldOfError(error: GlosaError): NewDocumentField | null {
  const details = typeof error.details === "object" && error.details !== null ? error.details : {};
  if ("sourceLang" in details) return "sourceLang";
  if ("languages" in details) return "targetLang";
  if ("title" in details) return "title";
  return null;
}
