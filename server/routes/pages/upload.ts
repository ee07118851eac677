import type { NextFunction, Request, RequestHandler, Response } from "express";
import multer from "multer";
import { GlosaError } from "../../../translations/errors.ts";
import type { Csrf } from "../../csrf.ts";
import { TooLargeError } from "../../errors.ts";
import { type RawText, rawText } from "../../parse-pool.ts";

/** A file past the import limit: its name, its size and the limit, for the import page to say. */
export interface OversizedFile {
  name: string;
  /** Bytes the upload held, counted to its end (only the first `limit` of them were kept). */
  size: number;
  limit: number;
}

/**
 * A request whose body `checkedForm` has read and whose token it has checked; `oversizedFile` is set
 * by an `upload` whose route says a file past the limit itself.
 */
type Parsed = Request & { formChecked?: boolean; oversizedFile?: OversizedFile };

/** How far past the limit an upload is counted (to say its size) before it is cut off. */
const COUNTED_TIMES_LIMIT = 8;

/**
 * multer's memory storage, but a file past `maxBytes` is counted to its end instead of cut off with
 * an error: its name and size reach the route, and the form's other fields (after the file, the
 * CSRF token among them) are still read. Memory stays bounded: bytes past the limit are dropped.
 */
function boundedMemory(maxBytes: number): multer.StorageEngine {
  // Counting is not reading for ever: a file this far past the limit is refused where it stands
  // (the generic 413), so a client cannot keep a request busy with an endless body.
  const countedUpTo = maxBytes * COUNTED_TIMES_LIMIT;
  return {
    _handleFile(_req, file, done) {
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      const finish: typeof done = (error, info) => {
        if (finished) return;
        finished = true;
        done(error, info);
      };
      file.stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
        else if (size > countedUpTo) {
          chunks.length = 0;
          file.stream.destroy();
          finish(new TooLargeError());
        }
      });
      file.stream.on("error", (error) => finish(error));
      file.stream.on("end", () =>
        finish(null, size <= maxBytes ? { buffer: Buffer.concat(chunks, size), size } : { size }),
      );
    },
    _removeFile(_req, file, done) {
      (file as { buffer?: Buffer }).buffer = undefined;
      done(null);
    },
  };
}

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
    storage: boundedMemory(maxBytes),
    // Browsers write a file's name in UTF-8 with no charset: read as latin1 (busboy's default),
    // "términos.csv" came back as "tÃ©rminos.csv".
    defParamCharset: "utf8",
    // No `fileSize`: busboy would stop at the limit, losing the size and the fields after the file;
    // boundedMemory counts past it instead, keeping nothing.
    limits: { files: 1, fields: 20, fieldSize: maxBytes, parts: 21 },
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

/**
 * The route takes one uploaded file in `field`: it is `req.file` after this. A file past `maxBytes`
 * is a 413 error page, or, with `sayOversized`, left to the route (`oversizedFile(req)`), which
 * shows its own page again saying so: an import page keeps its form to choose another file.
 */
export function upload(
  field: string,
  maxBytes: number,
  csrf: Csrf,
  options: { sayOversized?: boolean } = {},
): RequestHandler[] {
  const pick: RequestHandler = (req: Parsed, _res, next) => {
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    const file = files.find((f) => f.fieldname === field);
    if (files.length > 0 && !file) return next(uploadError(null));
    if (file && file.size > maxBytes) {
      if (!options.sayOversized) return next(new TooLargeError());
      req.oversizedFile = { name: file.originalname, size: file.size, limit: maxBytes };
      req.file = undefined;
      return next();
    }
    req.file = file;
    next();
  };
  return [checkedForm(maxBytes, csrf), pick];
}

/** The file an `upload` with `sayOversized` found past its limit, if any. */
export function oversizedFile(req: Request): OversizedFile | undefined {
  return (req as Parsed).oversizedFile;
}

/**
 * Bytes as people read a file's size: megabytes of 1,048,576 bytes (the limit is set so: 10 MB is
 * 10,485,760 bytes), or kilobytes under one, to one decimal in the reader's number format.
 */
function fileSize(req: Request, bytes: number): string {
  const format = new Intl.NumberFormat(req.language || "en", { maximumFractionDigits: 1 });
  return bytes < 1024 * 1024
    ? `${format.format(bytes / 1024)} KB`
    : `${format.format(bytes / (1024 * 1024))} MB`;
}

/** "huge.xlf is 14.1 MB; Glosa imports files up to 10 MB.", in the reader's language. */
export function sayOversized(req: Request, file: OversizedFile): string {
  return req.t("common.upload_too_large", {
    name: file.name,
    size: fileSize(req, file.size),
    limit: fileSize(req, file.limit),
  });
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
