/**
 * Find and replace in a Markdown document offers prose only: never a word inside a link's or an
 * image's destination, a code span, an autolink or an HTML tag, which a replacement would break.
 * A plain-text document is searched whole, as before.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";

const TRANSLATION =
  "Vea [Milei](https://example.com/milei), ejecute `milei --help`, ![Milei](img/milei.png) " +
  '<https://milei.example> y <a href="/milei" title="milei">Milei</a>: milei@example.com.';

describe("find and replace in a Markdown document", () => {
  let t: TestApp;
  let token: string;
  const post = (path: string, body: object) =>
    request(t.app).post(`/api/v1${path}`).set("Authorization", `Bearer ${token}`).send(body);

  async function translated(format: "markdown" | "text"): Promise<string> {
    const created = await post("/documents", {
      sourceLang: "en",
      format,
      content: "See [Milei](https://example.com/milei).",
      title: `Milei (${format})`,
      languages: ["es"],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const pid = created.body.paragraphs?.[0]?.id ?? "p1";
    await request(t.app)
      .put(`/api/v1/documents/${id}/translations/es/paragraphs/${pid}`)
      .set("Authorization", `Bearer ${token}`)
      .send({ text: TRANSLATION, baseRevision: 0 })
      .expect(200);
    return id;
  }

  beforeAll(async () => {
    let tokens: { editor: string };
    ({ t, tokens } = await makeAppWithTeam());
    token = tokens.editor;
  });
  afterAll(() => t.close());

  const query = { lang: "es", find: "milei", replace: "Javier" };

  it("offers only the prose's occurrences, and an apply leaves links, code and tags as they were", async () => {
    const doc = await translated("markdown");
    const preview = await post("/replace/preview", { ...query, documentId: doc });
    expect(preview.status).toBe(200);
    const offered = preview.body.occurrences as {
      id: string;
      start: number;
      text: string;
      proposed: string;
    }[];
    // The link's text, the image's alt text, the HTML element's text: nothing else.
    expect(offered.map((o) => [TRANSLATION.slice(o.start, o.start + 12), o.proposed])).toEqual([
      ["Milei](https", "Javier"],
      ["Milei](img/m", "Javier"],
      ["Milei</a>: m", "Javier"],
    ]);
    const [pid, revision] = offered[0]?.id.split("/").slice(1, 3) ?? [];
    // An id naming an occurrence inside the link's destination is not found, so not applied.
    const url = TRANSLATION.indexOf("milei),");
    const refused = await post("/replace/apply", {
      ...query,
      documentId: doc,
      occurrences: [`${doc}/${pid}/${revision}/${url}`],
    });
    expect(refused.body.revisions).toEqual([]);
    expect(refused.body.skipped).toMatchObject([{ pid, reason: "missing" }]);

    const applied = await post("/replace/apply", {
      ...query,
      documentId: doc,
      occurrences: offered.map((o) => o.id),
    });
    expect(applied.status).toBe(200);
    expect(applied.body.revisions).toHaveLength(1);
    const after = await request(t.app)
      .get(`/api/v1/documents/${doc}/translations/es`)
      .set("Authorization", `Bearer ${token}`);
    expect(after.body.paragraphs[0].text).toBe(
      "Vea [Javier](https://example.com/milei), ejecute `milei --help`, ![Javier](img/milei.png) " +
        '<https://milei.example> y <a href="/milei" title="milei">Javier</a>: milei@example.com.',
    );
  });

  it("searches a plain-text document whole, as before", async () => {
    const doc = await translated("text");
    const preview = await post("/replace/preview", { ...query, documentId: doc });
    expect(preview.body.occurrences.length).toBeGreaterThan(3);
    expect(preview.body.occurrences.map((o: { start: number }) => o.start)).toContain(
      TRANSLATION.indexOf("milei),"),
    );
  });
});
