/**
 * The closed set of errors the application raises. Each has a stable snake_case code; the server
 * turns the kind into an HTTP status and an HTML page or the API's JSON error body.
 */

export type ErrorKind =
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable";

export class GlosaError extends Error {
  /** Fields the API puts beside `error` in the body, such as the `current` revision of a 409. */
  extra?: Record<string, unknown>;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "GlosaError";
  }
}

export class ValidationError extends GlosaError {
  constructor(message: string, details?: unknown, code = "invalid_request") {
    super("validation", code, message, details);
  }
}

/** A body or query whose fields did not validate: the message names them, `details` says why for each. */
export class InvalidFieldsError extends ValidationError {
  constructor(
    readonly fields: readonly string[],
    details: Record<string, string>,
  ) {
    super(`Invalid fields: ${fields.join(", ")}.`, details, "invalid_fields");
  }
}

export class NotFoundError extends GlosaError {
  constructor(what: string, code = "not_found") {
    super("not_found", code, `${what} not found`);
  }
}

export class ConflictError extends GlosaError {
  constructor(message: string, details?: unknown, code = "conflict") {
    super("conflict", code, message, details);
  }

  withCurrent(current: unknown): this {
    this.extra = { current };
    return this;
  }
}
