/**
 * Parsing user files off the event loop. A file's parse (CSV, TBX, XLIFF, a document's split into
 * paragraphs) runs in one of a few worker threads, so that a hostile or merely large upload cannot
 * hold up other requests: the main thread only waits. Each job has a deadline; past it the worker
 * is terminated (a parse cannot be interrupted any other way) and the request is answered 413.
 *
 * The pool is piscina's: a bounded set of threads and a queue, with an abort that terminates the
 * running thread. Threads start on first use and stop after a while idle, so building services
 * that never parse (the CLI, most tests) costs nothing.
 */

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { MIMEType } from "node:util";
import type { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import type { CsvOptions } from "../glossary/csv.ts";
import { GlossaryFormatError, type ParsedGlossary } from "../glossary/exchange.ts";
import type { Problem } from "../glossary/problem.ts";
import { slicer } from "../glossary/xml.ts";
import type { ReadTmx } from "../memory/tmx.ts";
import type { OldParagraph } from "../translations/alignment.ts";
import type { Document, NewDocument } from "../translations/document.ts";
import { type ErrorKind, GlosaError, ValidationError } from "../translations/errors.ts";
import type { ParsedXliff } from "../translations/exchange/xliff-import.ts";
import type { AlignedSource, ComparedParagraph, SourceVersion } from "../translations/source-update.ts";
import { UnsupportedMediaTypeError } from "./errors.ts";
import { parseJob } from "./parse-worker.ts";

export type ParseJob =
  | { kind: "csv"; text: string; options: CsvOptions }
  | { kind: "tbx"; text: string }
  | { kind: "xliff"; text: string; maxTextLength?: number }
  | { kind: "document"; input: NewDocument }
  /** A source update's alignment of old paragraphs with new texts and its word diffs (translations/source-update.ts). */
  | { kind: "align"; old: OldParagraph[]; next: string[] }
  /** Two kept source versions compared paragraph by paragraph, with word diffs (the history page). */
  | { kind: "compare"; from: SourceVersion; to: SourceVersion }
  /** A TMX file's units of one language pair, at most `maxUnits` (memory/tmx.ts). */
  | { kind: "tmx"; text: string; sourceLang: string; targetLang: string; maxUnits: number }
  /** Answers once a thread has loaded the parsers: a deadline should time the parse, not the start. */
  | { kind: "ready" };

/**
 * A file as it came in, not decoded yet: its bytes and the charset its request named. Decoding a
 * 20 MB upload took the event loop 30-100 ms; a parser thread does it instead (issue #12).
 */
export interface RawText {
  bytes: Uint8Array;
  charset: string;
}

/** An uploaded file's bytes to parse as text in `charset`; 415 for a charset this server cannot decode. */
export function rawText(bytes: Uint8Array, charset = "utf-8"): RawText {
  try {
    new TextDecoder(charset);
  } catch {
    throw new UnsupportedMediaTypeError(`Unsupported charset "${charset.slice(0, 40)}".`);
  }
  return { bytes, charset };
}

/** The charset a Content-Type header names, or undefined (the body is then read as UTF-8). */
export function charsetOf(contentType: string | undefined): string | undefined {
  try {
    return new MIMEType(contentType ?? "").params.get("charset") ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The text of a file; a byte order mark is dropped. A UTF-16 mark wins over the charset named (a
 * spreadsheet's "Unicode text" export is UTF-16 with a mark, and a browser's upload names none).
 */
export function decode(bytes: Uint8Array, charset = "utf-8"): string {
  const [a, b] = bytes;
  const marked = a === 0xff && b === 0xfe ? "utf-16le" : a === 0xfe && b === 0xff ? "utf-16be" : charset;
  try {
    // Strict: bytes that are not text in the charset are refused, never turned into U+FFFD and
    // imported (a TMX of broken bytes answered "0 created" instead of saying why).
    return new TextDecoder(marked, { fatal: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new ValidationError(
      `The file is not valid ${marked} text. Save it as UTF-8 (or UTF-16) and upload it again.`,
      { context: "encoding", charset: marked },
      "unreadable_file",
    );
  }
}

/** The first characters of a file's text (enough to tell XML from CSV), decoding only its head. */
export function headOf(text: string | RawText, length = 256): string {
  if (typeof text === "string") return text.slice(0, length);
  // Up to 4 bytes a character; a character cut at the end decodes as U+FFFD, which is past what is
  // asked. Lenient: this only tells kinds apart, and the whole file is decoded strictly later.
  return new TextDecoder(text.charset).decode(text.bytes.subarray(0, length * 4)).slice(0, length);
}

/** A new document whose source may still be an uploaded file's bytes. */
export type UploadedDocument = Omit<NewDocument, "content"> & { content: string | RawText };

/** A job as callers hand it to the pool: a file's text may still be its bytes. */
type Undecoded<J> = J extends { text: string }
  ? Omit<J, "text"> & { text: string | RawText }
  : J extends { kind: "document" }
    ? { kind: "document"; input: UploadedDocument }
    : J;
type IncomingJob = Undecoded<ParseJob>;

/** A job as it crosses to a thread: its text as bytes (UTF-8 unless `charset` says), whose buffer is transferred. */
export type WireJob =
  | {
      kind: "csv" | "tbx" | "xliff";
      bytes: Uint8Array;
      charset?: string;
      options?: CsvOptions;
      maxTextLength?: number;
    }
  | { kind: "document"; bytes: Uint8Array; charset?: string; input: Omit<NewDocument, "content"> }
  | { kind: "align" | "compare"; bytes: Uint8Array }
  | {
      kind: "tmx";
      bytes: Uint8Array;
      charset?: string;
      sourceLang: string;
      targetLang: string;
      maxUnits: number;
    }
  | { kind: "ready" };

async function toWire(job: IncomingJob): Promise<WireJob> {
  if (job.kind === "ready") return job;
  if (job.kind === "align") return { kind: "align", bytes: await utf8(JSON.stringify([job.old, job.next])) };
  if (job.kind === "compare")
    return { kind: "compare", bytes: await utf8(JSON.stringify([job.from, job.to])) };
  if (job.kind === "document") {
    const { content, ...input } = job.input;
    return { kind: "document", ...(await wireText(content)), input };
  }
  const { text: _, ...rest } = job;
  const { bytes, ...charset } = await wireText(job.text);
  if (job.kind === "tmx") return { ...rest, bytes, ...charset } as WireJob;
  if (job.kind === "csv") return { kind: "csv", bytes, ...charset, options: job.options };
  return job.kind === "xliff" && job.maxTextLength !== undefined
    ? { kind: job.kind, bytes, ...charset, maxTextLength: job.maxTextLength }
    : { kind: job.kind, bytes, ...charset };
}

/** A text as it crosses: an upload's bytes as they came (decoded by the thread), a string as UTF-8. */
async function wireText(text: string | RawText): Promise<{ bytes: Uint8Array; charset?: string }> {
  if (typeof text === "string") return { bytes: await utf8(text) };
  const bytes = transferable(text.bytes);
  return text.charset.toLowerCase() === "utf-8" ? { bytes } : { bytes, charset: text.charset };
}

/** Bytes whose whole buffer can be handed to a thread: a view into a larger (pooled) buffer is copied. */
function transferable(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

/** Characters encoded per turn of the event loop: a few milliseconds of work. */
const ENCODE_SLICE = 256 * 1024;

/** UTF-8 bytes of `text`, encoded in slices with other work let in between (9 MB at once took up to 67 ms). */
async function utf8(text: string): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  if (text.length <= ENCODE_SLICE) return encoder.encode(text);
  const out = new Uint8Array(text.length * 3);
  let written = 0;
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + ENCODE_SLICE, text.length);
    // Never split a surrogate pair between two slices.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    written += encoder.encodeInto(text.slice(i, end), out.subarray(written)).written;
    i = end;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out.subarray(0, written);
}

export function fromWire(wire: WireJob): ParseJob {
  if (wire.kind === "ready") return wire;
  const text = decode(wire.bytes, ("charset" in wire && wire.charset) || "utf-8");
  if (wire.kind === "align") {
    const [old, next] = JSON.parse(text) as [OldParagraph[], string[]];
    return { kind: "align", old, next };
  }
  if (wire.kind === "compare") {
    const [from, to] = JSON.parse(text) as [SourceVersion, SourceVersion];
    return { kind: "compare", from, to };
  }
  if (wire.kind === "document") return { kind: "document", input: { ...wire.input, content: text } };
  if (wire.kind === "tmx") {
    const { bytes: _, charset: __, ...rest } = wire;
    return { ...rest, text };
  }
  if (wire.kind === "csv") return { kind: "csv", text, options: wire.options as CsvOptions };
  if (wire.kind === "xliff" && wire.maxTextLength !== undefined)
    return { kind: "xliff", text, maxTextLength: wire.maxTextLength };
  return { kind: wire.kind, text };
}

/** An error as it crosses the thread boundary: enough to rebuild the same class and HTTP answer. */
export type ParseFailure =
  | { type: "format"; message: string; line: number | undefined; why: Omit<Problem, "message"> }
  | { type: "glosa"; kind: ErrorKind; code: string; message: string; details: unknown }
  | { type: "other"; message: string; stack: string | undefined };

export type ParseOutcome = { ok: true; value: unknown } | { ok: false; error: ParseFailure };

export interface ParsePoolOptions {
  /** Worker threads at most. */
  threads: number;
  /** How long one job may take, waiting in the queue included, before it is refused. */
  timeoutMs: number;
  /** Jobs waiting for a thread at most; past it a request is answered 503. */
  maxQueue: number;
  /**
   * Text shorter than this (in characters) is parsed on the calling thread: a thread's start (about
   * 1 s: it loads tsx) and the hop cost more than the parse. Measured on a loaded 2-core VM, the
   * slowest hostile 8 KB input (Markdown of 1,600 list items) splits in about 10 ms.
   */
  inlineBelow: number;
}

export const DEFAULT_PARSE_POOL: ParsePoolOptions = {
  // One core stays with the event loop: on 2 cores, two busy parser threads starved it (bench xml:
  // 274-381 ms /healthz stalls with 2 threads during four imports at once).
  threads: Math.max(1, Math.min(2, availableParallelism() - 1)),
  timeoutMs: 10_000,
  maxQueue: 64,
  inlineBelow: 8 * 1024,
};

// Parser threads keep the process's CPU priority. A lower one (piscina's niceIncrement, +10) was
// tried: it cannot be measured to help on a shared machine, and there it starves the parse itself,
// whose 10 s deadline (queue included) then refuses ordinary files as parse_timeout.

/** Where the worker's module is, and how a thread of plain Node loads TypeScript: tsx's loader. */
const WORKER = new URL("./parse-worker.ts", import.meta.url).href;
// Resolved from this file, not from the working directory, which `--import tsx` alone would use.
const TSX = ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href];

export class ParsePool {
  #pool: Piscina | undefined;
  #ready: Promise<unknown> | undefined;
  #closed = false;

  constructor(readonly options: ParsePoolOptions = DEFAULT_PARSE_POOL) {}

  csv(text: string | RawText, options: CsvOptions): Promise<ParsedGlossary> {
    return this.#run({ kind: "csv", text, options }) as Promise<ParsedGlossary>;
  }

  tbx(text: string | RawText): Promise<ParsedGlossary> {
    return this.#run({ kind: "tbx", text }) as Promise<ParsedGlossary>;
  }

  /** Targets longer than `maxTextLength` come back as `tooLong`, not as text. */
  xliff(text: string | RawText, maxTextLength?: number): Promise<ParsedXliff> {
    return this.#run({
      kind: "xliff",
      text,
      ...(maxTextLength !== undefined ? { maxTextLength } : {}),
    }) as Promise<ParsedXliff>;
  }

  /** A document split into paragraphs; an uploaded file's bytes are decoded by the thread. */
  document(input: UploadedDocument): Promise<Document> {
    return this.#run({ kind: "document", input }) as Promise<Document>;
  }

  /**
   * Aligns a document's old paragraphs with its new source's and diffs the changed ones (a large
   * document's takes 100 ms and more; thousands of edited paragraphs, a diff each, longer).
   */
  align(old: readonly OldParagraph[], next: readonly string[]): Promise<AlignedSource> {
    return this.#run({
      kind: "align",
      old: old.map((p) => ({ id: p.id, source: p.source })),
      next: [...next],
    }) as Promise<AlignedSource>;
  }

  /**
   * Two source versions compared, each changed paragraph with its word diff: a long article's
   * thousands of diffs are seconds of work, done in a thread.
   */
  compare(from: SourceVersion, to: SourceVersion): Promise<ComparedParagraph[]> {
    return this.#run({ kind: "compare", from, to }) as Promise<ComparedParagraph[]>;
  }

  /** A TMX file's units of one language pair; `tooMany` past `maxUnits`. */
  tmx(text: string | RawText, sourceLang: string, targetLang: string, maxUnits: number): Promise<ReadTmx> {
    return this.#run({ kind: "tmx", text, sourceLang, targetLang, maxUnits }) as Promise<ReadTmx>;
  }

  /** Starts a thread now and waits until it has loaded the parsers (about 1 s), so that a first file does not. */
  async warm(): Promise<void> {
    await this.#piscina();
  }

  /** The threads running now (tests watch one end when its parse runs past the deadline). */
  get workers(): readonly Worker[] {
    return this.#pool?.threads ?? [];
  }

  /** Terminates the threads; jobs still running fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    this.#ready = undefined;
    await pool?.destroy();
  }

  /** The threads, started on first use; they stay until close() (idle ones do not keep a process alive). */
  async #piscina(): Promise<Piscina> {
    if (this.#closed) throw new GlosaError("unavailable", "shutting_down", "The server is shutting down.");
    if (!this.#pool) {
      const { threads, maxQueue } = this.options;
      // One thread always (a thread terminated at a deadline is replaced at once, not by the next file),
      // a second one when files come in together.
      this.#pool = new Piscina({
        filename: WORKER,
        minThreads: 1,
        maxThreads: threads,
        maxQueue,
        execArgv: TSX,
      });
      this.#ready = this.#pool.run({ kind: "ready" } satisfies WireJob);
    }
    await this.#ready;
    return this.#pool;
  }

  async #run(incoming: IncomingJob): Promise<unknown> {
    const { timeoutMs, inlineBelow } = this.options;
    // Bytes are measured as they are (in bytes, not characters), and decoded here only when small.
    const raw =
      "text" in incoming && typeof incoming.text !== "string"
        ? incoming.text
        : incoming.kind === "document" && typeof incoming.input.content !== "string"
          ? incoming.input.content
          : undefined;
    if (raw && raw.bytes.length < inlineBelow) {
      const text = decode(raw.bytes, raw.charset);
      return unwrap(
        await parseJob(
          incoming.kind === "document"
            ? { kind: "document", input: { ...incoming.input, content: text } }
            : ({ ...incoming, text } as ParseJob),
        ),
      );
    }
    // Text still as bytes is large by now: it goes to a thread whatever its kind.
    const job = incoming as ParseJob;
    const size = raw
      ? raw.bytes.length
      : job.kind === "document"
        ? job.input.content.length
        : job.kind === "ready"
          ? 0
          : job.kind === "align"
            ? job.old.reduce((n, p) => n + p.source.length, 0) + job.next.reduce((n, t) => n + t.length, 0)
            : job.kind === "compare"
              ? [job.from, job.to].reduce(
                  (n, v) => n + v.paragraphs.reduce((m, p) => m + p.source.length, 0),
                  0,
                )
              : job.text.length;
    if (size < inlineBelow) return unwrap(await parseJob(job));
    let outcome: ParseOutcome;
    try {
      const pool = await this.#piscina();
      const wire = await toWire(incoming);
      const json: EncodedOutcome = await pool.run(wire, {
        signal: AbortSignal.timeout(timeoutMs),
        transferList: "bytes" in wire ? [wire.bytes.buffer as ArrayBuffer] : [],
      });
      outcome = (await decodeOutcome(json)) as ParseOutcome;
    } catch (error) {
      const e = error as Error;
      if (e?.name === "AbortError" || e?.name === "TimeoutError") {
        // The thread was terminated; the next deadline starts once its replacement has loaded.
        if (this.#pool) {
          this.#ready = this.#pool.run({ kind: "ready" } satisfies WireJob);
          // A close() before it loads ends it; nobody may be waiting then, and that is no crash.
          this.#ready.catch(() => undefined);
        }
        throw new GlosaError(
          "too_large",
          "parse_timeout",
          `The file took longer than ${timeoutMs / 1000} s to read, and was refused. Split it into smaller files.`,
          { timeoutMs },
        );
      }
      if (/queue is at limit/i.test(e?.message ?? ""))
        throw new GlosaError(
          "unavailable",
          "parser_busy",
          "The server is reading many files at once. Try again shortly.",
        );
      throw error;
    }
    return unwrap(outcome);
  }
}

