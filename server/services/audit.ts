import type { AuditEntry } from "../accounts/model.ts";
import type { Store } from "../storage/store.ts";

/** Records who changed what; called by every command that changes data, after it succeeded. */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  record(actor: string, action: string, object: string, details?: Record<string, unknown>): Promise<void> {
    const entry: AuditEntry = {
      at: this.now().toISOString(),
      actor,
      action,
      object,
      ...(details ? { details } : {}),
    };
    return this.store.appendAudit(entry);
  }

  list(limit = 200): Promise<AuditEntry[]> {
    return this.store.listAudit(limit);
  }
}
