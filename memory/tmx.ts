/**
 * TMX 1.4b in and out of the memory. Reading goes through the hardened XML reader (no DOCTYPE, no
 * entities, bounded, sliced: glossary/xml.ts); a file that is not TMX is refused whole, while a unit
 * that lacks one of the two languages is reported and skipped. Inline codes (<bpt>, <ph>...) are
 * dropped from segments: the memory holds plain text, as documents do.
 */

import { create } from "xmlbuilder2";
import { GlossaryFormatError } from "../glossary/exchange.ts";
import { canonicalLang, primaryLang } from "../glossary/language.ts";
import {
  childrenNamed,
  parseXml,
  slicer,
  XML_LIMITS,
  type XmlElement,
  type XmlLimits,
} from "../glossary/xml.ts";

/** A unit imported from a TMX file, as the store keeps it. */
export interface ImportedUnit {
  /** Derived from the languages and both texts: importing the same pair again changes nothing. */
  id: string;
  sourceLang: string;
  targetLang: string;
  source: string;
  target: string;
  /** The tool that made the unit (TMX `creationtool`), kept on export. */
  tool?: string;
  /** ISO date: the unit's own change or creation date, or the import's. */
  createdAt: string;
  /** Who imported it. */
  createdBy: string;
}

/** A unit read from a file, before it gets its id. */
export interface ReadUnit {
  source: string;
  target: string;
  tool?: string;
  date?: string;
}

export interface TmxProblem {
  line: number;
  message: string;
}

/** A file that is not TMX 1.4: nothing of it is imported. */
export class TmxFormatError extends GlossaryFormatError {
  override name = "TmxFormatError";
}

/** Characters of one segment kept, at most (a stored translation's own bound). */
export const MAX_SEGMENT = 20_000;

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

