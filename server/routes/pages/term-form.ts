/** The term form: its fields as the browser posts them, and the term they make. */

import type { Request } from "express";
import { type Term, type TermInput, validateTerm } from "../../../glossary/term.ts";
import type { GlosaError } from "../../../translations/errors.ts";
import { messageFor } from "../../messages.ts";
import { sayProblem } from "./glossary-problem.ts";

export interface TermFormValues {
  sourceLang: string;
  source: string;
  description: string;
  doNotTranslate: boolean;
  caseSensitive: boolean;
  /** One row per target language; forbidden forms separated by `;`. */
  targets: { lang: string; text: string; forbidden: string }[];
}

/** Empty rows offered for new target languages. */
const SPARE_ROWS = 2;

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];

export function emptyValues(): TermFormValues {
  return {
    sourceLang: "en",
    source: "",
    description: "",
    doNotTranslate: false,
    caseSensitive: false,
    targets: [{ lang: "es", text: "", forbidden: "" }, ...spare(1)],
  };
}

function spare(n: number) {
  return Array.from({ length: n }, () => ({ lang: "", text: "", forbidden: "" }));
}

export function termValues(term: Term): TermFormValues {
  return {
    sourceLang: term.sourceLang,
    source: term.source,
    description: term.description,
    doNotTranslate: !term.translatable,
    caseSensitive: term.caseSensitive,
    targets: [
      ...Object.entries(term.targets).map(([lang, t]) => ({
        lang,
        text: t.text,
        forbidden: t.forbidden.join("; "),
      })),
      ...spare(SPARE_ROWS),
    ],
  };
}

export function formValues(body: Record<string, unknown> | undefined): TermFormValues {
  const langs = list(body?.targetLang);
  const texts = list(body?.targetText);
  const forbidden = list(body?.targetForbidden);
  return {
    sourceLang: String(body?.sourceLang ?? "").slice(0, 35),
    source: String(body?.source ?? "").slice(0, 600),
    description: String(body?.description ?? "").slice(0, 2100),
    doNotTranslate: body?.doNotTranslate === "on",
    caseSensitive: body?.caseSensitive === "on",
    targets: langs
      .slice(0, 50)
      .map((lang, i) => ({ lang: lang.trim(), text: texts[i] ?? "", forbidden: forbidden[i] ?? "" })),
  };
}

export function toTermInput(values: TermFormValues): TermInput {
  const targets: TermInput["targets"] = {};
  for (const row of values.targets) {
    if (!row.lang && !row.text && !row.forbidden) continue;
    targets[row.lang || "?"] = {
      text: row.text.trim(),
      forbidden: row.forbidden
        .split(";")
        .map((f) => f.trim())
        .filter(Boolean),
    };
  }
  return {
    sourceLang: values.sourceLang,
    source: values.source,
    description: values.description,
    translatable: !values.doNotTranslate,
    caseSensitive: values.caseSensitive,
    targets,
  };
}

export function fieldErrors(error: GlosaError): Record<string, string> {
  const details = error.details as Record<string, string> | undefined;
  return details && typeof details === "object" ? details : { form: error.message };
}

/**
 * The form's error message in the reader's language: for an invalid term, each thing the domain
 * finds wrong with what was typed (the service refused the same term for the same reasons).
 */
export function formMessage(req: Request, error: GlosaError, values: TermFormValues): string {
  if (error.code === "invalid_term") {
    const explained = validateTerm(toTermInput(values)).map((p) => sayProblem(req, p).text);
    if (explained.length > 0) return [...new Set(explained)].join(" ");
  }
  return messageFor(req, error);
}

/**
 * A new term's form filled from the query (`sourceLang`, `source`, `targetLang`, `target`): the
 * concordance's "add to glossary" link.
 */
export function prefilledValues(query: Record<string, unknown>): TermFormValues {
  const values = emptyValues();
  const take = (key: string, max: number) =>
    typeof query[key] === "string" ? (query[key] as string).slice(0, max) : undefined;
  values.sourceLang = take("sourceLang", 35) || values.sourceLang;
  values.source = take("source", 500) ?? "";
  const first = values.targets[0];
  if (first) {
    first.lang = take("targetLang", 35) || first.lang;
    first.text = take("target", 500) ?? "";
  }
  return values;
}
