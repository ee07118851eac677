import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { apiToken, makeApp, type TestApp, userWithRole } from "../helpers.ts";

const DOC = `/api/v1/documents/${SEED_DOCUMENT_ID}`;
const PARA = `${DOC}/translations/es/paragraphs/p2`;

/** Every mutating API route with the lowest role allowed. */
const ROUTES: {
  method: "post" | "put" | "delete";
  path: string;
  role: "translator" | "editor" | "admin";
  type?: string;
  body: unknown;
}[] = [
  {
    method: "post",
    path: "/api/v1/users",
    role: "admin",
    body: { username: "x1", password: "password1", role: "translator" },
  },
  {
    method: "post",
    path: "/api/v1/documents",
    role: "editor",
    body: { sourceLang: "en", format: "text", content: "A" },
  },
  { method: "post", path: `${DOC}/languages`, role: "editor", body: { lang: "fr" } },
  { method: "put", path: PARA, role: "translator", body: { text: "Hola", baseRevision: 0 } },
  { method: "post", path: `${PARA}/review`, role: "editor", body: { action: "approve", revision: 1 } },
  { method: "post", path: `${PARA}/revert`, role: "translator", body: { revision: 1 } },
  {
    method: "post",
    path: `${DOC}/translations/es/import`,
    role: "translator",
    type: "application/xliff+xml",
    body: "<x/>",
  },
  {
    method: "post",
    path: "/api/v1/glossary/terms",
    role: "editor",
    body: { sourceLang: "en", source: "x", targets: { es: { text: "y" } } },
  },
  {
    method: "put",
    path: "/api/v1/glossary/terms/nope",
    role: "editor",
    body: { sourceLang: "en", source: "x", targets: { es: { text: "y" } } },
  },
  { method: "delete", path: "/api/v1/glossary/terms/nope", role: "editor", body: undefined },
  { method: "post", path: "/api/v1/glossary/import", role: "editor", type: "text/csv", body: "en,es\nx,y\n" },
];

describe("every mutating API route", () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await makeApp();
    tokens.admin = await apiToken(t.app);
    tokens.translator = (await userWithRole(t.app, tokens.admin, "tina", "translator")).token;
    tokens.editor = (await userWithRole(t.app, tokens.admin, "eddie", "editor")).token;
  });
  afterAll(() => t.close());

  const send = (route: (typeof ROUTES)[number], token?: string) => {
    let req = request(t.app)[route.method](route.path);
    if (token) req = req.set("Authorization", `Bearer ${token}`);
    if (route.type) req = req.set("Content-Type", route.type);
    return route.body === undefined ? req : req.send(route.body as object);
  };

  for (const route of ROUTES) {
    it(`${route.method.toUpperCase()} ${route.path}: 401 without a token${route.role !== "translator" ? ", 403 for a lower role" : ""}`, async () => {
      const anonymous = await send(route);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe("unauthorized");
      if (route.role !== "translator") {
        const lower = route.role === "admin" ? tokens.editor : tokens.translator;
        const res = await send(route, lower);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe("forbidden");
      }
      const allowed = await send(route, tokens[route.role]);
      expect([401, 403, 500]).not.toContain(allowed.status);
    });
  }
});
