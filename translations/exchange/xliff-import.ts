/**
 * Reads XLIFF 2.0 and 1.2 files written by other tools (OmegaT, Trados, Weblate) with a real,
 * non-validating XML parser that never loads a DTD or an external entity: a file with a DOCTYPE
 * is refused outright, which also rules out entity expansion attacks.
 */

import { canonicalLang } from "../../glossary/language.ts";
import { readXml, XmlReadError } from "../../glossary/xml.ts";
import { trivialKey } from "../alignment.ts";
import type { Document } from "../document.ts";
import { ValidationError } from "../errors.ts";
import {
  currentText,
  latestRevision,
  type ParagraphTranslation,
  type TranslationState,
} from "../translation.ts";
import { GLOSA_XLIFF_NS } from "./xliff.ts";

export interface XliffUnit {
  id: string;
  source: string;
  target: string | null;
  /** The paragraph revision the file's target was based on, when the file says (Glosa's own exports). */
  baseRevision: number | undefined;
  /** Set (to the target's length) when the target is longer than a translation may be: `target` is then null. */
  tooLong?: number;
}

export interface ParsedXliff {
  /** XLIFF 1.1 (as translate-toolkit writes it) is read with the 1.2 structure. */
  version: "1.1" | "1.2" | "2.0";
  sourceLang: string | null;
  targetLang: string | null;
  /** The `original` attribute of the file element: the document id for files Glosa wrote. */
  original: string | null;
  /** The document's source version the file was exported from (`glosa:sourceVersion`, Glosa's own exports). */
  sourceVersion?: number;
  units: XliffUnit[];
}

const NS_20 = "urn:oasis:names:tc:xliff:document:2.0";
const NS_12 = "urn:oasis:names:tc:xliff:document:1.2";
const NS_11 = "urn:oasis:names:tc:xliff:document:1.1";

/** XLIFF 1.x inline elements whose content is the original format's code, not text. */
const NATIVE_CODE_12 = new Set(["bpt", "ept", "ph", "it"]);

/**
 * A file Glosa cannot read. `context` and its values let a page say it in the reader's language
 * (`errors.unreadable_file_<context>`); without one, the English sentence stands.
 */
function bad(
  message: string,
  context?: string,
  values: Record<string, string | number> = {},
): ValidationError {
  return new ValidationError(message, context ? { context, ...values } : undefined, "unreadable_file");
}