/**
 * A thread's answer as it crosses back: JSON in pieces, so that this thread parses a few hundred KB
 * per turn of its event loop, never the whole (JSON.parse of a 20 MB glossary's terms, or a 10,000
 * paragraph document, held it 30-100 ms). Piece 0 is the answer with each long array replaced by a
 * marker naming the pieces that hold its elements; the texts are UTF-8 in one transferred buffer.
 */
export interface EncodedOutcome {
  bytes: Uint8Array;
  /** Byte length of each piece, in order. */
  lengths: number[];
}

/** Where a long array's elements went: pieces `[first, last]`. No parser's answer has this key. */
const SLICES = "\u0000slices";
/** Arrays shorter than this stay in their parent's piece. */
const LONG_ARRAY = 64;
/** About how many characters of JSON a piece holds. */
const PIECE = 256 * 1024;

/** The answer in pieces (see EncodedOutcome). Runs on the parser thread. */
export function encodeOutcome(outcome: ParseOutcome): EncodedOutcome {
  const pieces: string[] = [""];
  const split = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      if (value.length < LONG_ARRAY) return value.map(split);
      const first = pieces.length;
      let group: string[] = [];
      let size = 0;
      for (const item of value) {
        const text = JSON.stringify(item) ?? "null";
        group.push(text);
        size += text.length;
        if (size >= PIECE) {
          pieces.push(`[${group.join(",")}]`);
          group = [];
          size = 0;
        }
      }
      if (group.length > 0 || pieces.length === first) pieces.push(`[${group.join(",")}]`);
      return { [SLICES]: [first, pieces.length - 1] };
    }
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, split(v)]));
    return value;
  };
  pieces[0] = JSON.stringify(split(outcome));
  const encoder = new TextEncoder();
  const encoded = pieces.map((piece) => encoder.encode(piece));
  const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
  let at = 0;
  for (const e of encoded) {
    bytes.set(e, at);
    at += e.length;
  }
  return { bytes, lengths: encoded.map((e) => e.length) };
}

