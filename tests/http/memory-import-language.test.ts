/**
 * The memory page says why a TMX file or a unit was refused in the reader's language (the trial saw
 * "No se ha importado nada: The file has a DOCTYPE…"), and the API keeps the English sentence with a
 * stable code beside it.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importTmxPage, makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const tmx = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>${body}</body></tmx>`;
const GOOD = '<tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="es"><seg>Hola</seg></tuv></tu>';
const NO_SPANISH = '<tu><tuv xml:lang="en"><seg>Alone</seg></tuv></tu>';

describe("TMX refusals in the reader's language", () => {
  let t: TestApp;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  const importAs = (session: Awaited<ReturnType<typeof signIn>>, file: string) =>
    importTmxPage(session, file, "?lng=es");

  it("page: a DOCTYPE, broken XML, a file that is not TMX and a unit without Spanish, all in Spanish", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const doctype = await importAs(
      eddie,
      `<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "b">]>${tmx(GOOD)}`,
    );
    expect(doctype.status).toBe(400);
    expect(doctype.text).toContain("El archivo tiene un DOCTYPE: Glosa no acepta DTD");
    const broken = await importAs(eddie, tmx(GOOD).replace("</seg>", ""));
    expect(broken.status).toBe(400);
    expect(broken.text).toContain("El archivo no es XML bien formado");
    expect(broken.text).toMatch(/\(línea \d+, columna \d+\)/);
    expect(broken.text).not.toMatch(/\d+:\d+: |unexpected close tag/);
    const notTmx = await importAs(eddie, '<?xml version="1.0"?><xliff/>');
    expect(notTmx.text).toContain("El archivo no es TMX: su elemento raíz no es &lt;tmx&gt;.");
    for (const page of [doctype, broken, notTmx])
      expect(page.text).not.toMatch(/DTDs and entity|Not well-formed XML|The file is not TMX/);

    const partly = await importAs(eddie, tmx(GOOD + NO_SPANISH));
    expect(partly.status).toBe(200);
    expect(partly.text).toContain("La unidad no tiene segmento en es.");
    expect(partly.text).not.toContain("The unit has no es segment.");

    const badPair = await eddie.agent.get("/memory?q=hola&sourceLang=zz-zz-zz-zz&targetLang=es&lng=es");
    expect(badPair.status).toBe(400);
    expect(badPair.text).not.toContain("must be BCP 47 language tags");
  });

  it("API: the English sentence stays, with the problem's code and values", async () => {
    const doctype = await request(t.app)
      .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .set("Content-Type", "application/x-tmx+xml")
      .send(`<?xml version="1.0"?><!DOCTYPE tmx>${tmx(GOOD)}`);
    expect(doctype.status).toBe(400);
    expect(doctype.body.error).toMatchObject({
      code: "invalid_tmx",
      message: expect.stringContaining("DOCTYPE"),
      details: { problem: { code: "xml_doctype" } },
    });
    const partly = await request(t.app)
      .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${tokens.editor}`)
      .set("Content-Type", "application/x-tmx+xml")
      .send(tmx(GOOD + NO_SPANISH));
    expect(partly.status).toBe(200);
    expect(partly.body.errors).toEqual([
      {
        line: expect.any(Number),
        message: "The unit has no es segment.",
        code: "tmx_unit_no_segment",
        params: { lang: "es" },
      },
    ]);
  });
});
