/**
 * TBX v3 (ISO 30042:2019) termbases, TBX-Basic and TBX-Min dialects (TBX-Core read too).
 * Import maps each concept entry to a term: the preferred term in the source language, and in each
 * other language the preferred (or first admitted) term as target and the deprecated ones as
 * forbidden. The dialects' rules that the LTAC test files exercise are checked: broken structure
 * refuses the file, a bad entry is reported and skipped.
 */

import { create } from "xmlbuilder2";
import {
  GlossaryFormatError,
  type ImportedTerm,
  type ImportProblem,
  type ParsedGlossary,
} from "./exchange.ts";
import { canonicalLang, primaryLang } from "./language.ts";
import { combined, type Problem, problem } from "./problem.ts";
import type { Term, TermTarget } from "./term.ts";
import {
  childrenNamed,
  ITEMS_HERE,
  inSlices,
  parseXml,
  slicer,
  splitEnvelope,
  textOf,
  type XmlElement,
  xmlAttribute,
  xmlText,
} from "./xml.ts";

export const TBX_NS = "urn:iso:std:iso:30042:ed-2";

const PART_OF_SPEECH = new Set(["adjective", "noun", "other", "verb", "adverb", "properNoun"]);
// TBX-Basic's administrativeStatus and TBX-Min's usageStatus, both read.
const PREFERRED = new Set(["preferred", "preferredTerm-admn-sts"]);
const ADMITTED = new Set(["admitted", "admittedTerm-admn-sts"]);
const DEPRECATED = new Set([
  "deprecated",
  "notRecommended",
  "obsolete",
  "deprecatedTerm-admn-sts",
  "supersededTerm-admn-sts",
]);
const MIN_USAGE = new Set([
  "preferred",
  "admitted",
  "deprecated",
  "superseded",
  "notRecommended",
  "obsolete",
]);

interface Dialect {
  name: string;
  /** Problems with one concept entry. */
  checkEntry(entry: XmlElement): Problem[];
}

/** Rules every dialect shares: the core structure. */
function coreEntryProblems(entry: XmlElement): Problem[] {
  const problems: Problem[] = [];
  walk(entry, (element) => {
    if (element.name === "termSec") {
      if (element.children[0]?.name !== "term")
        problems.push(problem("tbx_term_not_first", "<term> must come first in <termSec>"));
      if (childrenNamed(element, "term").length > 1)
        problems.push(problem("tbx_one_term_per_section", "only one <term> per <termSec>"));
    }
    if (element.name === "admin" && !element.attributes.type)
      problems.push(problem("tbx_admin_without_type", "<admin> needs a type attribute"));
    if (element.name === "descripGrp" && childrenNamed(element, "descrip").length > 1)
      problems.push(problem("tbx_one_descrip_per_group", "only one <descrip> per <descripGrp>"));
  });
  return problems;
}

const DIALECTS: Record<string, Dialect> = {
  "TBX-Core": { name: "TBX-Core", checkEntry: coreEntryProblems },
  "TBX-Basic": {
    name: "TBX-Basic",
    checkEntry(entry) {
      const problems = coreEntryProblems(entry);
      for (const admin of childrenNamed(entry, "admin"))
        if (admin.attributes.type === "source")
          problems.push(
            problem(
              "tbx_source_outside_group",
              '"source" at concept level must be in a <descripGrp> with its definition',
            ),
          );
      walk(entry, (element, ancestors) => {
        const parent = ancestors.at(-1);
        if (
          element.name === "descrip" &&
          element.attributes.type === "definition" &&
          (parent?.name === "termSec" ||
            (parent?.name === "descripGrp" && ancestors.some((a) => a.name === "termSec")))
        )
          problems.push(
            problem(
              "tbx_definition_on_term",
              '"definition" belongs to the concept or language, not to a term',
            ),
          );
        picklist(element, "partOfSpeech", PART_OF_SPEECH, problems);
        const type = element.attributes.type ?? "";
        if (element.name === "transacNote" && type !== "responsibility")
          problems.push(
            problem("tbx_transac_note_type", `<transacNote> type must be "responsibility", not "${type}"`, {
              type,
            }),
          );
        if (element.name === "transac" && type !== "transactionType")
          problems.push(
            problem("tbx_transac_type", `<transac> type must be "transactionType", not "${type}"`, {
              type,
            }),
          );
      });
      return problems;
    },
  },
  "TBX-Min": {
    name: "TBX-Min",
    checkEntry(entry) {
      const problems = coreEntryProblems(entry);
      walk(entry, (element) => {
        if (element.name === "admin" && element.attributes.type === "source")
          problems.push(problem("tbx_min_admin_source", '<admin type="source"> is not allowed in TBX-Min'));
        if (element.name === "xref")
          problems.push(problem("tbx_min_xref", "<xref> is not allowed in TBX-Min"));
        picklist(element, "usageStatus", MIN_USAGE, problems);
        picklist(element, "partOfSpeech", PART_OF_SPEECH, problems);
      });
      return problems;
    },
  },
};

