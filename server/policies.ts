/**
 * Who may do what: pure predicates over a user's role, in one place, tested as a table.
 * Each role can do everything the one before it can.
 */

import type { Role, User } from "./accounts/model.ts";

export type Action =
  | "document.read"
  | "glossary.read"
  | "translation.edit"
  | "translation.revert"
  | "finding.waive"
  | "document.create"
  | "document.add_language"
  | "document.remove_language"
  | "translation.review"
  | "glossary.edit"
  | "users.manage"
  | "audit.read"
  | "comment.write"
  | "comment.resolve"
  | "comment.moderate"
  // Translation memory: importing and exporting TMX.
  | "memory.manage"
  // Find and replace, statistics (findstats).
  | "translation.replace_across"
  | "stats.read"
  | "document.update_source"
  | "quality.configure";

const RANK: Record<Role, number> = { translator: 1, editor: 2, admin: 3 };

const REQUIRED: Record<Action, Role> = {
  "document.read": "translator",
  "glossary.read": "translator",
  "translation.edit": "translator",
  "translation.revert": "translator",
  "finding.waive": "translator",
  "document.create": "editor",
  "document.add_language": "editor",
  "document.remove_language": "editor",
  "translation.review": "editor",
  "glossary.edit": "editor",
  "users.manage": "admin",
  "audit.read": "admin",
  "comment.write": "translator",
  "comment.resolve": "editor",
  "comment.moderate": "admin",
  "memory.manage": "editor",
  // Within one document × language a replace is saves a translator could make one by one.
  "translation.replace_across": "editor",
  "stats.read": "editor",
  "document.update_source": "editor",
  "quality.configure": "editor",
};

export function can(user: Pick<User, "role" | "disabled"> | undefined | null, action: Action): boolean {
  if (!user || user.disabled) return false;
  return RANK[user.role] >= RANK[REQUIRED[action]];
}

export const ACTIONS = Object.keys(REQUIRED) as Action[];
