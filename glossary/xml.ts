/**
 * A small element tree from a real, non-validating XML parser (saxes) for hostile files: a DOCTYPE
 * is refused outright (no DTD, no entity expansion, no external entities), sizes are bounded.
 */

import { SaxesParser } from "saxes";
import { GlossaryFormatError } from "./exchange.ts";

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

/** Deepest nesting accepted; real termbases need a dozen levels. */
const MAX_DEPTH = 64;

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failure: GlossaryFormatError | null = null;
  parser.on("doctype", () => {
    failure ??= new GlossaryFormatError(
      "The file has a DOCTYPE: DTDs and entity declarations are not accepted.",
      parser.line,
    );
  });
  parser.on("error", (e) => {
    failure ??= new GlossaryFormatError(`Not well-formed XML: ${e.message}`, parser.line);
  });
  parser.on("opentag", (tag) => {
    if (failure) return;
    const element: XmlElement = {
      name: tag.local,
      uri: tag.uri,
      attributes: {},
      children: [],
      text: "",
      line: parser.line,
    };
    for (const attribute of Object.values(tag.attributes)) {
      const key = attribute.prefix === "xml" ? `xml:${attribute.local}` : attribute.local;
      element.attributes[key] = attribute.value;
    }
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
    if (stack.length > MAX_DEPTH)
      failure = new GlossaryFormatError("The XML is nested too deeply.", parser.line);
  });
  parser.on("text", (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on("cdata", (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  try {
    parser.write(xml.replace(/^\uFEFF/, "")).close();
  } catch (error) {
    failure ??= new GlossaryFormatError(`Not well-formed XML: ${(error as Error).message}`, parser.line);
  }
  if (failure) throw failure;
  if (!root) throw new GlossaryFormatError("The file holds no XML element.");
  return root;
}

export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((c) => c.name === name);

/** The text of an element and its descendants, whitespace collapsed. */
export function textOf(element: XmlElement): string {
  const parts = [element.text, ...element.children.map(textOf)];
  return parts.join(" ").replace(/\s+/g, " ").trim();
}
