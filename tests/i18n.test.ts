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
});
