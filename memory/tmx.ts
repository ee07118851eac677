/**
 * TMX 1.4b in and out of the memory. Reading streams through the hardened XML reader (no DOCTYPE, no
 * entities, bounded: glossary/xml.ts), in a parser thread (server/parse-pool.ts); a file that is not
 * TMX is refused whole, while a unit that lacks one of the two languages is reported and skipped.
 *
 * Inline codes are kept as placeholders in the text, numbered in order within a segment: `{1}` and
 * `{/1}` around what a <bpt>/<ept> pair or a <hi> encloses, `{2/}` for a <ph>, an <it> or a <bpt>
 * or <ept> without its partner. The codes themselves (their native content and attributes) are kept
 * beside the text, and export writes each placeholder back as its element. A segment that has codes
 * and also text of its own shaped like a placeholder is refused (the two could not be told apart on
 * export), as are a side with a second <seg> and a <sub> inside a code: a unit is kept as the file
 * wrote it, or not at all and said so.
 */

import { create, fragment } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import { GlossaryFormatError } from "../glossary/exchange.ts";
import { canonicalLang, primaryLang } from "../glossary/language.ts";
import {
  type Problem,
  type ProblemCode,
  type ProblemParams,
  problem as problem_,
} from "../glossary/problem.ts";
import {
  ITEMS_HERE,
  inSlices,
  joinSlices,
  literalAttribute,
  literalText,
  readXml,
  splitEnvelope,
  XML_LIMITS,
  XmlReadError,
  xmlAttribute,
  xmlText,
} from "../glossary/xml.ts";
import { ValidationError } from "../translations/errors.ts";
import { cleanText } from "../translations/translation.ts";
import { hasPlaceholder, PLACEHOLDER, PLACEHOLDER_MASK } from "./placeholders.ts";

/** A unit imported from a TMX file, as the store keeps it. */
export interface ImportedUnit extends UnitOrigin {
  /** Derived from the languages and both texts: importing the same pair again changes nothing. */
  id: string;
  sourceLang: string;
  targetLang: string;
  source: string;
  target: string;
  /** The inline codes of the source and target placeholders (see above), when they have any. */
  sourceCodes?: InlineCode[];
  targetCodes?: InlineCode[];
  /** ISO date: the unit's own change or creation date, or the import's. */
  createdAt: string;
  /** Who imported it. */
  createdBy: string;
  /** Approved where it was translated (a Glosa export's `x-glosa-approved`): ranked as approved. */
  approved?: true;
}

/**
 * Where an imported unit came from, kept so that an export gives it back: the tool (`creationtool`),
 * the person (`creationid`), and each side's language as the file wrote it when that is a region or
 * variant of the pair's (`en-US` in an en→es memory).
 */
export interface UnitOrigin {
  tool?: string;
  creator?: string;
  sourceTag?: string;
  targetTag?: string;
  /** The title of the document a Glosa export said the unit was translated in (`x-glosa-document`). */
  documentTitle?: string;
}

const ORIGIN_FIELDS = ["tool", "creator", "sourceTag", "targetTag", "documentTitle"] as const;

/** A unit's origin fields that are set, to spread into another record. */
export function originOf(unit: UnitOrigin): UnitOrigin {
  const origin: UnitOrigin = {};
  for (const field of ORIGIN_FIELDS) if (unit[field]) origin[field] = unit[field];
  return origin;
}

/** A unit read from a file, before it gets its id. */
export interface ReadUnit extends UnitOrigin {
  source: string;
  target: string;
  /** Approved where it was translated, as a Glosa export says (`x-glosa-approved`). */
  approved?: true;
  sourceCodes?: InlineCode[];
  targetCodes?: InlineCode[];
  date?: string;
}

/** One inline code element of a segment; placeholder `n` stands for the segment's code n − 1. */
export interface InlineCode {
  tag: "bpt" | "ept" | "ph" | "it" | "ut" | "hi";
  attributes: Record<string, string>;
  /** The native code it holds (empty for <hi>, whose content is text of the segment). */
  content: string;
  /** An <ept>: the number of the <bpt> it closes, whose placeholder `{/n}` it writes. */
  closes?: number;
}