/** A revision number from `glosa:revision`; anything else (absent, not a whole number) is unknown. */
function revisionOf(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/** XLIFF 2.0 `<cp hex="..."/>`: a character XML cannot carry literally. */
function codePoint(hex: string | undefined): string {
  const code = hex && /^[0-9A-Fa-f]{1,6}$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
  if (!(code <= 0x10ffff)) throw bad(`<cp hex="${hex ?? ""}"> is not a character.`);
  return String.fromCodePoint(code);
}

/**
 * Reads the units of an XLIFF 2.0, 1.2 or 1.1 file. Source and target text is taken from the
 * unit's own `<source>`/`<target>` (in 2.0, its segments' and ignorables'), inline markup's text
 * included; match suggestions (`<alt-trans>`, `<mtc:match>`) and native code are not text.
 */
export async function parseXliff(
  xml: string,
  options: { maxTextLength?: number } = {},
): Promise<ParsedXliff> {
  let version: ParsedXliff["version"] | null = null;
  let sourceLang: string | null = null;
  let targetLang: string | null = null;
  let original: string | null = null;
  let sourceVersion: number | undefined;
  const units: XliffUnit[] = [];
  let unit: XliffUnit | null = null;
  let unitDepth = 0;
  // Inside a <source>/<target> whose text counts: which, at what depth, and its parts so far.
  let collecting: "source" | "target" | null = null;
  let collectDepth = 0;
  let parts: string[] = [];
  // Depth of a native-code element (XLIFF 1.x) whose content is skipped; 0 when none.
  let skipDepth = 0;
  // The element names from the root down, for checking where a <source>/<target> sits.
  const path: string[] = [];

  try {
    await readXml(xml, {
      open(tag, depth) {
        const name = tag.local;
        const attr = (n: string) => tag.attributes[n]?.value ?? null;
        path.push(name);
        if (depth === 1) {
          if (name !== "xliff")
            throw bad("Not an XLIFF file: the root element must be <xliff>.", "not_xliff");
          const v = attr("version");
          if (tag.uri === NS_20 && v === "2.0") {
            version = "2.0";
            sourceLang = attr("srcLang");
            targetLang = attr("trgLang");
          } else if ((tag.uri === NS_12 || tag.uri === "") && v === "1.2") version = "1.2";
          else if ((tag.uri === NS_11 || tag.uri === "") && v === "1.1") version = "1.1";
          else if (v === "2.0" || v === "1.2" || v === "1.1")
            // A version Glosa reads, in the wrong namespace: say so, not that the version is unknown.
            throw bad(
              `Not a readable XLIFF ${v} file: its root element must be in the namespace ${v === "2.0" ? NS_20 : v === "1.2" ? NS_12 : NS_11}${tag.uri ? `, not ${tag.uri}` : ", and the file has none"}.`,
              "xliff_namespace",
              { version: v, namespace: v === "2.0" ? NS_20 : v === "1.2" ? NS_12 : NS_11 },
            );
          else if (v === null)
            // Often a file cut short or typed by hand: naming a version "" would puzzle its reader.
            throw bad(
              "The <xliff> element names no version: Glosa reads XLIFF 2.0, 1.2 and 1.1.",
              "xliff_no_version",
            );
          else
            throw bad(
              `Unsupported XLIFF version ${JSON.stringify(v)}: Glosa reads XLIFF 2.0, 1.2 and 1.1.`,
              "xliff_version",
              { version: String(v ?? "").slice(0, 20) },
            );
          return;
        }
        if (collecting) {
          if (skipDepth === 0 && version !== "2.0" && NATIVE_CODE_12.has(name)) skipDepth = depth;
          if (version === "2.0" && name === "cp" && skipDepth === 0)
            parts.push(codePoint(attr("hex") ?? undefined));
          return;
        }
        if (name === "file") {
          original ??= attr("original");
          sourceVersion ??= revisionOf(
            Object.values(tag.attributes).find((a) => a.uri === GLOSA_XLIFF_NS && a.local === "sourceVersion")
              ?.value,
          );
          if (version !== "2.0") {
            sourceLang ??= attr("source-language");
            targetLang ??= attr("target-language");
          }
        } else if ((version === "2.0" && name === "unit") || (version !== "2.0" && name === "trans-unit")) {
          const id = attr("id");
          if (!id) throw bad("A unit without an id.");
          const revision = Object.values(tag.attributes).find(
            (a) => a.uri === GLOSA_XLIFF_NS && a.local === "revision",
          );
          unit = { id, source: "", target: null, baseRevision: revisionOf(revision?.value) };
          unitDepth = depth;
        } else if (unit && (name === "source" || name === "target") && isUnitText(depth)) {
          collecting = name;
          collectDepth = depth;
          parts = [];
        }
      },
      text(text) {
        if (collecting && skipDepth === 0) parts.push(text);
      },
      close(_tag, depth) {
        path.pop();
        if (collecting) {
          if (depth === skipDepth) skipDepth = 0;
          if (depth > collectDepth) return;
          const text = parts.join("");
          if (unit && collecting === "source") unit.source += text;
          if (unit && collecting === "target") unit.target = (unit.target ?? "") + text;
          collecting = null;
          return;
        }
        if (unit && depth === unitDepth) {
          units.push(unit);
          unit = null;
        }
      },
    });
  } catch (error) {
    // The reader's problem (xml_malformed with its line and column, xml_doctype, a bound) goes along
    // for a page to say in its reader's language, as the glossary and memory imports do.
    if (error instanceof XmlReadError)
      throw new ValidationError(
        error.message,
        {
          context: "xml",
          line: error.line,
          problem: { code: error.why.code, params: error.why.params },
        },
        "unreadable_file",
      );
    throw error;
  }
  if (!version) throw bad("Not an XLIFF file: the root element must be <xliff>.", "not_xliff");
  // A target past the longest translation is refused here, where the file is read (a worker
  // thread), rather than carried whole to the thread that answers requests only to be refused there.
  const max = options.maxTextLength;
  if (max !== undefined)
    for (const u of units)
      if (u.target !== null && u.target.length > max) {
        const length = u.target.replace(/\r\n?/g, "\n").normalize("NFC").length;
        if (length > max) Object.assign(u, { target: null, tooLong: length });
      }
  return { version, sourceLang, targetLang, original, units, ...(sourceVersion ? { sourceVersion } : {}) };

  /** A <source>/<target> at `depth` holds the unit's text, not a suggestion's. */
  function isUnitText(depth: number): boolean {
    const parent = path[depth - 2];
    if (version !== "2.0") return depth === unitDepth + 1;
    return depth === unitDepth + 2 && (parent === "segment" || parent === "ignorable");
  }
}

export interface ImportPlan {
  /** Targets to save, each with the revision the file's text was based on when the file says. */
  updates: { pid: string; text: string; baseRevision: number | undefined }[];
  unchanged: number;
  errors: UnitProblem[];
  /**
   * Units whose paragraph has a revision the file did not see, with a different text: not applied,
   * so an old file never undoes newer work. `text` is the file's target, kept for the report.
   */
  conflicts: (UnitProblem & { text: string })[];
}

/**
 * Why a unit was not applied: an English sentence, and a stable code with its values, from which a
 * page says the same in the reader's language (`exchange.unit_problem.<code>`).
 */
export interface UnitProblem {
  unit: string;
  message: string;
  code?: "unknown_unit" | "source_mismatch" | "too_long" | "stale_source" | "changed_since" | "invalid_text";
  params?: Record<string, string | number>;
}

const normalize = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

/** Characters of context shown on each side of a difference. */
const CONTEXT = 30;

/** Where a unit's source and its paragraph's part: a short excerpt of each around the first difference. */
export interface SourceDifference {
  paragraph: string;
  /** The paragraph's text there, quoted. */
  has: string;
  /** The file's text there, quoted. */
  fileHas: string;
}

/**
 * Where two texts part, in words a person can check: the first span that differs, with a little
 * context, as the paragraph has it and as the file has it. Linear in the texts' length (common
 * prefix and suffix), whatever a hostile file holds.
 */
export function sourceDifference(pid: string, paragraph: string, file: string): SourceDifference {
  let start = 0;
  const shorter = Math.min(paragraph.length, file.length);
  while (start < shorter && paragraph[start] === file[start]) start++;
  let end = 0;
  while (end < shorter - start && paragraph[paragraph.length - 1 - end] === file[file.length - 1 - end])
    end++;
  const excerpt = (text: string) => {
    const from = Math.max(0, start - CONTEXT);
    const to = Math.min(text.length, Math.max(text.length - end, start) + CONTEXT);
    const middle =
      to - from > 4 * CONTEXT
        ? `${text.slice(from, from + 2 * CONTEXT)}…${text.slice(to - CONTEXT, to)}`
        : text.slice(from, to);
    return `“${from > 0 ? "…" : ""}${middle}${to < text.length ? "…" : ""}”`;
  };
  return { paragraph: pid, has: excerpt(paragraph), fileHas: excerpt(file) };
}

/** The difference as an English sentence's end, for reports. */
export function describeDifference(paragraph: string, file: string): string {
  const { has, fileHas } = sourceDifference("", paragraph, file);
  return `the paragraph has ${has} where the file has ${fileHas}`;
}

/** Whether `text` is the text of the revision a unit was exported from (the file left it as it was). */
function isExportedText(
  translation: ParagraphTranslation | undefined,
  revision: number | undefined,
  text: string,
): boolean {
  if (!translation || revision === undefined || revision < 1) return false;
  const exported = translation.revisions.find((r) => r.revision === revision);
  return exported !== undefined && exported.text.normalize("NFC") === text;
}

/**
 * Matches units to paragraphs by id and checks that their source still matches: a unit whose
 * id or source no longer matches is reported, never guessed. Changed targets become updates, unless
 * the file carries the revision it was based on and the paragraph has moved on since: a conflict.
 */
export function planXliffImport(
  document: Document,
  lang: string,
  state: TranslationState,
  file: ParsedXliff,
): ImportPlan {
  if (file.targetLang && canonicalLang(file.targetLang) !== lang)
    throw new ValidationError(
      `The file's targets are in ${file.targetLang}, not ${lang}.`,
      { targetLang: file.targetLang },
      "wrong_language",
    );
  if (file.sourceLang && canonicalLang(file.sourceLang)?.split("-")[0] !== document.sourceLang.split("-")[0])
    throw new ValidationError(
      `The file's source is in ${file.sourceLang}, the document's in ${document.sourceLang}.`,
      { sourceLang: file.sourceLang },
      "wrong_language",
    );
  const byId = new Map(document.paragraphs.map((p) => [p.id, p]));
  const plan: ImportPlan = { updates: [], unchanged: 0, errors: [], conflicts: [] };
  const mismatches: ({ unit: string } & SourceDifference)[] = [];
  /** Units that belong to no paragraph of this document (unknown id, or another source). */
  let unplaced = 0;
  for (const unit of file.units) {
    const paragraph = byId.get(unit.id);
    if (!paragraph) {
      unplaced++;
      plan.errors.push({
        unit: unit.id,
        message: "No paragraph of this document has this id.",
        code: "unknown_unit",
      });
      continue;
    }
    const target = unit.target?.normalize("NFC");
    const translation = state.get(paragraph.id);
    // The file's text is the one it was exported with: the file brings nothing for this paragraph,
    // whatever happened to it since. Never reported as a conflict (it would invite pasting old text back).
    const untouched = !!target?.trim() && isExportedText(translation, unit.baseRevision, target);
    if (
      file.sourceVersion !== undefined &&
      file.sourceVersion < (paragraph.changedIn ?? 1) &&
      target?.trim()
    ) {
      if (untouched) plan.unchanged++;
      else
        plan.conflicts.push({
          unit: unit.id,
          message: `The file was made against source version ${file.sourceVersion}; this paragraph's source changed in version ${paragraph.changedIn}: not applied.`,
          code: "stale_source",
          params: { fileVersion: file.sourceVersion, changedIn: paragraph.changedIn ?? 1 },
          text: target,
        });
      continue;
    }
    const source = normalize(unit.source);
    const expected = normalize(paragraph.source);
    // Since the file's version the source changed only in punctuation, quotes or spaces (not
    // outdating, see alignment.ts): the unit's translation still fits this paragraph.
    const trivially =
      file.sourceVersion !== undefined &&
      file.sourceVersion >= (paragraph.changedIn ?? 1) &&
      trivialKey(source) === trivialKey(expected);
    if (source !== expected && !trivially) {
      unplaced++;
      const difference = sourceDifference(paragraph.id, expected, source);
      mismatches.push({ unit: unit.id, ...difference });
      plan.errors.push({
        unit: unit.id,
        message: `The source text no longer matches paragraph ${paragraph.id}: the paragraph has ${difference.has} where the file has ${difference.fileHas}.`,
        code: "source_mismatch",
        params: { paragraph: paragraph.id, has: difference.has, fileHas: difference.fileHas },
      });
      continue;
    }
    if (unit.tooLong !== undefined) {
      plan.errors.push({
        unit: unit.id,
        message: `The translation has ${unit.tooLong} characters: longer than a translation may be.`,
        code: "too_long",
        params: { count: unit.tooLong },
      });
      continue;
    }
    if (!target?.trim()) {
      plan.unchanged++;
      continue;
    }
    const latest = latestRevision(translation)?.revision ?? 0;
    if (target === currentText(translation) || untouched) plan.unchanged++;
    else if (unit.baseRevision !== undefined && unit.baseRevision !== latest)
      plan.conflicts.push({
        unit: unit.id,
        message: `The paragraph changed since this file was exported (revision ${unit.baseRevision}, now ${latest}): not applied.`,
        code: "changed_since",
        params: { fileRevision: unit.baseRevision, latest },
        text: target,
      });
    else plan.updates.push({ pid: paragraph.id, text: target, baseRevision: unit.baseRevision });
  }
  // Not one unit belongs here: another document's file. Refuse it whole rather than report each unit.
  if (file.units.length > 0 && unplaced === file.units.length) {
    const first = mismatches[0];
    throw new ValidationError(
      first
        ? `None of the file's units matches this document: it was exported from another document, or from an older version of this one. Unit ${first.unit}: paragraph ${first.paragraph} has ${first.has} where the file has ${first.fileHas}.`
        : "None of the file's units matches this document: it was exported from another document.",
      // `context` picks the reader's-language message that names the unit (server/messages.ts).
      { units: plan.errors.length, ...(first ? { first, context: "source" } : {}) },
      "wrong_document",
    );
  }
  return plan;
}
