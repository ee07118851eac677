/**
 * Two saves of one paragraph on one base, the first checked by the file store but still on its way
 * to the disk when the second is refused: the second's 409 shows the first one's text and revision
 * (what the translator must compare with), never the old text both started from.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppWithTeam, type TestApp } from "../helpers.ts";
import { heldWhile, holdingDisk } from "../services/replace-race.ts";

const HELD = "held-on-disk";

describe("a save refused while the save before it is still being written", () => {
  let t: TestApp;
  let tokens: { translator: string; editor: string; admin: string };
  const disk = holdingDisk(HELD);

  beforeAll(async () => {
    ({ t, tokens } = await makeAppWithTeam({}, { disk }));
  });
  afterAll(() => t.close());

  const save = (token: string, text: string, baseRevision: number) =>
    request(t.app)
      .put("/api/v1/documents/el-pais-trump-milei/translations/es/paragraphs/p3")
      .set("Authorization", `Bearer ${token}`)
      .send({ text, baseRevision });

  it("answers 409 with the text that got there first, in every role", async () => {
    let base = 0;
    for (const [who, token] of Object.entries(tokens)) {
      const first = `Primera versión de ${who} ${HELD}`;
      const { done } = await heldWhile(disk, () => save(tokens.translator, first, base));
      const second = await save(token, `Segunda versión de ${who}`, base);
      const saved = (await done) as { status: number; body: { revision: number } };
      expect(saved.status).toBe(200);
      expect(second.status, who).toBe(409);
      expect(second.body.current).toMatchObject({
        revision: saved.body.revision,
        text: first,
      });
      base = saved.body.revision;
    }
  });
});
