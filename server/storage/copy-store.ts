/**
 * Copies one store into another, empty one through the Store interface (file store to PostgreSQL
 * or back), then counts both sides. Histories are copied in their order, so every append passes
 * the target's revision checks; audit entries are copied on their own, oldest first, so the
 * audit log reads the same. Browser sessions and generated secrets are not copied: people sign in
 * again after a move, and the target generates its own session secret.
 */

import { readdir } from "node:fs/promises";
import path from "node:path";
import { FileStore } from "./file-store.ts";
import { PgStore } from "./pg-store.ts";
import { DuplicateTermError, type Store } from "./store.ts";

export interface StoreCounts {
  users: number;
  tokens: number;
  terms: number;
  documents: number;
  histories: number;
  events: number;
  audit: number;
  comments: number;
  memoryUnits: number;
  /** Kept versions of documents' sources. */
  sourceVersions: number;
}

/** Every (document, language) that has a history, including languages a document no longer lists. */
export async function listHistories(store: Store): Promise<{ document: string; lang: string }[]> {
  if (store instanceof PgStore) return store.listHistories();
  if (store instanceof FileStore) {
    const root = path.join(store.location, "translations");
    const found: { document: string; lang: string }[] = [];
    for (const document of (await readdir(root).catch(() => [] as string[])).sort()) {
      if (document.startsWith(".")) continue;
      for (const name of (await readdir(path.join(root, document)).catch(() => [] as string[])).sort())
        if (name.endsWith(".jsonl") && !name.startsWith("."))
          found.push({ document, lang: name.slice(0, -".jsonl".length) });
    }
    return found;
  }
  const docs = await store.listDocuments();
  return docs.flatMap((d) => d.languages.map((lang) => ({ document: d.id, lang })));
}

const ALL = Number.MAX_SAFE_INTEGER;

export async function countStore(store: Store): Promise<StoreCounts> {
  const histories = await listHistories(store);
  let events = 0;
  for (const h of histories) events += (await store.readTranslationEvents(h.document, h.lang)).length;
  const documents = await store.listDocuments();
  let sourceVersions = 0;
  for (const d of documents) sourceVersions += (await store.listSourceVersions(d.id)).length;
  return {
    users: (await store.listUsers()).length,
    tokens: (await store.listTokens()).length,
    terms: (await store.listTerms()).length,
    documents: documents.length,
    histories: histories.length,
    events,
    audit: (await store.listAudit(ALL)).length,
    comments: await countComments(store),
    memoryUnits: (await store.listMemoryUnits()).length,
    sourceVersions,
  };
}

async function countComments(store: Store): Promise<number> {
  let comments = 0;
  for (const document of await store.listDocuments())
    comments += (await store.listComments(document.id)).length;
  return comments;
}

export class StoreNotEmptyError extends Error {
  constructor(location: string) {
    super(`The target ${location} is not empty: migrate-store copies only into an empty store.`);
    this.name = "StoreNotEmptyError";
  }
}

/** Events appended per call: large enough to be quick, small enough for one transaction. */
const BATCH = 2000;

export async function copyStore(from: Store, to: Store): Promise<StoreCounts> {
  const empty =
    (await to.getMeta()) === undefined &&
    (await to.listUsers()).length === 0 &&
    (await to.listTerms()).length === 0 &&
    (await to.listDocuments()).length === 0;
  if (!empty) throw new StoreNotEmptyError(to.location);

  const meta = await from.getMeta();
  // Not initialised until everything is there: a copy stopped half-way is not mistaken for a store.
  if (meta) await to.setMeta({ version: meta.version });
  await to.writeAccounts({ users: await from.listUsers(), tokens: await from.listTokens() });
  const terms = await from.listTerms();
  try {
    for (let i = 0; i < terms.length; i += BATCH) await to.writeTerms(terms.slice(i, i + BATCH));
  } catch (error) {
    // Left by writes at once before the store kept the duplicate rule: a person chooses which stays.
    if (error instanceof DuplicateTermError)
      throw new Error(
        `The source holds two terms that are the same under the glossary's rules, "${error.held?.source}" (${error.held?.id}) and "${error.term.source}" (${error.term.id}): delete or rename one, then copy again into an empty store.`,
      );
    throw error;
  }
  const quality = await from.readQuality();
  for (const [lang, settings] of Object.entries(quality.settings))
    await to.putQualitySettings(lang, settings);
  for (const [lang, words] of Object.entries(quality.words)) await to.addAcceptedWords(lang, words);
  for (const document of await from.listDocuments()) {
    await to.putDocument(document);
    // Kept source versions go with the document, written again at the version it already has.
    const versions = await from.listSourceVersions(document.id);
    if (versions.length) await to.updateDocumentSource(document, versions, document.version ?? 1);
  }
  for (const { document, lang } of await listHistories(from)) {
    const events = await from.readTranslationEvents(document, lang);
    for (let i = 0; i < events.length; i += BATCH)
      await to.appendTranslationEvents(document, lang, events.slice(i, i + BATCH));
  }
  // Comments with their history, as records: their audit entries come with the rest below.
  for (const document of await from.listDocuments())
    for (const comment of await from.listComments(document.id)) await to.putComment(comment);
  const units = await from.listMemoryUnits();
  for (let i = 0; i < units.length; i += BATCH) await to.addMemoryUnits(units.slice(i, i + BATCH));
  for (const entry of (await from.listAudit(ALL)).reverse()) await to.appendAudit(entry);
  const [source, target] = [await countStore(from), await countStore(to)];
  for (const key of Object.keys(source) as (keyof StoreCounts)[])
    if (source[key] !== target[key])
      throw new Error(
        `The copy is incomplete: ${key} ${source[key]} in the source, ${target[key]} in the target.`,
      );
  if (meta) await to.setMeta(meta);
  return target;
}
