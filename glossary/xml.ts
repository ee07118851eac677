/**
 * Reading hostile XML with a real, non-validating parser (saxes): a DOCTYPE is refused outright (no
 * DTD, no entity expansion, no external entities), and a document past a size bound is refused as
 * the parser reads it, not after. The text is fed in slices of a few milliseconds, one slice per
 * turn of the event loop across all imports, so a large import never holds up other requests.
 */

import { SaxesParser, type SaxesTagNS } from "saxes";
import { GlossaryFormatError } from "./exchange.ts";
import { type Problem, type ProblemCode, type ProblemParams, problem } from "./problem.ts";

/** Bounds on a document, each checked while it is read. */
export interface XmlLimits {
  /** Deepest element nesting; real termbases and XLIFF files need about a dozen levels. */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Attributes on one element. */
  maxAttributes: number;
  /**
   * Characters in one attribute value. Ids, types and dates are short; a 9 MB id was carried into
   * an import's report and built as one 9 MB answer on the event loop.
   */
  maxAttributeLength: number;
  /** Characters of text between two tags; the longest translation Glosa can be configured to take. */
  maxTextLength: number;
}

export const XML_LIMITS: XmlLimits = {
  maxDepth: 64,
  maxElements: 250_000,
  maxAttributes: 64,
  maxAttributeLength: 10_000,
  maxTextLength: 1_000_000,
};

/** Characters handed to the parser at a time, and the time it may keep the event loop between two turns. */
const CHUNK = 4 * 1024;
const SLICE_MS = 4;

// Parses waiting for their next slice. One slice runs per turn of the event loop, whatever the
// number of imports at once: a turn that ran one slice of each would grow with their number.
const waiting: (() => void)[] = [];

function release(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(release);
}

/** Resolves on a later turn of the event loop, after the slices queued before it, one per turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length === 1) setImmediate(release);
  });
}

/**
 * A pause to await in a long loop over parsed data: it gives the event loop back (`nextTurn`) once
 * the loop has held it for a slice, and costs nothing otherwise.
 */
export function slicer(): () => Promise<void> {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < SLICE_MS) return;
    await nextTurn();
    started = performance.now();
  };
}

/** Why a document was refused, and the line where reading stopped. */
export class XmlReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** Why, as a code and its values, for a page to say in its reader's language. */
    readonly why: Problem = problem("unreadable_file", message),
  ) {
    super(message);
  }
}

export interface XmlHandlers {
  /** An element opens; `depth` is 1 for the root. */
  open(tag: SaxesTagNS, depth: number, line: number): void;
  /** Character data, CDATA included, in document order. */
  text?(text: string): void;
  close?(tag: SaxesTagNS, depth: number): void;
}

/**
 * Reads `xml` into `handlers`, throwing an XmlReadError at the first well-formedness error, DOCTYPE
 * or exceeded bound. Throwing from inside a saxes handler stops the parser mid-chunk, so a nesting
 * bomb costs `maxDepth` elements of work, not the whole file's (saxes's namespace lookups grow with
 * depth, which made 40,000 nested elements take 15 s).
 */
export async function readXml(xml: string, handlers: XmlHandlers, limits = XML_LIMITS): Promise<void> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const refuse = (message: string, code: ProblemCode, params: ProblemParams = {}): never => {
    throw new XmlReadError(message, parser.line, problem(code, message, params));
  };
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  // Characters of text since the last tag.
  let run = 0;
  let inStartTag = false;
  parser.on("doctype", () =>
    refuse("The file has a DOCTYPE: DTDs and entity declarations are not accepted.", "xml_doctype"),
  );
  // saxes says where in English ("15:1: text data outside of root node."): the API keeps that
  // sentence; a page says the line and column in its reader's language, never the parser's words.
  parser.on("error", (e) => {
    const at = /^(\d+):(\d+): /.exec(e.message);
    refuse(`Not well-formed XML: ${e.message}`, "xml_malformed", {
      line: at ? Number(at[1]) : parser.line,
      // saxes counts the characters read on the line: 0 at a line's start, which people call column 1.
      column: Math.max(1, at ? Number(at[2]) : parser.column),
    });
  });
  parser.on("opentagstart", () => {
    inStartTag = true;
    attributes = 0;
    if (++elements > limits.maxElements)
      refuse(`The XML has more than ${limits.maxElements} elements.`, "xml_too_many_elements", {
        max: limits.maxElements,
      });
  });
  // Counted as each attribute is read: saxes resolves them all at once when the tag ends.
  parser.on("attribute", (attribute) => {
    if (++attributes > limits.maxAttributes)
      refuse(`An XML element has more than ${limits.maxAttributes} attributes.`, "xml_too_many_attributes", {
        max: limits.maxAttributes,
      });
    if (attribute.value.length > limits.maxAttributeLength)
      refuse(
        `An XML attribute value is longer than ${limits.maxAttributeLength} characters.`,
        "xml_attribute_too_long",
        {
          max: limits.maxAttributeLength,
        },
      );
  });
  parser.on("opentag", (tag) => {
    inStartTag = false;
    run = 0;
    if (++depth > limits.maxDepth)
      refuse(`The XML is nested more than ${limits.maxDepth} levels deep.`, "xml_too_deep", {
        max: limits.maxDepth,
      });
    handlers.open(tag, depth, parser.line);
  });
  const onText = (text: string) => {
    run += text.length;
    if (run > limits.maxTextLength)
      refuse(`The XML has a text longer than ${limits.maxTextLength} characters.`, "xml_text_too_long", {
        max: limits.maxTextLength,
      });
    handlers.text?.(text);
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", (tag) => {
    run = 0;
    handlers.close?.(tag, depth);
    depth--;
  });
  const source = xml.startsWith("\uFEFF") ? xml.slice(1) : xml;
  await nextTurn();
  const pause = slicer();
  // Inside a start tag saxes keeps the attribute value being read in `text` (private in its types;
  // text between tags has been emitted and cleared by then). Checked after each chunk, a 9 MB value
  // is refused at its first 14 KB, not at its end.
  const reading = parser as unknown as { text: string };
  for (let start = 0; start < source.length; start += CHUNK) {
    await pause();
    parser.write(source.slice(start, start + CHUNK));
    if (inStartTag && reading.text.length > limits.maxAttributeLength)
      refuse(
        `An XML attribute value is longer than ${limits.maxAttributeLength} characters.`,
        "xml_attribute_too_long",
        {
          max: limits.maxAttributeLength,
        },
      );
  }
  parser.close();
}

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  uri: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, children's excluded. */
  text: string;
  line: number;
}

