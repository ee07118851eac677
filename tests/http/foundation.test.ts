import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { makeApp, signIn, type TestApp } from "../helpers.ts";

describe("the embedded default", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(() => t.close());

  it("answers /healthz once the store is open", async () => {
    const res = await request(t.app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("sends a signed-out browser to the sign-in page and back", async () => {
    const res = await request(t.app).get("/documents/x/es?filter=all");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent("/documents/x/es?filter=all")}`);
  });

  it("lists the seed article, 12 paragraphs, 0 % translated into Spanish", async () => {
    const { agent } = await signIn(t.app);
    const res = await agent.get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      "Trump tells Milei: ‘You are my favorite president’ in first call since US election",
    );
    expect(res.text).toContain("12 paragraphs");
    expect(res.text).toContain("0 of 12 translated (0%)");
    expect(res.text).toContain(`/documents/${SEED_DOCUMENT_ID}/es`);
  });

  it("opens the side-by-side view with glossary terms highlighted in the source", async () => {
    const { agent } = await signIn(t.app);
    const res = await agent.get(`/documents/${SEED_DOCUMENT_ID}/es`);
    expect(res.status).toBe(200);
    expect(res.text.match(/<article class="para /g)).toHaveLength(12);
    expect(res.text).toMatch(/<span class="term"[^>]*title="→ Casa Rosada"[^>]*>Casa Rosada/);
    expect(res.text).toMatch(/title="→ motosierra"[^>]*>chainsaw/);
    expect(res.text).toMatch(/title="→ presidente electo"[^>]*>president-elect/);
  });

  it("lists the 19 seed glossary terms", async () => {
    const { agent } = await signIn(t.app);
    const res = await agent.get("/glossary");
    expect(res.status).toBe(200);
    expect(res.text.match(/<tr id="term-/g)).toHaveLength(19);
    expect(res.text).toContain("motosierra");
    expect(res.text).toContain("sierra mecánica");
  });

  it("speaks Spanish with ?lng=es, from the browser's language, and remembers the switch", async () => {
    const { agent } = await signIn(t.app);
    const es = await agent.get("/?lng=es");
    expect(es.text).toContain("<h1>Documentos</h1>");
    expect(es.text).toContain('<html lang="es">');
    const remembered = await agent.get("/");
    expect(remembered.text).toContain("<h1>Documentos</h1>");
    const fresh = await signIn(t.app);
    const browser = await fresh.agent.get("/").set("Accept-Language", "es-AR,es;q=0.9");
    expect(browser.text).toContain("<h1>Documentos</h1>");
    const english = await fresh.agent.get("/?lng=en");
    expect(english.text).toContain("<h1>Documents</h1>");
  });

  it("renders a 404 page for an unknown page and an unknown document", async () => {
    const { agent } = await signIn(t.app);
    expect((await agent.get("/no/such/page")).status).toBe(404);
    const doc = await agent.get("/documents/nope/es");
    expect(doc.status).toBe(404);
    expect(doc.text).not.toContain("at ");
  });

  it("sends a CSP that forbids inline script, and no x-powered-by", async () => {
    const res = await request(t.app).get("/login");
    const csp = res.headers["content-security-policy"] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("script-src-attr 'none'");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("never re-seeds: a second initialisation adds nothing", async () => {
    const { initializeStore } = await import("../../server/seed.ts");
    const again = await initializeStore(t.store, t.app.services, t.config);
    expect(again.seeded).toBe(false);
    expect(await t.store.listDocuments()).toHaveLength(1);
    expect(await t.store.listTerms()).toHaveLength(19);
  });
});
