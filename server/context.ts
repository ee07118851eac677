import type { Logger } from "pino";
import type { Config } from "./config.ts";
import { AccountService } from "./services/accounts.ts";
import { AuditLog } from "./services/audit.ts";
import { GlossaryService } from "./services/glossary.ts";
import { TranslationService } from "./services/translations.ts";
import type { Store } from "./storage/store.ts";

/** What createApp needs from outside: nothing else is global. */
export interface AppDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** The clock, replaceable in tests. */
  now?: () => Date;
  /** Session signing secret (read from the store by main when the environment has none). */
  sessionSecret: string;
}

/** The commands the routes call, built once per app. */
export interface Services {
  accounts: AccountService;
  audit: AuditLog;
  glossary: GlossaryService;
  translations: TranslationService;
}

export function buildServices({
  store,
  config,
  now = () => new Date(),
}: Pick<AppDeps, "store" | "config" | "now">): Services {
  const audit = new AuditLog(store, now);
  const glossary = new GlossaryService(store, audit, {
    maxTerms: config.maxTerms,
    maxImportTerms: config.maxImportTerms,
  });
  return {
    audit,
    glossary,
    accounts: new AccountService(store, audit, now),
    translations: new TranslationService(store, glossary, audit, now, config.maxTextLength),
  };
}
