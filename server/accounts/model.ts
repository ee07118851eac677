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

/**
 * Every action the audit log records, as stable codes: each one has a label for people in every
 * interface language (audit_actions.<code with _ for .>), checked by tests/http/audit-page.test.ts.
 */
export const AUDIT_ACTIONS = [
  "comment.create",
  "comment.delete",
  "comment.edit",
  "comment.resolve",
  "document.add_language",
  "document.create",
  "document.remove_language",
  "document.update_source",
  "finding.unwaive",
  "finding.waive",
  "glossary.import",
  "memory.import",
  "quality.accept_word",
  "quality.settings",
  "term.create",
  "term.delete",
  "term.update",
  "token.create",
  "token.revoke",
  "translation.approve",
  "translation.batch_incomplete",
  "translation.carry",
  "translation.clear",
  "translation.import",
  "translation.pretranslate",
  "translation.reject",
  "translation.replace",
  "translation.replace_undo",
  "translation.revert",
  "translation.save",
  "user.create",
  "user.disable",
  "user.enable",
  "user.password",
  "user.password_reset",
  "user.role",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: string;
  actor: string;
  /** What happened, as a stable verb: `translation.save`, `user.create`, ... */
  action: string;
  /** The object acted on: `document:abc/es/p3`, `user:tina`, `term:xyz`. */
  object: string;
  details?: Record<string, unknown>;
}
