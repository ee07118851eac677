/**
 * Glossary CSV, read with a real CSV parser (RFC 4180 quoting, BOM or not). Accepted forms:
 * - a header of language codes plus any of `description`, `translatable`, `case sensitive`,
 *   `forbidden:<lang>` (the seed's form; Google's glossary CSV is the subset with language codes only);
 * - Phrase-style headers: `term` for the source column, `description`, `translatable`, `case sensitive`
 *   and one column per target locale;
 * - `source`/`term` and `target`/`translation` headers (any case): the languages given by the caller;
 * - a plain two-column file with no header: source, target (languages given by the caller).
 * `note`, `notes` and `definition` are read as the description on purpose. Unknown columns are
 * skipped and reported in `ignored`, and so is a column that repeats one already read (a synonym
 * beside `description`, a language twice): a file never overwrites one column with another.
 */

import { CsvError, parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import {
  GlossaryFormatError,
  type ImportedTerm,
  type ImportProblem,
  type ParsedGlossary,
} from "./exchange.ts";
import { canonicalLang, isKnownLang, langByName } from "./language.ts";
import { combined, type Problem, problem } from "./problem.ts";
import type { Term, TermTarget } from "./term.ts";

export interface CsvOptions {
  /** Source language of a header-less file, or of a `term` column. */
  sourceLang: string;
  /** Target language of a header-less file, or of a `target` column. */
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

const KEYWORDS: Record<string, Column | "target"> = {
  term: { kind: "source" },
  source: { kind: "source" },
  target: "target",
  translation: "target",
  description: { kind: "description" },
  note: { kind: "description" },
  notes: { kind: "description" },
  definition: { kind: "description" },
  translatable: { kind: "translatable" },
  "case sensitive": { kind: "caseSensitive" },
  case_sensitive: { kind: "caseSensitive" },
  casesensitive: { kind: "caseSensitive" },
};

function readColumn(cell: string, options: CsvOptions): Column | null {
  const name = cell.trim().toLowerCase();
  const keyword = KEYWORDS[name];
  // A `target` column is the import's target language, as the second column of a header-less file is.
  if (keyword === "target") return { kind: "lang", lang: options.targetLang };
  if (keyword) return keyword;
  const forbidden = /^forbidden[:_ ](.+)$/.exec(name);
  if (forbidden?.[1]) {
    const lang = canonicalLang(forbidden[1]);
    return lang ? { kind: "forbidden", lang } : null;
  }
  if (isKnownLang(cell.trim())) return { kind: "lang", lang: canonicalLang(cell.trim()) as string };
  // A language named in words (`English,Spanish`, `Inglés,Español`), as spreadsheets are often headed.
  const named = langByName(cell);
  return named ? { kind: "lang", lang: named } : null;
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

type Row = { record: string[]; info: { lines: number } };

/**
 * The file's rows, and a problem for each row csv-parse could not read. A quote inside an unquoted
 * field ruins only its row, so reading goes on. An unclosed quote swallows every line after it,
 * and after a bad closing quote the parser's idea of where fields end is a guess: there the rows
 * already read are kept and everything from the bad row on is refused, not guessed at.
 */
function readRows(text: string): { rows: Row[]; refused: ImportProblem[] } {
  const rows: Row[] = [];
  const refused: ImportProblem[] = [];
  // The line the last row read or refused ends on, and the last line a stray quote was met on.
  let lastLine = 0;
  let strayThrough = 0;
  const rowStart = rowStarts(text);
  const unreadableFrom = (error: CsvError): ImportProblem => {
    const line = rowStart(lastLine);
    const why =
      error.code === "CSV_QUOTE_NOT_CLOSED"
        ? problem(
            "csv_quote_not_closed",
            `a quote opened on line ${line} is never closed: this row and every one after it were not read`,
            { line },
          )
        : problem(
            "csv_unreadable_from",
            `not readable as CSV from line ${line} on (${error.code}): this row and every one after it were not read`,
            { line },
          );
    return { line, ...why };
  };
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: 1_000_000,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (!error) return;
        if (error.code !== "INVALID_OPENING_QUOTE") throw new StopReading(unreadableFrom(error));
        // csv-parse reports a stray quote once per field it meets it in: one row, one problem.
        const at = Number(error.lines);
        if (at === strayThrough) return;
        const line = rowStart(lastLine);
        refused.push({
          line,
          ...problem("csv_stray_quote", "a quote inside a field that does not start with one", { line }),
        });
        lastLine = strayThrough = at;
      },
      on_record: (record, context) => {
        rows.push({ record: record.map(unguardFormula), info: { lines: context.lines } });
        lastLine = context.lines;
        return null;
      },
    });
  } catch (error) {
    if (error instanceof StopReading) refused.push(error.problem);
    else if (error instanceof CsvError) refused.push(unreadableFrom(error));
    else throw error;
  }
  return { rows, refused };
}

class StopReading extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message);
  }
}

/**
 * Where rows start: the first non-blank line after a given line (1-based). The file is split into
 * lines once, on the first refused row, so a file of many bad rows costs one split, not one each.
 */
function rowStarts(text: string): (after: number) => number {
  let lines: string[] | undefined;
  return (after) => {
    lines ??= text.split(/\r\n|\n|\r/);
    let line = after + 1;
    while (line < lines.length && !lines[line - 1]?.trim()) line++;
    return line;
  };
}

