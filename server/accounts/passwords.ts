/** Argon2id password hashing (OWASP parameters: 19 MiB, 2 iterations, 1 lane). */

import { hash, verify } from "@node-rs/argon2";

// Algorithm.Argon2id; the library exports it as an ambient const enum, which isolated modules cannot read.
const ARGON2ID = 2;

export const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

/** Constant-time comparison is done by the Argon2 library. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so that timing does not reveal names. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword("glosa-no-such-user");
  return dummy;
}
