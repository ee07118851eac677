/**
 * A save that writes nothing, and a conflict with one's own save, said for what they are on the
 * no-script editor (a trial: an unchanged save of a rejected paragraph said "Saved", and a page gone
 * back to said "Someone else saved this paragraph" to the one who had).
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const PAGE = "/documents/el-pais-trump-milei/es";

/** The conflict box of a page (the scripts' strings elsewhere on it hold both wordings). */
const conflictOf = (html: string) => /<section class="conflict"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";

describe("the no-script editor's own saves", () => {
  let t: TestApp;

  beforeAll(async () => {
    ({ t } = await makeAppWithTeam());
  });
  afterAll(() => t.close());

  const flashAfter = async (agent: Awaited<ReturnType<typeof signIn>>["agent"], location: string) =>
    (await agent.get(location)).text;

  it("says a rejected paragraph saved as it was is not sent back, and stays on it", async () => {
    const { agent, csrf } = await signIn(t.app, "tina", "tina-password");
    const send = (text: string, baseRevision: number, lng = "en") =>
      agent
        .post(`${PAGE}/paragraphs/p4?lng=${lng}`)
        .type("form")
        .send({ _csrf: csrf, text, baseRevision: String(baseRevision), intent: "save" });
    expect((await send("El texto de Tina.", 0)).status).toBe(303);
    const rejected = await t.app.services.translations.review(
      "el-pais-trump-milei",
      "es",
      "p4",
      { action: "reject", revision: 1, comment: "Revisa la cifra" },
      "eddie",
    );
    expect(rejected.status).toBe("rejected");
    const again = await send("El texto de Tina.", 1);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`${PAGE}#p-p4`);
    const page = await flashAfter(agent, again.headers.location as string);
    expect(page).toContain("was not saved again: its text is as saved, and it still needs work");
    const es = await send("El texto de Tina.", 1, "es");
    expect(await flashAfter(agent, es.headers.location as string)).toContain("sigue por corregir");
    const { translation } = await t.app.services.translations.paragraph("el-pais-trump-milei", "es", "p4");
    expect(translation?.revisions.map((r) => [r.revision, r.status])).toEqual([[1, "rejected"]]);
  });

  it("says a translated paragraph saved as it was was not saved again, and moves on", async () => {
    const { agent, csrf } = await signIn(t.app, "tina", "tina-password");
    const send = (baseRevision: number) =>
      agent
        .post(`${PAGE}/paragraphs/p5`)
        .type("form")
        .send({ _csrf: csrf, text: "Otro texto.", baseRevision: String(baseRevision), intent: "save" });
    expect((await send(0)).status).toBe(303);
    const again = await send(1);
    expect(again.headers.location).toBe(`${PAGE}#p-p6`);
    const page = await flashAfter(agent, again.headers.location as string);
    expect(page).toContain("was not saved again: its text is as saved.");
    expect(page).not.toContain("Paragraph 5 saved");
  });

  it("names a conflict with one's own save as one's own, and another's as theirs", async () => {
    const tina = await signIn(t.app, "tina", "tina-password");
    const post = (who: typeof tina, text: string, baseRevision: number, lng = "en") =>
      who.agent
        .post(`${PAGE}/paragraphs/p6?lng=${lng}`)
        .type("form")
        .send({ _csrf: who.csrf, text, baseRevision: String(baseRevision), intent: "save" });
    expect((await post(tina, "Primera versión.", 0)).status).toBe(303);
    // Back a page, the form still on revision 0.
    const own = await post(tina, "Segunda versión.", 0);
    expect(own.status).toBe(409);
    expect(conflictOf(own.text)).toContain("You saved this paragraph after this page was opened");
    expect(conflictOf(own.text)).toContain("You saved revision 1");
    expect(conflictOf(own.text)).toContain("<h4>Saved</h4>");
    expect(conflictOf(own.text)).toContain("<h4>This page</h4>");
    expect(conflictOf(own.text)).toContain("Differences (saved → this page)");
    expect(conflictOf(own.text)).not.toContain("theirs");
    expect(conflictOf(own.text)).not.toContain("Someone else");
    const ownEs = await post(tina, "Segunda versión.", 0, "es");
    // The guide's word and tense: a revision is a «versión», what just happened takes the pretérito perfecto.
    expect(conflictOf(ownEs.text)).toContain("Has guardado este párrafo después de abrir esta página");
    expect(conflictOf(ownEs.text)).toContain("Has guardado la versión 1");
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const theirs = await post(eddie, "La versión de Eddie.", 0);
    expect(theirs.status).toBe(409);
    expect(conflictOf(theirs.text)).toContain("Someone else saved this paragraph");
    expect(conflictOf(theirs.text)).toContain("tina saved revision 1");
  });
});