export function parseGlossaryCsv(text: string, options: CsvOptions): ParsedGlossary {
  const { rows, refused } = readRows(text);
  const [unread] = refused;
  if (rows.length === 0 && unread)
    throw new GlossaryFormatError(`not a readable CSV file: ${unread.message}`, unread.line, unread);
  if (rows.length === 0)
    throw new GlossaryFormatError("the file holds no rows", undefined, problem("no_rows", ""));

  const firstLine = (row: { record: string[]; info: { lines: number } }) =>
    row.info.lines - row.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);

  const header = (rows[0] as { record: string[] }).record.map((cell) => readColumn(cell, options));
  const langs = header.flatMap((c) => (c?.kind === "lang" ? [c.lang] : []));
  // A first row naming languages in words is a header only when every cell is one Glosa reads and
  // no language comes twice: "Polish,pulir" and "Spanish,español" are terms and their translations.
  const named = (rows[0] as { record: string[] }).record.some(
    (cell) => !isKnownLang(cell.trim()) && langByName(cell) !== null,
  );
  const isHeader =
    header.some((c) => c !== null) &&
    langs.length > 0 &&
    !(named && (header.includes(null) || new Set(langs).size < langs.length));
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
    assertTermPairs(rows, refused.length);
    columns = [
      { kind: "lang", lang: options.sourceLang },
      { kind: "lang", lang: options.targetLang },
    ];
    body = rows;
  }
  if (body.length === 0 && unread)
    throw new GlossaryFormatError(`not a readable CSV file: ${unread.message}`, unread.line, unread);

  // The source is the `term` column, or else the first language column.
  const langColumns = columns.flatMap((c, i) => (c.kind === "lang" ? [{ lang: c.lang, i }] : []));
  const sourceIndex = columns.findIndex((c) => c.kind === "source");
  const source =
    sourceIndex >= 0
      ? { lang: options.sourceLang, i: sourceIndex }
      : (langColumns.shift() as { lang: string; i: number });
  if (!source)
    throw new GlossaryFormatError(
      "the header names no language column",
      undefined,
      problem("no_language_column", ""),
    );

  const terms: ImportedTerm[] = [];
  const errors: ImportProblem[] = [];
  for (const row of body) {
    const line = firstLine(row);
    const cells = row.record;
    const problems: Problem[] = [];
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
          if (value === null) problems.push(badFlag("translatable", cell(i)));
          else translatable = value;
          break;
        }
        case "caseSensitive": {
          const value = readBoolean(cell(i));
          if (value === null) problems.push(badFlag("case sensitive", cell(i)));
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
    const [only] = problems;
    if (only) {
      errors.push({ line, ...(problems.length === 1 ? only : combined("invalid_row", problems)) });
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
  // A row the parser refused is reported where it stands among the others.
  errors.push(...refused);
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { terms, errors, ignored };
}

/** The first line of a refused file as its reader would recognise it: short, on one line. */
function excerpt(cells: readonly string[]): string {
  const line = cells.join(",").replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * A file without a header Glosa recognises is read as source, target (a third column and more, such
 * as OmegaT's comment or DeepL's languages, ignored): it must look like one. Its first row must be a
 * term and its translation (two cells, neither empty), and at least half its rows must be; otherwise
 * it is some other file (a Markdown export renamed `.csv`) and nothing of it is imported, rather than
 * its lines with a comma becoming terms. A real glossary with a few bad rows still imports the rest.
 */
function assertTermPairs(rows: readonly Row[], refused: number): void {
  const isPair = (row: Row) => Boolean(row.record[0]?.trim() && row.record[1]?.trim());
  const first = rows[0] as Row;
  if (!isPair(first))
    throw new GlossaryFormatError(
      `not a glossary CSV: the first line ("${excerpt(first.record)}") is neither a header naming its columns (such as en,es,description or source,target) nor a term and its translation (source,target)`,
      undefined,
      problem("csv_not_glossary", "", { first: excerpt(first.record) }),
    );
  const pairs = rows.filter(isPair).length;
  const total = rows.length + refused;
  if (pairs * 2 < total)
    throw new GlossaryFormatError(
      `not a glossary CSV: only ${pairs} of its ${total} rows are a term and its translation (source,target), and it has no header naming its columns (such as en,es,description or source,target)`,
      undefined,
      problem("csv_few_terms", "", { pairs, rows: total }),
    );
}

function badFlag(column: string, value: string): Problem {
  return problem("invalid_flag", `"${column}" must be yes or no, not "${value}"`, { column, value });
}

/** The glossary in the seed's CSV form; with `lang`, only that target language. */
export function exportGlossaryCsv(terms: readonly Term[], lang?: string): string {
  return [...glossaryCsvParts(terms, lang)].join("");
}

/** Rows written at once, between the turns of the event loop `inSlices` may give back. */
const ROWS_PER_PART = 500;

/** The same, 500 rows at a time (see `inSlices`): each record is written whole, so the parts join to the file. */
export function* glossaryCsvParts(terms: readonly Term[], lang?: string): Generator<string> {
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
  const row = (term: Term) => [
    ...langColumns.map((l) => (l === term.sourceLang ? term.source : (term.targets[l]?.text ?? ""))),
    term.description,
    term.translatable ? "yes" : "no",
    term.caseSensitive ? "yes" : "no",
    ...targetLangs.map((l) => (term.targets[l]?.forbidden ?? []).join(";")),
  ];
  yield stringify([header.map(guardFormula)]);
  for (let at = 0; at < terms.length; at += ROWS_PER_PART)
    yield stringify(terms.slice(at, at + ROWS_PER_PART).map((term) => row(term).map(guardFormula)));
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
