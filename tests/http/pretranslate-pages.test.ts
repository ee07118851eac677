import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { apiToken, makeApp, signIn, type TestApp, userWithRole } from "../helpers.ts";
import { libreHandler, type Stub, startStub } from "../mt/stubs.ts";

const editor = `/documents/${SEED_DOCUMENT_ID}/es`;

describe("pre-translation pages", () => {
  let stub: Stub;
  let t: TestApp;

  beforeAll(async () => {
    stub = await startStub(libreHandler());
    t = await makeApp({ GLOSA_MT: "libretranslate", GLOSA_LIBRETRANSLATE_URL: stub.url });
    const admin = await apiToken(t.app);
    await userWithRole(t.app, admin, "tina", "translator");
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it("offers the button in the editor, and the form post starts a job whose page shows its progress", async () => {
    const { agent, csrf } = await signIn(t.app, "tina", "tina-password");
    const page = await agent.get(editor);
    expect(page.text).toContain(`action="${editor}/pretranslate"`);
    expect(page.text).toContain("Pre-translate empty paragraphs");
    const started = await agent.post(`${editor}/pretranslate`).type("form").send({ _csrf: csrf });
    expect(started.status).toBe(303);
    expect(started.headers.location).toMatch(new RegExp(`^${editor}/pretranslate/[\\w-]+$`));
    const jobPage = String(started.headers.location);
    let status = await agent.get(jobPage);
    for (let i = 0; i < 100 && status.text.includes('http-equiv="refresh"'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = await agent.get(jobPage);
    }
    expect(status.status).toBe(200);
    expect(status.text).toContain("Done");
    expect(status.text).toMatch(/12 paragraphs filled as drafts/);
    const cancel = await agent.post(`${jobPage}/cancel`).type("form").send({ _csrf: csrf });
    expect(cancel.status).toBe(303);
    const doc = await agent.get(`/api/v1/documents/${SEED_DOCUMENT_ID}`);
    const history = await agent.get(`${editor}/paragraphs/${doc.body.paragraphs[1].id}`);
    expect(history.text).toContain("(machine translation)");
    expect((await agent.get(editor)).text).toContain(
      "12 of 12 translated paragraphs started as machine translation",
    );
  });

  it("refuses a post without the CSRF token", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    expect((await agent.post(`${editor}/pretranslate`).type("form").send({})).status).toBe(403);
  });

  it("lists the providers and Apertium's installed pairs on the settings page, in Spanish too", async () => {
    const { agent } = await signIn(t.app, "tina", "tina-password");
    const page = await agent.get("/machine-translation");
    expect(page.status).toBe(200);
    expect(page.text).toContain("libretranslate");
    expect(page.text).toContain("en → es");
    const es = await agent.get("/machine-translation?lng=es");
    expect(es.text).toContain("Proveedores configurados");
  });
});

describe("without GLOSA_MT", () => {
  it("shows no pre-translate button and says none is configured", async () => {
    const t = await makeApp();
    try {
      const { agent, csrf } = await signIn(t.app);
      expect((await agent.get(editor)).text).not.toContain(`action="${editor}/pretranslate"`);
      expect((await agent.get("/machine-translation")).text).toContain("GLOSA_MT");
      const post = await agent.post(`${editor}/pretranslate`).type("form").send({ _csrf: csrf });
      expect(post.status).toBe(303);
      expect(post.headers.location).toBe(editor);
    } finally {
      await t.close();
    }
  });
});
