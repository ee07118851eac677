import { PhraseMatcher } from "../glossary/matcher.ts";
import { syntheticDocument, syntheticTerms } from "./glossary.ts";

const terms = syntheticTerms(10_000);
const paragraphs = syntheticDocument(1_000, terms);
const m = new PhraseMatcher(
  "en",
  terms.map((t) => ({ text: t.source, caseSensitive: false, ref: t.id })),
);
for (let i = 0; i < 20; i++) for (const p of paragraphs) m.find(p);
const t0 = performance.now();
for (let i = 0; i < 50; i++) for (const p of paragraphs) m.find(p);
console.log("per doc", (performance.now() - t0) / 50);