/** A termNote of `type` whose value is not in its picklist. */
function picklist(element: XmlElement, type: string, values: Set<string>, problems: Problem[]): void {
  if (element.name !== "termNote" || element.attributes.type !== type) return;
  const value = element.text.trim();
  const allowed = [...values].join(", ");
  if (!values.has(value))
    problems.push(
      problem("tbx_not_in_picklist", `${type} "${value}" is not one of ${allowed}`, { type, value, allowed }),
    );
}

/** Visits every element with its ancestors, nearest last (one shared stack, never copied). */
function walk(
  element: XmlElement,
  visit: (element: XmlElement, ancestors: readonly XmlElement[]) => void,
  ancestors: XmlElement[] = [],
): void {
  visit(element, ancestors);
  ancestors.push(element);
  for (const child of element.children) walk(child, visit, ancestors);
  ancestors.pop();
}

/** Header and text structure: problems here mean the file is not TBX, and nothing is imported. */
function structureProblems(tbx: XmlElement): Problem[] {
  const problems: Problem[] = [];
  const header = childrenNamed(tbx, "tbxHeader")[0];
  const text = childrenNamed(tbx, "text")[0];
  if (!header) problems.push(problem("tbx_header_missing", "<tbxHeader> is missing"));
  if (!text) problems.push(problem("tbx_text_missing", "<text> is missing"));
  if (header)
    walk(header, (element) => {
      if (["sourceDesc", "publicationStmt", "encodingDesc"].includes(element.name) && element.text.trim())
        problems.push(
          problem("tbx_text_not_in_p", `text in <${element.name}> must be wrapped in <p>`, {
            element: element.name,
          }),
        );
    });
  if (text)
    for (const child of text.children)
      if (child.name !== "body" && child.name !== "back")
        problems.push(
          problem("tbx_misplaced_in_text", `<${child.name}> may not be a direct child of <text>`, {
            element: child.name,
          }),
        );
  return problems;
}

