import { describe, expect, it } from "vitest";
import type { Role } from "../server/accounts/model.ts";
import { ACTIONS, type Action, can } from "../server/policies.ts";

const T = "translator";
const E = "editor";
const A = "admin";
/** The lowest role allowed to do each action; everyone above may too. */
const table: Record<Action, Role> = {
  "document.read": T,
  "glossary.read": T,
  "translation.edit": T,
  "translation.revert": T,
  "finding.waive": T,
  "document.create": E,
  "document.add_language": E,
  "document.remove_language": E,
  "translation.review": E,
  "glossary.edit": E,
  "users.manage": A,
  "audit.read": A,
  "comment.write": T,
  "comment.resolve": E,
  "comment.moderate": A,
  "memory.manage": E,
  "translation.replace_across": E,
  "stats.read": E,
  "document.update_source": E,
  "quality.configure": E,
};
const rank: Role[] = [T, E, A];

describe("policies", () => {
  it("covers every action", () => {
    expect(Object.keys(table).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS)
    for (const role of rank) {
      const allowed = rank.indexOf(role) >= rank.indexOf(table[action]);
      it(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        expect(can({ role, disabled: false }, action)).toBe(allowed);
      });
    }

  it("lets nobody signed out or disabled do anything", () => {
    for (const action of ACTIONS) {
      expect(can(undefined, action)).toBe(false);
      expect(can({ role: "admin", disabled: true }, action)).toBe(false);
    }
  });
});
