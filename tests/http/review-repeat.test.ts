/**
 * A review decision the revision has already (a double-click on Approve) writes nothing and counts
 * nothing again: 200 with the state as it is. Another decision still writes (attack finding 5).
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, signIn, type TestApp } from "../helpers.ts";
import { documentToReview, listen, type Node, reviewStats } from "../services/bounds-race.ts";

describe("reviewing a revision again with the same decision", () => {
  let t: TestApp;
  let node: Node;
  let tokens: { admin: string; translator: string; editor: string };
  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({ GLOSA_RATE_LIMIT: "off" }));
    node = await listen(t.app);
  });
  afterAll(async () => {
    await node.close();
    await t.close();
  });

  const review = (token: string, doc: string, body: object) =>
    request(t.app)
      .post(`/api/v1/documents/${doc}/translations/es/paragraphs/p2/review`)
      .set("Authorization", `Bearer ${token}`)
      .send(body);

  for (const [role, name] of [
    ["editor", "eddie"],
    ["admin", "admin"],
  ] as const)
    it(`as ${role}: 5 approvals and 3 rejections count one of each; approving again after the rejection counts`, async () => {
      const doc = await documentToReview(node, tokens.editor, tokens.translator);
      const audit = async () =>
        (await t.store.listAudit(1000)).filter(
          (e) => e.object.includes(doc) && /^translation\.(approve|reject)$/.test(e.action),
        ).length;
      const before = await audit();
      for (let i = 0; i < 5; i++) {
        const res = await review(tokens[role], doc, { action: "approve", revision: 1 });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ revision: 1, status: "approved", progress: { approved: 1 } });
      }
      expect(await reviewStats(node, tokens.editor, doc)).toMatchObject({
        [name]: { reviewed: 5 },
        tina: { approved: 5 },
      });
      for (let i = 0; i < 3; i++) {
        const res = await review(tokens[role], doc, { action: "reject", revision: 1, comment: `Tono ${i}` });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ revision: 1, status: "rejected", progress: { approved: 0 } });
      }
      expect(await reviewStats(node, tokens.editor, doc)).toMatchObject({
        [name]: { reviewed: 10 },
        tina: { approved: 5 },
      });
      // The first rejection's comment is the one kept: the repeats wrote nothing.
      const revisions = await request(t.app)
        .get(`/api/v1/documents/${doc}/translations/es/paragraphs/p2/revisions`)
        .set("Authorization", `Bearer ${tokens.translator}`);
      expect(revisions.body.revisions).toMatchObject([
        { revision: 1, status: "rejected", comment: "Tono 0" },
      ]);
      // And the audit log keeps why it was rejected.
      const rejected = (await t.store.listAudit(1000)).find(
        (e) => e.object.includes(doc) && e.action === "translation.reject",
      );
      expect(rejected?.details).toEqual({ revision: 1, comment: "Tono 0" });
      // Approving after the rejection is a decision of its own.
      expect((await review(tokens[role], doc, { action: "approve", revision: 1 })).status).toBe(200);
      expect(await reviewStats(node, tokens.editor, doc)).toMatchObject({
        [name]: { reviewed: 15 },
        tina: { approved: 10 },
      });
      // One event and one audit entry per decision written: approve, reject, approve.
      const reviews = (await t.store.readTranslationEvents(doc, "es")).filter((e) => e.type === "review");
      expect(reviews.map((e) => e.action)).toEqual(["approve", "reject", "approve"]);
      expect((await audit()) - before).toBe(3);
    });

  it("answers a translator 403 and a stale revision 409, repeated or not", async () => {
    const doc = await documentToReview(node, tokens.editor, tokens.translator);
    expect((await review(tokens.editor, doc, { action: "approve", revision: 1 })).status).toBe(200);
    const translator = await review(tokens.translator, doc, { action: "approve", revision: 1 });
    expect(translator.status).toBe(403);
    const saved = await request(t.app)
      .put(`/api/v1/documents/${doc}/translations/es/paragraphs/p2`)
      .set("Authorization", `Bearer ${tokens.translator}`)
      .send({ text: "Uno, dos, tres, cuatro y cinco.", baseRevision: 1 });
    expect(saved.status).toBe(200);
    expect((await review(tokens.editor, doc, { action: "approve", revision: 1 })).status).toBe(409);
  });

  it("takes a repeated approval from the page's form (no JavaScript) as done, writing nothing", async () => {
    const doc = await documentToReview(node, tokens.editor, tokens.translator);
    const eddie = await signIn(t.app, "eddie", "eddie-password");
    for (let i = 0; i < 2; i++) {
      const res = await eddie.agent
        .post(`/documents/${doc}/es/paragraphs/p2/review`)
        .type("form")
        .send({ _csrf: eddie.csrf, action: "approve", revision: "1" });
      expect(res.status).toBe(303);
    }
    expect(await reviewStats(node, tokens.editor, doc)).toMatchObject({ eddie: { reviewed: 5 } });
  });
});
