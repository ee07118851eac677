import { readFileSync } from "node:fs";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlossaryFormatError } from "../../glossary/exchange.ts";
import { parseTbx } from "../../glossary/tbx.ts";
import { apiToken, makeApp, type TestApp, textOf } from "../helpers.ts";
import { FORMATS, validateTbxCore } from "./xmllint.ts";

const tbx = (name: string) => readFileSync(path.join(FORMATS, "tbx", name), "utf8");
/** Entries of a file that have both an English and a Spanish term. */
function bilingualEntries(xml: string): string[] {
  return [...xml.matchAll(/<conceptEntry id="([^"]+)">([\s\S]*?)<\/conceptEntry>/g)]
    .filter((m) => (m[2] as string).includes('xml:lang="en"') && (m[2] as string).includes('xml:lang="es"'))
    .map((m) => m[1] as string);
}

describe("TBX v3 from the LTAC test files", () => {
  for (const name of ["basic_good.tbx", "min_good.tbx", "core_structure_good.tbx"]) {
    it(`${name} imports every English-Spanish entry with every term`, async () => {
      const xml = tbx(name);
      const parsed = await parseTbx(xml);
      const expected = bilingualEntries(xml);
      expect(expected.length).toBeGreaterThan(30);
      expect(parsed.terms.map((t) => t.entry).sort()).toEqual(expect.arrayContaining(expected.sort()));
      // Nothing is refused for a dialect rule: only entries with one language are skipped, and say so.
      for (const error of parsed.errors)
        expect(error.message).toMatch(/one language|no term in the source language/);
      const first = parsed.terms.find((t) => t.entry === "c1")?.term;
      expect(first).toMatchObject({
        sourceLang: "en",
        source: "open cluster",
        targets: { es: { text: "cúmulo abierto" } },
      });
    });
  }

  it("takes the preferred term as the source, never a deprecated one", async () => {
    const terms = (await parseTbx(tbx("min_good.tbx"))).terms.map((t) => t.term.source);
    expect(terms).toContain("open cluster");
    expect(terms).not.toContain("galactic cluster");
  });

  it("keeps a target language's deprecated terms as forbidden alternatives", async () => {
    const xml = `<tbx type="TBX-Min" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>
      <conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>chainsaw</term></termSec></langSec>
      <langSec xml:lang="es"><termSec><term>motosierra</term><termNote type="usageStatus">preferred</termNote></termSec>
      <termSec><term>sierra mecánica</term><termNote type="usageStatus">deprecated</termNote></termSec></langSec></conceptEntry></body></text></tbx>`;
    expect((await parseTbx(xml)).terms[0]?.term.targets).toEqual({
      es: { text: "motosierra", forbidden: ["sierra mecánica"] },
    });
  });

  it("basic_bad and min_bad name every entry they refuse, and why", async () => {
    const basic = await parseTbx(tbx("basic_bad.tbx"));
    const c1 = basic.errors.find((e) => e.entry === "c1")?.message ?? "";
    expect(c1).toContain('"source" at concept level');
    expect(c1).toContain('partOfSpeech "nominal"');
    expect(c1).toContain('"definition" belongs to the concept');
    expect(c1).toContain("<transac> type");
    expect(basic.errors.some((e) => e.message.includes("<transacNote> type"))).toBe(true);
    const min = await parseTbx(tbx("min_bad.tbx"));
    const all = min.errors.map((e) => e.message).join("\n");
    expect(all).toContain('<admin type="source"> is not allowed');
    expect(all).toContain('usageStatus "not an allowed value"');
    expect(all).toContain("<xref> is not allowed");
  });

  it("core_structure_bad and poorly_formed_xml are refused whole with a clear error", async () => {
    await expect(parseTbx(tbx("core_structure_bad.tbx"))).rejects.toThrow(
      /must be wrapped in <p>.*may not be a direct child of <text>/,
    );
    await expect(parseTbx(tbx("poorly_formed_xml.tbx"))).rejects.toThrow(GlossaryFormatError);
    await expect(parseTbx(tbx("poorly_formed_xml.tbx"))).rejects.toThrow(/Not well-formed XML/);
  });
});

describe("TBX through the API", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeApp();
    token = await apiToken(t.app);
  });
  afterAll(() => t.close());

  it("imports basic_good.tbx and exports TBX that validates against the TBX v3 core schema", async () => {
    const res = await request(t.app)
      .post("/api/v1/glossary/import")
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/x-tbx+xml")
      .send(tbx("basic_good.tbx"));
    expect(res.status).toBe(200);
    // c38 deprecates "ciclo del carbono" beside the preferred "ciclo del carbono-nitrógeno": the matcher
    // finds the deprecated words inside every correct use, so correct text would be flagged, and the
    // entry is refused with that reason (issue 11, item 21).
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({
        entry: "c38",
        code: "invalid_term",
        message: expect.stringContaining("reads as the required target"),
      }),
    );
    expect(res.body.created).toBe(38);
    const exported = await textOf(
      request(t.app).get("/api/v1/glossary/export?format=tbx").set("Authorization", `Bearer ${token}`),
    );
    expect(exported.headers["content-type"]).toBe("application/x-tbx+xml; charset=utf-8");
    const result = await validateTbxCore(exported.text);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    // And it imports back into itself: same terms, updated not duplicated.
    const again = await parseTbx(exported.text);
    expect(again.errors).toEqual([]);
    expect(again.terms).toHaveLength(19 + 38);
    const chainsaw = again.terms.find((x) => x.term.source === "chainsaw")?.term;
    expect(chainsaw?.targets.es).toEqual({
      text: "motosierra",
      forbidden: ["sierra mecánica", "sierra de cadena"],
    });
    const casa = again.terms.find((x) => x.term.source === "Casa Rosada")?.term;
    expect(casa).toMatchObject({ translatable: false, caseSensitive: true });
  });

  it("refuses a TBX with a DOCTYPE, and an unreadable one, changing nothing", async () => {
    const before = (await request(t.app).get("/api/v1/glossary").set("Authorization", `Bearer ${token}`)).body
      .terms.length;
    for (const body of [
      `<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a SYSTEM "file:///etc/passwd">]><tbx xmlns="urn:iso:std:iso:30042:ed-2"/>`,
      tbx("poorly_formed_xml.tbx"),
      "",
    ]) {
      const res = await request(t.app)
        .post("/api/v1/glossary/import")
        .set("Authorization", `Bearer ${token}`)
        .set("Content-Type", "application/x-tbx+xml")
        .send(body);
      expect(res.status).toBe(400);
    }
    const after = (await request(t.app).get("/api/v1/glossary").set("Authorization", `Bearer ${token}`)).body
      .terms.length;
    expect(after).toBe(before);
  });
});
