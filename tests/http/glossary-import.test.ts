import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

/** Trial findings #6 and #13: import reports and the term form in the reader's language. */
describe("glossary import: per-row report, source/target headers, messages in the reader's language", () => {
  let t: TestApp;
  let editor: string;
  beforeAll(async () => {
    const team = await makeAppWithTeam();
    [t, editor] = [team.t, team.tokens.editor];
  });
  afterAll(() => t.close());

  const importCsv = (csv: string, query = "") =>
    request(t.app)
      .post(`/api/v1/glossary/import${query}`)
      .set("Authorization", `Bearer ${editor}`)
      .set("Content-Type", "text/csv")
      .send(csv);

  const spanishEditor = async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    await agent.get("/glossary?lng=es");
    const upload = (csv: string, name = "terms.csv", fields: Record<string, string> = {}) => {
      let req = agent.post("/glossary/import").field("_csrf", csrf);
      for (const [key, value] of Object.entries(fields)) req = req.field(key, value);
      return req.attach("file", Buffer.from(csv), name);
    };
    return { agent, csrf, upload };
  };

  it("API: reads a source,target,note header with the languages of the query", async () => {
    const res = await importCsv(
      "Source,Target,Note\ncabinet chief,jefe de Gabinete,Argentina's chief of staff\n",
      "?sourceLang=en&targetLang=es-AR",
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 1, updated: 0, unchanged: 0, errors: [], ignored: [] });
    const terms = (
      await request(t.app).get("/api/v1/glossary?q=cabinet").set("Authorization", `Bearer ${editor}`)
    ).body.terms;
    expect(terms[0]).toMatchObject({
      sourceLang: "en",
      source: "cabinet chief",
      description: "Argentina's chief of staff",
      targets: { "es-AR": { text: "jefe de Gabinete" } },
    });
  });

  it("API: imports the rows before an unclosed quote and refuses the rest, with a code and its line", async () => {
    const res = await importCsv('en,es\nprimary election,PASO\nrunoff,balotaje\n"landslide,paliza\nx,y\n');
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(2);
    expect(res.body.errors).toEqual([
      {
        line: 4,
        code: "csv_quote_not_closed",
        params: { line: 4 },
        message: expect.stringContaining("line 4 is never closed"),
      },
    ]);
  });

  it("API: each refused row keeps its English message and gains a code, values and reasons", async () => {
    const res = await importCsv("en,es,translatable\nnewsroom,,yes\nop-ed,tribuna,maybe\n");
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([
      {
        line: 2,
        code: "invalid_term",
        params: {},
        message: "a translatable term needs at least one target",
        reasons: [
          { code: "target_required", params: {}, message: "a translatable term needs at least one target" },
        ],
      },
      {
        line: 3,
        code: "invalid_flag",
        params: { column: "translatable", value: "maybe" },
        message: '"translatable" must be yes or no, not "maybe"',
      },
    ]);
  });

  it("API: a file with nothing readable is still 400 unreadable_file, and says why with a code", async () => {
    const res = await importCsv('en,es\n"broken,quote\n');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: "unreadable_file",
      details: { line: 2, problem: { code: "csv_quote_not_closed", params: { line: 2 } } },
    });
    expect(res.body.error.message).not.toMatch(/Quote Not Closed/);
    // A file past 8 KB is parsed on a worker thread: the code crosses the thread boundary too.
    const large = await importCsv(`en,es\n"${"word ".repeat(4000)}\n`);
    expect(large.status).toBe(400);
    expect(large.body.error.details).toEqual({
      line: 2,
      problem: { code: "csv_quote_not_closed", params: { line: 2 } },
    });
  });

  it("page: a source,target,note CSV is imported with the form's languages, in Spanish", async () => {
    const { upload } = await spanishEditor();
    const res = await upload("source,target,note\nballot box,urna,\n", "terms.csv", {
      sourceLang: "en",
      targetLang: "es",
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Creados: 1 · actualizados: 0 · sin cambios: 0 · sin importar: 0.");
    expect(res.text).not.toContain("Columnas no reconocidas");
  });

  it("page: the good rows before an unclosed quote are imported, the rest refused in Spanish", async () => {
    const { upload } = await spanishEditor();
    const res = await upload(
      'en,es\nturnout,participación\nswing state,estado bisagra\n"pollster,encuestadora\n',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain("Creados: 2 · actualizados: 0 · sin cambios: 0 · sin importar: 1.");
    expect(res.text).toContain(
      "línea 4</strong>: Unas comillas abiertas en la línea 4 no se cierran nunca: no se han leído esta fila ni las siguientes.",
    );
    expect(res.text).not.toMatch(/Quote Not Closed|never closed/);
  });

  it("page: row problems, duplicates and unreadable files in Spanish, never the English sentence", async () => {
    const { upload } = await spanishEditor();
    const rows = await upload(
      "en,es,translatable\nnewsroom,,yes\nop-ed,tribuna,maybe\nop-ed,tribuna,yes\nOp-Ed,columna,yes\n",
    );
    expect(rows.text).toContain("El término no es válido:");
    expect(rows.text).toContain("Un término que se traduce necesita al menos una traducción obligatoria.");
    expect(rows.text).toContain("La columna «translatable» debe ser yes o no, no «maybe».");
    expect(rows.text).toContain("«Op-Ed» ya está en la línea 4 de este archivo.");
    expect(rows.text).not.toMatch(/needs at least one target|must be yes or no|duplicate term/);
    const broken = await upload('en,es\n"x,y\n');
    expect(broken.status).toBe(400);
    // Named by the file it is about.
    expect(broken.text).toMatch(
      /No se ha importado nada: [^:<]+\.csv: Unas comillas abiertas en la línea 2 no se cierran nunca/,
    );
    const empty = await upload("\n\n");
    expect(empty.text).toContain("El archivo no tiene ninguna fila.");
    const martif = await upload('<?xml version="1.0"?><martif type="TBX"></martif>', "old.tbx");
    expect(martif.text).toContain("Es un archivo TBX v2 (martif)");
    const notXml = await upload("<tbx><oops></tbx>", "bad.tbx");
    // Why it cannot be read, in Spanish: where, said in Spanish, never the parser's English.
    expect(notXml.text).toContain("El archivo no es XML bien formado (línea 1, columna ");
    const doctype = await upload('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "b">]><tbx/>', "dtd.tbx");
    expect(doctype.text).toContain("El archivo tiene un DOCTYPE: Glosa no acepta DTD");
    expect(doctype.text).not.toContain("DTDs and entity declarations are not accepted");
    expect(notXml.text).not.toMatch(/unexpected close tag|\d+:\d+:/);
  });

  it("page: a TBX entry against its dialect is explained rule by rule in Spanish", async () => {
    const { upload } = await spanishEditor();
    const tbx = `<?xml version="1.0"?><tbx type="TBX-Min" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="c1"><xref>x</xref><langSec xml:lang="en"><termSec><term>recount</term></termSec></langSec>
<langSec xml:lang="es"><termSec><term>recuento</term><termNote type="usageStatus">maybe</termNote></termSec></langSec></conceptEntry>
<conceptEntry id="c2"><langSec xml:lang="en"><termSec><term>exit poll</term></termSec></langSec></conceptEntry>
</body></text></tbx>`;
    const res = await upload(tbx, "terms.tbx");
    expect(res.status).toBe(200);
    expect(res.text).toContain("entrada c1</strong>: La entrada no cumple TBX-Min:");
    expect(res.text).toContain("&lt;xref&gt; no está permitido en TBX-Min.");
    expect(res.text).toContain("usageStatus «maybe» no es ninguno de estos valores:");
    expect(res.text).toContain("La entrada solo tiene un idioma (en): no hay a qué traducirla.");
    expect(res.text).not.toMatch(/is not allowed in TBX-Min|nothing to translate/);
  });

  it("term form: what is wrong with the term, in Spanish", async () => {
    const { agent, csrf } = await spanishEditor();
    const send = (fields: object) =>
      agent
        .post("/glossary/terms")
        .type("form")
        .send({ _csrf: csrf, sourceLang: "en", source: "spin doctor", ...fields });
    const noTarget = await send({ targetLang: ["es"], targetText: [""], targetForbidden: [""] });
    expect(noTarget.status).toBe(400);
    expect(noTarget.text).toContain(
      "Un término que se traduce necesita al menos una traducción obligatoria.",
    );
    expect(noTarget.text).not.toContain("a translatable term needs at least one target");
    const clash = await send({ targetLang: ["es"], targetText: ["asesor"], targetForbidden: ["Asesores"] });
    expect(clash.status).toBe(400);
    expect(clash.text).toContain(
      "La forma prohibida «Asesores» equivale a la traducción obligatoria «asesor» (es)",
    );
    const long = await send({ targetLang: ["es"], targetText: ["x".repeat(501)], targetForbidden: [""] });
    expect(long.text).toContain("La traducción en es supera el límite de caracteres (500).");
  });

  it("its own exports imported again change nothing: every term unchanged, none updated", async () => {
    const auth = { Authorization: `Bearer ${editor}` };
    for (const [format, type] of [
      ["tbx", "application/x-tbx+xml"],
      ["csv", "text/csv"],
    ] as const) {
      const exported = await request(t.app).get(`/api/v1/glossary/export?format=${format}&lang=es`).set(auth);
      expect(exported.status).toBe(200);
      // The terms the file holds (an export for one language leaves out terms without its target).
      const before =
        format === "tbx"
          ? (exported.text.match(/<conceptEntry\b/g) ?? []).length
          : exported.text.trim().split("\n").length - 1;
      const again = await request(t.app)
        .post("/api/v1/glossary/import?sourceLang=en&targetLang=es")
        .set(auth)
        .set("Content-Type", type)
        .send(exported.text);
      expect(again.status, format).toBe(200);
      expect(again.body, format).toMatchObject({ created: 0, updated: 0, errors: [] });
      expect(again.body.unchanged, format).toBe(before);
    }
  });
});
