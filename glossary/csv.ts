/**
 * Glossary CSV, read with a real CSV parser (RFC 4180 quoting, BOM or not). Accepted forms:
 * - a header of language codes plus any of `description`, `translatable`, `case sensitive`,
 *   `forbidden:<lang>` (the seed's form; Google's glossary CSV is the subset with language codes only);
 * - Phrase-style headers: `term` for the source column, `description`, `translatable`, `case sensitive`
 *   and one column per target locale;
 * - a plain two-column file with no header: source, target (languages given by the caller).
 * `note`, `notes` and `definition` are read as the description on purpose. Unknown columns are
 * skipped and reported in `ignored`, and so is a column that repeats one already read (a synonym
 * beside `description`, a language twice): a file never overwrites one column with another.
 */

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import {
  GlossaryFormatError,
  type ImportedTerm,
  type ImportProblem,
  type ParsedGlossary,
} from "./exchange.ts";
import { canonicalLang, isKnownLang } from "./language.ts";
import type { Term, TermTarget } from "./term.ts";

export interface CsvOptions {
  /** Source language of a header-less file, or of a `term` column. */
  sourceLang: string;
  /** Target language of a header-less file. */
  targetLang: string;
}

type Column =
  | { kind: "lang"; lang: string }
  | { kind: "source" }
  | { kind: "description" }
  | { kind: "translatable" }
  | { kind: "caseSensitive" }
  | { kind: "forbidden"; lang: string }
  | { kind: "ignored"; name: string };

const KEYWORDS: Record<string, Column> = {
  term: { kind: "source" },
  source: { kind: "source" },
  description: { kind: "description" },
  note: { kind: "description" },
  notes: { kind: "description" },
  definition: { kind: "description" },
  translatable: { kind: "translatable" },
  "case sensitive": { kind: "caseSensitive" },
  case_sensitive: { kind: "caseSensitive" },
  casesensitive: { kind: "caseSensitive" },
};

function readColumn(cell: string): Column | null {
  const name = cell.trim().toLowerCase();
  const keyword = KEYWORDS[name];
  if (keyword) return keyword;
  const forbidden = /^forbidden[:_ ](.+)$/.exec(name);
  if (forbidden?.[1]) {
    const lang = canonicalLang(forbidden[1]);
    return lang ? { kind: "forbidden", lang } : null;
  }
  if (isKnownLang(cell.trim())) return { kind: "lang", lang: canonicalLang(cell.trim()) as string };
  return null;
}

/** The term field a column fills: two columns filling one field would overwrite each other. */
function fieldOf(column: Column): string {
  return column.kind === "lang" || column.kind === "forbidden"
    ? `${column.kind}:${column.lang}`
    : column.kind;
}

const TRUE = new Set(["yes", "y", "true", "1", "x"]);
const FALSE = new Set(["no", "n", "false", "0", ""]);

function readBoolean(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return null;
}