export async function parseTbx(xml: string, options: { sourceLang?: string } = {}): Promise<ParsedGlossary> {
  const tbx = await parseXml(xml);
  if (tbx.name === "martif")
    throw new GlossaryFormatError(
      "This is TBX v2 (martif): Glosa reads TBX v3 (ISO 30042:2019).",
      undefined,
      problem("tbx_version_2", ""),
    );
  if (tbx.name !== "tbx" || tbx.uri !== TBX_NS)
    throw new GlossaryFormatError(
      "Not a TBX v3 file: the root must be <tbx> in the ISO 30042 namespace.",
      undefined,
      problem("not_tbx", ""),
    );
  const structural = structureProblems(tbx);
  if (structural.length > 0) {
    const invalid = combined("tbx_invalid_structure", structural, {}, "Not valid TBX: ");
    throw new GlossaryFormatError(`${invalid.message}.`, undefined, invalid);
  }
  const dialect = DIALECTS[tbx.attributes.type ?? ""] ?? (DIALECTS["TBX-Core"] as Dialect);
  const fileLang = canonicalLang(options.sourceLang ?? tbx.attributes["xml:lang"] ?? "en") ?? "en";

  const terms: ImportedTerm[] = [];
  const errors: ImportProblem[] = [];
  const ignored = new Set<string>();
  const body = childrenNamed(childrenNamed(tbx, "text")[0] as XmlElement, "body")[0];
  const entries = body ? childrenNamed(body, "conceptEntry") : [];
  const readEntry = (entry: XmlElement, i: number) => {
    const id = entry.attributes.id ?? String(i + 1);
    const problems = dialect.checkEntry(entry);
    if (problems.length > 0) {
      const dialectName = dialect.name;
      errors.push({
        entry: id,
        ...combined("tbx_invalid_entry", problems, { dialect: dialectName }, `${dialectName}: `),
      });
      return;
    }
    const byLang = new Map<
      string,
      { preferred: string[]; admitted: string[]; deprecated: string[]; other: string[] }
    >();
    for (const langSec of childrenNamed(entry, "langSec")) {
      const lang = canonicalLang(langSec.attributes["xml:lang"] ?? "");
      if (!lang) {
        const tag = langSec.attributes["xml:lang"] ?? "";
        errors.push({
          entry: id,
          ...problem("tbx_invalid_language", `language "${tag}" is not a BCP 47 tag`, { lang: tag }),
        });
        return;
      }
      const forms = byLang.get(lang) ?? { preferred: [], admitted: [], deprecated: [], other: [] };
      for (const termSec of childrenNamed(langSec, "termSec")) {
        const term = textOf(childrenNamed(termSec, "term")[0] as XmlElement).normalize("NFC");
        if (!term) continue;
        const status = childrenNamed(termSec, "termNote")
          .filter((n) => n.attributes.type === "usageStatus" || n.attributes.type === "administrativeStatus")
          .map((n) => n.text.trim())[0];
        if (status && PREFERRED.has(status)) forms.preferred.push(term);
        else if (status && ADMITTED.has(status)) forms.admitted.push(term);
        else if (status && DEPRECATED.has(status)) forms.deprecated.push(term);
        else forms.other.push(term);
      }
      byLang.set(lang, forms);
    }
    const pick = (f: { preferred: string[]; admitted: string[]; other: string[] }) =>
      f.preferred[0] ?? f.other[0] ?? f.admitted[0];
    const sourceEntry = [...byLang.entries()].find(([lang]) => primaryLang(lang) === primaryLang(fileLang));
    const source = sourceEntry && pick(sourceEntry[1]);
    if (!sourceEntry || !source) {
      const langs = [...byLang.keys()].join(", ") || "none";
      errors.push({
        entry: id,
        ...problem(
          "tbx_no_source_term",
          `no term in the source language (${fileLang}); this entry has: ${langs}`,
          { lang: fileLang, langs },
        ),
      });
      return;
    }
    if (byLang.size === 1) {
      errors.push({
        entry: id,
        ...problem(
          "tbx_one_language",
          `only one language (${sourceEntry[0]}): nothing to translate it into`,
          {
            lang: sourceEntry[0],
          },
        ),
      });
      return;
    }
    const targets: Record<string, TermTarget> = {};
    for (const [lang, forms] of byLang) {
      if (lang === sourceEntry[0]) continue;
      const text = pick(forms);
      if (text || forms.deprecated.length) targets[lang] = { text: text ?? "", forbidden: forms.deprecated };
    }
    const definition = [
      ...childrenNamed(entry, "descrip"),
      ...childrenNamed(entry, "descripGrp").flatMap((g) => childrenNamed(g, "descrip")),
      ...childrenNamed(sourceEntry ? entryLangSec(entry, sourceEntry[0]) : entry, "descripGrp").flatMap((g) =>
        childrenNamed(g, "descrip"),
      ),
    ].find((d) => d.attributes.type === "definition");
    const note = childrenNamed(entry, "note")[0];
    for (const child of entry.children)
      if (
        !["descrip", "descripGrp", "note", "langSec", "transacGrp", "admin", "xref", "ref"].includes(
          child.name,
        )
      )
        ignored.add(child.name);
    terms.push({
      entry: id,
      term: {
        sourceLang: sourceEntry[0],
        source,
        description: (definition ? textOf(definition) : note ? textOf(note) : "")
          .normalize("NFC")
          .slice(0, 2000),
        translatable: !glosaFlag(entry, "doNotTranslate"),
        caseSensitive: glosaFlag(entry, "caseSensitive"),
        targets,
      },
    });
  };
  // Tens of thousands of entries are checked one slice at a time, like the parse.
  const pause = slicer();
  for (const [i, entry] of entries.entries()) {
    await pause();
    readEntry(entry, i);
  }
  if (entries.length === 0)
    throw new GlossaryFormatError(
      "The file holds no <conceptEntry>.",
      undefined,
      problem("tbx_no_entries", ""),
    );
  return { terms, errors, ignored: [...ignored] };
}

