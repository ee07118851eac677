/**
 * Runs in a worker thread (see parse-pool.ts): the pure domain parsers, away from the event loop
 * that answers requests. Results go back by structured clone, which keeps plain data but not a
 * class, so a thrown error travels as a described value and parse-pool.ts rebuilds it.
 */

import { parseGlossaryCsv } from "../glossary/csv.ts";
import { GlossaryFormatError } from "../glossary/exchange.ts";
import { parseTbx } from "../glossary/tbx.ts";
import { createDocument } from "../translations/document.ts";
import { GlosaError } from "../translations/errors.ts";
import { parseXliff } from "../translations/exchange/xliff-import.ts";
import type { ParseJob, ParseOutcome } from "./parse-pool.ts";

async function run(job: ParseJob): Promise<unknown> {
  switch (job.kind) {
    case "csv":
      return parseGlossaryCsv(job.text, job.options);
    case "tbx":
      return parseTbx(job.text);
    case "xliff":
      return parseXliff(job.text);
    case "document":
      return createDocument(job.input);
    case "ready":
      return null;
  }
}

/** One job, its error turned into data that survives the structured clone. */
export async function parseJob(job: ParseJob): Promise<ParseOutcome> {
  try {
    return { ok: true, value: await run(job) };
  } catch (error) {
    if (error instanceof GlossaryFormatError)
      return { ok: false, error: { type: "format", message: error.message, line: error.line } };
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
}

export default parseJob;
