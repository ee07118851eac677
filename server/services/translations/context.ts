import type { ChangeFeed } from "../../changes.ts";
import type { ParsePool } from "../../parse-pool.ts";
import type { KeyedMutex } from "../../storage/mutex.ts";
import type { Store } from "../../storage/store.ts";
import type { AuditLog } from "../audit.ts";
import type { GlossaryService } from "../glossary.ts";
import type { QualityService } from "../quality.ts";
import type { TranslationRepository } from "./repository.ts";

/** What the translation modules share: the store and its repository, and the services they use. */
export interface TranslationContext {
  readonly store: Store;
  readonly repository: TranslationRepository;
  readonly glossary: GlossaryService;
  readonly audit: AuditLog;
  readonly quality: QualityService;
  readonly parse: ParsePool;
  /** Told of every append and document write, once durable. */
  readonly changes: ChangeFeed;
  readonly now: () => Date;
  readonly maxTextLength: number;
  /** Orders this process's writes of one document's record (languages, source) by document id. */
  readonly documentLocks: KeyedMutex;
}
