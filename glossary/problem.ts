/**
 * What can be wrong with a term, an imported row or a glossary file: a stable code with its values,
 * from which a page says it in the reader's language (`glossary.problem.<code>`), and an English
 * sentence that the JSON API keeps as `message`.
 */

export const PROBLEM_CODES = [
  // A term (the form, the API, every imported row).
  "source_required",
  "source_too_long",
  "description_too_long",
  "unstorable_characters",
  "target_required",
  "target_too_long",
  "forbidden_too_long",
  "forbidden_is_target",
  // An imported row or entry.
  "invalid_term",
  "invalid_row",
  "invalid_flag",
  "duplicate_of_line",
  "duplicate_of_entry",
  "duplicate_in_glossary",
  "csv_stray_quote",
  "csv_quote_not_closed",
  "csv_unreadable_from",
  "tbx_invalid_entry",
  "tbx_term_not_first",
  "tbx_one_term_per_section",
  "tbx_admin_without_type",
  "tbx_one_descrip_per_group",
  "tbx_source_outside_group",
  "tbx_definition_on_term",
  "tbx_not_in_picklist",
  "tbx_transac_note_type",
  "tbx_transac_type",
  "tbx_min_admin_source",
  "tbx_min_xref",
  "tbx_invalid_language",
  "tbx_no_source_term",
  "tbx_one_language",
  // A whole file.
  "no_rows",
  "no_language_column",
  "csv_not_glossary",
  "csv_few_terms",
  "tbx_version_2",
  "not_tbx",
  "tbx_invalid_structure",
  "tbx_header_missing",
  "tbx_text_missing",
  "tbx_text_not_in_p",
  "tbx_misplaced_in_text",
  "tbx_no_entries",
  "unreadable_file",
  // An XML file (TBX, TMX) refused as it is read.
  "xml_doctype",
  "xml_malformed",
  "xml_no_element",
  "xml_too_many_elements",
  "xml_too_many_attributes",
  "xml_attribute_too_long",
  "xml_too_deep",
  "xml_text_too_long",
  // A TMX file, and its units.
  "tmx_not_tmx",
  "tmx_header_body",
  "tmx_unit_no_segment",
  "tmx_segment_too_long",
  "tmx_segment_control_characters",
  "tmx_segment_placeholder_text",
  "tmx_segment_sub",
  "tmx_tuv_two_segments",
  "tmx_more_skipped",
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** The values a problem's sentence names (a line, a language, a column). */
export type ProblemParams = Record<string, string | number>;

export interface Problem {
  /** Stable snake_case code. */
  code: ProblemCode;
  /** The values the sentence names. */
  params: ProblemParams;
  /** The problem as an English sentence, for the API. */
  message: string;
  /** For a problem made of several (an invalid term, a TBX entry against its dialect): each of them. */
  reasons?: Problem[];
}

export function problem(code: ProblemCode, message: string, params: ProblemParams = {}): Problem {
  return { code, params, message };
}

/** Several problems of one row as one problem `code`, its message theirs joined (as the API said them). */
export function combined(
  code: ProblemCode,
  reasons: Problem[],
  params: ProblemParams = {},
  lead = "",
): Problem {
  return { code, params, message: lead + reasons.map((r) => r.message).join("; "), reasons };
}
