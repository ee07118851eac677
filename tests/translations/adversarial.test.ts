/**
 * Every function that reads user text, fed 200,000-character inputs built to make regular expressions
 * backtrack and loops rescan: each call must finish fast. The 1 s bound is a hang guard only (a
 * quadratic pass over 200,000 characters takes tens of seconds); it measures no performance.
 */

import { describe, expect, it } from "vitest";
import { parseGlossaryCsv } from "../../glossary/csv.ts";
import { foldPhrase, matchingForm, tokenize } from "../../glossary/normalize.ts";
import { validateTerm } from "../../glossary/term.ts";
import { hasForbiddenCharacters } from "../../glossary/text.ts";
import { renderMarkdown } from "../../server/routes/pages/exchange.ts";
import {
  countWords,
  createDocument,
  slugify,
  splitMarkdown,
  splitPlainText,
} from "../../translations/document.ts";
import { escapeMarkdown, exportMarkdown } from "../../translations/exchange/markdown.ts";
import { selectForExport } from "../../translations/exchange/select.ts";
import { buildState, cleanText } from "../../translations/translation.ts";
import { revisionEvent } from "../fixtures/records.ts";

const N = 200_000;
const word = "Ambassador".repeat(N / 10);

/** Inputs that make backtracking or rescanning code quadratic. */
const INPUTS: Record<string, string> = {
  spaces: " ".repeat(N),
  "spaces then a letter": `${" ".repeat(N)}x`,
  "a letter then spaces": `x${" ".repeat(N)}x`,
  tabs: `x${"\t".repeat(N)}x`,
  newlines: `x${"\n".repeat(N)}x`,
  "newline and spaces": `x${"\n ".repeat(N / 2)}x`,
  "blank-line lookalikes": `x${"\n \t".repeat(N / 3)}x`,
  nbsp: `x${"\u00a0".repeat(N)}x`,
  stars: "*".repeat(N),
  "star words": "*a ".repeat(N / 3),
  underscores: "_".repeat(N),
  brackets: "[".repeat(N),
  "link openers": "[a](".repeat(N / 4),
  backslashes: "\\".repeat(N),
  ampersands: "&".repeat(N),
  "entity lookalikes": "&#1".repeat(N / 3),
  "angle brackets": "<a ".repeat(N / 3),
  backticks: "`".repeat(N),
  hashes: "#".repeat(N),
  hyphens: "-".repeat(N),
  "hyphen words": "a-".repeat(N / 2),
  apostrophes: "a'".repeat(N / 2),
  quotes: '"'.repeat(N),
  "quote markers": "> ".repeat(N / 2),
  "list markers": "1. ".repeat(N / 3),
  "long word": word,
};

/** Runs `fn` on every input, each call under the hang guard; errors (a 4xx refusal) are fine. */
function guard(name: string, fn: (input: string) => unknown) {
  it(name, () => {
    const slow: string[] = [];
    for (const [label, input] of Object.entries(INPUTS)) {
      const started = performance.now();
      try {
        fn(input);
      } catch {
        // A refusal is an answer; only time matters here.
      }
      const ms = performance.now() - started;
      if (ms > 1000) slow.push(`${label}: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
  });
}

function markdownExport(text: string, format: "text" | "markdown") {
  const doc = createDocument({
    id: "d",
    sourceLang: "en",
    format,
    // Every kind of Markdown block; a plain-text document has paragraphs only.
    content:
      format === "markdown"
        ? "Title\n\n## Heading\n\n- item\n  1. nested\n\n> quote\n\nBody"
        : "Title\n\nBody",
    createdBy: "t",
    createdAt: "2026-01-01T00:00:00.000Z",
  });
  const events = doc.paragraphs.map((p) => revisionEvent(1, text, { pid: p.id }));
  const state = buildState(events);
  return exportMarkdown(
    selectForExport(doc, "es", state, {
      status: "latest",
      incomplete: "error",
      exportedAt: "2026-01-01T00:00:00Z",
    }),
  );
}

describe("no user text makes the server work quadratically", { timeout: 120_000 }, () => {
  guard("escapeMarkdown", (s) => escapeMarkdown(s));
  guard("escapeMarkdown in a heading", (s) => escapeMarkdown(s, true));
  guard("exportMarkdown of a plain-text document", (s) => markdownExport(s, "text"));
  guard("exportMarkdown of a Markdown document", (s) => markdownExport(s, "markdown"));
  guard("splitMarkdown", (s) => splitMarkdown(s));
  guard("splitPlainText", (s) => splitPlainText(s));
  guard("createDocument", (s) =>
    createDocument({
      id: "d",
      sourceLang: "en",
      format: "markdown",
      content: s,
      createdBy: "t",
      createdAt: "x",
    }),
  );
  guard("slugify", (s) => slugify(s));
  guard("countWords", (s) => countWords(s));
  guard("cleanText", (s) => cleanText(s, 10 * N));
  guard("hasForbiddenCharacters", (s) => hasForbiddenCharacters(s));
  guard("tokenize", (s) => tokenize(s));
  guard("foldPhrase", (s) => foldPhrase(s));
  guard("matchingForm", (s) => matchingForm(s, "es", true));
  guard("validateTerm", (s) =>
    validateTerm({
      sourceLang: "en",
      source: s,
      description: s,
      translatable: true,
      caseSensitive: false,
      targets: { es: { text: s, forbidden: [s] } },
    }),
  );
  guard("parseGlossaryCsv", (s) =>
    parseGlossaryCsv(`en,es,description\n"${s.replace(/"/g, '""')}",x,y\n`, {
      sourceLang: "en",
      targetLang: "es",
    }),
  );
  guard("the export preview of a plain-text document", (s) => renderMarkdown(markdownExport(s, "text")));
  guard("the export preview of a Markdown document", (s) => renderMarkdown(markdownExport(s, "markdown")));
});
