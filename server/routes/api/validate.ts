import type { z } from "zod";
import { InvalidFieldsError } from "../../../translations/errors.ts";

/** Parses a body with its schema; a 400 whose details name every bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details: Record<string, string> = {};
  for (const issue of result.error.issues) details[issue.path.join(".") || "body"] ??= issue.message;
  throw new InvalidFieldsError(Object.keys(details), details);
}