/** What a TMX file gave for one language pair. */
export interface ReadTmx {
  units: ReadUnit[];
  /** Why units were refused: at most 1,000 listed, the last then counting the rest. */
  errors: TmxProblem[];
  /** How many units were refused, all of them (the list stops at 1,000). */
  refused: number;
  /** More units than `maxUnits`: reading stopped there, and nothing should be imported. */
  tooMany?: boolean;
}

/** A unit that was not imported, and why: an English sentence, and a code with its values for pages. */
export interface TmxProblem extends Problem {
  line: number;
}

/**
 * Why a segment's text could never be saved as a translation, by the save's own rule (cleanText):
 * a unit holding it would be offered as a match that no one can save, and "Fill exact matches"
 * would stop at it. Undefined when it can be saved.
 */
export function unsavable(text: string): "control_characters" | "too_long" | "empty" | undefined {
  try {
    cleanText(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    if (error.code === "control_characters") return "control_characters";
    return error.code === "text_too_long" ? "too_long" : "empty";
  }
}

/** A file that is not TMX 1.4: nothing of it is imported. */
export class TmxFormatError extends GlossaryFormatError {
  override name = "TmxFormatError";
}

function tmxError(
  message: string,
  line: number,
  code: ProblemCode,
  params: ProblemParams = {},
): TmxFormatError {
  return new TmxFormatError(message, line, problem_(code, message, params));
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

/** Whether a TMX language tag names `lang` (same primary language, and same region when both give one). */
function sameLang(tag: string, lang: string): boolean {
  const canonical = canonicalLang(tag);
  if (!canonical) return false;
  if (canonical.toLowerCase() === lang.toLowerCase()) return true;
  return primaryLang(canonical) === primaryLang(lang) && (!canonical.includes("-") || !lang.includes("-"));
}

/** Elements a TMX file holds: five per unit and some (tu, two tuv, two seg, props, codes). */
const TMX_LIMITS = { ...XML_LIMITS, maxElements: 2_000_000 };
/** Problems listed at most; the count says how many more there were. */
const MAX_PROBLEMS = 1_000;
const CODE_TAGS = new Set(["bpt", "ept", "ph", "it", "ut", "hi"]);

/** A segment as it is read: its text with placeholders, and its codes. */
class SegmentReader {
  readonly parts: string[] = [];
  readonly codes: InlineCode[] = [];
  /** Code elements open now, innermost last: text inside a native code is its content, not the segment's. */
  readonly #open: { code: InlineCode; number: number; parts: string[] | undefined }[] = [];
  /** The segment's text with each placeholder it made masked: what is left is the file's own text. */
  readonly #own: string[] = [];
  #length = 0;
  #bpts = new Map<string, number>();
  tooLong = false;
  /** A <sub> inside a code: its markup (and codes within it) would be lost. */
  hasSub = false;

  open(tag: string, attributes: Record<string, string>): void {
    if (!CODE_TAGS.has(tag)) {
      if (tag === "sub") this.hasSub = true;
      // <sub> (text inside a native code) and anything unknown: read as part of what encloses it.
      this.#open.push({ code: this.#open.at(-1)?.code as InlineCode, number: 0, parts: undefined });
      return;
    }
    const code: InlineCode = { tag: tag as InlineCode["tag"], attributes, content: "" };
    this.codes.push(code);
    const number = this.codes.length;
    if (tag === "hi") this.#add(`{${number}}`, true);
    else if (tag === "bpt" && attributes.i !== undefined) this.#bpts.set(attributes.i, number);
    else if (tag === "ept" && attributes.i !== undefined && this.#bpts.has(attributes.i))
      code.closes = this.#bpts.get(attributes.i) as number;
    this.#open.push({ code, number, parts: tag === "hi" ? undefined : [] });
  }

  text(text: string): void {
    const inner = this.#open.findLast((o) => o.parts !== undefined);
    // Text inside a <hi> is the segment's; inside a native code, the code's.
    if (inner && !this.#insideHiOnly()) inner.parts?.push(text);
    else this.#add(text);
  }

  close(): void {
    const closed = this.#open.pop();
    if (!closed || closed.number === 0) return;
    const { code, number, parts } = closed;
    if (parts) code.content = parts.join("");
    if (code.tag === "hi") this.#add(`{/${number}}`, true);
    // Shown as opening; `finish` makes it standalone when no <ept> closes it.
    else if (code.tag === "bpt") this.#add(`{${number}}`, true);
    else if (code.closes !== undefined) this.#add(`{/${code.closes}}`, true);
    else this.#add(`{${number}/}`, true);
  }

  /** Whether the innermost element holding text is a <hi> (its text is the segment's). */
  #insideHiOnly(): boolean {
    for (let i = this.#open.length - 1; i >= 0; i--) {
      const open = this.#open[i] as { code: InlineCode; parts: string[] | undefined };
      if (open.parts !== undefined) return false;
      if (open.code?.tag === "hi") return true;
    }
    return true;
  }

  #add(text: string, placeholder = false): void {
    this.#length += text.length;
    if (this.#length > MAX_SEGMENT) this.tooLong = true;
    else {
      this.parts.push(text);
      this.#own.push(placeholder ? PLACEHOLDER_MASK : text);
    }
  }

  /** The segment's text and codes; a <bpt> that nothing closed becomes a standalone placeholder. */
  finish(): { text: string; codes: InlineCode[]; placeholderText: boolean } {
    let text = collapse(this.parts.join(""));
    const closed = new Set(this.codes.flatMap((c) => (c.closes !== undefined ? [c.closes] : [])));
    this.codes.forEach((code, i) => {
      if (code.tag === "bpt" && !closed.has(i + 1)) text = text.replace(`{${i + 1}}`, `{${i + 1}/}`);
    });
    let codeLength = 0;
    for (const code of this.codes) codeLength += code.content.length;
    if (codeLength > MAX_SEGMENT) this.tooLong = true;
    // Text of the file shaped like a placeholder beside codes: export would write it as a code.
    const placeholderText = this.codes.length > 0 && hasPlaceholder(this.#own.join(""));
    return { text, codes: this.codes, placeholderText };
  }
}

interface TuvState {
  lang: string;
  segment?: {
    text: string;
    codes: InlineCode[];
    tooLong: boolean;
    placeholderText: boolean;
    hasSub: boolean;
  };
  /** A second <seg> was met (TMX allows one): the unit is refused, not half read. */
  segments?: number;
}

/**
 * Reads the units of one language pair from a TMX file; TmxFormatError when it is not TMX. Stops
 * at `maxUnits` + 1 units with `tooMany`.
 */
export async function readTmx(
  xml: string,
  sourceLang: string,
  targetLang: string,
  maxUnits = Number.POSITIVE_INFINITY,
): Promise<ReadTmx> {
  const units: ReadUnit[] = [];
  const errors: TmxProblem[] = [];
  let problems = 0;
  const problem = (line: number, why: Problem) => {
    if (++problems <= MAX_PROBLEMS) errors.push({ line, ...why });
  };
  let headerTool: string | undefined;
  let sawHeader = false;
  let sawBody = false;
  let rootLine = 1;
  /** Element names open now, outermost first. */
  const path: string[] = [];
  let tu: TuState | undefined;
  let tuv: TuvState | undefined;
  /** A unit's `<prop>` being read: its type and text so far. */
  let prop: { type: string; text: string } | undefined;
  let segment: SegmentReader | undefined;
  const stop = new Error("enough units");
  const attributesOf = (attributes: Record<string, { prefix: string; local: string; value: string }>) => {
    const out: Record<string, string> = {};
    for (const a of Object.values(attributes)) out[a.prefix === "xml" ? `xml:${a.local}` : a.local] = a.value;
    return out;
  };
  try {
    await readXml(
      xml,
      {
        open(tag, depth, line) {
          const name = tag.local;
          path.push(name);
          if (depth === 1) {
            if (name !== "tmx")
              throw tmxError("The file is not TMX: its root element is not <tmx>.", 1, "tmx_not_tmx");
            rootLine = line;
            return;
          }
          if (segment) {
            segment.open(name, attributesOf(tag.attributes));
            return;
          }
          const parent = path[path.length - 2];
          if (depth === 2 && name === "header") {
            sawHeader = true;
            headerTool = tag.attributes.creationtool?.value;
          } else if (depth === 2 && name === "body") sawBody = true;
          else if (parent === "body" && name === "tu" && depth === 3)
            tu = { line, attributes: attributesOf(tag.attributes), tuvs: [], props: {} };
          else if (tu && parent === "tu" && name === "prop")
            prop = { type: tag.attributes.type?.value ?? "", text: "" };
          else if (tu && parent === "tu" && name === "tuv") {
            const attributes = attributesOf(tag.attributes);
            tuv = { lang: attributes["xml:lang"] ?? attributes.lang ?? "" };
            tu.tuvs.push(tuv);
          } else if (tuv && parent === "tuv" && name === "seg") {
            if (tuv.segment) tuv.segments = (tuv.segments ?? 1) + 1;
            else segment = new SegmentReader();
          }
        },
        text(text) {
          segment?.text(text);
          if (prop && prop.text.length < MAX_PROP) prop.text += text.slice(0, MAX_PROP - prop.text.length);
        },
        close() {
          const name = path.pop();
          if (segment && name !== "seg") {
            segment.close();
            return;
          }
          if (segment && name === "seg" && tuv) {
            const { text, codes, placeholderText } = segment.finish();
            tuv.segment = { text, codes, tooLong: segment.tooLong, placeholderText, hasSub: segment.hasSub };
            segment = undefined;
          } else if (name === "tuv") tuv = undefined;
          else if (name === "prop" && prop && tu) {
            if (GLOSA_PROPS.has(prop.type)) tu.props[prop.type] = prop.text.trim();
            prop = undefined;
          } else if (name === "tu" && tu && path.length === 2) {
            const done = tu;
            tu = undefined;
            const unit = unitOf(done, headerTool, sourceLang, targetLang, problem);
            if (unit) {
              units.push(unit);
              if (units.length > maxUnits) throw stop;
            }
          }
        },
      },
      TMX_LIMITS,
    );
  } catch (error) {
    if (error === stop) return { units: units.slice(0, maxUnits), errors, refused: problems, tooMany: true };
    if (error instanceof XmlReadError) throw new TmxFormatError(error.message, error.line, error.why);
    throw error;
  }
  if (!sawHeader || !sawBody)
    throw tmxError("A TMX file needs a <header> and a <body>.", rootLine, "tmx_header_body");
  if (problems > MAX_PROBLEMS)
    errors.push({
      line: 0,
      ...problem_(
        "tmx_more_skipped",
        `${problems - MAX_PROBLEMS} more units were skipped for the same reasons.`,
        { count: problems - MAX_PROBLEMS },
      ),
    });
  return { units, errors, refused: problems };
}

/** A read <tu> as a unit of the pair, or a problem reported and undefined. */
/** A `<tu>` as read: its attributes, its sides, and the props Glosa reads back from its own exports. */
interface TuState {
  line: number;
  attributes: Record<string, string>;
  tuvs: TuvState[];
  props: Record<string, string>;
}

/** The props a Glosa export writes and an import reads back (exportUnit). */
const GLOSA_PROPS = new Set(["x-glosa-approved", "x-glosa-document"]);
/** The most of a prop's text that is read: a document title is at most 300 characters. */
const MAX_PROP = 300;

function unitOf(
  tu: TuState,
  headerTool: string | undefined,
  sourceLang: string,
  targetLang: string,
  problem: (line: number, why: Problem) => void,
): ReadUnit | undefined {
  // The language's own tag first (es), then a region or variant of it (es-AR), whatever their order.
  const tuvOf = (lang: string) => {
    const sides = tu.tuvs.filter((t) => t.segment && sameLang(t.lang, lang));
    const exact = (t: TuvState) => canonicalLang(t.lang)?.toLowerCase() === lang.toLowerCase();
    return sides.find((t) => exact(t) && t.segment?.text) ?? sides.find((t) => t.segment?.text) ?? sides[0];
  };
  const [sourceTuv, targetTuv] = [tuvOf(sourceLang), tuvOf(targetLang)];
  const source = sourceTuv?.segment;
  const target = targetTuv?.segment;
  const sides = [
    [sourceLang, sourceTuv],
    [targetLang, targetTuv],
  ] as const;
  // What the memory could not keep as the file wrote it refuses the unit, said, never dropped unsaid.
  for (const [lang, side] of sides) {
    if (side?.segments) {
      problem(
        tu.line,
        problem_("tmx_tuv_two_segments", `The ${lang} side of the unit has more than one <seg>.`, { lang }),
      );
      return undefined;
    }
    if (side?.segment?.hasSub) {
      problem(
        tu.line,
        problem_("tmx_segment_sub", `The ${lang} segment has a <sub> inside an inline code.`, { lang }),
      );
      return undefined;
    }
    if (side?.segment?.placeholderText) {
      problem(
        tu.line,
        problem_(
          "tmx_segment_placeholder_text",
          `The ${lang} segment has inline codes and text shaped like a placeholder ({1}, {/1}, {2/}).`,
          { lang },
        ),
      );
      return undefined;
    }
  }
  // Before the missing segment: a segment too long keeps none of its text, and would read as missing.
  const why = (segment: TuvState["segment"]) =>
    segment?.text && !segment.tooLong ? unsavable(segment.text) : undefined;
  const [sourceWhy, targetWhy] = [why(source), why(target)];
  if (source?.tooLong || target?.tooLong || sourceWhy === "too_long" || targetWhy === "too_long") {
    problem(
      tu.line,
      problem_("tmx_segment_too_long", `A segment is longer than ${MAX_SEGMENT} characters.`, {
        max: MAX_SEGMENT,
      }),
    );
    return undefined;
  }
  if (!source?.text || !target?.text) {
    const lang = source?.text ? targetLang : sourceLang;
    problem(tu.line, problem_("tmx_unit_no_segment", `The unit has no ${lang} segment.`, { lang }));
    return undefined;
  }
  // What a save refuses (translations/translation.ts, cleanText) is refused here, not stored.
  for (const [lang, unsaved] of [
    [sourceLang, sourceWhy],
    [targetLang, targetWhy],
  ] as const)
    if (unsaved === "control_characters") {
      problem(
        tu.line,
        problem_("tmx_segment_control_characters", `The ${lang} segment contains control characters.`, {
          lang,
        }),
      );
      return undefined;
    }
  const date = fromTmxDate(tu.attributes.changedate) ?? fromTmxDate(tu.attributes.creationdate);
  // A side's language as written, when it is not the pair's own (a region: en-US in an en→es memory).
  const tagOf = (tuv: TuvState | undefined, lang: string) => {
    const tag = tuv ? canonicalLang(tuv.lang) : undefined;
    return tag && tag !== lang ? tag : undefined;
  };
  return {
    source: source.text,
    target: target.text,
    ...(source.codes.length ? { sourceCodes: source.codes } : {}),
    ...(target.codes.length ? { targetCodes: target.codes } : {}),
    ...originOf({
      tool: tu.attributes.creationtool ?? headerTool,
      creator: tu.attributes.creationid?.slice(0, 200),
      sourceTag: tagOf(sourceTuv, sourceLang),
      targetTag: tagOf(targetTuv, targetLang),
      documentTitle: tu.props["x-glosa-document"] || undefined,
    }),
    ...(tu.props["x-glosa-approved"] === "true" ? { approved: true as const } : {}),
    ...(date ? { date } : {}),
  };
}

/** A unit as it is exported. */
export interface ExportUnit extends UnitOrigin {
  source: string;
  target: string;
  tool: string;
  date: string;
  approved: boolean;
  /** The document a paragraph's translation came from. */
  document?: { id: string; title: string };
  sourceCodes?: readonly InlineCode[];
  targetCodes?: readonly InlineCode[];
}

/**
 * One <tu> as xmlbuilder2 writes it: directly as a string when its segments have no inline codes
 * (xmlbuilder2 took 0.1-0.3 ms a unit), else through xmlbuilder2 as a fragment.
 */
function unitXml(unit: ExportUnit, sourceLang: string, targetLang: string): string {
  const creator = unit.creator ? ` creationid="${xmlAttribute(unit.creator)}"` : "";
  const tuAttributes = `creationtool="${xmlAttribute(unit.tool)}"${creator} changedate="${toTmxDate(unit.date)}"`;
  const [sourceTag, targetTag] = [unit.sourceTag ?? sourceLang, unit.targetTag ?? targetLang];
  // An imported unit's document is the title an earlier export gave it.
  const title = unit.document?.title ?? unit.documentTitle;
  const props =
    (unit.approved ? `<prop type="x-glosa-approved">true</prop>` : "") +
    (title ? `<prop type="x-glosa-document">${xmlText(title)}</prop>` : "");
  if (!unit.sourceCodes?.length && !unit.targetCodes?.length && unit.source && unit.target) {
    const tuv = (lang: string, text: string) =>
      `<tuv xml:lang="${xmlAttribute(lang)}"><seg>${xmlText(text)}</seg></tuv>`;
    return `<tu ${tuAttributes}>${props}${tuv(sourceTag, unit.source)}${tuv(targetTag, unit.target)}</tu>`;
  }
  const tu = fragment().ele("tu", {
    creationtool: literalAttribute(unit.tool),
    ...(unit.creator ? { creationid: literalAttribute(unit.creator) } : {}),
    changedate: toTmxDate(unit.date),
  });
  if (unit.approved) tu.ele("prop", { type: "x-glosa-approved" }).txt("true");
  if (title) tu.ele("prop", { type: "x-glosa-document" }).txt(literalText(title));
  writeSegment(tu.ele("tuv", { "xml:lang": sourceTag }).ele("seg"), unit.source, unit.sourceCodes);
  writeSegment(tu.ele("tuv", { "xml:lang": targetTag }).ele("seg"), unit.target, unit.targetCodes);
  return tu.end();
}

/**
 * TMX 1.4b of a language pair's memory, valid against tmx14.dtd, in pieces to send as they are made,
 * the event loop given back every few milliseconds: the whole memory built and written in one go
 * (160,000 units) held the event loop 16 s; joined into one string and sent, 0.3 s more.
 */
export function tmxChunks(
  units: Iterable<ExportUnit>,
  sourceLang: string,
  targetLang: string,
  context: { version: string; exportedAt: string },
): AsyncGenerator<string> {
  return inSlices(tmxParts(units, sourceLang, targetLang, context));
}

function* tmxParts(
  units: Iterable<ExportUnit>,
  sourceLang: string,
  targetLang: string,
  context: { version: string; exportedAt: string },
): Generator<string> {
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
  root.ele("body").com(ITEMS_HERE);
  const { head, tail } = splitEnvelope(root.end());
  yield head;
  // Pretty printing would put spaces into a segment's mixed content (text and codes): a line per unit instead.
  for (const unit of units) yield `\n${unitXml(unit, sourceLang, targetLang)}`;
  yield `\n${tail}`;
}

/** The whole file as one string (tests, small exports). */
export async function writeTmx(
  units: Iterable<ExportUnit>,
  sourceLang: string,
  targetLang: string,
  context: { version: string; exportedAt: string },
): Promise<string> {
  return joinSlices(tmxChunks(units, sourceLang, targetLang, context));
}

/** A segment's text, each placeholder of one of its codes written back as the code's element. */
function writeSegment(seg: XMLBuilder, text: string, codes: readonly InlineCode[] | undefined): void {
  if (!codes?.length) {
    seg.txt(literalText(text));
    return;
  }
  const parents = [seg];
  /** Numbers of the <hi> elements open now, innermost last. */
  const open: number[] = [];
  const attributesOf = (code: InlineCode) =>
    Object.fromEntries(Object.entries(code.attributes).map(([k, v]) => [k, literalAttribute(v)]));
  const put = (parent: XMLBuilder, code: InlineCode) => {
    const element = parent.ele(code.tag, attributesOf(code));
    if (code.content) element.txt(literalText(code.content));
  };
  let at = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [whole, closing, digits, standalone] = match;
    const number = Number(digits);
    const code = codes[number - 1];
    let parent = parents.at(-1) as XMLBuilder;
    const before = text.slice(at, match.index);
    if (before) parent.txt(literalText(before));
    at = match.index + whole.length;
    if (code && !closing && !standalone && code.tag === "hi") {
      parents.push(parent.ele("hi", attributesOf(code)));
      open.push(number);
    } else if (code && !closing && !standalone && code.tag === "bpt") put(parent, code);
    else if (code && closing && open.at(-1) === number) {
      parents.pop();
      open.pop();
    } else if (code && closing && code.tag === "bpt") {
      const ept = codes.find((c) => c.closes === number);
      if (ept) put(parent, ept);
    } else if (code && standalone && code.tag !== "hi") put(parent, code);
    // A placeholder the codes do not explain is the text's own.
    else {
      parent = parents.at(-1) as XMLBuilder;
      parent.txt(literalText(whole));
    }
  }
  const rest = text.slice(at);
  if (rest) (parents.at(-1) as XMLBuilder).txt(literalText(rest));
}
