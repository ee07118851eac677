/**
 * First start: an empty data directory gets the admin user, the EL PAÍS article and its Spanish
 * glossary (through the same CSV importer users use). The meta record is written first, so that a
 * directory holding data without it is known to be damaged; it is marked initialised last, and
 * every step is idempotent, so a crash half-way through simply seeds again without duplicates.
 * Processes sharing a store (PostgreSQL) seed one at a time, so a store is seeded once.
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ValidationError } from "../translations/errors.ts";
import type { Config } from "./config.ts";
import type { Services } from "./context.ts";
import { randomPassword } from "./services/accounts.ts";
import { LAYOUT_VERSION } from "./storage/file-store.ts";
import type { Store } from "./storage/store.ts";

export const DEFAULT_DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "default-data");
export const SEED_DOCUMENT_ID = "el-pais-trump-milei";
const SYSTEM = "glosa";

export interface SeedResult {
  /** True when this start initialised the store. */
  seeded: boolean;
  /** The generated admin password, when one was generated (to print once). */
  generatedPassword?: string;
}

export async function initializeStore(
  store: Store,
  services: Services,
  config: Pick<Config, "adminPassword">,
  now: () => Date = () => new Date(),
): Promise<SeedResult> {
  const seed = () => seedOnce(store, services, config, now);
  return store.exclusively ? store.exclusively(seed) : seed();
}

async function seedOnce(
  store: Store,
  services: Services,
  config: Pick<Config, "adminPassword">,
  now: () => Date,
): Promise<SeedResult> {
  const meta = await store.getMeta();
  if (meta?.initializedAt) return { seeded: false };
  if (!meta) await store.setMeta({ version: LAYOUT_VERSION });

  let generatedPassword: string | undefined;
  if (!(await store.getUser("admin"))) {
    const password = config.adminPassword ?? randomPassword();
    if (!config.adminPassword) generatedPassword = password;
    await services.accounts.create({ username: "admin", password, role: "admin" }, SYSTEM);
  }

  if (!(await store.getDocument(SEED_DOCUMENT_ID))) {
    const article = await readFile(path.join(DEFAULT_DATA, "article-trump-milei.txt"), "utf8");
    try {
      await services.translations.create(
        { id: SEED_DOCUMENT_ID, sourceLang: "en", format: "text", content: article, languages: ["es"] },
        SYSTEM,
      );
    } catch (error) {
      // A limit set below the example's paragraphs: say which setting, not only which paragraph.
      if (error instanceof ValidationError && error.code === "paragraph_too_long") {
        const { max } = error.details as { max: number };
        const longest = Math.max(...article.split("\n").map((line) => line.trim().length));
        throw new Error(
          `GLOSA_MAX_TEXT_LENGTH is ${max}: the example article has paragraphs longer than that, which could never be translated. Raise it to at least ${longest}.`,
        );
      }
      throw error;
    }
  }

  // Re-importing updates rather than duplicates, so this is safe to repeat after a crash.
  const glossary = await readFile(path.join(DEFAULT_DATA, "glossary-en-es.csv"), "utf8");
  await services.glossary.importCsv(glossary, { sourceLang: "en", targetLang: "es" }, SYSTEM);

  await store.setMeta({ version: LAYOUT_VERSION, initializedAt: now().toISOString() });
  return { seeded: true, ...(generatedPassword ? { generatedPassword } : {}) };
}
