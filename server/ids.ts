import { randomBytes } from "node:crypto";

/** A random opaque id for documents, terms and tokens: 12 URL-safe characters. */
export function newId(): string {
  return randomBytes(9).toString("base64url");
}
