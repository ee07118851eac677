import { describe, expect, it } from "vitest";
import { parseMentions, textSegments } from "../../translations/comment.ts";
import { repeat } from "../quality/helpers.ts";

/** 200,000 characters, fifty times the longest comment: reading a comment is linear in its length. */
const LENGTH = 200_000;

describe("reading a hostile comment text", () => {
  it("cuts the punctuation after a link from the end, not once per mark of a long run", () => {
    const text = `http://${repeat(".,", LENGTH)}a then http://x.example/a.,!`;
    const segments = textSegments(text);
    expect(segments.map((s) => s.href).filter(Boolean)).toEqual([
      `http://${repeat(".,", LENGTH)}a`,
      "http://x.example/a",
    ]);
    expect(segments.at(-1)).toEqual({ text: ".,!" });
  });

  it("finds mentions in one pass over an @ and a long word, or thousands of @", () => {
    for (const text of [`@${"a".repeat(LENGTH)}`, repeat("@a ", LENGTH), `${repeat("@ana.", LENGTH)} @bo`]) {
      expect(parseMentions(text, (name) => name === "bo")).toEqual(text.endsWith("@bo") ? ["bo"] : []);
      expect(
        textSegments(text, ["bo"])
          .map((s) => s.text)
          .join(""),
      ).toBe(text);
    }
  });
});
