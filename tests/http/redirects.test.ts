import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { safeNext } from "../../server/auth.ts";
import { ADMIN_PASSWORD, csrfFrom, makeApp, signIn, type TestApp } from "../helpers.ts";

/** Targets that a browser, resolving them against our origin, would take to another host. */
const HOSTILE = [
  "/.//evil.example/phish",
  "/..//evil.example/phish",
  "/%2e%2e//evil.example/phish",
  "/%2E//evil.example/phish",
  "/.%2e//evil.example/phish",
  "/a/../..//evil.example/phish",
  "/././/evil.example",
  "/\\evil.example",
  "/.\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "//evil.example",
  "///evil.example",
  "https://evil.example/x",
  "http:evil.example",
  "javascript:alert(1)",
  "/%0d%0aSet-Cookie:x",
];

function isLocal(location: string): boolean {
  return (
    location.startsWith("/") &&
    !location.startsWith("//") &&
    !location.startsWith("/\\") &&
    new URL(location, "http://glosa.invalid").host === "glosa.invalid"
  );
}

describe("safeNext", () => {
  it("turns every hostile target into a local path", () => {
    for (const next of HOSTILE) {
      const result = safeNext(next);
      expect(isLocal(result), `${JSON.stringify(next)} → ${result}`).toBe(true);
      expect(result, JSON.stringify(next)).not.toContain("evil.example");
    }
  });

  it("keeps ordinary local targets as they were", () => {
    expect(safeNext("/glossary?q=a#t")).toBe("/glossary?q=a#t");
    expect(safeNext("/documents/abc/es")).toBe("/documents/abc/es");
    expect(safeNext("/a/./b/../c")).toBe("/a/c");
  });

  it("gives '/' or a path on our origin, for any string (property)", () => {
    const piece = fc.constantFrom(
      "/",
      ".",
      "..",
      "%2e",
      "%2E",
      "\\",
      "\t",
      "\n",
      "evil.example",
      "%2f",
      ":",
      "@",
    );
    const hostileish = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          hostileish,
          hostileish.map((s) => `/${s}`),
        ),
        (next) => {
          const result = safeNext(next);
          expect(result === "/" || isLocal(result)).toBe(true);
          // Once safe, always the same: the Location a browser follows is the path we checked.
          expect(safeNext(result)).toBe(result);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe("redirects after sign-in", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(() => t.close());

  it("a signed-in GET /login?next=… stays on Glosa for every hostile target", async () => {
    const { agent } = await signIn(t.app);
    for (const next of HOSTILE) {
      const res = await agent.get(`/login?next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(303);
      expect(isLocal(res.headers.location ?? ""), `${JSON.stringify(next)} → ${res.headers.location}`).toBe(
        true,
      );
    }
  });

  it("the sign-in form's next field stays on Glosa for every hostile target", async () => {
    for (const next of HOSTILE.slice(0, 6)) {
      const agent = request.agent(t.app);
      const page = await agent.get("/login");
      const res = await agent
        .post("/login")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), username: "admin", password: ADMIN_PASSWORD, next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe("/");
    }
  });

  it("a signed-out request for a path like //evil is sent to sign in with a local next", async () => {
    const res = await request(t.app).get("/.//evil.example/phish");
    if (res.status === 303) {
      const next = new URL(res.headers.location ?? "", "http://glosa.invalid").searchParams.get("next") ?? "";
      expect(isLocal(next)).toBe(true);
    } else expect(res.status).toBe(404);
  });
});
