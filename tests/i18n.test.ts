import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES } from "../server/accounts/model.ts";

const root = path.join(import.meta.dirname, "..");
const load = (lng: string) =>
  JSON.parse(readFileSync(path.join(root, "locales", lng, "translation.json"), "utf8"));

function flatten(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, ext) : ext.test(name) ? [full] : [];
  });
}

const en = new Set(flatten(load("en")));
const es = new Set(flatten(load("es")));

/** Every string with its dotted key. */
function strings(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, prefix ? `${prefix}.${k}` : k));
}

/** Spanish strings that are rightly the same as the English ones: names, codes, symbols, loanwords. */
const SAME_IN_SPANISH = new Set([
  "roles.editor",
  "documents.new.format_markdown",
  "exchange.format_markdown",
  "editor.add_language_placeholder",
  "editor.revision_short",
  "history.diff_title",
  "qa.error",
  "stats.total",
]);
/** A key used as `t("a.b")` exists when it or its plural forms do. */
const has = (keys: Set<string>, key: string) =>
  keys.has(key) || keys.has(`${key}_one`) || keys.has(`${key}_other`);

describe("UI strings", () => {
  it("has the same keys in English and Spanish", () => {
    expect([...en].filter((k) => !es.has(k))).toEqual([]);
    expect([...es].filter((k) => !en.has(k))).toEqual([]);
  });

  it("has every key the views and server use, in both languages", () => {
    const sources = [
      ...files(path.join(root, "views"), /\.ejs$/),
      ...files(path.join(root, "server"), /\.ts$/),
    ];
    const used = new Set<string>();
    for (const file of sources) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*["'`]([a-z][\w.-]*)["'`]\s*[,)]/g))
        used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !has(en, k) || !has(es, k));
    expect(missing).toEqual([]);
  });

  it("has the keys built at run time: statuses, roles, checks, kinds, filters, error titles", () => {
    const dynamic = [
      ...["untranslated", "draft", "translated", "approved", "rejected"].map((s) => `status.${s}`),
      ...ROLES.map((r) => `roles.${r}`),
      ...["missing-term", "forbidden-term", "untranslatable-changed"].map((c) => `qa.${c}`),
      ...["title", "heading", "paragraph"].map((k) => `kind.${k}`),
      ...["all", "untranslated", "needs_work", "findings"].map((f) => `editor.filter_${f}`),
      ...[400, 401, 403, 404, 409, 413, 415, 429, 500].map((s) => `error.title_${s}`),
      ...["added", "removed", "violation_introduced", "violation_fixed"].map((e) => `diff.event_${e}`),
      ...["markdown", "bilingual", "xliff", "tmx"].map((f) => `exchange.format_${f}`),
    ];
    expect(dynamic.filter((k) => !en.has(k) || !es.has(k))).toEqual([]);
  });

  it("translates every string into Spanish: none is left as the English text", () => {
    const spanish = new Map(strings(load("es")));
    const untranslated = strings(load("en"))
      .filter(([key, text]) => spanish.get(key) === text && /\p{L}{2,}/u.test(text))
      .map(([key]) => key)
      .filter((key) => !SAME_IN_SPANISH.has(key));
    expect(untranslated).toEqual([]);
  });

  it("says a revision is a «versión» and a find and replace a «reemplazo» in Spanish (docs/ui-terms.md)", () => {
    // «Revisión» is a review; «sustitución» is not the guide's word for a replacement.
    const spanish = new Map(strings(load("es")));
    const words = (text: string) => text.replaceAll(/\{\{[^}]*\}\}/g, "");
    const against = strings(load("en")).flatMap(([key, english]) => {
      const text = words(english);
      const es = words(spanish.get(key) ?? "");
      return [
        ...(/\brevisions?\b/i.test(text) && /revisi[oó]n|revisiones/i.test(es) ? [`${key}: ${es}`] : []),
        ...(/\breplace/i.test(text) && /sustituci[oó]n|sustituciones/i.test(es) ? [`${key}: ${es}`] : []),
      ];
    });
    expect(against).toEqual([]);
  });

  it("gives every counted Spanish string the plural forms i18next asks for (one, many, other)", () => {
    // Intl.PluralRules("es") answers "many" for 1,000,000: without _many i18next shows the bare key.
    const plurals = [...es].filter((k) => k.endsWith("_one")).map((k) => k.slice(0, -4));
    expect(plurals.length).toBeGreaterThan(3);
    expect(plurals.filter((k) => !es.has(`${k}_many`) || !es.has(`${k}_other`))).toEqual([]);
    expect(new Intl.PluralRules("es").select(1_000_000)).toBe("many");
  });

  it("shows no count beside a plural word without i18next's plural forms", () => {
    // "{{approved}} aprobados" reads "1 aprobados": a count next to a noun or adjective must be {{count}}.
    const offenders = strings(load("es")).filter(
      ([key, text]) =>
        !/_(one|many|other)$/.test(key) && /\{\{\w+\}\} (?!de\b|mientras\b)\p{Ll}+s\b/u.test(text),
    );
    expect(offenders).toEqual([]);
  });

  it("puts no untranslated text in attributes people read (placeholder, title, aria-label, alt)", () => {
    const offenders: string[] = [];
    for (const file of files(path.join(root, "views"), /\.ejs$/)) {
      const html = readFileSync(file, "utf8");
      for (const m of html.matchAll(/\b(placeholder|title|aria-label|alt)="([^"]*)"/g)) {
        const text = (m[2] as string).replace(/<%[\s\S]*?%>/g, "");
        if (/\p{L}{2,}/u.test(text) && !/^[a-z]{2}(-[A-Z]{2})?(, [a-z]{2}(-[A-Z]{2})?)*$/.test(text.trim()))
          offenders.push(`${path.relative(root, file)}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("writes no user-visible text in the views outside t()", () => {
    // Text between tags that is not whitespace, an EJS tag, punctuation or a symbol is a missed string.
    const offenders: string[] = [];
    for (const file of files(path.join(root, "views"), /\.ejs$/)) {
      const html = readFileSync(file, "utf8")
        .replace(/<%[\s\S]*?%>/g, "")
        .replace(/<(script|style)[\s\S]*?<\/\1>/g, "");
      for (const m of html.matchAll(/>([^<]+)</g)) {
        const text = (m[1] as string).trim();
        if (
          /\p{L}{2,}/u.test(text) &&
          !["Glosa", "EN", "ES", "Ctrl", "Enter", "Shift", "Alt", "Esc", "Aa"].includes(text)
        )
          offenders.push(`${path.relative(root, file)}: ${text}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("translates every error code the code throws, so a page never shows the English sentence", () => {
    // Codes whose English sentence carries what a general message cannot (a parser's own detail,
    // the fields of a form), or that only an API client or a tampered form meets.
    const untranslated = new Set([
      "bad_request",
      "invalid_fields",
      "invalid_request",
      "invalid_occurrence",
      "invalid_tmx",
      "unreadable_file",
    ]);
    const missing: string[] = [];
    for (const dir of ["server", "translations", "glossary", "memory", "quality"])
      for (const file of files(path.join(root, dir), /\.ts$/)) {
        const source = readFileSync(file, "utf8");
        for (const call of errorCalls(source)) {
          const code = [...call.matchAll(/"([a-z]+(?:_[a-z]+)+)"/g)].at(-1)?.[1];
          if (!code || untranslated.has(code)) continue;
          for (const [lng, keys] of [
            ["en", en],
            ["es", es],
          ] as const)
            if (![...keys].some((k) => k === `errors.${code}` || k.startsWith(`errors.${code}_`)))
              missing.push(`${lng}: errors.${code} (${path.relative(root, file)})`);
        }
      }
    expect([...new Set(missing)]).toEqual([]);
  });
});

/** The argument lists of `new ...Error(` calls that carry a code: balanced parentheses, across lines. */
function errorCalls(source: string): string[] {
  const calls: string[] = [];
  for (const m of source.matchAll(
    /new (?:NotFound|Validation|Conflict|Forbidden|Glosa|TooLarge|RateLimited|Unavailable)Error\(/g,
  )) {
    let depth = 1;
    let i = (m.index ?? 0) + m[0].length;
    const start = i;
    for (; i < source.length && depth > 0; i++)
      if (source[i] === "(") depth++;
      else if (source[i] === ")") depth--;
    calls.push(source.slice(start, i - 1));
  }
  return calls;
}

describe("the progress line's numbers", () => {
  it("are grouped as the language writes them, on the server and in the page's script alike", async () => {
    const { createI18n } = await import("../server/i18n.ts");
    const { plural } = await import("../public/lib/i18n.js");
    const i18n = createI18n();
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const [lng, words] of [
      ["en", "0 of 810,003 words translated"],
      ["es", "0 de 810.003 palabras traducidas"],
    ] as const) {
      const t = i18n.getFixedT(lng);
      expect(t("progress.words", { count: 810_003, translated: "0" })).toBe(words);
      // The script fills the same string's forms (handed over unfilled) with the count grouped too.
      const forms = {
        one: t("progress.words_one"),
        many: t("progress.words_many"),
        other: t("progress.words_other"),
      };
      expect(plural(forms, 810_003, lng, { translated: "0" })).toBe(words);
    }
  });
});
