/** HTTP-only errors of the closed set, and the one middleware that renders every error. */

import type { ErrorRequestHandler } from "express";
import type { Logger } from "pino";
import { ZodError } from "zod";
import { GlosaError, InvalidFieldsError } from "../translations/errors.ts";
import { messageFor } from "./messages.ts";
import { StorageUnavailableError } from "./storage/store.ts";

export class UnauthorizedError extends GlosaError {
  constructor(message = "Sign in first.") {
    super("unauthorized", "unauthorized", message);
  }
}

export class ForbiddenError extends GlosaError {
  constructor(message = "You are not allowed to do that.", code = "forbidden") {
    super("forbidden", code, message);
  }
}

export class TooLargeError extends GlosaError {
  constructor(message = "The request body is too large.") {
    super("too_large", "payload_too_large", message);
  }
}

export class UnsupportedMediaTypeError extends GlosaError {
  constructor(message: string) {
    super("unsupported_media_type", "unsupported_media_type", message);
  }
}

export const STATUS: Record<GlosaError["kind"], number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** Turns whatever was thrown into one of ours; anything unknown is a bug, a 500. */
export function toGlosaError(error: unknown): GlosaError | null {
  if (error instanceof GlosaError) return error;
  if (error instanceof StorageUnavailableError)
    return new GlosaError(
      "unavailable",
      "storage_unavailable",
      "The change could not be saved: the server cannot write its data (is the disk full?). Nothing was changed; try again later.",
    );
  const e = error as { type?: string; status?: number; code?: string; message?: string } | null;
  if (!e || typeof e !== "object") return null;
  // body-parser, multer and csrf-sync errors carry a status or a type.
  if (error instanceof ZodError) {
    const details = Object.fromEntries(error.issues.map((i) => [i.path.join(".") || "body", i.message]));
    return new InvalidFieldsError(Object.keys(details), details);
  }
  if (e.type === "entity.too.large" || e.code === "LIMIT_FILE_SIZE") return new TooLargeError();
  if (e.type === "entity.parse.failed")
    return new GlosaError("validation", "malformed_json", "The body is not valid JSON.");
  if (e.code === "EBADCSRFTOKEN" || e.message === "invalid csrf token")
    return new ForbiddenError(
      "The form has expired or did not come from Glosa. Reload the page and try again.",
      "invalid_csrf_token",
    );
  if (e.type === "charset.unsupported" || e.type === "encoding.unsupported")
    return new UnsupportedMediaTypeError("Unsupported charset or encoding.");
  if (typeof e.code === "string" && e.code.startsWith("LIMIT_"))
    return new GlosaError("validation", "invalid_upload", e.message ?? "The upload is not acceptable.");
  if (e.status === 400) return new GlosaError("validation", "bad_request", e.message ?? "Bad request.");
  return null;
}

function inEnglish(req: { language?: string }): boolean {
  return !req.language || req.language.startsWith("en");
}

/**
 * Renders every error: a known one with its status and code, anything else as a 500 whose cause (its
 * stack, which names the server's files) goes to the log only, whatever NODE_ENV says: the API's
 * contract is "never a stack trace", and a page is no place for one either.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = toGlosaError(error);
    const status = known ? STATUS[known.kind] : 500;
    if (!known) logger.error({ err: error, url: req.originalUrl }, "unexpected error");
    const body = known
      ? {
          error: {
            code: known.code,
            // In the reader's language (Accept-Language, or the interface language a browser chose):
            // the page scripts show it as it comes; `code` is what programs compare. English readers get
            // the domain's own sentence, which can name more (a parser's line, a bound) than the page's.
            message: inEnglish(req) ? known.message : messageFor(req, known),
            ...(known.details !== undefined ? { details: known.details } : {}),
          },
          ...known.extra,
        }
      : {
          error: {
            code: "internal_error",
            message: "Something went wrong on our side.",
          },
        };
    if (res.headersSent) return;
    res.status(status);
    // A refusal that says when to come back (rate limits, a paused machine translation provider).
    if (known?.details && typeof known.details === "object") {
      const retry = (known.details as { retryAfter?: number }).retryAfter;
      if (retry) res.set("Retry-After", String(retry));
    }
    if (req.originalUrl.startsWith("/api/")) {
      res.json(body);
      return;
    }
    res.format({
      html: () =>
        res.render("error", {
          status,
          code: body.error.code,
          message: known ? messageFor(req, known) : req.t("error.internal"),
          title: req.t(`error.title_${status}`, { defaultValue: req.t("error.title") }),
        }),
      json: () => res.json(body),
      default: () => res.type("text/plain").send(body.error.message),
    });
  };
}
