import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  countWords,
  createDocument,
  displayTitle,
  slugify,
  splitMarkdown,
  splitPlainText,
} from "../../translations/document.ts";
import { GlosaError } from "../../translations/errors.ts";

const seed = readFileSync(new URL("../../default-data/article-trump-milei.txt", import.meta.url), "utf8");
const base = { id: "d1", sourceLang: "en", createdBy: "t", createdAt: "2026-01-01T00:00:00.000Z" };

describe("splitting plain text", () => {
  it("gives the seed article exactly 12 paragraphs: title, standfirst, nine body paragraphs, newsletter", () => {
    const doc = createDocument({ ...base, format: "text", content: seed });
    expect(doc.paragraphs).toHaveLength(12);
    expect(doc.paragraphs[0]).toMatchObject({ id: "p1", index: 0, kind: "title" });
    expect(doc.title).toBe(
      "Trump tells Milei: ‘You are my favorite president’ in first call since US election",
    );
    expect(doc.paragraphs[1]?.source).toMatch(/^The Argentine leader has been waiting/);
    expect(doc.paragraphs[11]?.source).toMatch(/^Sign up for our weekly newsletter/);
    expect(doc.paragraphs.slice(1).every((p) => p.kind === "paragraph")).toBe(true);
    expect(new Set(doc.paragraphs.map((p) => p.id)).size).toBe(12);
  });

  it("separates paragraphs by blank lines when the text has any, keeping line breaks inside", () => {
    expect(splitPlainText("One\nstill one\n\n  \nTwo\r\n\r\nThree").map((b) => b.source)).toEqual([
      "One\nstill one",
      "Two",
      "Three",
    ]);
  });

  it("uses a given title as the title paragraph and keeps every block", () => {
    const doc = createDocument({ ...base, format: "text", content: "A\nB", title: " My title " });
    expect(doc.paragraphs.map((p) => [p.kind, p.source])).toEqual([
      ["title", "My title"],
      ["paragraph", "A"],
      ["paragraph", "B"],
    ]);
  });

  it("does not repeat a given title that the text starts with (a pasted article), when asked", () => {
    const asked = { ...base, dropRepeatedTitle: true };
    const text = createDocument({
      ...asked,
      format: "text",
      content: "My  title\n\nA\n\nB",
      title: "My title",
    });
    expect(text.paragraphs.map((p) => [p.kind, p.source])).toEqual([
      ["title", "My title"],
      ["paragraph", "A"],
      ["paragraph", "B"],
    ]);
    const markdown = createDocument({
      ...asked,
      format: "markdown",
      content: "# My title\n\nA",
      title: "My title",
    });
    expect(markdown.paragraphs.map((p) => p.source)).toEqual(["My title", "A"]);
    // A first paragraph that only starts like the title stays.
    const longer = createDocument({
      ...asked,
      format: "text",
      content: "My title, and more\n\nA",
      title: "My title",
    });
    expect(longer.paragraphs).toHaveLength(3);
    // The API keeps every paragraph it is sent, as the spec reads.
    const api = createDocument({ ...base, format: "text", content: "My title\n\nA", title: "My title" });
    expect(api.paragraphs.map((p) => p.source)).toEqual(["My title", "My title", "A"]);
  });

  it("refuses an empty text", () => {
    expect(() => createDocument({ ...base, format: "text", content: " \n\n " })).toThrow(GlosaError);
  });

  it("stores the source as NFC", () => {
    const doc = createDocument({ ...base, format: "text", content: "Title\nCafe\u0301" });
    expect(doc.paragraphs[1]?.source).toBe("Café");
  });
});

describe("splitting Markdown", () => {
  it("turns ATX and Setext headings into headings with their level and keeps inline markup", () => {
    const blocks = splitMarkdown(
      "# Title\n\nSome *text* with [a link](http://x).\n\nSub\n---\n\n- a\n- b\n\n### Deep ###\n",
    );
    expect(blocks).toEqual([
      { kind: "heading", level: 1, source: "Title" },
      { kind: "paragraph", source: "Some *text* with [a link](http://x)." },
      { kind: "heading", level: 2, source: "Sub" },
      { kind: "list-item", marker: "-", ordered: false, source: "a" },
      { kind: "list-item", marker: "-", ordered: false, source: "b" },
      { kind: "heading", level: 3, source: "Deep" },
    ]);
  });

  it("makes the first heading the title when no title is given", () => {
    const doc = createDocument({ ...base, format: "markdown", content: "# Hello\n\nBody." });
    expect(doc.paragraphs.map((p) => p.kind)).toEqual(["title", "paragraph"]);
    expect(doc.title).toBe("Hello");
  });
});

describe("helpers", () => {
  it("slugifies titles for file names", () => {
    expect(slugify("Trump tells Milei: ‘You are my favorite president’")).toBe(
      "trump-tells-milei-you-are-my-favorite-president",
    );
    expect(slugify("¡Árbol!")).toBe("arbol");
    expect(slugify("???")).toBe("document");
    expect(
      slugify("Trump tells Milei: ‘You are my favorite president’ in first call since US election"),
    ).toBe("trump-tells-milei-you-are-my-favorite-president-in-first");
  });

  it("counts words", () => {
    expect(countWords("Trump’s estate — in Palm Beach, 2024.")).toBe(6);
  });
});

describe("displayTitle", () => {
  const md = (title: string) => displayTitle({ title, format: "markdown" });

  it("reads a Markdown title without its marks of emphasis, code, links and escapes", () => {
    expect(md("Milei's *chainsaw* plan")).toBe("Milei's chainsaw plan");
    expect(md("**Bold** and _italic_ and `code`")).toBe("Bold and italic and code");
    expect(md("See [the plan](https://example.com) \\*now\\*")).toBe("See the plan *now*");
    expect(md("Tom &amp; Jerry")).toBe("Tom & Jerry");
  });

  it("never reads a title as a list, a heading or a quote", () => {
    expect(md("1. The first *step*")).toBe("1. The first step");
    expect(md("# Not a heading")).toBe("# Not a heading");
    expect(md("> Not a quote")).toBe("> Not a quote");
    expect(md("- Not a list")).toBe("- Not a list");
  });

  it("keeps a plain-text title, and a Markdown one with nothing to read, as it is", () => {
    expect(displayTitle({ title: "Milei's *chainsaw* plan", format: "text" })).toBe(
      "Milei's *chainsaw* plan",
    );
    expect(displayTitle({ title: "Milei's *chainsaw* plan" })).toBe("Milei's *chainsaw* plan");
    expect(md("snake_case_name stays")).toBe("snake_case_name stays");
    expect(md("**")).toBe("**");
  });
});
