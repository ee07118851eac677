import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTbx } from "../../glossary/tbx.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const lawmaker = {
  sourceLang: "en",
  source: "lawmaker",
  targets: { es: { text: "legislador", forbidden: ["hacedor de leyes"] } },
};

describe("terms: duplicates, forbidden forms and stored text", () => {
  let t: TestApp;
  let editor: string;
  beforeAll(async () => {
    let tokens: { editor: string };
    ({ t, tokens } = await makeAppWithTeam());
    editor = tokens.editor;
  });
  afterAll(() => t.close());

  const post = (body: object) =>
    request(t.app).post("/api/v1/glossary/terms").set("Authorization", `Bearer ${editor}`).send(body);

  it("refuses a duplicate term with 409 duplicate_term, whatever its case or accents", async () => {
    expect((await post(lawmaker)).status).toBe(201);
    for (const source of ["lawmaker", "Lawmaker", "LAWMÁKER"]) {
      const res = await post({ ...lawmaker, source });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("duplicate_term");
    }
    const list = await request(t.app)
      .get("/api/v1/glossary?q=lawmaker")
      .set("Authorization", `Bearer ${editor}`);
    expect(list.body.terms).toHaveLength(1);
  });

  it("refuses renaming a term onto another one, and lets a term keep its own name", async () => {
    const other = await post({ ...lawmaker, source: "legislator" });
    expect(other.status).toBe(201);
    const put = (body: object) =>
      request(t.app)
        .put(`/api/v1/glossary/terms/${other.body.id}`)
        .set("Authorization", `Bearer ${editor}`)
        .send(body);
    expect((await put({ ...lawmaker, source: "Lawmaker" })).status).toBe(409);
    expect((await put({ ...lawmaker, source: "Legislator" })).status).toBe(200);
  });

  it("refuses a forbidden form equal to the required target with 400 invalid_term", async () => {
    const res = await post({
      sourceLang: "en",
      source: "ambassador",
      targets: { es: { text: "embajador", forbidden: ["Embajador"] } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_term");
    expect(res.body.error.details).toHaveProperty(["targets.es.forbidden"]);
  });

  it.each([
    ["U+FFFF in the source", { source: "chain\uFFFFsaw" }],
    ["U+FFFE in a forbidden form", { targets: { es: { text: "motosierra", forbidden: ["\uFFFE"] } } }],
    ["a control character in the note", { description: "bell\u0007" }],
  ])("refuses %s with 400 invalid_term", async (_name, change) => {
    const res = await post({
      sourceLang: "en",
      source: "chainsaw of text",
      targets: { es: { text: "motosierra", forbidden: [] } },
      ...change,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_term");
  });

  it("refuses a lone surrogate in a target before the term's rules, naming the field (400 invalid_fields)", async () => {
    const res = await post({
      sourceLang: "en",
      source: "chainsaw of text",
      targets: { es: { text: "moto\uD800sierra", forbidden: [] } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_fields");
    expect(res.body.error.details).toMatchObject({ "targets.es.text": expect.any(String) });
  });

  it("reports duplicate and unstorable rows of a CSV import with their line", async () => {
    const res = await request(t.app)
      .post("/api/v1/glossary/import")
      .set("Authorization", `Bearer ${editor}`)
      .set("Content-Type", "text/csv")
      .send("en,es\npolicymaker,político\nPolicymaker,política\nLawmáker,legisladora\nbad\uFFFF,x\n");
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/duplicate term/) }),
      expect.objectContaining({
        line: 4,
        message: expect.stringMatching(/already in the glossary as "lawmaker"/),
        code: "duplicate_in_glossary",
        params: { source: "Lawmáker", existing: "lawmaker" },
      }),
      expect.objectContaining({ line: 5, message: expect.stringMatching(/cannot be stored/) }),
    ]);
  });

  it("reports duplicate and unstorable entries of a TBX import", async () => {
    const entry = (id: string, source: string, target: string) => ({
      id,
      sourceLang: "en",
      source,
      description: "",
      translatable: true,
      caseSensitive: false,
      targets: { es: { text: target, forbidden: [] } },
    });
    // U+0085 is a C1 control: legal in XML 1.0, so it reaches the term check.
    const tbx = exportTbx([
      entry("a", "spokesman", "portavoz"),
      entry("b", "Spokesman", "vocero"),
      entry("c", "press\u0085office", "oficina de prensa"),
    ]);
    const res = await request(t.app)
      .post("/api/v1/glossary/import")
      .set("Authorization", `Bearer ${editor}`)
      .set("Content-Type", "application/x-tbx+xml")
      .send(tbx);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.errors).toHaveLength(2);
    expect(res.body.errors[0].message).toMatch(/duplicate term/);
    expect(res.body.errors[1].message).toMatch(/cannot be stored/);
  });

  it("shows a duplicate in the term form, keeping what was typed", async () => {
    const { agent, csrf } = await signIn(t.app, "eddie", "eddie-password");
    const form = {
      _csrf: csrf,
      sourceLang: "en",
      source: "LAWMAKER",
      targetLang: ["es"],
      targetText: ["legislador"],
      targetForbidden: [""],
    };
    const res = await agent.post("/glossary/terms").type("form").send(form);
    expect(res.status).toBe(409);
    expect(res.text).toContain("This term is already in the glossary.");
    expect(res.text).toContain('value="LAWMAKER"');
    const clash = await agent
      .post("/glossary/terms")
      .type("form")
      .send({ ...form, source: "senator", targetText: ["senador"], targetForbidden: ["senadores"] });
    expect(clash.status).toBe(400);
    expect(clash.text).toContain(
      "The forbidden form “senadores” reads as the required translation “senador” (es): correct translations would be flagged.",
    );
  });
});
