/**
 * npm run export -- --doc <id> --lang es [--status latest|approved] [--format markdown|bilingual|xliff|tmx]
 *                   [--incomplete error|source] [--out file]
 * Exports a translation from the data directory (GLOSA_DATA_DIR, or --data) without disturbing a
 * running server: the store is opened read-only. Exits non-zero with a clear message on any problem.
 */

import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { joinSlices } from "../../glossary/xml.ts";
import { GlosaError } from "../../translations/errors.ts";
import { EXPORT_FORMAT_IDS, type ExportFormatId } from "../../translations/exchange/formats.ts";
import { loadConfig } from "../config.ts";
import { buildServices } from "../context.ts";
import { FileStore } from "../storage/file-store.ts";

const USAGE = `Usage: npm run export -- --doc <id> --lang <tag> [--status latest|approved] [--format ${EXPORT_FORMAT_IDS.join("|")}] [--incomplete error|source] [--out <file>] [--data <dir>]`;

function fail(message: string, code = 1): never {
  process.stderr.write(`glosa export: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      options: {
        doc: { type: "string" },
        lang: { type: "string" },
        status: { type: "string", default: "latest" },
        format: { type: "string", default: "markdown" },
        incomplete: { type: "string", default: "error" },
        out: { type: "string" },
        data: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
  }
  try {
    args = parse();
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const { values } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.doc || !values.lang) fail(`--doc and --lang are required.\n${USAGE}`, 2);
  if (values.status !== "latest" && values.status !== "approved")
    fail(`--status must be latest or approved, not ${values.status}.`, 2);
  if (values.incomplete !== "error" && values.incomplete !== "source")
    fail(`--incomplete must be error or source.`, 2);
  if (!(EXPORT_FORMAT_IDS as string[]).includes(values.format as string))
    fail(`--format must be one of ${EXPORT_FORMAT_IDS.join(", ")}.`, 2);

  const config = loadConfig({ ...process.env, ...(values.data ? { GLOSA_DATA_DIR: values.data } : {}) });
  if (!existsSync(path.join(config.dataDir, "documents")))
    fail(`No Glosa data in ${config.dataDir} (set GLOSA_DATA_DIR or --data).`);
  const store = await FileStore.open(config.dataDir, { readOnly: true });
  try {
    const { translations } = buildServices({ store, config });
    const file = await translations.export(values.doc, values.lang, {
      format: values.format as ExportFormatId,
      status: values.status,
      incomplete: values.incomplete,
    });
    const body = await joinSlices(file.chunks);
    if (values.out) {
      await writeFile(values.out, body);
      process.stderr.write(`Wrote ${values.out} (${file.filename}).\n`);
    } else {
      process.stdout.write(body);
    }
  } catch (error) {
    if (error instanceof GlosaError) {
      const missing = (error.details as { paragraphs?: string[] } | undefined)?.paragraphs;
      fail(
        `${error.message}${missing ? `\nMissing: ${missing.join(", ")} (use --incomplete source to fall back to the source text)` : ""}`,
      );
    }
    throw error;
  } finally {
    await store.close();
  }
}

main().catch((error) => fail((error as Error).stack ?? String(error)));
