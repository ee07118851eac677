/** Users, passwords and API tokens. */

import { createHash, randomBytes } from "node:crypto";
import { hasForbiddenCharacters } from "../../glossary/text.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../translations/errors.ts";
import type { ApiToken, AuditEntry, Role, User } from "../accounts/model.ts";
import {
  dummyHash,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from "../accounts/passwords.ts";
import { newId } from "../ids.ts";
import { LastAdminError, type Store, type UserChange, UserExistsError } from "../storage/store.ts";
import type { AuditLog } from "./audit.ts";

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function randomPassword(): string {
  return randomBytes(15).toString("base64url");
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)
    throw new ValidationError(
      `A password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`,
      { password: "length" },
      "invalid_password",
    );
}

export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {}

  list(): Promise<User[]> {
    return this.store.listUsers();
  }

  get(username: string): Promise<User | undefined> {
    return this.store.getUser(username);
  }

  async create(input: { username: string; password: string; role: Role }, actor: string): Promise<User> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username))
      throw new ValidationError(
        "A username has 2 to 32 characters: lower-case letters, digits, dot, hyphen or underscore.",
        { username: "invalid" },
        "invalid_username",
      );
    checkPassword(input.password);
    // Told before the password is hashed; the store decides again when it writes.
    if (await this.store.getUser(username)) throw usernameTaken();
    const user: User = {
      username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: this.now().toISOString(),
    };
    try {
      await this.store.createUser(
        user,
        this.audit.entry(actor, "user.create", `user:${username}`, { role: input.role }),
      );
    } catch (error) {
      // Taken meanwhile, by another request in any process: never written over.
      if (error instanceof UserExistsError) throw usernameTaken();
      throw error;
    }
    return user;
  }

  /**
   * Sets fields of a user in one write of the store, which keeps what others changed meanwhile and
   * refuses to leave no enabled admin.
   */
  async #update(username: string, change: UserChange, audit: AuditEntry): Promise<User> {
    let user: User | undefined;
    try {
      user = await this.store.updateUser(username, change, audit);
    } catch (error) {
      if (error instanceof LastAdminError)
        throw new ConflictError(
          "This is the last admin who can sign in: make another user an admin first.",
          { username: "last_admin" },
          "last_admin",
        );
      throw error;
    }
    if (!user) throw new NotFoundError("User", "user_not_found");
    return user;
  }

  async #require(username: string): Promise<User> {
    const user = await this.store.getUser(username);
    if (!user) throw new NotFoundError("User", "user_not_found");
    return user;
  }

  /**
   * Sets the user's fields and ends every way in that the old state gave, sessions and API tokens
   * alike, in one write with its audit entry. A token kept past a password reset or a disable is a
   * door the reset was meant to shut.
   */
  #endAccess(username: string, change: UserChange, audit: AuditEntry): Promise<User> {
    return this.#update(
      username,
      { ...change, sessionsValidAfter: this.now().toISOString(), endTokens: true },
      audit,
    );
  }

  async setRole(username: string, role: Role, actor: string): Promise<User> {
    if (username === actor && role !== "admin")
      throw new ValidationError(
        "You cannot take the admin role from yourself.",
        { role: "self" },
        "own_role",
      );
    return this.#update(
      username,
      { role },
      this.audit.entry(actor, "user.role", `user:${username}`, { role }),
    );
  }

  async setDisabled(username: string, disabled: boolean, actor: string): Promise<User> {
    if (username === actor && disabled)
      throw new ValidationError("You cannot disable yourself.", { username: "self" }, "own_account");
    return this.#endAccess(
      username,
      { disabled },
      this.audit.entry(actor, disabled ? "user.disable" : "user.enable", `user:${username}`),
    );
  }

  async setPassword(username: string, password: string, actor: string): Promise<void> {
    checkPassword(password);
    await this.#require(username);
    await this.#endAccess(
      username,
      { passwordHash: await hashPassword(password) },
      this.audit.entry(
        actor,
        username === actor ? "user.password" : "user.password_reset",
        `user:${username}`,
      ),
    );
  }

  async changeOwnPassword(username: string, current: string, next: string): Promise<void> {
    const user = await this.#require(username);
    if (!(await verifyPassword(user.passwordHash, current)))
      throw new ValidationError("The current password is wrong.", { current: "wrong" }, "wrong_password");
    await this.setPassword(username, next, username);
  }

  /**
   * The user for these credentials, or null; the same work is done for unknown names. `disabled`
   * when they are right but an admin disabled the account: said as such (only to one who knows the
   * password), rather than "wrong password" to someone who then tries again and again.
   */
  async authenticate(username: string, password: string): Promise<User | "disabled" | null> {
    const user = await this.store.getUser(username.trim().toLowerCase());
    if (!user) {
      await verifyPassword(await dummyHash(), password);
      return null;
    }
    if (!(await verifyPassword(user.passwordHash, password))) return null;
    return user.disabled ? "disabled" : user;
  }

  /** Issues a token; only its hash is stored, the token itself is returned once. */
  async issueToken(user: User, name: string): Promise<{ token: string; record: ApiToken }> {
    // A token's name is stored text like any other: PostgreSQL refuses some of these outright.
    if (hasForbiddenCharacters(name))
      throw new ValidationError(
        "A token's name cannot hold control characters (other than tab and newline) or U+FFFE/U+FFFF.",
        { name: "control characters", context: "control_characters" },
        "invalid_fields",
      );
    const token = `glosa_${randomBytes(24).toString("base64url")}`;
    const record: ApiToken = {
      id: newId(),
      username: user.username,
      hash: hashToken(token),
      // By characters, so that the cut never leaves half of a surrogate pair.
      name: Array.from(name).slice(0, 100).join("") || "API token",
      createdAt: this.now().toISOString(),
    };
    await this.store.putToken(
      record,
      this.audit.entry(user.username, "token.create", `token:${record.id}`, { name: record.name }),
    );
    return { token, record };
  }

  async userForToken(token: string): Promise<User | null> {
    const hash = hashToken(token);
    const both = this.store.findTokenWithUser
      ? await this.store.findTokenWithUser(hash)
      : await this.store
          .findTokenByHash(hash)
          .then(async (found) =>
            found ? { token: found, user: await this.store.getUser(found.username) } : undefined,
          );
    if (!both) return null;
    const { token: record, user } = both;
    if (!user || user.disabled) return null;
    // Deleted with the reset that ended it; checked too, should a crash have come between the two.
    if (user.sessionsValidAfter !== undefined && record.createdAt < user.sessionsValidAfter) return null;
    return user;
  }

  listTokens(username: string): Promise<ApiToken[]> {
    return this.store.listTokens(username);
  }

  async revokeToken(id: string, actor: User): Promise<void> {
    const token = (await this.store.listTokens()).find((t) => t.id === id);
    if (!token || (token.username !== actor.username && actor.role !== "admin"))
      throw new NotFoundError("Token", "token_not_found");
    await this.store.deleteToken(id, this.audit.entry(actor.username, "token.revoke", `token:${id}`));
  }
}

function usernameTaken(): ConflictError {
  return new ConflictError("That username is taken.", { username: "taken" }, "username_taken");
}
