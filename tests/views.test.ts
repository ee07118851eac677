import { describe, expect, it } from "vitest";
import { GlossaryIndex } from "../glossary/index-for-pair.ts";
import { escapeHtml, highlightSource } from "../server/views.ts";

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

  it("remembers the HTML while the glossary stays the same", () => {
    const source = "a chainsaw";
    const matches = index.match(source);
    expect(highlightSource(source, matches, "none")).toBe(highlightSource(source, matches, "none"));
    expect(escapeHtml("&<>\"'")).toBe("&amp;&lt;&gt;&#34;&#39;");
  });
});
