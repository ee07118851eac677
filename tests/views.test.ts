import { describe, expect, it } from "vitest";
import type { Finding } from "../glossary/checks/index.ts";
import { GlossaryIndex } from "../glossary/index-for-pair.ts";
import { escapeHtml, findingItems, highlightSource } from "../server/views.ts";
import { makeApp, signIn } from "./helpers.ts";

describe("highlighted source HTML", () => {
  const index = new GlossaryIndex(
    [
      {
        id: 'x"><script>',
        sourceLang: "en",
        source: "chainsaw",
        description: "",
        translatable: true,
        caseSensitive: false,
        targets: { es: { text: 'moto"<sierra>', forbidden: [] } },
      },
    ],
    "en",
    "es",
  );

  it("escapes the text, the term id and the target: only its own markup is HTML", () => {
    const source = `<script>alert(1)</script> the chainsaw & 'more' "quoted"`;
    const html = highlightSource(source, index.match(source), "none");
    expect(html).toBe(
      `&lt;script&gt;alert(1)&lt;/script&gt; the <span class="term" data-term="x&#34;&gt;&lt;script&gt;" title="→ moto&#34;&lt;sierra&gt;">chainsaw</span> &amp; &#39;more&#39; &#34;quoted&#34;`,
    );
  });

  /** The matches (or findings) array behind a proxy that counts how often its items are read. */
  function counted<T extends object>(items: T[]): { items: T[]; reads: () => number } {
    let reads = 0;
    const proxy = new Proxy(items, {
      get(target, key, receiver) {
        if (key === Symbol.iterator || key === "map" || key === "forEach") reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    return { items: proxy, reads: () => reads };
  }

  it("remembers the HTML while the glossary stays the same: the matches are walked once", () => {
    const source = "a chainsaw";
    const { items: matches, reads } = counted([...index.match(source)]);
    const first = highlightSource(source, matches, "none");
    expect(reads()).toBe(1);
    expect(highlightSource(source, matches, "none")).toBe(first);
    expect(reads()).toBe(1);
    // Another label is another HTML: built once more, then remembered too.
    highlightSource(source, matches, "sin traducción");
    highlightSource(source, matches, "sin traducción");
    expect(reads()).toBe(2);
    expect(escapeHtml("&<>\"'")).toBe("&amp;&lt;&gt;&#34;&#39;");
  });

  it("remembers a findings list per language: its items are read once per language", () => {
    const { items: findings, reads } = counted<Finding>([
      { code: "missing-term", severity: "warning", termId: "t1", params: { term: "x", target: "y" } },
    ]);
    const t = (key: string) => key;
    const first = findingItems(findings, "en", t);
    expect(first).toContain("qa.missing-term");
    expect(findingItems(findings, "en", t)).toBe(first);
    expect(reads()).toBe(1);
    findingItems(findings, "es", t);
    expect(reads()).toBe(2);
  });

  it("looks each distinct finding's message up once per request, across fresh findings arrays", () => {
    let lookups = 0;
    const t = (key: string, params?: object) => {
      lookups++;
      return `${key} ${JSON.stringify(params ?? {})}`;
    };
    const finding = (term: string): Finding => ({
      code: "missing-term",
      severity: "warning",
      termId: term,
      params: { term, target: `${term}-es` },
    });
    const items = new Map<string, string>();
    // Two paragraphs of a page seen for the first time: new arrays, the same finding in both.
    const first = findingItems([finding("a")], "en", t, items);
    expect(lookups).toBe(2); // severity label and message
    expect(findingItems([finding("a")], "en", t, items)).toBe(first);
    expect(lookups).toBe(2);
    // Another term is another message.
    expect(findingItems([finding("a"), finding("b")], "en", t, items)).toContain("b-es");
    expect(lookups).toBe(4);
  });
});

describe("the editor page of a long document", () => {
  it("is streamed in pieces, every row once and in order, with the frame around them", async () => {
    const t = await makeApp();
    try {
      const doc = await t.app.services.translations.create(
        {
          sourceLang: "en",
          format: "text",
          content: Array.from({ length: 45 }, (_, i) => `Paragraph ${i + 1} about the chainsaw.`).join("\n"),
          languages: ["es"],
        },
        "admin",
      );
      const { agent } = await signIn(t.app);
      const res = await agent.get(`/documents/${doc.id}/es`);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      // Written as it is rendered: no 2 MB string to encode and hash first (so no length, no ETag).
      expect(res.headers["transfer-encoding"]).toBe("chunked");
      expect(res.headers.etag).toBeUndefined();
      const ids = Array.from(res.text.matchAll(/<article class="para[^"]*" id="p-(p\d+)"/g), (m) => m[1]);
      expect(ids).toEqual(Array.from({ length: 45 }, (_, i) => `p${i + 1}`));
      expect(res.text).not.toContain("\u0000");
      expect(res.text.indexOf('id="editor"')).toBeLessThan(res.text.indexOf('id="p-p1"'));
      expect(res.text.trimEnd().endsWith("</html>")).toBe(true);
    } finally {
      await t.close();
    }
  });
});
