import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportedUnit } from "../../memory/tmx.ts";
import { createApp, type GlosaApp } from "../../server/app.ts";
import { importedId } from "../../server/services/memory.ts";
import { apiToken, longestStallDuring, makeApp, type TestApp } from "../helpers.ts";

const TMX = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="Trados" creationtoolversion="9" segtype="sentence" o-tmf="tw" adminlang="en" srclang="en" datatype="html"/>
<body>${body}</body></tmx>`;
const TU = (en: string, es: string) =>
  `<tu><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="es"><seg>${es}</seg></tuv></tu>`;

/** While `work` runs: the longest time no timer of this thread ran, and how many /healthz answered. */
async function duringWork(app: GlosaApp, work: () => Promise<unknown>) {
  let done = false;
  let answered = 0;
  let slowest = 0;
  const poll = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await request(app).get("/healthz");
      if (res.status === 200) answered++;
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const { stall, elapsed } = await longestStallDuring(async () => {
    try {
      await work();
    } finally {
      done = true;
      await poll;
    }
  });
  return { stall, answered, slowest, elapsed };
}

/** Units of generated prose, each a distinct sentence. */
function sentences(count: number): [string, string][] {
  return Array.from({ length: count }, (_, i) => [
    `The council approved plan number ${i} for the northern district after a long debate on ${i % 97} streets.`,
    `El concejo aprobó el plan número ${i} para el distrito norte tras un largo debate sobre ${i % 97} calles.`,
  ]);
}

describe("TMX import through the API", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeApp({ GLOSA_IMPORT_LIMIT: String(8 * 1024 * 1024) });
    token = await apiToken(t.app);
  });
  afterAll(() => t.close());

  const importTmx = (xml: string) =>
    request(t.app)
      .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${token}`)
      .set("Content-Type", "application/x-tmx+xml")
      .send(xml);

  it("keeps inline codes as placeholders in suggestions, and writes them back on export", async () => {
    const res = await importTmx(
      TMX(
        TU(
          'Read the <bpt i="1">&lt;a href="/x"&gt;</bpt>full report<ept i="1">&lt;/a&gt;</ept> on the flood damage in the province.',
          'Lea el <bpt i="1">&lt;a href="/x"&gt;</bpt>informe completo<ept i="1">&lt;/a&gt;</ept> sobre los daños de la inundación en la provincia.',
        ),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1, errors: [] });
    const doc = await request(t.app)
      .post("/api/v1/documents")
      .set("Authorization", `Bearer ${token}`)
      .send({
        sourceLang: "en",
        format: "text",
        content: "Read the full report on the flood damage in the province.",
        languages: ["es"],
      });
    const pid = doc.body.paragraphs[0].id;
    const suggestions = await request(t.app)
      .get(`/api/v1/documents/${doc.body.id}/translations/es/paragraphs/${pid}/suggestions`)
      .set("Authorization", `Bearer ${token}`);
    // The placeholders are not words: the texts match as if they were not there.
    expect(suggestions.body.suggestions[0]).toMatchObject({
      score: 99,
      source: "Read the {1}full report{/1} on the flood damage in the province.",
      text: "Lea el {1}informe completo{/1} sobre los daños de la inundación en la provincia.",
    });
    const exported = await request(t.app)
      .get("/api/v1/memory/export?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${token}`);
    expect(exported.text).toContain(
      '<seg>Lea el <bpt i="1">&lt;a href="/x"&gt;</bpt>informe completo<ept i="1">&lt;/a&gt;</ept> sobre',
    );
  });

  it("refuses a DOCTYPE and a file past the unit bound whole, importing nothing", async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">]><tmx version="1.4"><header/><body>${TU("&a;", "&a;")}</body></tmx>`;
    const refused = await importTmx(bomb);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_tmx");
    const deep = await importTmx(TMX(TU(`${"<hi>".repeat(100)}x${"</hi>".repeat(100)}`, "y")));
    expect(deep.status).toBe(400);
    const exported = await request(t.app)
      .get("/api/v1/memory/export?sourceLang=en&targetLang=es")
      .set("Authorization", `Bearer ${token}`);
    expect(exported.text).not.toContain("aaaaaaaaaa");
  });

  it("keeps /healthz answering while a large TMX file imports", async () => {
    // Starts the parser thread first, so that what follows times the import, not a thread's start.
    expect((await importTmx(TMX(TU("Warm.", "Caliente.").repeat(400)))).status).toBe(200);
    const xml = TMX(
      sentences(15_000)
        .map(([en, es]) => TU(en, es))
        .join("\n"),
    );
    let status = 0;
    let created = 0;
    const { stall, answered, slowest, elapsed } = await duringWork(t.app, async () => {
      const res = await importTmx(xml);
      status = res.status;
      created = res.body.created;
    });
    expect(status).toBe(200);
    expect(created).toBe(15_000);
    // A hang guard on a shared machine: the import takes seconds, no stall a large part of it.
    expect(answered).toBeGreaterThan(3);
    expect(stall).toBeLessThan(Math.max(500, elapsed / 3));
    expect(slowest).toBeLessThan(Math.max(1000, elapsed / 2));
  });
});

describe("the memory built at start-up", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    const at = "2026-01-01T00:00:00.000Z";
    const units: ImportedUnit[] = sentences(40_000).map(([source, target]) => ({
      id: importedId("en", "es", source, target),
      sourceLang: "en",
      targetLang: "es",
      source,
      target,
      createdAt: at,
      createdBy: "admin",
    }));
    await t.store.addMemoryUnits(units);
  });
  afterAll(() => t.close());

  it("keeps /healthz answering while the index is built", async () => {
    const app = createApp({
      config: t.config,
      store: t.store,
      logger: pino({ level: "silent" }),
      sessionSecret: "s".repeat(40),
    });
    try {
      const { stall, answered, elapsed } = await duringWork(app, () => app.services.memory.ready());
      expect(app.services.memory.index("en", "es").size).toBe(40_000);
      expect(answered).toBeGreaterThan(3);
      expect(stall).toBeLessThan(Math.max(500, elapsed / 3));
    } finally {
      await app.shutdown();
    }
  });
});
