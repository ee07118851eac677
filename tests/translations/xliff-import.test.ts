import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createDocument } from "../../translations/document.ts";
import { GlosaError } from "../../translations/errors.ts";
import { selectForExport } from "../../translations/exchange/select.ts";
import { exportXliff } from "../../translations/exchange/xliff.ts";
import { describeDifference, parseXliff, planXliffImport } from "../../translations/exchange/xliff-import.ts";
import { buildState, emptyState, type TranslationState } from "../../translations/translation.ts";
import { revisionEvent } from "../fixtures/records.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/xliff/${name}`, import.meta.url), "utf8");
const seed = readFileSync(new URL("../../default-data/article-trump-milei.txt", import.meta.url), "utf8");
const doc = createDocument({
  id: "el-pais-trump-milei",
  sourceLang: "en",
  format: "text",
  content: seed,
  createdBy: "t",
  createdAt: "c",
});

describe("XLIFF import", () => {
  it("reads an OmegaT-style XLIFF 1.2 file and reports units it cannot place", async () => {
    const file = await parseXliff(fixture("omegat-style-1.2.xlf"));
    expect(file).toMatchObject({
      version: "1.2",
      sourceLang: "en",
      targetLang: "es",
      original: "el-pais-trump-milei",
    });
    const plan = planXliffImport(doc, "es", emptyState(), file);
    expect(plan.updates).toEqual([
      {
        pid: "p2",
        text: "El líder argentino lleva una semana esperando hablar con el presidente electo republicano",
      },
    ]);
    expect(plan.unchanged).toBe(1);
    expect(plan.errors).toEqual([
      { unit: "p99", message: expect.stringContaining("No paragraph"), code: "unknown_unit" },
    ]);
  });

  it("reads a Weblate-style file with inline markup, and refuses a unit whose source changed", async () => {
    const plan = planXliffImport(doc, "es", emptyState(), await parseXliff(fixture("weblate-style-1.2.xlf")));
    expect(plan.updates).toEqual([
      {
        pid: "p4",
        text: "La conversación tuvo lugar el martes, y la confirmó Buenos Aires a través del vocero de Milei, Manuel Adorni.",
      },
    ]);
    expect(plan.errors).toEqual([
      {
        unit: "p5",
        message: expect.stringContaining("no longer matches"),
        code: "source_mismatch",
        params: {
          paragraph: "p5",
          has: expect.any(String),
          fileHas: "“This source text was edited since the export.”",
        },
      },
    ]);
  });

  it("refuses DTDs, entity bombs and external entities without expanding anything", async () => {
    for (const name of ["billion-laughs.xlf", "external-entity.xlf"]) {
      await expect(parseXliff(fixture(name))).rejects.toThrow(/DOCTYPE/);
    }
  });

  it("refuses what is not XML, not XLIFF, or another version", async () => {
    await expect(parseXliff("not xml at all")).rejects.toThrow(GlosaError);
    await expect(
      parseXliff("<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'><file>"),
    ).rejects.toThrow(/well-formed/);
    await expect(parseXliff("<html/>")).rejects.toThrow(/Not an XLIFF/);
    await expect(parseXliff("<xliff version='3.0'/>")).rejects.toThrow(/Unsupported XLIFF version/);
    // Broken or hand-made: no version is not called version "" (the trial's "no la versión «»").
    await expect(parseXliff("<xliff><oops")).rejects.toThrow(/names no version/);
    await expect(
      parseXliff("<xliff version='1.1' xmlns='urn:oasis:names:tc:xliff:document:1.2'/>"),
    ).rejects.toThrow(/Not a readable XLIFF 1\.1 file: .*document:1\.1, not urn:.*document:1\.2/);
    // A cut-off 2.0 file without its namespace is not called an unsupported version of 2.0.
    const cut = parseXliff(
      "<xliff version='2.0' srcLang='en' trgLang='es'><file id='f'><unit id='p1'><segment>",
    );
    await expect(cut).rejects.toThrow(
      /Not a readable XLIFF 2\.0 file: .*document:2\.0, and the file has none/,
    );
  });

  it("refuses targets in another language, and another document's file", async () => {
    const french = fixture("omegat-style-1.2.xlf").replace('target-language="es"', 'target-language="fr"');
    const frenchFile = await parseXliff(french);
    expect(() => planXliffImport(doc, "es", emptyState(), frenchFile)).toThrow(/not es/);
    const other = `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="f1" original="other"><unit id="p1"><segment><source>Another title</source><target>Otro</target></segment></unit></file></xliff>`;
    const otherFile = await parseXliff(other);
    expect(() => planXliffImport(doc, "es", emptyState(), otherFile)).toThrow(/another document/);
  });

  it("says which paragraph's source differs, and how, for one unit and for a whole file", async () => {
    const plan = planXliffImport(doc, "es", emptyState(), await parseXliff(fixture("weblate-style-1.2.xlf")));
    expect(plan.errors[0]?.message).toMatch(
      /paragraph p5: the paragraph has “.+” where the file has “.*edited.*”/,
    );
    const title = doc.paragraphs[0]?.source as string;
    const edited = title.replace("favorite", "favourite");
    const file = await parseXliff(
      `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="f1"><unit id="p1"><segment><source>${edited}</source><target>Otro</target></segment></unit></file></xliff>`,
    );
    let refused: GlosaError | undefined;
    try {
      planXliffImport(doc, "es", emptyState(), file);
    } catch (error) {
      refused = error as GlosaError;
    }
    expect(refused?.code).toBe("wrong_document");
    expect(refused?.message).toContain("Unit p1");
    expect(refused?.message).toContain("paragraph p1");
    expect(refused?.message).toMatch(
      /paragraph p1 has “[^”]*favorite[^”]*” where the file has “[^”]*favourite[^”]*”/,
    );
  });

  it("leaves a target past the longest translation in the parse, reporting it instead of carrying it", async () => {
    const title = doc.paragraphs[0]?.source as string;
    const xml = `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="f1"><unit id="p1"><segment><source>${title}</source><target>${"x".repeat(50)}</target></segment></unit></file></xliff>`;
    const file = await parseXliff(xml, { maxTextLength: 10 });
    expect(file.units[0]).toMatchObject({ id: "p1", target: null, tooLong: 50 });
    expect((await parseXliff(xml, { maxTextLength: 50 })).units[0]?.target).toHaveLength(50);
    const plan = planXliffImport(doc, "es", emptyState(), file);
    expect(plan.updates).toEqual([]);
    expect(plan.errors).toEqual([
      {
        unit: "p1",
        message: expect.stringContaining("50 characters"),
        code: "too_long",
        params: { count: 50 },
      },
    ]);
  });

  it("describes a difference in linear time, with short excerpts, whatever the texts' length", () => {
    const long = "palabra ".repeat(100_000);
    const started = performance.now();
    const said = describeDifference(`${long}fin`, `${long}final`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(said.length).toBeLessThan(400);
    expect(said).toMatch(/has “…[a-z ]*palabra fin” where the file has “…[a-z ]*palabra final”/);
  });
});

describe("XLIFF revisions and versions", () => {
  const p2 = doc.paragraphs[1] as (typeof doc.paragraphs)[number];
  /** p2 translated twice: revision 2 is the latest. */
  const state = buildState([
    revisionEvent(1, "Primera versión", { pid: p2.id }),
    revisionEvent(2, "Versión más nueva del editor", { pid: p2.id }),
  ]);
  const exportOf = (translations: TranslationState) =>
    exportXliff(
      selectForExport(doc, "es", translations, { status: "latest", incomplete: "source", exportedAt: "c" }),
    );
  const withTarget = (xml: string, text: string) =>
    xml.replace(/(<unit id="p2"[\s\S]*?<target xml:space="preserve">)[^<]*/, `$1${text}`);

  it("exports each unit's revision as glosa:revision and reads it back as baseRevision", async () => {
    const xml = exportOf(state);
    expect(xml).toContain('xmlns:glosa="urn:glosa:xliff"');
    expect(xml).toMatch(/<unit id="p2" name="paragraph" glosa:revision="2">/);
    expect(xml).toMatch(/<unit id="p3" name="paragraph" glosa:revision="0">/);
    const file = await parseXliff(xml);
    expect(file.units.find((u) => u.id === "p2")).toMatchObject({
      baseRevision: 2,
      target: "Versión más nueva del editor",
    });
    expect(file.units.find((u) => u.id === "p3")?.baseRevision).toBe(0);
  });

  it("reads no baseRevision from another tool's file, or from a value that is not a revision", async () => {
    const file = await parseXliff(fixture("omegat-style-1.2.xlf"));
    expect(file.units.every((u) => u.baseRevision === undefined)).toBe(true);
    const odd = await parseXliff(exportOf(state).replace('glosa:revision="2"', 'glosa:revision="-1"'));
    expect(odd.units.find((u) => u.id === "p2")?.baseRevision).toBeUndefined();
    // XLIFF 1.2 carries it the same way, on <trans-unit>.
    const v12 = await parseXliff(
      `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:g="urn:glosa:xliff"><file original="o" source-language="en" datatype="plaintext"><body><trans-unit id="p2" g:revision="3"><source>a</source></trans-unit></body></file></xliff>`,
    );
    expect(v12.units[0]?.baseRevision).toBe(3);
  });

  it("plans a unit whose paragraph changed since the export as a conflict, not an update", async () => {
    // Exported at revision 1; revision 2 was saved afterwards; the old file comes back edited.
    const old = exportOf(buildState([revisionEvent(1, "Primera versión", { pid: p2.id })]));
    const edited = withTarget(old, "Primera versión, corregida en el archivo");
    const plan = planXliffImport(doc, "es", state, await parseXliff(edited));
    expect(plan.updates).toEqual([]);
    expect(plan.conflicts).toEqual([
      {
        unit: "p2",
        message: expect.stringContaining("revision 1, now 2"),
        code: "changed_since",
        params: { fileRevision: 1, latest: 2 },
        text: "Primera versión, corregida en el archivo",
      },
    ]);
  });

  it("calls a unit the file left as it was exported unchanged, not a conflict, however the paragraph moved on", async () => {
    // Exported at revision 1; revision 2 was saved afterwards; the old file comes back untouched.
    const old = exportOf(buildState([revisionEvent(1, "Primera versión", { pid: p2.id })]));
    const plan = planXliffImport(doc, "es", state, await parseXliff(old));
    expect(plan.conflicts).toEqual([]);
    expect(plan.updates).toEqual([]);
    expect(plan.unchanged).toBe(doc.paragraphs.length);
  });

  it("applies a change made on the latest revision, with its base, and calls equal text unchanged", async () => {
    const edited = withTarget(exportOf(state), "Corrección sobre la última");
    const plan = planXliffImport(doc, "es", state, await parseXliff(edited));
    expect(plan.updates).toEqual([{ pid: "p2", text: "Corrección sobre la última", baseRevision: 2 }]);
    expect(plan.conflicts).toEqual([]);
    // An old file whose target already equals the latest text is no conflict: nothing to apply.
    const old = exportOf(buildState([revisionEvent(1, "Primera versión", { pid: p2.id })]));
    const same = await parseXliff(withTarget(old, "Versión más nueva del editor"));
    const replan = planXliffImport(doc, "es", state, same);
    expect(replan.conflicts).toEqual([]);
    expect(replan.updates).toEqual([]);
  });

  it("reads XLIFF 1.1 as translate-toolkit writes it, with the 1.2 structure", async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">
  <file original="el-pais-trump-milei" source-language="en" datatype="po" target-language="es">
    <body>
      <trans-unit id="p2" xml:space="preserve" approved="yes">
        <source>${p2.source}</source>
        <target state="translated">El líder argentino &amp;amp; su espera</target>
        <alt-trans><source>${p2.source}</source><target>Una sugerencia de memoria</target></alt-trans>
        <context-group name="po-reference" purpose="location"><context context-type="sourcefile">p2</context></context-group>
      </trans-unit>
    </body>
  </file>
</xliff>`;
    const file = await parseXliff(xml);
    expect(file).toMatchObject({ version: "1.1", sourceLang: "en", targetLang: "es" });
    expect(file.units).toEqual([
      { id: "p2", source: p2.source, target: "El líder argentino &amp; su espera", baseRevision: undefined },
    ]);
    const plan = planXliffImport(doc, "es", emptyState(), file);
    expect(plan.updates).toEqual([
      { pid: "p2", text: "El líder argentino &amp; su espera", baseRevision: undefined },
    ]);
  });

  it("takes text from inline markup and <cp>, not from native code or match suggestions", async () => {
    const xml = `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" srcLang="en" trgLang="es"><file id="f1"><unit id="p2"><mtc:matches><mtc:match ref="#s1"><source>x</source><target>sugerencia</target></mtc:match></mtc:matches><segment id="s1"><source>a</source><target>uno <pc id="1">dos</pc><cp hex="FFFF"/>tres</target></segment><ignorable><source> </source><target> </target></ignorable><segment><source>b</source><target>cuatro</target></segment></unit></file></xliff>`;
    const [unit] = (await parseXliff(xml)).units;
    expect(unit).toMatchObject({ source: "a b", target: "uno dos\uFFFFtres cuatro" });
    const v12 = `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="o" source-language="en" datatype="plaintext"><body><trans-unit id="p2"><source>a <ph id="1">&lt;br/&gt;</ph>b</source><target>c <ph id="1">&lt;br/&gt;</ph>d</target></trans-unit></body></file></xliff>`;
    expect((await parseXliff(v12)).units[0]).toMatchObject({ source: "a b", target: "c d" });
  });
});
