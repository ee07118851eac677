import type { NextFunction, Request, RequestHandler, Response } from "express";
import multer from "multer";
import { GlosaError } from "../../../translations/errors.ts";
import type { Csrf } from "../../csrf.ts";
import { TooLargeError } from "../../errors.ts";
import { type RawText, rawText } from "../../parse-pool.ts";

/** A request whose body `checkedForm` has read and whose token it has checked. */
type Parsed = Request & { formChecked?: boolean };

/** A body busboy or multer could not read is the client's: a 400 that names no file and no stack. */
function uploadError(error: unknown): GlosaError {
  if (error instanceof GlosaError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "LIMIT_FILE_SIZE" || code === "LIMIT_FIELD_VALUE") return new TooLargeError();
  return new GlosaError(
    "validation",
    "invalid_upload",
    "The upload could not be read: the form data is malformed or incomplete.",
  );
}

/**
 * Reads a multipart body (at most one file, bounded, into memory) and then checks the CSRF token,
 * whatever the body's type: a multipart POST gets no pass on the token on any route. The page router
 * runs it in front of every route; `upload` runs it again (a no-op by then) so that an upload route
 * is safe wherever it is mounted.
 */
export function checkedForm(maxBytes: number, csrf: Csrf): RequestHandler {
  const parser = multer({
    storage: multer.memoryStorage(),
    // Browsers write a file's name in UTF-8 with no charset: read as latin1 (busboy's default),
    // "términos.csv" came back as "tÃ©rminos.csv".
    defParamCharset: "utf8",
    limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: maxBytes, parts: 21 },
  }).any();
  const protect = (req: Parsed, res: Response, next: NextFunction) =>
    csrf.protect(req, res, (error?: unknown) => {
      if (!error) req.formChecked = true;
      next(error);
    });
  return (req: Parsed, res: Response, next: NextFunction) => {
    if (req.formChecked) return next();
    if (!req.is("multipart/form-data")) return protect(req, res, next);
    parser(req, res, (error?: unknown) => (error ? next(uploadError(error)) : protect(req, res, next)));
  };
}

/** The route takes one uploaded file in `field`: it is `req.file` after this. */
export function upload(field: string, maxBytes: number, csrf: Csrf): RequestHandler[] {
  const pick: RequestHandler = (req: Parsed, _res, next) => {
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    const file = files.find((f) => f.fieldname === field);
    if (files.length > 0 && !file) return next(uploadError(null));
    if (file && file.size > maxBytes) return next(new TooLargeError());
    req.file = file;
    next();
  };
  return [checkedForm(maxBytes, csrf), pick];
}

/**
 * An uploaded file's bytes, to be decoded on a parser thread (UTF-8, or UTF-16 by its byte order
 * mark), or undefined when no file or an empty one came: never a string decoded on the event loop.
 */
/** The name of a file the person chose that holds nothing (a form sent without a file names none). */
export function emptyFileName(file: Express.Multer.File | undefined): string | undefined {
  return file && file.size === 0 && file.originalname ? file.originalname : undefined;
}

export function uploadedBytes(file: Express.Multer.File | undefined): RawText | undefined {
  if (!file || file.size === 0) return undefined;
  return rawText(file.buffer);
}
