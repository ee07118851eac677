/**
 * Runs in a worker thread (see parse-pool.ts): the pure domain parsers, away from the event loop
 * that answers requests. Results go back by structured clone, which keeps plain data but not a
 * class, so a thrown error travels as a described value and parse-pool.ts rebuilds it.
 */

import { move, transferableSymbol, valueSymbol } from "piscina";
import { parseGlossaryCsv } from "../glossary/csv.ts";
import { GlossaryFormatError } from "../glossary/exchange.ts";
import { parseTbx } from "../glossary/tbx.ts";
import { readTmx } from "../memory/tmx.ts";
import { createDocument } from "../translations/document.ts";
import { GlosaError } from "../translations/errors.ts";
import { parseXliff } from "../translations/exchange/xliff-import.ts";
import { alignSource, compareSourceVersions } from "../translations/source-update.ts";
import {
  type EncodedOutcome,
  encodeOutcome,
  fromWire,
  type ParseJob,
  type ParseOutcome,
  type WireJob,
} from "./parse-pool.ts";

async function run(job: ParseJob): Promise<unknown> {
  switch (job.kind) {
    case "csv":
      return parseGlossaryCsv(job.text, job.options);
    case "tbx":
      return parseTbx(job.text);
    case "xliff":
      return parseXliff(
        job.text,
        job.maxTextLength !== undefined ? { maxTextLength: job.maxTextLength } : {},
      );
    case "document":
      return createDocument(job.input);
    case "align":
      return alignSource(job.old, job.next);
    case "compare":
      return compareSourceVersions(job.from, job.to);
    case "tmx":
      return readTmx(job.text, job.sourceLang, job.targetLang, job.maxUnits);
    case "ready":
      return null;
  }
}

/** One job, its error turned into data that survives the structured clone. */
export async function parseJob(job: ParseJob): Promise<ParseOutcome> {
  try {
    return { ok: true, value: await run(job) };
  } catch (error) {
    return failure(error);
  }
}

/** An error as data that survives the structured clone. */
function failure(error: unknown): ParseOutcome {
  if (error instanceof GlossaryFormatError)
    return {
      ok: false,
      error: {
        type: "format",
        message: error.message,
        line: error.line,
        why: {
          code: error.code,
          params: error.params,
          ...(error.reasons ? { reasons: error.reasons } : {}),
        },
      },
    };
  if (error instanceof GlosaError)
    return {
      ok: false,
      error: {
        type: "glosa",
        kind: error.kind,
        code: error.code,
        message: error.message,
        details: error.details,
      },
    };
  const e = error as Error;
  return { ok: false, error: { type: "other", message: e?.message ?? String(error), stack: e?.stack } };
}

/**
 * The pool's entry: the job comes as bytes and its outcome goes back as JSON in pieces (see
 * parse-pool.ts `encodeOutcome`), the bytes transferred, not copied. Structured-cloning a 9 MB string
 * cost the sending thread 0.2–1 s.
 */
export default async function parseWire(wire: WireJob): Promise<EncodedOutcome> {
  let outcome: ParseOutcome;
  try {
    outcome = await parseJob(fromWire(wire));
  } catch (error) {
    // Bytes that are not text (server/parse-pool.ts `decode`): said like any parse's refusal.
    outcome = failure(error);
  }
  const encoded = encodeOutcome(outcome);
  // Piscina's transferable protocol: the object is sent, its buffer moved with it.
  return move({
    [transferableSymbol]: encoded.bytes.buffer,
    [valueSymbol]: encoded,
  } as unknown as ArrayBuffer) as unknown as EncodedOutcome;
}
