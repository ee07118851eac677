/**
 * The translation memory of this process: one index per language pair (memory/index.ts), holding
 * every paragraph's latest translated or approved text in every document, and the units imported
 * from TMX files.
 *
 * It is built at start in slices (the event loop is given back every few milliseconds, so the server
 * answers while it builds) and follows this process's saves through the change feed at once: each
 * document's translation into a language is kept up to date by a queue of its own, which applies
 * the appended events when they follow the version it holds and re-reads the history otherwise.
 *
 * Several processes on one PostgreSQL database: each tells the others what its change feed heard
 * (a history's new version, a document rewritten, an import) through the store's LISTEN/NOTIFY
 * (server/storage/pg-pubsub.ts), and they re-read it at once. Messages sent while a listening
 * connection is down are lost, so each lookup also (at most every SYNC_INTERVAL_MS) compares the
 * store's versions of every history and of the imported units with those held, in the background,
 * and re-reads what moved.
 */

import { createHash, randomBytes } from "node:crypto";
import { GlossaryFormatError } from "../../glossary/exchange.ts";
import { canonicalLang, primaryLang } from "../../glossary/language.ts";
import { slicer } from "../../glossary/xml.ts";
import {
  type Assembly,
  type ConcordanceHit,
  MemoryIndex,
  type MemoryMatch,
  type MemoryUnit,
} from "../../memory/index.ts";
import {
  type ExportUnit,
  type ImportedUnit,
  originOf,
  type ReadTmx,
  type TmxProblem,
  tmxChunks,
  unsavable,
} from "../../memory/tmx.ts";
import type { Document, Paragraph } from "../../translations/document.ts";
import { ConflictError, ValidationError } from "../../translations/errors.ts";
import type { SourceVersion } from "../../translations/source-update.ts";
import type { TranslationEvent } from "../../translations/translation.ts";
import type { ChangeFeed, TranslationChange } from "../changes.ts";
import { ParsePool, type RawText } from "../parse-pool.ts";
import { KeyedMutex } from "../storage/mutex.ts";
import type { Store } from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";
import { fileDetail } from "./audit.ts";
import type { TranslationService } from "./translations.ts";

/** How a paragraph's translation stands, as far as the memory cares. */
interface Track {
  /** `against`: the source version the text was made against or last confirmed for. */
  latest: { revision: number; text: string; status: string; at: string; against: number };
  approved?: { revision: number; text: string; at: string; against: number };
  /**
   * The paragraph's unit as it stood when its translation moved on to a newer source version, by
   * that older version: the old source's translation stays in the memory after a source update.
   */
  past: Map<number, TrackUnit>;
}

/** The text a paragraph gives the memory, and the source version it translates. */
interface TrackUnit {
  text: string;
  approved: boolean;
  at: string;
  against: number;
}

interface History {
  /** The store's version of the history the tracks reflect; -1 before the first read. */
  version: number;
  tracks: Map<string, Track>;
  /** Keys of the past units (Track.past) put in the index, by paragraph: taken out when they go. */
  pastKeys: Map<string, Set<string>>;
  /** Jobs on this history run one after the other. */
  queue: Promise<void>;
}

/** What one process tells the others (through the store's pubsub), beside the live hub's messages. */
type MemoryMessage = { from: string } & (
  | { t: "memory"; doc: string; lang: string; version: number; events?: readonly TranslationEvent[] }
  | { t: "memory-document"; doc: string }
  | { t: "memory-import" }
);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Largest JSON of a change's events sent along with its message to other processes. */
const EVENTS_IN_MESSAGE = 6_000;

/** How often, at most, a lookup starts a check of the store for other processes' changes. */
export const SYNC_INTERVAL_MS = 5_000;
/** Units one TMX import may hold. */
export const MAX_IMPORT_UNITS = 100_000;
/** Suggestions the memory gives at most. */
export const MAX_SUGGESTIONS = 5;
/** Imported units read from the store per query: a few milliseconds of decoding each. */
const UNITS_PER_READ = 1000;

