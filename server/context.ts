import type { Logger } from "pino";
import { ChangeFeed } from "./changes.ts";
import type { Config } from "./config.ts";
import { DEFAULT_LIVE, LiveHub, type LiveOptions } from "./live.ts";
import { PretranslateJobs } from "./mt/pretranslate.ts";
import type { MachineTranslator } from "./mt/provider.ts";
import { createTranslator, MachineTranslation } from "./mt/service.ts";
import { DEFAULT_PARSE_POOL, ParsePool, type ParsePoolOptions } from "./parse-pool.ts";
import { AccountService } from "./services/accounts.ts";
import { AuditLog } from "./services/audit.ts";
import { CommentService } from "./services/comments.ts";
import { GlossaryService } from "./services/glossary.ts";
import { MemoryService } from "./services/memory.ts";
import { QualityService, qualityCheck } from "./services/quality.ts";
import { ReplaceService } from "./services/replace.ts";
import { StatsService } from "./services/stats.ts";
import { TranslationService } from "./services/translations.ts";
import { UsageIndex } from "./services/usage.ts";
import type { Spellers } from "./spelling.ts";
import type { Store } from "./storage/store.ts";
import type { SuggestionSource } from "./suggestions.ts";
import { GLOSA_VERSION } from "./version.ts";

/** What createApp needs from outside: nothing else is global. */
export interface AppDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** The clock, replaceable in tests. */
  now?: () => Date;
  /** Session signing secret (read from the store by main when the environment has none). */
  sessionSecret: string;
  /** The worker threads that parse uploaded files (threads, per-file deadline); defaults otherwise. */
  parse?: Partial<ParsePoolOptions>;
  /** Live streams: heartbeat and bounds (tests shorten the heartbeat). */
  live?: Partial<LiveOptions>;
  /** Machine translation engines instead of those GLOSA_MT names (tests: stubs). */
  translators?: MachineTranslator[];
  /** Spelling dictionaries; default: the installed ones, loaded on first use. */
  spellers?: Spellers;
}

/** The commands the routes call, built once per app. */
export interface Services {
  accounts: AccountService;
  audit: AuditLog;
  glossary: GlossaryService;
  translations: TranslationService;
  /** Parses user files off the event loop; its threads start on first use, `close()` ends them. */
  parse: ParsePool;
  /** Saves, reviews and document writes of this process, as they happen (memory, live editors). */
  changes: ChangeFeed;
  /** Suggestion sources beside the translation memory (machine translation providers), in order. */
  suggestionSources: SuggestionSource[];
  /** Paragraph comments and source queries (issue 17). */
  comments: CommentService;
  /** Live editors: presence and others' changes streamed (issue 17); `close()` ends the streams. */
  live: LiveHub;
  /** The translation memory: follows `changes`; `start()` builds it (createApp does, in slices). */
  memory: MemoryService;
  /** Find and replace across translations (findstats). */
  replace: ReplaceService;
  /** Words translated, reviewed and approved, from the histories (findstats). */
  stats: StatsService;
  /** Machine translation providers (GLOSA_MT) and the pre-translation jobs that use them. */
  mt: MachineTranslation;
  pretranslate: PretranslateJobs;
  /** Which current translations use a form (the term page), from current texts, not histories. */
  usage: UsageIndex;
  /** Quality checks: each language's settings and accepted words, and the checker of translations. */
  quality: QualityService;
}

export function buildServices({
  store,
  config,
  now = () => new Date(),
  parse: parseOptions,
  live: liveOptions,
  translators,
  spellers,
}: Pick<AppDeps, "store" | "config" | "now" | "parse" | "live" | "translators" | "spellers">): Services {
  const audit = new AuditLog(store, now);
  const parse = new ParsePool({ ...DEFAULT_PARSE_POOL, ...parseOptions });
  const changes = new ChangeFeed();
  const glossary = new GlossaryService(
    store,
    audit,
    { maxTerms: config.maxTerms, maxImportTerms: config.maxImportTerms },
    parse,
  );
  const quality = new QualityService(store, glossary, audit, spellers);
  const translations = new TranslationService(
    store,
    glossary,
    audit,
    now,
    config.maxTextLength,
    parse,
    changes,
    quality,
  );
  const comments = new CommentService(store, translations, audit, now, {
    perParagraph: config.commentsPerParagraph,
    threadChars: config.commentThreadChars,
  });
  const mt = new MachineTranslation(
    translators ?? config.mt.providers.map((name) => createTranslator(name, config.mt)),
    glossary,
    qualityCheck(quality),
    config.mt.timeoutMs,
  );
  return {
    audit,
    glossary,
    quality,
    parse,
    changes,
    suggestionSources: [...mt.sources()],
    mt,
    pretranslate: new PretranslateJobs(mt, translations, now, store),
    // A store shared by several processes (PostgreSQL) has `exclusively`: others' saves are polled for.
    memory: new MemoryService(store, audit, changes, translations, {
      followOtherProcesses: store.exclusively !== undefined,
      version: GLOSA_VERSION,
      now,
      parse,
    }),
    usage: new UsageIndex(store, changes),
    accounts: new AccountService(store, audit, now),
    translations,
    comments,
    live: new LiveHub(store, changes, comments, { ...DEFAULT_LIVE, ...liveOptions }),
    // Find and replace, statistics (findstats).
    replace: new ReplaceService(store, translations, audit, changes, now, config.maxTextLength),
    stats: new StatsService(store, translations),
  };
}
