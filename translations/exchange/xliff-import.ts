/**
 * Reads XLIFF 2.0 and 1.2 files written by other tools (OmegaT, Trados, Weblate) with a real,
 * non-validating XML parser that never loads a DTD or an external entity: a file with a DOCTYPE
 * is refused outright, which also rules out entity expansion attacks.
 */

import { SaxesParser } from "saxes";
import { canonicalLang } from "../../glossary/language.ts";
import type { Document } from "../document.ts";
import { ValidationError } from "../errors.ts";
import { currentText, type TranslationState } from "../translation.ts";

export interface XliffUnit {
  id: string;
  source: string;
  target: string | null;
}

export interface ParsedXliff {
  version: "1.2" | "2.0";
  sourceLang: string | null;
  targetLang: string | null;
  /** The `original` attribute of the file element: the document id for files Glosa wrote. */
  original: string | null;
  units: XliffUnit[];
}

const NS_20 = "urn:oasis:names:tc:xliff:document:2.0";
const NS_12 = "urn:oasis:names:tc:xliff:document:1.2";

function bad(message: string): ValidationError {
  return new ValidationError(message, undefined, "unreadable_file");
}

export function parseXliff(xml: string): ParsedXliff {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let version: ParsedXliff["version"] | null = null;
  let sourceLang: string | null = null;
  let targetLang: string | null = null;
  let original: string | null = null;
  const units: XliffUnit[] = [];
  let unit: XliffUnit | null = null;
  // Text is collected inside <source>/<target>, including the text of inline elements.
  let collecting: "source" | "target" | null = null;
  let depthInText = 0;
  let buffer = "";
  let error: Error | null = null;

  parser.on("doctype", () => {
    error ??= bad("The file has a DOCTYPE: DTDs and external entities are not accepted.");
  });
  parser.on("error", (e) => {
    error ??= bad(`Not well-formed XML: ${e.message}`);
  });
  parser.on("opentag", (tag) => {
    if (error) return;
    const name = tag.local;
    const attr = (n: string) => tag.attributes[n]?.value ?? null;
    if (collecting) {
      depthInText++;
      return;
    }
    if (name === "xliff") {
      const v = attr("version");
      if (tag.uri === NS_20 && v === "2.0") {
        version = "2.0";
        sourceLang = attr("srcLang");
        targetLang = attr("trgLang");
      } else if ((tag.uri === NS_12 || tag.uri === "") && v === "1.2") {
        version = "1.2";
      } else {
        error = bad(`Unsupported XLIFF version ${JSON.stringify(v)}: Glosa reads XLIFF 2.0 and 1.2.`);
      }
      return;
    }
    if (!version) {
      error ??= bad("Not an XLIFF file: the root element must be <xliff>.");
      return;
    }
    if (name === "file") {
      original ??= attr("original");
      if (version === "1.2") {
        sourceLang ??= attr("source-language");
        targetLang ??= attr("target-language");
      }
    } else if ((version === "2.0" && name === "unit") || (version === "1.2" && name === "trans-unit")) {
      const id = attr("id");
      if (!id) error ??= bad("A unit without an id.");
      unit = { id: id ?? "", source: "", target: null };
    } else if (unit && (name === "source" || name === "target")) {
      collecting = name;
      depthInText = 0;
      buffer = "";
    }
  });
  parser.on("text", (text) => {
    if (collecting) buffer += text;
  });
  parser.on("cdata", (text) => {
    if (collecting) buffer += text;
  });
  parser.on("closetag", (tag) => {
    if (error) return;
    if (collecting) {
      if (depthInText > 0) {
        depthInText--;
        return;
      }
      if (unit && collecting === "source") unit.source += buffer;
      if (unit && collecting === "target") unit.target = (unit.target ?? "") + buffer;
      collecting = null;
      return;
    }
    if ((tag.local === "unit" || tag.local === "trans-unit") && unit) {
      units.push(unit);
      unit = null;
    }
  });

  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= bad(`Not well-formed XML: ${(e as Error).message}`);
  }
  if (error) throw error;
  if (!version) throw bad("Not an XLIFF file: the root element must be <xliff>.");
  return { version, sourceLang, targetLang, original, units };
}

export interface ImportPlan {
  updates: { pid: string; text: string }[];
  unchanged: number;
  errors: { unit: string; message: string }[];
}

const normalize = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

/**
 * Matches units to paragraphs by id and checks that their source still matches: a unit whose
 * id or source no longer matches is reported, never guessed. Changed targets become updates.
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
  const plan: ImportPlan = { updates: [], unchanged: 0, errors: [] };
  for (const unit of file.units) {
    const paragraph = byId.get(unit.id);
    if (!paragraph) {
      plan.errors.push({ unit: unit.id, message: "No paragraph of this document has this id." });
      continue;
    }
    if (normalize(unit.source) !== normalize(paragraph.source)) {
      plan.errors.push({
        unit: unit.id,
        message: "The source text no longer matches the document's paragraph.",
      });
      continue;
    }
    const target = unit.target?.normalize("NFC");
    if (!target?.trim()) {
      plan.unchanged++;
      continue;
    }
    if (target === currentText(state.get(paragraph.id))) plan.unchanged++;
    else plan.updates.push({ pid: paragraph.id, text: target });
  }
  // Not one unit belongs here: another document's file. Refuse it whole rather than report each unit.
  if (file.units.length > 0 && plan.errors.length === file.units.length)
    throw new ValidationError(
      "None of the file's units matches this document: it was exported from another document.",
      { units: plan.errors.length },
      "wrong_document",
    );
  return plan;
}
