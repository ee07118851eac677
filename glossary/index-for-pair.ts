/**
 * A glossary prepared for one language pair: matches terms in source texts and runs the QA checks
 * on translations. Build it once per glossary change and pair; each call is then one pass per text.
 */

import { CHECKS, type CheckContext, type Finding, type TermMatch } from "./checks/index.ts";
import { primaryLang } from "./language.ts";
import { type Phrase, PhraseMatcher } from "./matcher.ts";
import { type Term, targetFor } from "./term.ts";
import { slicer } from "./xml.ts";

export class GlossaryIndex {
  readonly sourceLang: string;
  readonly targetLang: string;
  readonly #terms = new Map<string, Term>();
  readonly #source: PhraseMatcher<Term>;
  #targets?: PhraseMatcher<string>;
  // Source texts and their translations are re-read far more often than they change, and an index
  // lives only as long as its glossary version: results are remembered (bounded) until then.
  readonly #matches = new Map<string, readonly TermMatch[]>();
  readonly #findings = new Map<string, readonly Finding[]>();
  #forbidden?: PhraseMatcher<{ termId: string; form: string }>;
  #verbatim?: PhraseMatcher<string>;
  #vocabulary?: ReadonlySet<string>;

  constructor(terms: Iterable<Term>, sourceLang: string, targetLang: string) {
    this.sourceLang = sourceLang;
    this.targetLang = targetLang;
    const sourcePrimary = primaryLang(sourceLang);
    for (const term of terms)
      if (primaryLang(term.sourceLang) === sourcePrimary) this.#terms.set(term.id, term);
    // Source texts are matched again after every glossary change: their reading is kept.
    this.#source = new PhraseMatcher(sourceLang, this.#sourcePhrases(), { remember: true });
  }

  /**
   * The same index built a slice at a time, every matcher included, so that neither the build nor
   * the first check holds the event loop: 19,000 terms took 1-2 s to build in one go.
   */
  static async build(terms: Iterable<Term>, sourceLang: string, targetLang: string): Promise<GlossaryIndex> {
    const pause = slicer();
    const index = new GlossaryIndex([], sourceLang, targetLang);
    const sourcePrimary = primaryLang(sourceLang);
    for (const term of terms)
      if (primaryLang(term.sourceLang) === sourcePrimary) index.#terms.set(term.id, term);
    const fill = async <T>(matcher: PhraseMatcher<T>, phrases: Iterable<Phrase<T>>) => {
      for (const phrase of phrases) {
        matcher.add(phrase);
        await pause();
      }
      return matcher;
    };
    await fill(index.#source, index.#sourcePhrases());
    index.#targets = await fill(new PhraseMatcher(targetLang, []), index.#targetPhrases());
    index.#forbidden = await fill(new PhraseMatcher(targetLang, []), index.#forbiddenPhrases());
    index.#verbatim = await fill(
      new PhraseMatcher(targetLang, [], { stem: false }),
      index.#verbatimPhrases(),
    );
    return index;
  }

  *#sourcePhrases(): Generator<Phrase<Term>> {
    for (const term of this.#terms.values())
      yield { text: term.source, caseSensitive: term.caseSensitive, ref: term };
  }

  *#targetPhrases(): Generator<Phrase<string>> {
    for (const term of this.#terms.values()) {
      const target = targetFor(term, this.targetLang);
      if (target) yield { text: target.text, caseSensitive: term.caseSensitive, ref: term.id };
    }
  }

  *#forbiddenPhrases(): Generator<Phrase<{ termId: string; form: string }>> {
    for (const term of this.#terms.values())
      for (const form of targetFor(term, this.targetLang)?.forbidden ?? [])
        yield { text: form, caseSensitive: term.caseSensitive, ref: { termId: term.id, form } };
  }

  /** Do-not-translate terms, matched word for word without stemming: "unchanged" means exactly that. */
  *#verbatimPhrases(): Generator<Phrase<string>> {
    for (const term of this.#terms.values())
      if (!term.translatable) yield { text: term.source, caseSensitive: true, ref: term.id };
  }

  get termCount(): number {
    return this.#terms.size;
  }

  /** The terms in a source text, leftmost-longest and never overlapping. */
  match(source: string): readonly TermMatch[] {
    return remember(this.#matches, source, () =>
      this.#source.findWith(source, (term, start, end, text) => ({
        termId: term.id,
        start,
        end,
        text: text.slice(start, end),
        target: targetFor(term, this.targetLang)?.text ?? null,
        term,
      })),
    );
  }

  /** QA findings for a translation of `source`; none for an empty translation. */
  check(
    source: string,
    target: string,
    matches: readonly TermMatch[] = this.match(source),
  ): readonly Finding[] {
    if (!target.trim() || matches.length === 0) return [];
    return remember(this.#findings, `${source}\u0000${target}`, () => {
      const context = this.#context([...matches], target);
      return CHECKS.flatMap((check) => check.run(context));
    });
  }

  /** Ids of the terms whose required target occurs in `text` (any inflection). */
  targetsPresent(text: string): Set<string> {
    return new Set(
      this.#targetMatcher()
        .findAll(text)
        .map((m) => m.ref),
    );
  }

  /**
   * The words of every required target and do-not-translate term, lower case: words a spelling
   * check must never flag in this pair's translations.
   */
  vocabulary(): ReadonlySet<string> {
    this.#vocabulary ??= new Set(
      [...this.#terms.values()].flatMap((term) => vocabularyOf(term, this.targetLang)),
    );
    return this.#vocabulary;
  }

  #context(matches: TermMatch[], target: string): CheckContext {
    let present: Set<string> | undefined;
    let forbidden: Map<string, string[]> | undefined;
    let verbatim: Set<string> | undefined;
    return {
      matches,
      target,
      hasTarget: (termId) => {
        present ??= this.targetsPresent(target);
        return present.has(termId);
      },
      forbiddenUsed: (termId) => {
        if (!forbidden) {
          forbidden = new Map();
          for (const m of this.#forbiddenMatcher().findAll(target)) {
            const list = forbidden.get(m.ref.termId) ?? [];
            if (!list.includes(m.text)) list.push(m.text);
            forbidden.set(m.ref.termId, list);
          }
        }
        return forbidden.get(termId) ?? [];
      },
      keptVerbatim: (termId) => {
        verbatim ??= new Set(
          this.#verbatimMatcher()
            .findAll(target)
            .map((m) => m.ref),
        );
        return verbatim.has(termId);
      },
    };
  }

  #targetMatcher(): PhraseMatcher<string> {
    this.#targets ??= new PhraseMatcher(this.targetLang, this.#targetPhrases());
    return this.#targets;
  }

  #forbiddenMatcher(): PhraseMatcher<{ termId: string; form: string }> {
    this.#forbidden ??= new PhraseMatcher(this.targetLang, this.#forbiddenPhrases());
    return this.#forbidden;
  }

  #verbatimMatcher(): PhraseMatcher<string> {
    this.#verbatim ??= new PhraseMatcher(this.targetLang, this.#verbatimPhrases(), { stem: false });
    return this.#verbatim;
  }
}

/** The words of a term's required target, and of its source when it is not translated, lower case. */
function vocabularyOf(term: Term, targetLang: string): string[] {
  return [targetFor(term, targetLang)?.text ?? "", term.translatable ? "" : term.source].flatMap(
    (text) => text.toLowerCase().match(/\p{L}+(?:['’]\p{L}+)*/gu) ?? [],
  );
}

const MEMO_LIMIT = 50_000;

function remember<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  let value = memo.get(key);
  if (value === undefined) {
    value = compute();
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, value);
  }
  return value;
}