/** A small element tree of a bounded document; refusals are GlossaryFormatErrors. */
export async function parseXml(xml: string, limits = XML_LIMITS): Promise<XmlElement> {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  // Each element's text as parts, joined once at its end: no string grows per text event.
  const texts: string[][] = [];
  try {
    await readXml(
      xml,
      {
        open(tag, _depth, line) {
          const element: XmlElement = {
            name: tag.local,
            uri: tag.uri,
            attributes: {},
            children: [],
            text: "",
            line,
          };
          for (const attribute of Object.values(tag.attributes)) {
            const key = attribute.prefix === "xml" ? `xml:${attribute.local}` : attribute.local;
            element.attributes[key] = attribute.value;
          }
          const parent = stack.at(-1);
          if (parent) parent.children.push(element);
          else root = element;
          stack.push(element);
          texts.push([]);
        },
        text(text) {
          texts.at(-1)?.push(text);
        },
        close() {
          const element = stack.pop();
          const parts = texts.pop();
          if (element && parts) element.text = parts.join("");
        },
      },
      limits,
    );
  } catch (error) {
    if (error instanceof XmlReadError) throw new GlossaryFormatError(error.message, error.line, error.why);
    throw error;
  }
  if (!root)
    throw new GlossaryFormatError("The file holds no XML element.", undefined, problem("xml_no_element", ""));
  return root;
}

export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((c) => c.name === name);

/** The text of an element and its descendants, whitespace collapsed. */
export function textOf(element: XmlElement): string {
  const parts = [element.text, ...element.children.map(textOf)];
  return parts.join(" ").replace(/\s+/g, " ").trim();
}

/**
 * Text for xmlbuilder2's `txt()` that is written exactly as given. xmlbuilder2 leaves anything shaped
 * like an entity (`&amp;`, `&#38;`) unescaped, so the literal text `&amp;` would be read back as `&`,
 * and it has no option to stop (oozcitak/xmlbuilder2#117). Escaping every `&` here first means each
 * `&` it meets starts `&amp;`, which it passes through: every ampersand is escaped exactly once. A CR
 * becomes a reference because a parser reads a literal one as a line feed.
 */
export function literalText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/\r/g, "&#13;");
}

/** As `literalText`, for attribute values, where a parser also turns a literal tab or line feed into a space. */
export function literalAttribute(value: string): string {
  return literalText(value).replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}

// What xmlbuilder2 writes for literalText/literalAttribute: every `&`, `<` and `>` escaped (and `"`,
// tab and line feed in attributes), a CR as a reference. Writers that make an item's XML as a string
// (xmlbuilder2 took 0.1-0.3 ms an element) use these, so their output is the same bytes.

/** Text content, escaped as xmlbuilder2 escapes `literalText`. */
export const xmlText = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");

/** An attribute value, escaped as xmlbuilder2 escapes `literalAttribute`. */
export const xmlAttribute = (value: string) =>
  xmlText(value).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");

/** A comment that marks where the items go in a file's envelope built with xmlbuilder2. */
export const ITEMS_HERE = "glosa-items-here";

/**
 * The envelope of a file (declaration, root, header, the element that holds the items) split at its
 * `ITEMS_HERE` comment: what comes before the items, without the indentation pretty printing put
 * before the comment, and what comes after them.
 */
export function splitEnvelope(xml: string): { head: string; tail: string } {
  const [head = "", tail = ""] = xml.split(`<!--${ITEMS_HERE}-->`);
  return { head: head.trimEnd(), tail };
}

/** Characters gathered into one piece of a file. */
const PIECE_CHARS = 256 * 1024;

/**
 * A file whose `parts` (a generator that writes one item a step) are made a slice at a time, the
 * event loop given back every few milliseconds, and sent in pieces of about 256 KB as they are
 * made: a 20,000-term TBX export written in one go held the event loop for 7 s, and an 11,500
 * paragraph XLIFF export 1.4 s.
 */
export async function* inSlices(parts: Iterable<string>): AsyncGenerator<string> {
  let pieces: string[] = [];
  let size = 0;
  let sent = false;
  const pause = slicer();
  for (const part of parts) {
    pieces.push(part);
    size += part.length;
    if (size >= PIECE_CHARS) {
      yield pieces.join("");
      sent = true;
      pieces = [];
      size = 0;
    }
    await pause();
  }
  if (size > 0 || !sent) yield pieces.join("");
}

/** A file made in slices, as one string (a preview, a command-line export, tests). */
export async function joinSlices(pieces: AsyncIterable<string>): Promise<string> {
  const all: string[] = [];
  for await (const piece of pieces) all.push(piece);
  return all.join("");
}
