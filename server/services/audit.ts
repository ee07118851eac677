import type { AuditAction, AuditEntry } from "../accounts/model.ts";
import type { AuditPage, Store } from "../storage/store.ts";
import { readPage } from "./paging.ts";

/** The longest file name an audit entry keeps: an upload's name is the client's to choose. */
const FILE_NAME_LIMIT = 200;

/** An import's file, named in its audit entry's details: `{ file }`, or nothing without a name. */
export function fileDetail(name: string | undefined): { file?: string } {
  const file = name?.normalize("NFC").trim();
  if (!file) return {};
  return {
    file: [...file].length > FILE_NAME_LIMIT ? `${[...file].slice(0, FILE_NAME_LIMIT).join("")}…` : file,
  };
}

/** Who changed what: entries that commands hand to the store with their change. */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** The entry that records a change; the store writes it together with the change. */
  entry(actor: string, action: AuditAction, object: string, details?: Record<string, unknown>): AuditEntry {
    return {
      at: this.now().toISOString(),
      actor,
      action,
      object,
      ...(details ? { details } : {}),
    };
  }

  /** Records something that changes no data of its own. */
  record(
    actor: string,
    action: AuditAction,
    object: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    return this.store.appendAudit(this.entry(actor, action, object, details));
  }

  list(limit = 200): Promise<AuditEntry[]> {
    return this.store.listAudit(limit);
  }

  /** A page of the log, newest first; a cursor no page handed out is a 400. */
  page(limit: number, after?: string, before?: string): Promise<AuditPage> {
    return readPage((cursors) => this.store.listAuditPage({ limit, ...cursors }), after, before);
  }
}
