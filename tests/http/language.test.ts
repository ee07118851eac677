/**
 * The interface language per request (server/i18n.ts handleLanguage): detected from ?lng, the
 * cookie or the browser, with a `t` fixed to it; requests in different languages at once keep
 * their own. And a bearer API call is its token's alone: a session cookie that comes along is
 * neither read nor renewed.
 */

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiToken, makeApp, signIn, type TestApp } from "../helpers.ts";

let t: TestApp;

beforeAll(async () => {
  t = await makeApp();
});

afterAll(async () => {
  await t.close();
});

describe("the interface language", () => {
  it("follows ?lng, the cookie and Accept-Language, and says which in Content-Language", async () => {
    const query = await request(t.app).get("/login?lng=es");
    expect(query.text).toContain("Iniciar sesión");
    expect(query.headers["content-language"]).toBe("es");
    const cookie = await request(t.app).get("/login").set("Cookie", "glosa_lng=es");
    expect(cookie.text).toContain("Iniciar sesión");
    const header = await request(t.app).get("/login").set("Accept-Language", "es-MX,es;q=0.9");
    expect(header.text).toContain("Iniciar sesión");
    expect(header.headers["content-language"]).toMatch(/^es/);
    const none = await request(t.app).get("/login");
    expect(none.text).toContain("Sign in");
    expect(none.headers["content-language"]).toBe("en");
  });

  it("keeps each request's language when requests in both languages run at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(t.app).get(`/login?lng=${i % 2 ? "es" : "en"}`)),
    );
    answers.forEach((res, i) => {
      expect(res.text).toContain(i % 2 ? "Iniciar sesión" : "Sign in");
    });
  });
});

describe("a bearer API call beside a session cookie", () => {
  it("neither renews the session nor is answered as its user", async () => {
    const { agent } = await signIn(t.app);
    const page = await agent.get("/");
    expect(page.status).toBe(200);
    const withCookie = await agent.get("/api/v1/documents").set("Authorization", "Bearer not-a-token");
    expect(withCookie.status).toBe(401);
    expect(withCookie.headers["set-cookie"]).toBeUndefined();
    const token = await apiToken(t.app);
    const ok = await agent.get("/api/v1/documents").set("Authorization", `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers["set-cookie"]).toBeUndefined();
    // The session itself is untouched and still signs in the pages.
    expect((await agent.get("/")).status).toBe(200);
  });
});

describe("API errors in the reader's language", () => {
  it("names the invalid fields and a refused file's problem in Spanish, and in English", async () => {
    const token = await apiToken(t.app);
    const suggestions = (lng: string) =>
      request(t.app)
        .get("/api/v1/documents/el-pais-trump-milei/translations/es/paragraphs/p2/suggestions?min=7")
        .set("Authorization", `Bearer ${token}`)
        .set("Accept-Language", lng);
    expect((await suggestions("es")).body.error).toMatchObject({
      code: "invalid_fields",
      message: "Campos no válidos: min.",
    });
    expect((await suggestions("en")).body.error.message).toBe("Invalid fields: min.");
    const tmx = (lng: string, body: string) =>
      request(t.app)
        .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
        .set("Authorization", `Bearer ${token}`)
        .set("Accept-Language", lng)
        .set("Content-Type", "application/x-tmx+xml")
        .send(body);
    const notTmx = await tmx("es", '<?xml version="1.0"?><xliff version="1.2"></xliff>');
    expect(notTmx.status).toBe(400);
    expect(notTmx.body.error.message).toBe("El archivo no es TMX: su elemento raíz no es <tmx>.");
    // English readers get the domain's own sentence, which names the parser's position.
    expect((await tmx("en", "<tmx><header></tmx>")).body.error.message).toBe(
      "Not well-formed XML: 1:19: unexpected close tag.",
    );
    expect((await tmx("es", "<tmx><header></tmx>")).body.error.message).toMatch(
      // Where, in Spanish; never the parser's English.
      /^El archivo no es XML bien formado \(línea 1, columna 19\): puede que no sea XML, o que esté cortado/,
    );
  });
});