/** `20261125T180000Z` (TMX's basic ISO 8601) as an ISO date, or undefined. */
export function fromTmxDate(value: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function toTmxDate(iso: string): string {
  return `${iso.replace(/[-:]/g, "").replace(/\.\d+/, "").slice(0, 15)}Z`;
}

const langOf = (tuv: XmlElement) => tuv.attributes["xml:lang"] ?? tuv.attributes.lang ?? "";

/** Whether a TMX language tag names `lang` (same primary language, and same region when both give one). */
function sameLang(tag: string, lang: string): boolean {
  const canonical = canonicalLang(tag);
  if (!canonical) return false;
  if (canonical.toLowerCase() === lang.toLowerCase()) return true;
  return primaryLang(canonical) === primaryLang(lang) && (!canonical.includes("-") || !lang.includes("-"));
}

/**
 * A TMX file's bounds as it is read. Its units are read one at a time and not kept as elements (a
 * tree of a 100,000-unit file held 150 MB and its collections paused the event loop up to 300 ms), so
 * the element bound is the one that leaves room for the memory's 100,000 units of a few elements each.
 */
export const TMX_LIMITS: XmlLimits = { ...XML_LIMITS, maxElements: 1_500_000 };

/** Reads the units of one language pair from a TMX file; TmxFormatError when it is not TMX. */
export async function readTmx(
  xml: string,
  sourceLang: string,
  targetLang: string,
): Promise<{ units: ReadUnit[]; errors: TmxProblem[] }> {
  const units: ReadUnit[] = [];
  const errors: TmxProblem[] = [];
  let bodyClosed = false;
  // Each unit is read as it closes: a <tu> in the first <body> of the root.
  const consume = (element: XmlElement, depth: number, parent: XmlElement | undefined) => {
    if (depth === 2 && element.name === "body") bodyClosed = true;
    if (depth !== 3 || element.name !== "tu" || parent?.name !== "body" || bodyClosed) return false;
    const unit = readUnit(element, sourceLang, targetLang);
    if ("message" in unit) errors.push(unit);
    else units.push(unit);
    return true;
  };
  let root: XmlElement;
  try {
    root = await parseXml(xml, TMX_LIMITS, consume);
  } catch (error) {
    if (error instanceof GlossaryFormatError) throw new TmxFormatError(error.message, error.line);
    throw error;
  }
  if (root.name !== "tmx") throw new TmxFormatError("The file is not TMX: its root element is not <tmx>.", 1);
  const header = childrenNamed(root, "header")[0];
  const body = childrenNamed(root, "body")[0];
  if (!header || !body) throw new TmxFormatError("A TMX file needs a <header> and a <body>.", root.line);
  const headerTool = header.attributes.creationtool;
  return { units: headerTool ? units.map((u) => (u.tool ? u : { ...u, tool: headerTool })) : units, errors };
}

/** One <tu> as a unit of the pair, or the problem that keeps it out. */
function readUnit(tu: XmlElement, sourceLang: string, targetLang: string): ReadUnit | TmxProblem {
  const tuvs = childrenNamed(tu, "tuv");
  const segOf = (lang: string) => {
    const tuv = tuvs.find((t) => sameLang(langOf(t), lang));
    const seg = tuv && childrenNamed(tuv, "seg")[0];
    return seg ? collapse(seg.text) : undefined;
  };
  const source = segOf(sourceLang);
  const target = segOf(targetLang);
  if (!source || !target)
    return { line: tu.line, message: `The unit has no ${source ? targetLang : sourceLang} segment.` };
  if (source.length > MAX_SEGMENT || target.length > MAX_SEGMENT)
    return { line: tu.line, message: `A segment is longer than ${MAX_SEGMENT} characters.` };
  const tool = tu.attributes.creationtool;
  const date = fromTmxDate(tu.attributes.changedate) ?? fromTmxDate(tu.attributes.creationdate);
  return { source, target, ...(tool ? { tool } : {}), ...(date ? { date } : {}) };
}

/** A unit as it is exported. */
export interface ExportUnit {
  source: string;
  target: string;
  tool: string;
  date: string;
  approved: boolean;
  /** The document a paragraph's translation came from. */
  document?: { id: string; title: string };
}

/** Marks where the units go in the file's envelope. */
const UNITS_HERE = "glosa-units-here";

// xmlbuilder2 with literalText/literalAttribute escapes every `&`, `<` and `>` (and `"`, tab and line
// feed in attributes) and writes a CR as a reference: the same, written directly.
const escapeText = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
const escapeAttribute = (value: string) =>
  escapeText(value).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");

/** One <tu> as xmlbuilder2 pretty-prints it inside <body>. */
function unitXml(unit: ExportUnit, sourceLang: string, targetLang: string): string {
  const tuv = (lang: string, text: string) =>
    `      <tuv xml:lang="${escapeAttribute(lang)}">\n        <seg>${escapeText(text)}</seg>\n      </tuv>\n`;
  return (
    `    <tu creationtool="${escapeAttribute(unit.tool)}" changedate="${toTmxDate(unit.date)}">\n` +
    (unit.approved ? `      <prop type="x-glosa-approved">true</prop>\n` : "") +
    (unit.document ? `      <prop type="x-glosa-document">${escapeText(unit.document.title)}</prop>\n` : "") +
    tuv(sourceLang, unit.source) +
    tuv(targetLang, unit.target) +
    "    </tu>\n"
  );
}

/** Characters of units gathered into one piece of the file. */
const CHUNK_CHARS = 256 * 1024;

/**
 * TMX 1.4b of a language pair's memory, valid against tmx14.dtd, in pieces to send as they are made.
 * The envelope is xmlbuilder2's; the units are written as strings, with the event loop given back
 * every few milliseconds: xmlbuilder2 took 0.1-0.3 ms a unit, and the whole memory in one document
 * (160,000 units) held the event loop 16 s; joined into one string and sent, 0.3 s more.
 */
export async function* tmxChunks(
  units: Iterable<ExportUnit>,
  sourceLang: string,
  targetLang: string,
  context: { version: string; exportedAt: string },
): AsyncGenerator<string> {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("tmx", { version: "1.4" });
  root.ele("header", {
    creationtool: "Glosa",
    creationtoolversion: context.version,
    segtype: "paragraph",
    "o-tmf": "Glosa",
    adminlang: "en",
    srclang: sourceLang,
    datatype: "plaintext",
    creationdate: toTmxDate(context.exportedAt),
  });
  root.ele("body").com(UNITS_HERE);
  const [head = "", tail = ""] = root.end({ prettyPrint: true }).split(`    <!--${UNITS_HERE}-->\n`);
  let parts = [head];
  let size = head.length;
  const pause = slicer();
  for (const unit of units) {
    await pause();
    const xml = unitXml(unit, sourceLang, targetLang);
    parts.push(xml);
    size += xml.length;
    if (size >= CHUNK_CHARS) {
      yield parts.join("");
      parts = [];
      size = 0;
    }
  }
  parts.push(tail);
  yield parts.join("");
}

/** The whole file as one string (tests, small exports). */
export async function writeTmx(
  units: Iterable<ExportUnit>,
  sourceLang: string,
  targetLang: string,
  context: { version: string; exportedAt: string },
): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of tmxChunks(units, sourceLang, targetLang, context)) parts.push(chunk);
  return parts.join("");
}