function entryLangSec(entry: XmlElement, lang: string): XmlElement {
  return (
    childrenNamed(entry, "langSec").find((l) => canonicalLang(l.attributes["xml:lang"] ?? "") === lang) ??
    entry
  );
}

/** Glosa's own flags, kept in a concept-level <admin type="x-glosa-..."> on export. */
function glosaFlag(entry: XmlElement, flag: string): boolean {
  return childrenNamed(entry, "admin").some(
    (a) => a.attributes.type === `x-glosa-${flag}` && a.text.trim() === "yes",
  );
}

/**
 * TBX-Basic v3 that validates against the TBX core structure schema, in pieces made a slice at a
 * time (`inSlices`): the envelope by xmlbuilder2, each concept entry as the string it would write.
 */
export function tbxChunks(terms: readonly Term[], lang?: string): AsyncGenerator<string> {
  return inSlices(tbxParts(terms, lang));
}

/** The whole file as one string (tests, small exports). */
export function exportTbx(terms: readonly Term[], lang?: string): string {
  return [...tbxParts(terms, lang)].join("");
}

function* tbxParts(terms: readonly Term[], lang?: string): Generator<string> {
  const sourceLang = terms[0]?.sourceLang ?? "en";
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(TBX_NS, "tbx", {
    type: "TBX-Basic",
    style: "dca",
    "xml:lang": sourceLang,
  });
  root.ele("tbxHeader").ele("fileDesc").ele("sourceDesc").ele("p").txt("Exported from Glosa");
  const body = root.ele("text").ele("body");
  // An empty body is written <body/>, as xmlbuilder2 writes it.
  if (terms.length === 0) {
    yield root.end({ prettyPrint: true });
    return;
  }
  body.com(ITEMS_HERE);
  const { head, tail } = splitEnvelope(root.end({ prettyPrint: true }));
  yield head;
  for (const term of terms) yield conceptEntry(term, lang);
  yield tail;
}

/** A new line indented to `depth`, as xmlbuilder2 pretty prints. */
const line = (depth: number) => `\n${"  ".repeat(depth)}`;

/** One <conceptEntry> (depth 3, in <tbx><text><body>), on its own lines. */
function conceptEntry(term: Term, lang: string | undefined): string {
  // xsd:ID values must start with a letter; Glosa's ids may not.
  let xml = `${line(3)}<conceptEntry id="${xmlAttribute(`c-${term.id}`)}">`;
  if (!term.translatable) xml += `${line(4)}<admin type="x-glosa-doNotTranslate">yes</admin>`;
  if (term.caseSensitive) xml += `${line(4)}<admin type="x-glosa-caseSensitive">yes</admin>`;
  if (term.description) xml += `${line(4)}<descrip type="definition">${xmlText(term.description)}</descrip>`;
  xml += langSec(term.sourceLang, [[term.source, "preferredTerm-admn-sts"]]);
  for (const [targetLang, target] of Object.entries(term.targets)) {
    if ((lang && targetLang !== lang) || (!target.text && target.forbidden.length === 0)) continue;
    const forms: [string, string][] = target.text ? [[target.text, "preferredTerm-admn-sts"]] : [];
    for (const forbidden of target.forbidden) forms.push([forbidden, "deprecatedTerm-admn-sts"]);
    xml += langSec(targetLang, forms);
  }
  return `${xml}${line(3)}</conceptEntry>`;
}

/** A <langSec> with a <termSec> for each form and its administrative status. */
function langSec(lang: string, forms: [text: string, status: string][]): string {
  let xml = `${line(4)}<langSec xml:lang="${xmlAttribute(lang)}">`;
  for (const [text, status] of forms)
    xml +=
      `${line(5)}<termSec>${line(6)}<term>${xmlText(text)}</term>` +
      `${line(6)}<termNote type="administrativeStatus">${status}</termNote>${line(5)}</termSec>`;
  return `${xml}${line(4)}</langSec>`;
}
