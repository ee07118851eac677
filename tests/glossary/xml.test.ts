import { describe, expect, it } from "vitest";
import { GlossaryFormatError } from "../../glossary/exchange.ts";
import { parseTbx } from "../../glossary/tbx.ts";
import { nextTurn, parseXml, readXml, XML_LIMITS, XmlReadError } from "../../glossary/xml.ts";

const nested = (n: number) => `${"<a>".repeat(n)}${"</a>".repeat(n)}`;

describe("reading XML within bounds", () => {
  it("refuses 40,000 nested elements at the 65th level, without reading the rest", async () => {
    const opened: number[] = [];
    const started = performance.now();
    const read = readXml(nested(40_000), { open: (_tag, depth) => opened.push(depth) });
    await expect(read).rejects.toThrow(XmlReadError);
    await expect(read).rejects.toThrow(/nested more than 64 levels/);
    expect(opened.at(-1)).toBe(64);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("refuses too many elements, attributes or characters of text as they are read", async () => {
    const limits = { ...XML_LIMITS, maxElements: 100, maxAttributes: 3, maxTextLength: 50 };
    const count = { open: 0 };
    const open = () => {
      count.open++;
    };
    await expect(readXml(`<r>${"<a/>".repeat(1000)}</r>`, { open }, limits)).rejects.toThrow(
      /more than 100 elements/,
    );
    expect(count.open).toBe(100);
    await expect(readXml(`<r a="1" b="1" c="1" d="1"/>`, { open }, limits)).rejects.toThrow(
      /more than 3 attributes/,
    );
    await expect(readXml(`<r>${"x".repeat(51)}</r>`, { open }, limits)).rejects.toThrow(/longer than 50/);
    await expect(readXml(`<r><![CDATA[${"x".repeat(51)}]]></r>`, { open }, limits)).rejects.toThrow(
      /longer than 50/,
    );
    // Text is counted per run between tags, not per document.
    await expect(
      readXml(`<r>${"<a>xxxxxxxxxx</a>".repeat(90)}</r>`, { open }, limits),
    ).resolves.toBeUndefined();
  });

  it("refuses an attribute value past its bound, whose text would otherwise come back in the report", async () => {
    const limits = { ...XML_LIMITS, maxAttributeLength: 20 };
    await expect(readXml(`<r id="${"i".repeat(21)}"/>`, { open() {} }, limits)).rejects.toThrow(
      /attribute value is longer than 20/,
    );
    await expect(readXml(`<r id="${"i".repeat(20)}"/>`, { open() {} }, limits)).resolves.toBeUndefined();
    // As it is read: an unterminated value is refused for its length, not at the end for being cut off.
    await expect(readXml(`<r id="${"i &amp; ".repeat(100_000)}`, { open() {} }, limits)).rejects.toThrow(
      /attribute value is longer than 20/,
    );
    // Long text after an XML declaration and short attributes is text, not an attribute value.
    const text = `<?xml version="1.0"?><r a="1"><b>${"x".repeat(30_000)}</b></r>`;
    await expect(readXml(text, { open() {} }, { ...limits, maxTextLength: 50_000 })).resolves.toBeUndefined();
    await expect(
      readXml(
        `<?xml version="1.0"?><r>${"x".repeat(30_000)}</r>`,
        { open() {} },
        { ...limits, maxTextLength: 50_000 },
      ),
    ).resolves.toBeUndefined();
    // The default bound, through the TBX reader: a 1 MB entry id is refused, not echoed in the errors.
    const tbx = `<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" xml:lang="en"><text><body><conceptEntry id="${"i".repeat(1_000_000)}"/></body></text></tbx>`;
    await expect(parseTbx(tbx)).rejects.toThrow(/attribute value is longer than 10000/);
  });

  it("refuses a DOCTYPE and what is not well-formed, with the line", async () => {
    await expect(readXml('<!DOCTYPE r [<!ENTITY a "b">]><r/>', { open() {} })).rejects.toThrow(/DOCTYPE/);
    const error = await readXml("<r>\n<a>\n</r>", { open() {} }).catch((e) => e);
    expect(error).toBeInstanceOf(XmlReadError);
    expect(error.message).toMatch(/Not well-formed XML/);
    expect(error.line).toBe(3);
    await expect(readXml("", { open() {} })).rejects.toThrow(/root element/);
  });

  it("builds the tree of a good file, and turns refusals into a GlossaryFormatError", async () => {
    const root = await parseXml('\uFEFF<r xml:lang="es"><a>uno <![CDATA[&]]> dos</a><b/></r>');
    expect(root.attributes).toEqual({ "xml:lang": "es" });
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ["a", "uno & dos"],
      ["b", ""],
    ]);
    await expect(parseXml(nested(100))).rejects.toThrow(GlossaryFormatError);
    await expect(parseTbx(nested(40_000))).rejects.toThrow(/nested more than 64 levels/);
  });

  it("gives the event loop back while reading a large file, one slice per turn across readers", async () => {
    const big = `<r>${"<a>palabra</a>".repeat(150_000)}</r>`;
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await Promise.all([readXml(big, { open() {} }), readXml(big, { open() {} })]);
    counting = false;
    // Two 2 MB files cannot be read in one turn: the ticker ran between their slices.
    expect(turns).toBeGreaterThan(10);
  });

  it("resolves waiting readers in the order they asked, one per turn", async () => {
    const order: string[] = [];
    await Promise.all(["a", "b", "c"].map((name) => nextTurn().then(() => order.push(name))));
    expect(order).toEqual(["a", "b", "c"]);
  });
});

describe("where a file stops being XML", () => {
  it("is said in line and column as people count them, from 1", async () => {
    const error = await readXml("not xml at all\n", { open: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XmlReadError);
    const { why } = error as XmlReadError;
    expect(why.code).toBe("xml_malformed");
    expect(why.params?.line).toBeGreaterThanOrEqual(1);
    expect(why.params?.column).toBeGreaterThanOrEqual(1);
  });
});
