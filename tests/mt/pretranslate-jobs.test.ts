import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { buildServices, type Services } from "../../server/context.ts";
import { MachineTranslationError, type MachineTranslator } from "../../server/mt/provider.ts";
import { initializeStore, SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { tempDir } from "../helpers.ts";

const pair = { source: "en", target: "es" };

function engine(name: string, translate: MachineTranslator["translate"]): MachineTranslator {
  return { name, placeholders: "token", pairs: async () => [pair], translate };
}

describe("pre-translation jobs", () => {
  let store: FileStore;
  let services: Services;
  let calls: string[];

  beforeAll(async () => {
    calls = [];
    const dir = await tempDir();
    store = await FileStore.open(dir);
    const config = loadConfig({
      GLOSA_DATA_DIR: dir,
      NODE_ENV: "test",
      GLOSA_ADMIN_PASSWORD: "x".repeat(12),
    });
    services = buildServices({
      store,
      config,
      translators: [
        engine("down", async () => {
          calls.push("down");
          throw new MachineTranslationError("down", "unavailable");
        }),
        engine("backup", async (segments) => {
          calls.push("backup");
          return segments.map((s) => `ES ${s}`);
        }),
      ],
    });
    await initializeStore(store, services, config);
  });
  afterAll(async () => {
    await services.pretranslate.close();
    await store.close();
  });

  it("lets the next provider translate a batch the first could not", async () => {
    const job = await services.pretranslate.start(SEED_DOCUMENT_ID, "es", "tina");
    await services.pretranslate.idle();
    const done = await services.pretranslate.get(SEED_DOCUMENT_ID, "es", job.id);
    expect(done).toMatchObject({ state: "done", total: 12, done: 12, filled: 12, providers: { backup: 12 } });
    expect(done.error).toBeUndefined();
    expect(calls.filter((c) => c === "backup")).toHaveLength(2);
    const view = await services.translations.view(SEED_DOCUMENT_ID, "es");
    expect(view.paragraphs.every((p) => p.status === "draft" && p.text?.startsWith("ES "))).toBe(true);
    expect(view.paragraphs[0]?.latest?.origin).toBe("mt");
  });

  it("finds jobs by their document and language only", async () => {
    const job = await services.pretranslate.start(SEED_DOCUMENT_ID, "ES", "tina");
    await services.pretranslate.idle();
    expect((await services.pretranslate.get(SEED_DOCUMENT_ID, "es", job.id)).state).toBe("done");
    await expect(services.pretranslate.get("other", "es", job.id)).rejects.toThrow(/not found/);
    await expect(services.pretranslate.get(SEED_DOCUMENT_ID, "fr", job.id)).rejects.toThrow(/not found/);
  });
});
