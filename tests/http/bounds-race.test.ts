/**
 * The races of tests/services/bounds-race.ts on the file store (attack findings 3 and 5): comments
 * posted or edited at once never take a paragraph past its bounds, and a review decision sent many
 * times at once is written once.
 */

import { afterAll, beforeAll, describe, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";
import {
  listen,
  type Node,
  raceCommentCount,
  raceEdits,
  raceReviews,
  raceThreadSize,
} from "../services/bounds-race.ts";

describe("bounds under concurrency on the file store", () => {
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

  it("stores exactly GLOSA_MAX_COMMENTS of 400 comments posted at once; the rest are 409", async () => {
    await raceCommentCount([node], tokens.translator);
  });

  it("stores no more characters than GLOSA_MAX_THREAD_CHARS of 150 long comments posted at once", async () => {
    await raceThreadSize([node], tokens.translator);
  });

  it("writes one of two edits racing for the room left in a paragraph's comments", async () => {
    await raceEdits([node], [tokens.translator, tokens.editor]);
  });

  it("writes one event for an approval (and a rejection) sent twelve times at once, by an editor or an admin", async () => {
    await raceReviews([node], t.store, { reviewer: tokens.editor, reviewerName: "eddie", ...tokens });
    await raceReviews([node], t.store, { reviewer: tokens.admin, reviewerName: "admin", ...tokens });
  });
});