export function parseGlossaryCsv(text: string, options: CsvOptions): ParsedGlossary {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: 1_000_000,
    }) as unknown as typeof rows;
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new GlossaryFormatError(`not a readable CSV file: ${e.message ?? "parse error"}`, e.lines);
  }
  if (rows.length === 0) throw new GlossaryFormatError("the file holds no rows");
  for (const row of rows) row.record = row.record.map(unguardFormula);

  const firstLine = (row: { record: string[]; info: { lines: number } }) =>
    row.info.lines - row.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);

  const header = (rows[0] as { record: string[] }).record.map(readColumn);
  const isHeader = header.some((c) => c !== null) && header.filter((c) => c?.kind === "lang").length > 0;
  const hasSourceColumn = header.some((c) => c?.kind === "source");
  const recognisedHeader =
    isHeader ||
    (hasSourceColumn && header.some((c) => c !== null && c.kind !== "source" && c.kind !== "ignored"));

  let columns: Column[];
  let body: typeof rows;
  const ignored: string[] = [];
  if (recognisedHeader) {
    const cells = (rows[0] as { record: string[] }).record;
    // Which column a field is read from: `description` itself wins over a synonym, else the first.
    const owner = new Map<string, number>();
    header.forEach((column, i) => {
      if (!column) return;
      const field = fieldOf(column);
      const named = cells[i]?.trim().toLowerCase() === "description";
      if (!owner.has(field) || (named && column.kind === "description")) owner.set(field, i);
    });
    columns = cells.map((cell, i) => {
      const column = header[i];
      if (column && owner.get(fieldOf(column)) === i) return column;
      ignored.push(cell);
      return { kind: "ignored", name: cell };
    });
    body = rows.slice(1);
  } else {
    columns = [
      { kind: "lang", lang: options.sourceLang },
      { kind: "lang", lang: options.targetLang },
    ];
    body = rows;
  }

  // The source is the `term` column, or else the first language column.
  const langColumns = columns.flatMap((c, i) => (c.kind === "lang" ? [{ lang: c.lang, i }] : []));
  const sourceIndex = columns.findIndex((c) => c.kind === "source");
  const source =
    sourceIndex >= 0
      ? { lang: options.sourceLang, i: sourceIndex }
      : (langColumns.shift() as { lang: string; i: number });
  if (!source) throw new GlossaryFormatError("the header names no language column");

  const terms: ImportedTerm[] = [];
  const errors: ImportProblem[] = [];
  for (const row of body) {
    const line = firstLine(row);
    const cells = row.record;
    const problems: string[] = [];
    const cell = (i: number) => cells[i] ?? "";
    const targets: Record<string, TermTarget> = {};
    let description = "";
    let translatable = true;
    let caseSensitive = false;
    columns.forEach((column, i) => {
      switch (column.kind) {
        case "lang":
          if (i !== source.i && cell(i)) {
            const target = targets[column.lang] ?? { text: "", forbidden: [] };
            target.text = cell(i);
            targets[column.lang] = target;
          }
          break;
        case "description":
          description = cell(i);
          break;
        case "translatable": {
          const value = readBoolean(cell(i) || "yes");
          if (value === null) problems.push(`"translatable" must be yes or no, not "${cell(i)}"`);
          else translatable = value;
          break;
        }
        case "caseSensitive": {
          const value = readBoolean(cell(i));
          if (value === null) problems.push(`"case sensitive" must be yes or no, not "${cell(i)}"`);
          else caseSensitive = value;
          break;
        }
        case "forbidden": {
          const forms = cell(i)
            .split(";")
            .map((f) => f.trim())
            .filter(Boolean);
          if (forms.length > 0) {
            const target = targets[column.lang] ?? { text: "", forbidden: [] };
            target.forbidden = forms;
            targets[column.lang] = target;
          }
          break;
        }
        default:
          break;
      }
    });
    if (problems.length > 0) {
      errors.push({ line, message: problems.join("; ") });
      continue;
    }
    terms.push({
      line,
      term: {
        sourceLang: source.lang,
        source: cell(source.i).normalize("NFC"),
        description: description.normalize("NFC"),
        translatable,
        caseSensitive,
        targets: Object.fromEntries(
          Object.entries(targets).map(([lang, t]) => [
            lang,
            { text: t.text.normalize("NFC"), forbidden: t.forbidden.map((f) => f.normalize("NFC")) },
          ]),
        ),
      },
    });
  }
  return { terms, errors, ignored };
}

/** The glossary in the seed's CSV form; with `lang`, only that target language. */
export function exportGlossaryCsv(terms: Term[], lang?: string): string {
  const sourceLangs = [...new Set(terms.map((t) => t.sourceLang))];
  const targetLangs = lang ? [lang] : [...new Set(terms.flatMap((t) => Object.keys(t.targets)))].sort();
  const header = [
    ...sourceLangs,
    ...targetLangs.filter((l) => !sourceLangs.includes(l)),
    "description",
    "translatable",
    "case sensitive",
    ...targetLangs.map((l) => `forbidden:${l}`),
  ];
  const langColumns = header.slice(0, header.indexOf("description"));
  const rows = terms.map((term) => [
    ...langColumns.map((l) => (l === term.sourceLang ? term.source : (term.targets[l]?.text ?? ""))),
    term.description,
    term.translatable ? "yes" : "no",
    term.caseSensitive ? "yes" : "no",
    ...targetLangs.map((l) => (term.targets[l]?.forbidden ?? []).join(";")),
  ]);
  return stringify([header, ...rows].map((row) => row.map(guardFormula)));
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first: CSV injection) is
 * written after a `'`, as spreadsheets and OWASP advise; a cell already written so gets one more, so
 * that reading strips exactly one and every text comes back as it was.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const guardFormula = (cell: string) => (FORMULA_LIKE.test(cell) ? `'${cell}` : cell);
const unguardFormula = (cell: string) =>
  FORMULA_LIKE.test(cell) && cell.startsWith("'") ? cell.slice(1) : cell;
