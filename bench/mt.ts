/**
 * Pre-translating the seed article with Apertium (the whole job: names, glossary protection,
 * substitution, checks, one durable write of the drafts) against one `apertium` command-line call
 * on the same paragraphs. The pool's pipelines are warm, as they are on a running server; each run
 * has an empty cache and a new document, so nothing is answered from memory.
 */

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "../server/config.ts";
import { buildServices } from "../server/context.ts";
import { ApertiumTranslator, installedModes } from "../server/mt/apertium.ts";
import { PretranslateJobs } from "../server/mt/pretranslate.ts";
import { glossaryCheck, MachineTranslation } from "../server/mt/service.ts";
import { initializeStore } from "../server/seed.ts";
import { FileStore } from "../server/storage/file-store.ts";
import { splitPlainText } from "../translations/document.ts";
import { ms, type Row, time, timeFresh } from "./harness.ts";

const run = promisify(execFile);
const RUNS = 15;
const pair = { source: "en", target: "es" };

function cli(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("apertium", ["-u", "eng-spa"], { maxBuffer: 1 << 24 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(text);
  });
}

export async function mtBenchmarks(): Promise<Row[]> {
  if (!(await installedModes()).some((m) => m.mode === "eng-spa")) {
    process.stdout.write(
      "\nmt: skipped, apertium with the eng-spa pair is not installed (apt-get install apertium apertium-eng-spa)\n",
    );
    return [];
  }
  await run("apertium", ["-l"]);
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-bench-mt-"));
  const store = await FileStore.open(dir);
  const config = loadConfig({
    GLOSA_DATA_DIR: dir,
    NODE_ENV: "production",
    GLOSA_ADMIN_PASSWORD: "bench-admin-password",
  });
  const services = buildServices({ store, config });
  await initializeStore(store, services, config);
  const article = await readFile(new URL("../default-data/article-trump-milei.txt", import.meta.url), "utf8");
  const paragraphs = splitPlainText(article).map((b) => b.source);
  const engine = new ApertiumTranslator();
  try {
    const job = async (docId: string) => {
      // A new MachineTranslation per run: an empty cache, the same warm engine.
      const mt = new MachineTranslation([engine], services.glossary, glossaryCheck(services.glossary));
      const jobs = new PretranslateJobs(mt, services.translations);
      const started = await jobs.start(docId, "es", "bench");
      await jobs.idle();
      if ((await jobs.get(docId, "es", started.id)).filled !== paragraphs.length)
        throw new Error("pre-translation incomplete");
    };
    const newDocument = async () =>
      (
        await services.translations.create(
          { sourceLang: "en", format: "text", content: article, languages: ["es"] },
          "bench",
        )
      ).id;
    const pretranslate = await timeFresh(newDocument, job, RUNS);
    const command = await time(() => cli(paragraphs.join("\n\n")), RUNS, 3);
    const ratio = pretranslate.median / command.median;
    // The choice of engine design: the pool against a process per request (one per paragraph).
    const pool = await time(
      () => engine.translate(paragraphs, pair, { signal: AbortSignal.timeout(30_000) }),
      RUNS,
      3,
    );
    const perRequest = await time(() => Promise.all(paragraphs.map((p) => cli(p))), 5, 1);
    return [
      {
        benchmark: "Apertium: 12 paragraphs through the warm pool of null-flush pipelines",
        measured: ms(pool.median),
        baseline: `a process per request (12 \`apertium\` calls, 2 cores): ${ms(perRequest.median)}`,
        ratio: pool.median / perRequest.median,
        goal: "< 1 (the pool is the faster design)",
        ok: pool.median < perRequest.median,
      },
      {
        benchmark: `Pre-translate the seed article (${paragraphs.length} paragraphs) with Apertium, glossary-safe, drafts saved`,
        measured: `${ms(pretranslate.median)} per document (p99 ${ms(pretranslate.p99)})`,
        baseline: `one \`apertium -u eng-spa\` call on the same paragraphs: ${ms(command.median)}`,
        ratio,
        goal: "<= 1.5",
        ok: ratio <= 1.5,
      },
    ];
  } finally {
    engine.close();
    await services.parse.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
