/**
 * A review page holds 50 cards: a document with more paragraphs waiting shows them a page at a time
 * (diffs made only for the page's cards), counts all of them, and keeps the reviewer on their page
 * after a decision sent without a script.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REVIEW_PAGE } from "../../server/services/translations/queries.ts";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";

const WAITING = 2 * REVIEW_PAGE + 20;

describe("a review page of a long document", () => {
  let t: TestApp;
  let review: string;
  let id: string;
  beforeAll(async () => {
    let tokens: { admin: string; translator: string; editor: string };
    ({ t, tokens } = await makeAppWithTeam());
    // One paragraph more than waits: the first is never translated, so positions and counts differ.
    const content = Array.from({ length: WAITING + 1 }, (_, i) => `Paragraph ${i}: the minister spoke.`).join(
      "\n",
    );
    const doc = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${tokens.admin}`)
      .send({ sourceLang: "en", format: "text", content, languages: ["es"] });
    id = doc.body.id;
    review = `/documents/${id}/es/review`;
    for (let p = 2; p <= WAITING + 1; p++) {
      const saved = await request(t.app)
        .put(`/api/v1/documents/${id}/translations/es/paragraphs/p${p}`)
        .set("Authorization", `Bearer ${tokens.translator}`)
        .send({ text: `Párrafo ${p - 1}: habló el ministro.`, baseRevision: 0 });
      expect(saved.status).toBe(200);
    }
  });
  afterAll(() => t.close());

  const cards = (html: string) =>
    [...html.matchAll(/<article class="review-card[^"]*" id="r-(p\d+)"/g)].map((m) => m[1]);

  it("shows 50 cards a page, counts every paragraph waiting, and links the pages", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const first = (await eddie.agent.get(review)).text;
    expect(cards(first)).toHaveLength(REVIEW_PAGE);
    expect(cards(first)[0]).toBe("p2");
    expect(first).toContain(`${WAITING} paragraphs left to review`);
    expect(first).toContain(`Paragraphs #2–#${REVIEW_PAGE + 1} on this page`);
    expect(first).not.toContain('rel="prev"');
    const next = /<a rel="next" href="([^"]+)"/.exec(first)?.[1];
    // The next page starts after the last card's paragraph (position 50, 0-based).
    expect(next).toBe(`${review}?after=${REVIEW_PAGE}`);

    const second = (await eddie.agent.get(next as string)).text;
    expect(cards(second)[0]).toBe(`p${REVIEW_PAGE + 2}`);
    expect(cards(second)).toHaveLength(REVIEW_PAGE);
    expect(second).toContain(`${WAITING} paragraphs left to review`);
    expect(/<a rel="prev" href="([^"]+)"/.exec(second)?.[1]).toBe(review);
    const third = (await eddie.agent.get(/<a rel="next" href="([^"]+)"/.exec(second)?.[1] as string)).text;
    expect(cards(third)).toHaveLength(WAITING - 2 * REVIEW_PAGE);
    expect(third).not.toContain('rel="next"');
    expect(/<a rel="prev" href="([^"]+)"/.exec(third)?.[1]).toBe(`${review}?after=${REVIEW_PAGE}`);

    // The Spanish page says the same.
    const spanish = (await eddie.agent.get(`${next}&lng=es`)).text;
    expect(spanish).toContain(`Quedan ${WAITING} párrafos por revisar`);
    expect(spanish).toContain(`Párrafos n.º ${REVIEW_PAGE + 2} a ${2 * REVIEW_PAGE + 1} en esta página`);
  });

  it("brings a reviewer without a script back to the page they decided on", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const page = `${review}?after=${REVIEW_PAGE}`;
    const html = (await eddie.agent.get(page)).text;
    // Each card's forms carry the page they are on.
    expect(html).toContain(`<input type="hidden" name="after" value="${REVIEW_PAGE}">`);
    const pid = `p${REVIEW_PAGE + 2}`;
    const approved = await eddie.agent
      .post(`/documents/${id}/es/paragraphs/${pid}/review`)
      .type("form")
      .send({ _csrf: eddie.csrf, action: "approve", revision: "1", after: String(REVIEW_PAGE) });
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe(page);
    const after = (await eddie.agent.get(page)).text;
    expect(cards(after)).not.toContain(pid);
    expect(after).toContain(`${WAITING - 1} paragraphs left to review`);
    // A refused rejection (no comment) is drawn on the same page.
    const refused = await eddie.agent
      .post(`/documents/${id}/es/paragraphs/p${REVIEW_PAGE + 3}/review`)
      .type("form")
      .send({ _csrf: eddie.csrf, action: "reject", revision: "1", comment: " ", after: String(REVIEW_PAGE) });
    expect(refused.status).toBe(400);
    expect(cards(refused.text)[0]).toBe(`p${REVIEW_PAGE + 3}`);
  });

  it("answers a page past the last with a way back, and 400 for an after that is not a position", async () => {
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    const past = (await eddie.agent.get(`${review}?after=99999`)).text;
    expect(cards(past)).toHaveLength(0);
    expect(past).toContain("Nothing left on this page");
    expect(past).toContain('rel="prev"');
    // As /review answers: a link this page never handed out is said, in the reader's language.
    for (const after of ["-3", "abc", "1e3"]) {
      const odd = await eddie.agent.get(`${review}?after=${after}&lng=es`);
      expect(odd.status, after).toBe(400);
      expect(odd.text).toContain("Ese enlace de página");
    }
  });
});
