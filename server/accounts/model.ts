/** People, their API tokens and the audit trail. */

export type Role = "translator" | "editor" | "admin";
export const ROLES: readonly Role[] = ["translator", "editor", "admin"];

export interface User {
  username: string;
  role: Role;
  /** Argon2id PHC string; never logged, never sent. */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  /** Sessions started before this instant are refused (password change, disable). */
  sessionsValidAfter?: string;
}

export interface ApiToken {
  id: string;
  username: string;
  /** SHA-256 of the token: the token itself is shown once and never stored. */
  hash: string;
  name: string;
  createdAt: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  /** What happened, as a stable verb: `translation.save`, `user.create`, ... */
  action: string;
  /** The object acted on: `document:abc/es/p3`, `user:tina`, `term:xyz`. */
  object: string;
  details?: Record<string, unknown>;
}