const pairKey = (sourceLang: string, targetLang: string) => `${sourceLang}\u0000${targetLang}`;
const unitKey = (documentId: string, pid: string) => `${documentId}/${pid}`;

export function importedId(sourceLang: string, targetLang: string, source: string, target: string): string {
  return createHash("sha256")
    .update([sourceLang, targetLang, source, target].join("\u0000"))
    .digest("base64url")
    .slice(0, 24);
}

/** What "Fill exact matches" did: paragraphs filled, and matches left out because no save takes their text. */
export interface FillResult {
  filled: number;
  skipped: number;
}

export interface ImportResult {
  created: number;
  unchanged: number;
  errors: TmxProblem[];
}

export class MemoryService {
  readonly #indexes = new Map<string, MemoryIndex>();
  readonly #histories = new Map<string, History>();
  readonly #documents = new Map<string, Document>();
  /** Ids of the imported units in the indexes: an import counts as created only what is not among them. */
  #imported = new Set<string>();
  #importedVersion = -1;
  /** The store's position (Store.listMemoryUnitsAfter) of the last imported unit read. */
  #importedPosition = 0;
  /**
   * Imports and re-reads of the imported units run one at a time: two imports of one file at once
   * each took the other's units for new (four counted 3,859-9,054 created for 3,000 units, and the
   * file store wrote the same unit again and again).
   */
  readonly #importing = new KeyedMutex();
  #built: Promise<void> | undefined;
  #closed = false;
  #lastSync = 0;
  #syncing: Promise<void> | undefined;
  readonly #stop: () => void;
  readonly #parse: ParsePool;
  /** Names this process in its messages to the others. */
  readonly #process = randomBytes(9).toString("base64url");

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    changes: ChangeFeed,
    private readonly translations: TranslationService,
    private readonly options: {
      followOtherProcesses: boolean;
      version: string;
      now: () => Date;
      /** TMX files are read in its threads, with its deadline. */
      parse?: ParsePool;
    },
  ) {
    this.#parse = options.parse ?? new ParsePool();
    const stopTranslations = changes.onTranslation((change) => {
      this.#onTranslation(change);
      // The events go along when they are small (a save is one revision; a NOTIFY holds 8,000 bytes):
      // another process then applies them as this one did, instead of reading the whole history again.
      const events = JSON.stringify(change.events).length <= EVENTS_IN_MESSAGE ? change.events : undefined;
      this.#tellOthers({
        t: "memory",
        doc: change.document.id,
        lang: change.lang,
        version: change.version,
        ...(events ? { events } : {}),
      });
    });
    const stopDocuments = changes.onDocument(({ document }) => {
      this.#onDocument(document);
      this.#tellOthers({ t: "memory-document", doc: document.id });
    });
    const pubsub = options.followOtherProcesses ? store.pubsub : undefined;
    const stopListening = pubsub?.subscribe((message) => this.#heard(message as MemoryMessage));
    this.#stop = () => {
      stopTranslations();
      stopDocuments();
      stopListening?.();
    };
  }

  /** Starts building (once); resolves when every history and import is in the memory. */
  start(): Promise<void> {
    this.#built ??= this.#build();
    return this.#built;
  }

  /** Resolves once the memory is built and every change heard so far is applied. */
  async ready(): Promise<void> {
    await this.start();
    await Promise.all([...this.#histories.values()].map((h) => h.queue));
    if (this.options.followOtherProcesses && Date.now() - this.#lastSync > SYNC_INTERVAL_MS) {
      this.#lastSync = Date.now();
      this.#syncing ??= this.#sync().finally(() => {
        this.#syncing = undefined;
      });
    }
  }

  #tellOthers(message: DistributiveOmit<MemoryMessage, "from">): void {
    if (!this.options.followOtherProcesses || !this.store.pubsub) return;
    // Lost, the change is still found by the next background check (SYNC_INTERVAL_MS).
    this.store.pubsub.publish({ ...message, from: this.#process }).catch(() => undefined);
  }

  /** Another process's change (its own come back too, and are passed over). */
  #heard(message: MemoryMessage): void {
    if (this.#closed || !this.#built || message.from === this.#process) return;
    if (message.t === "memory") {
      const { doc, lang, version, events } = message;
      if (typeof doc !== "string" || typeof lang !== "string" || typeof version !== "number") return;
      const document = this.#documents.get(doc);
      const carried = Array.isArray(events) ? events : undefined;
      void this.#enqueue(doc, lang, (history) =>
        history.version >= version ? undefined : this.#follow(doc, document, lang, history, carried, version),
      );
    } else if (message.t === "memory-document" && typeof message.doc === "string") {
      const id = message.doc;
      void this.#built
        .then(() => this.store.getDocument(id))
        .then((document) => {
          if (document && !this.#closed && document !== this.#documents.get(id)) this.#onDocument(document);
        })
        .catch(() => undefined);
    } else if (message.t === "memory-import") {
      void this.#built
        .then(async () => {
          await this.#catchUpImported();
        })
        .catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stop();
    await this.#built?.catch(() => undefined);
    await this.#syncing?.catch(() => undefined);
    await Promise.all([...this.#histories.values()].map((h) => h.queue.catch(() => undefined)));
  }

  /** The index of a language pair, made empty when new. */
  index(sourceLang: string, targetLang: string): MemoryIndex {
    const key = pairKey(sourceLang, targetLang);
    let index = this.#indexes.get(key);
    if (!index) {
      index = new MemoryIndex(sourceLang, targetLang);
      this.#indexes.set(key, index);
    }
    return index;
  }

  async #build(): Promise<void> {
    const pause = slicer();
    await this.#loadImported(pause);
    for (const document of await this.store.listDocuments()) {
      if (this.#closed) return;
      this.#documents.set(document.id, document);
      for (const lang of document.languages) {
        await this.#enqueue(document.id, lang, () => this.#reload(document.id, lang));
        await pause();
      }
    }
  }

  /** Reads the units other processes imported since this one last read (in turn with imports). */
  #catchUpImported(): Promise<void> {
    return this.#importing.run("units", () => this.#readImportedIfChanged());
  }

  /**
   * Brings the imported units up to the store's if its memory moved past what was read: only the
   * units written after the last position held, a page at a time, each put in the index in slices
   * (a whole re-read of 100,000 units held another process's event loop 400-800 ms). All of them
   * again only when the store went back (a restored database). The caller holds the turn.
   */
  async #readImportedIfChanged(): Promise<void> {
    const head = await this.store.memoryHead();
    if (head.version === this.#importedVersion) return;
    if (head.version < this.#importedVersion || head.position < this.#importedPosition) {
      await this.#loadImported(slicer());
      return;
    }
    await this.#readImportedAfter(slicer());
    this.#importedVersion = head.version;
  }

  /** Every imported unit read again from the first, the ones held taken out first. */
  async #loadImported(pause: () => Promise<void>): Promise<void> {
    const head = await this.store.memoryHead();
    for (const index of this.#indexes.values())
      for (const unit of [...index.units()])
        if (unit.key.startsWith("tmx/")) {
          index.remove(unit.key);
          await pause();
        }
    this.#imported = new Set();
    this.#importedPosition = 0;
    await this.#readImportedAfter(pause);
    this.#importedVersion = head.version;
  }

  /** Puts in the index the units written after the last position read, up to the last one written. */
  async #readImportedAfter(pause: () => Promise<void>): Promise<void> {
    for (;;) {
      const page = await this.store.listMemoryUnitsAfter(this.#importedPosition, UNITS_PER_READ);
      for (const unit of page.units) {
        // This process's own imports are in the index already.
        if (!this.#imported.has(unit.id)) this.#putImported(unit);
        await pause();
      }
      this.#importedPosition = page.position;
      if (page.units.length < UNITS_PER_READ) return;
    }
  }

  #putImported(unit: ImportedUnit): void {
    this.#imported.add(unit.id);
    // Stored before imports refused them: a match whose text no save takes is never offered.
    if (unsavable(unit.source) === "control_characters" || unsavable(unit.target) === "control_characters")
      return;
    this.index(unit.sourceLang, unit.targetLang).put({
      key: `tmx/${unit.id}`,
      source: unit.source,
      target: unit.target,
      approved: unit.approved === true,
      updatedAt: unit.createdAt,
      ...originOf(unit),
      ...(unit.sourceCodes ? { sourceCodes: unit.sourceCodes } : {}),
      ...(unit.targetCodes ? { targetCodes: unit.targetCodes } : {}),
    });
  }

  #history(documentId: string, lang: string): History {
    const key = `${documentId}\u0000${lang}`;
    let history = this.#histories.get(key);
    if (!history) {
      history = { version: -1, tracks: new Map(), pastKeys: new Map(), queue: Promise.resolve() };
      this.#histories.set(key, history);
    }
    return history;
  }

  #enqueue(documentId: string, lang: string, job: (history: History) => Promise<void> | void): Promise<void> {
    const history = this.#history(documentId, lang);
    const run = history.queue.then(() => (this.#closed ? undefined : job(history)));
    history.queue = run.catch(() => undefined);
    return run;
  }

  #onTranslation({ document, lang, events, version }: TranslationChange): void {
    this.#documents.set(document.id, document);
    void this.#enqueue(document.id, lang, (history) =>
      this.#follow(document.id, document, lang, history, events, version),
    );
  }

  /**
   * A change to a history, in this process or heard from another: applied when it is the one
   * change after the version held and its events are at hand, else the history is read again.
   */
  #follow(
    docId: string,
    document: Document | undefined,
    lang: string,
    history: History,
    events: readonly TranslationEvent[] | undefined,
    version: number,
  ): Promise<void> {
    if (document && events && history.version >= 0 && version === history.version + 1) {
      const touched = new Set<string>();
      for (const event of events) {
        applyToTracks(history.tracks, event);
        touched.add(event.pid);
      }
      history.version = version;
      return this.#index(document, lang, history, touched);
    }
    return this.#reload(docId, lang);
  }

  #onDocument(document: Document): void {
    const before = this.#documents.get(document.id);
    this.#documents.set(document.id, document);
    const langs = new Set([...document.languages, ...(before?.languages ?? [])]);
    for (const lang of langs) void this.#enqueue(document.id, lang, () => this.#reload(document.id, lang));
  }

  /** Reads a history again and puts its paragraphs in the memory (or takes them out). */
  async #reload(documentId: string, lang: string): Promise<void> {
    const history = this.#history(documentId, lang);
    const version = await this.store.translationVersion(documentId, lang);
    const events = await this.store.readTranslationEvents(documentId, lang);
    const document = this.#documents.get(documentId) ?? (await this.store.getDocument(documentId));
    const tracks = new Map<string, Track>();
    for (const event of events) applyToTracks(tracks, event);
    const touched = new Set([...history.tracks.keys(), ...tracks.keys()]);
    history.tracks = tracks;
    history.version = version;
    if (document) await this.#index(document, lang, history, touched);
  }

  /**
   * Puts the touched paragraphs' current texts in the pair's index, or takes them out, each with
   * the source it translates: a translation made against an older source version (outdated, or the
   * paragraph removed since) pairs with that version's text, not with the new one, and so do the
   * texts that were current when the translation moved on to a newer source (`doc/pid@version`).
   * A document (or one import into it) can hold 20,000 paragraphs: they go in slices, the event
   * loop let in between.
   */
  async #index(document: Document, lang: string, history: History, touched: Iterable<string>): Promise<void> {
    const index = this.index(document.sourceLang, lang);
    const listed = document.languages.includes(lang);
    const paragraphs = new Map(document.paragraphs.map((p) => [p.id, p]));
    const pause = slicer();
    for (const pid of touched) {
      await pause();
      const key = unitKey(document.id, pid);
      const track = listed ? history.tracks.get(pid) : undefined;
      const paragraph = paragraphs.get(pid);
      const wanted = new Map<string, { source: string; unit: TrackUnit }>();
      const current = unitOf(track);
      const sources = new Set<string>();
      // Newest first: a text kept for a source that a newer text translates too (the source was left
      // alone by an update, then the translation corrected) is superseded, never suggested.
      for (const [k, unit] of [
        [key, current] as const,
        ...[...(track?.past ?? [])].sort(([a], [b]) => b - a).map(([v, u]) => [`${key}@${v}`, u] as const),
      ]) {
        if (!unit) continue;
        const source = await this.#sourceAt(document, paragraph, pid, unit.against);
        if (source === undefined || sources.has(source)) continue;
        sources.add(source);
        wanted.set(k, { source, unit });
      }
      const pastKeys = history.pastKeys.get(pid) ?? new Set<string>();
      for (const k of [key, ...pastKeys]) if (!wanted.has(k)) index.remove(k);
      pastKeys.clear();
      for (const [k, { source, unit }] of wanted) {
        if (k !== key) pastKeys.add(k);
        index.put({
          key: k,
          source,
          target: unit.text,
          approved: unit.approved,
          document: { id: document.id, title: document.title },
          paragraphId: pid,
          updatedAt: unit.at,
        });
      }
      if (pastKeys.size > 0) history.pastKeys.set(pid, pastKeys);
      else history.pastKeys.delete(pid);
    }
  }

  /**
   * A paragraph's source at a source version: the current one when the paragraph has not changed
   * since (Paragraph.changedIn), else the kept version's; undefined when neither holds it.
   */
  async #sourceAt(
    document: Document,
    paragraph: Paragraph | undefined,
    pid: string,
    version: number,
  ): Promise<string | undefined> {
    if (paragraph && version >= (paragraph.changedIn ?? 1)) return paragraph.source;
    // Kept versions are cached by the translation service, per document version.
    const kept = (document.version ?? 1) === 1 ? [] : await this.translations.sourceVersions(document.id);
    for (let i = kept.length - 1; i >= 0; i--) {
      const record = kept[i] as SourceVersion;
      if (record.version > version) continue;
      const old = sourcesOf(record).get(pid);
      if (old !== undefined) return old;
    }
    // No kept version holds it (a document never updated keeps none): the paragraph's own.
    return paragraph?.source;
  }

  /** Catches up with changes other processes made to the store (PostgreSQL). */
  async #sync(): Promise<void> {
    await this.#catchUpImported();
    const pause = slicer();
    for (const document of await this.store.listDocuments()) {
      if (this.#closed) return;
      const known = this.#documents.get(document.id);
      if (known !== document) this.#onDocument(document);
      for (const lang of document.languages) {
        const version = await this.store.translationVersion(document.id, lang);
        if (version !== this.#history(document.id, lang).version)
          void this.#enqueue(document.id, lang, () => this.#reload(document.id, lang));
        await pause();
      }
    }
  }

  /** Memory matches for a paragraph, best first, its own translation left out. */
  async suggest(
    document: Document,
    lang: string,
    pid: string,
    source: string,
    min: number,
  ): Promise<{ matches: MemoryMatch[]; assembly?: Assembly }> {
    await this.ready();
    const [index, ...fallbacks] = this.#indexesFor(document.sourceLang, lang);
    const own = unitKey(document.id, pid);
    const matches = (index as MemoryIndex).search(source, min, MAX_SUGGESTIONS, own);
    // A regional language (es-AR) also reads its language's memory (es), its own matches first at a score.
    for (const fallback of fallbacks) {
      const keys = new Set(matches.map((m) => m.unit.key));
      for (const match of fallback.search(source, min, MAX_SUGGESTIONS, own))
        if (!keys.has(match.unit.key)) matches.push(match);
      matches.sort((a, b) => b.score - a.score);
      matches.splice(MAX_SUGGESTIONS);
    }
    let assembly = (index as MemoryIndex).assemble(source, own);
    for (const fallback of fallbacks) assembly ??= fallback.assemble(source, own);
    // A paragraph put together from its sentences is worth showing only when it beats every whole match.
    const assembled = assembly && assembly.score >= min && assembly.score > (matches[0]?.score ?? 0);
    // Two units whose numbers were put in can read the same: the text is offered once, at its best.
    const texts = new Set(assembled && assembly ? [assembly.text] : []);
    const distinct = matches.filter(({ text }) => !texts.has(text) && texts.add(text));
    if (assembled && assembly) return { matches: distinct.slice(0, MAX_SUGGESTIONS - 1), assembly };
    return { matches: distinct };
  }

  async concordance(
    sourceLang: string,
    targetLang: string,
    q: string,
    limit: number,
  ): Promise<ConcordanceHit[]> {
    await this.ready();
    const [index, ...fallbacks] = this.#indexesFor(sourceLang, targetLang);
    const hits = (index as MemoryIndex).concordance(q, limit);
    for (const fallback of fallbacks)
      if (hits.length < limit) hits.push(...fallback.concordance(q, limit - hits.length));
    return hits;
  }

  /**
   * The pair's index, then the index of its languages without their regions (es-AR → es) when the
   * memory has one: a newsroom translating into es-AR has use for what was translated into es, as
   * its glossary has.
   */
  #indexesFor(sourceLang: string, targetLang: string): MemoryIndex[] {
    const indexes = [this.index(sourceLang, targetLang)];
    const general = pairKey(primaryLang(sourceLang), primaryLang(targetLang));
    const fallback = this.#indexes.get(general);
    if (fallback && general !== pairKey(sourceLang, targetLang)) indexes.push(fallback);
    return indexes;
  }

  /** Imports a TMX file's units of one language pair; a file that is not TMX imports nothing. */
  async importTmx(
    xml: string | RawText,
    sourceTag: string,
    targetTag: string,
    actor: string,
    file?: string,
  ): Promise<ImportResult> {
    const [sourceLang, targetLang] = memoryPair(sourceTag, targetTag);
    await this.ready();
    let read: ReadTmx;
    try {
      read = await this.#parse.tmx(xml, sourceLang, targetLang, MAX_IMPORT_UNITS);
    } catch (error) {
      // A refusal of the XML reader or of the TMX reader (TmxFormatError is one), rebuilt across the thread.
      // `details.problem` says why with a code and its values, as a glossary import's refusal does.
      if (error instanceof GlossaryFormatError)
        throw new ValidationError(
          error.message,
          {
            ...(error.line !== undefined ? { line: error.line } : {}),
            problem: { code: error.code, params: error.params },
          },
          "invalid_tmx",
        );
      throw error;
    }
    if (read.tooMany)
      throw new ValidationError(
        `A TMX import holds at most ${MAX_IMPORT_UNITS} units.`,
        { units: "too many" },
        "too_many_units",
      );
    return this.#importing.run("units", () => this.#putUnits(read, sourceLang, targetLang, actor, file));
  }

  /**
   * Stores the units not held yet, counted against what the store holds: this process's imports
   * run one at a time, units another process imported before are read first, and the store adds
   * only what no other process added meanwhile.
   */
  async #putUnits(
    read: ReadTmx,
    sourceLang: string,
    targetLang: string,
    actor: string,
    file: string | undefined,
  ): Promise<ImportResult> {
    await this.#readImportedIfChanged();
    const at = this.options.now().toISOString();
    const fresh = new Map<string, ImportedUnit>();
    const index = this.index(sourceLang, targetLang);
    const pause = slicer();
    for (const u of read.units) {
      await pause();
      const id = importedId(sourceLang, targetLang, u.source, u.target);
      if (this.#imported.has(id) || fresh.has(id)) continue;
      // A pair a document's paragraph holds already (a Glosa export imported back): a copy would
      // suggest a paragraph its own text, and every match twice.
      if (!u.sourceCodes && !u.targetCodes && index.holds(u.source, u.target)) continue;
      fresh.set(id, {
        id,
        sourceLang,
        targetLang,
        source: u.source,
        target: u.target,
        ...originOf(u),
        ...(u.approved ? { approved: true } : {}),
        ...(u.sourceCodes ? { sourceCodes: u.sourceCodes } : {}),
        ...(u.targetCodes ? { targetCodes: u.targetCodes } : {}),
        // A date after the import is no date a tool wrote the unit on (9999 sorted first for ever).
        createdAt: u.date !== undefined && u.date <= at ? u.date : at,
        createdBy: actor,
      });
    }
    // Another process may have added some of them since they were read: the store counts.
    const units = await this.store.addMemoryUnits([...fresh.values()], (added) =>
      this.audit.entry(actor, "memory.import", `${sourceLang}>${targetLang}`, {
        ...fileDetail(file),
        created: added.length,
        unchanged: read.units.length - added.length,
        // Every refused unit: the list in the answer stops at 1,000 problems, its last counting the rest.
        errors: read.refused,
      }),
    );
    // Up to date if this add alone moved the memory (each add moves it by one): the units after the
    // position held are this add's. Else the next catch-up reads from the position held.
    const held = this.#importedVersion;
    const head = await this.store.memoryHead();
    if (head.version === held + 1) {
      this.#importedVersion = head.version;
      this.#importedPosition = head.position;
    }
    this.#tellOthers({ t: "memory-import" });
    for (const unit of units) {
      this.#putImported(unit);
      await pause();
    }
    return { created: units.length, unchanged: read.units.length - units.length, errors: read.errors };
  }

  /**
   * Pre-fills every untranslated paragraph that has a 100% match (another paragraph's or an
   * import's) with it, as a draft from the memory: never as translated, a person confirms each.
   * Approved matches win over others. Returns how many paragraphs were filled, and how many matches
   * were left out because a save refuses their text (the other paragraphs are filled all the same).
   */
  async fillExactMatches(documentId: string, lang: string, actor: string): Promise<FillResult> {
    const view = await this.translations.view(documentId, lang);
    await this.ready();
    const index = this.index(view.document.sourceLang, view.lang);
    let filled = 0;
    let skipped = 0;
    for (const row of view.paragraphs) {
      if (row.status !== "untranslated" || this.#closed) continue;
      const [best] = index.search(row.paragraph.source, 100, 1, unitKey(documentId, row.paragraph.id));
      if (!best) continue;
      const saved = await this.translations
        .save(
          documentId,
          view.lang,
          row.paragraph.id,
          { text: best.text, baseRevision: row.revision, status: "draft", origin: "memory" },
          actor,
        )
        .then(
          () => "filled" as const,
          (error: unknown) => {
            // Someone saved the paragraph meanwhile: theirs stands.
            if (error instanceof ConflictError) return "taken" as const;
            // A text no save takes (longer than this server's limit, or stored before imports refused
            // control characters): left out and counted, the other paragraphs still filled.
            if (error instanceof ValidationError) return "skipped" as const;
            return Promise.reject(error);
          },
        );
      if (saved === "filled") filled++;
      else if (saved === "skipped") skipped++;
    }
    return { filled, skipped };
  }

  /** The memory of a language pair as TMX 1.4b. */
  async exportTmx(sourceTag: string, targetTag: string): Promise<AsyncIterable<string>> {
    const [sourceLang, targetLang] = memoryPair(sourceTag, targetTag);
    await this.ready();
    // Each unit as it is written, not a copy of all of them first (160,000 copies took ~0.3 s at once).
    const units = function* (index: Iterable<MemoryUnit>): Generator<ExportUnit> {
      for (const unit of index)
        yield {
          source: unit.source,
          target: unit.target,
          ...originOf(unit),
          tool: unit.tool ?? "Glosa",
          date: unit.updatedAt,
          approved: unit.approved,
          ...(unit.document ? { document: unit.document } : {}),
          ...(unit.sourceCodes ? { sourceCodes: unit.sourceCodes } : {}),
          ...(unit.targetCodes ? { targetCodes: unit.targetCodes } : {}),
        };
    };
    return tmxChunks(units(this.index(sourceLang, targetLang).units()), sourceLang, targetLang, {
      version: this.options.version,
      exportedAt: this.options.now().toISOString(),
    });
  }
}

/** Both languages canonical, or a 400 naming the bad one. */
export function languagePair(sourceTag: string, targetTag: string): [string, string] {
  const sourceLang = canonicalLang(sourceTag);
  const targetLang = canonicalLang(targetTag);
  if (!sourceLang || !targetLang)
    throw new ValidationError(
      "sourceLang and targetLang must be BCP 47 language tags (en, es, pt-BR).",
      { [sourceLang ? "targetLang" : "sourceLang"]: "invalid" },
      "invalid_language",
    );
  return [sourceLang, targetLang];
}

/**
 * A pair a memory can hold: both languages canonical, and two of them. As documents refuse it, a
 * memory from a language into itself is refused (import, export), never an empty file.
 */
function memoryPair(sourceTag: string, targetTag: string): [string, string] {
  const [sourceLang, targetLang] = languagePair(sourceTag, targetTag);
  if (sourceLang === targetLang)
    throw new ValidationError(
      "The target language is the source language.",
      { targetLang: "same as source", context: "same_as_source" },
      "invalid_language",
    );
  return [sourceLang, targetLang];
}

function applyToTracks(tracks: Map<string, Track>, event: TranslationEvent): void {
  if (event.type === "waiver") return;
  const track = tracks.get(event.pid);
  const before = unitOf(track);
  const against = event.sourceVersion ?? 1;
  if (event.type === "revision") {
    const latest = {
      revision: event.revision,
      text: event.text,
      status: event.status,
      at: event.createdAt,
      against,
    };
    if (track) track.latest = latest;
    else tracks.set(event.pid, { latest, past: new Map() });
  } else {
    if (!track || track.latest.revision !== event.revision) return;
    if (event.action === "approve") {
      track.latest.status = "approved";
      // An approval confirms the text against the source the reviewer saw (translations/translation.ts).
      track.latest.against = Math.max(track.latest.against, against);
      track.approved = {
        revision: event.revision,
        text: track.latest.text,
        at: event.createdAt,
        against: track.latest.against,
      };
    } else track.latest.status = "rejected";
  }
  // The translation moved on to a newer source (a new text, or the old one confirmed for it): the old
  // source's translation stays a unit of its own. A rejection takes it out instead.
  const moved = event.type === "revision" || event.action === "approve";
  if (before && moved && against > before.against) tracks.get(event.pid)?.past.set(before.against, before);
}

/** The text a paragraph gives the memory: its latest translated or approved text, never a draft or a rejected one. */
function unitOf(track: Track | undefined): TrackUnit | undefined {
  if (!track) return undefined;
  const { latest, approved } = track;
  if (latest.status === "translated" || latest.status === "approved")
    return {
      text: latest.text,
      approved: latest.status === "approved",
      at: latest.at,
      against: latest.against,
    };
  // A draft or a rejection on top of an approved text leaves the approved text standing.
  if (approved && latest.status !== "untranslated")
    return { text: approved.text, approved: true, at: approved.at, against: approved.against };
  return undefined;
}

/** A kept version's paragraph sources by id, made once per version (a document holds up to 20,000). */
const versionSources = new WeakMap<SourceVersion, Map<string, string>>();
function sourcesOf(version: SourceVersion): Map<string, string> {
  let sources = versionSources.get(version);
  if (!sources) {
    sources = new Map(version.paragraphs.map((p) => [p.id, p.source]));
    versionSources.set(version, sources);
  }
  return sources;
}

export type { MemoryUnit };