/** The answer rebuilt from its pieces, one piece parsed per slice of this thread's time. */
export async function decodeOutcome({ bytes, lengths }: EncodedOutcome): Promise<unknown> {
  const decoder = new TextDecoder();
  const breathe = slicer();
  const parsed: unknown[] = [];
  let at = 0;
  for (const length of lengths) {
    parsed.push(JSON.parse(decoder.decode(bytes.subarray(at, at + length))));
    at += length;
    await breathe();
  }
  const join = async (value: unknown): Promise<unknown> => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = await join(value[i]);
      return value;
    }
    if (!value || typeof value !== "object") return value;
    const marker = (value as Record<string, unknown>)[SLICES];
    if (Array.isArray(marker)) {
      const [first, last] = marker as [number, number];
      const items: unknown[] = [];
      for (let p = first; p <= last; p++) {
        for (const item of parsed[p] as unknown[]) items.push(item);
        await breathe();
      }
      return items;
    }
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = await join(v);
    return value;
  };
  return join(parsed[0]);
}

/** The value, or the error rebuilt as the class the parser threw. */
function unwrap(outcome: ParseOutcome): unknown {
  if (outcome.ok) return outcome.value;
  const failure = outcome.error;
  if (failure.type === "format") throw new GlossaryFormatError(failure.message, failure.line, failure.why);
  if (failure.type === "glosa")
    throw failure.kind === "validation"
      ? new ValidationError(failure.message, failure.details, failure.code)
      : new GlosaError(failure.kind, failure.code, failure.message, failure.details);
  const error = new Error(failure.message);
  if (failure.stack) error.stack = failure.stack;
  throw error;
}
