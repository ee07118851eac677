/**
 * The local Apertium engine. Loading a pair's dictionaries costs more than translating a paragraph,
 * so each pair keeps a small pool of long-lived pipelines in null-flush mode (`-z`): a segment
 * followed by NUL goes in, its translation followed by NUL comes out, in order. bench/mt.ts
 * measures this against one `apertium` call per request.
 */

import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { escapeRegExp } from "./glossary-safe.ts";
import {
  type LanguagePair,
  MachineTranslationError,
  type MachineTranslator,
  primary,
  type TranslateOptions,
} from "./provider.ts";

const run = promisify(execFile);

/** Apertium's ISO 639-3 codes for the BCP 47 primary subtags Glosa uses. */
const ISO3: Record<string, string> = {
  en: "eng",
  es: "spa",
  ca: "cat",
  fr: "fra",
  pt: "por",
  it: "ita",
  gl: "glg",
  eu: "eus",
  de: "deu",
  nl: "nld",
  ro: "ron",
  oc: "oci",
  an: "arg",
  ast: "ast",
  nb: "nob",
  nn: "nno",
  sv: "swe",
  da: "dan",
  is: "isl",
  br: "bre",
  cy: "cym",
  ga: "gle",
  eo: "epo",
  ru: "rus",
  uk: "ukr",
  pl: "pol",
  cs: "ces",
  sk: "slk",
  sl: "slv",
  hr: "hrv",
  sr: "srp",
  bg: "bul",
  mk: "mkd",
  kk: "kaz",
  tt: "tat",
  mt: "mlt",
  ar: "ara",
  he: "heb",
  hi: "hin",
  ur: "urd",
  id: "ind",
  ms: "msa",
  tr: "tur",
  fi: "fin",
  et: "est",
};
const ISO1 = Object.fromEntries(Object.entries(ISO3).map(([two, three]) => [three, two]));

export interface ApertiumOptions {
  /** Where the `modes/` folder lives (Debian: /usr/share/apertium). */
  dataDir: string;
  /** Long-lived pipelines per pair. */
  processes: number;
}

export const DEFAULT_APERTIUM: ApertiumOptions = { dataDir: "/usr/share/apertium", processes: 2 };

/** One installed mode (`eng-spa`, `spa-eng_US`) as a pair of BCP 47 tags. */
export interface ApertiumMode extends LanguagePair {
  mode: string;
}

/** `apertium -l`'s modes that are translation directions, as BCP 47 pairs. */
export function parseModes(listing: string): ApertiumMode[] {
  return listing
    .split("\n")
    .map((line) => line.trim())
    .flatMap((mode) => {
      const m = /^([a-z]{2,3})-([a-z]{2,3})(?:_([A-Za-z]{2}))?$/.exec(mode);
      if (!m?.[1] || !m[2]) return [];
      const source = ISO1[m[1]] ?? m[1];
      const target = (ISO1[m[2]] ?? m[2]) + (m[3] ? `-${m[3].toUpperCase()}` : "");
      return [{ mode, source, target }];
    });
}

/** Installed pairs (`apertium -l`), or none when Apertium is not installed. */
export async function installedModes(): Promise<ApertiumMode[]> {
  try {
    const { stdout } = await run("apertium", ["-l"], { timeout: 5000 });
    return parseModes(stdout);
  } catch {
    return [];
  }
}

/** Apertium's stream format: these characters are escaped in text, `[...]` holds format (superblanks). */
export function deformat(text: string): string {
  return text.replace(/[\\[\]^$@/<>{}]/g, "\\$&");
}

export function reformat(stream: string): string {
  let out = "";
  for (let i = 0; i < stream.length; i++) {
    const c = stream[i];
    if (c === "\\") out += stream[++i] ?? "";
    else if (c !== "[" && c !== "]") out += c;
  }
  return out;
}

/**
 * Removes the marks Apertium puts before words it could not analyse (`*`), translate (`@`) or
 * generate (`#`), keeping the marks the source itself had before that word: the end of the run
 * that the source holds before it, so that Markdown's `*chainsaw*` comes back as `*motosierra*`
 * from the engine's `**chainsaw*`, not as `chainsaw*`.
 */
export function stripUnknownMarks(output: string, source: string): string {
  return output.replace(/[*#@]+(?=[\p{L}\p{N}])/gu, (mark, offset: number) => {
    const word = /^[\p{L}\p{N}]+/u.exec(output.slice(offset + mark.length))?.[0] ?? "";
    for (let kept = mark.length; kept > 0; kept--)
      if (source.includes(mark.slice(mark.length - kept) + word)) return mark.slice(mark.length - kept);
    return "";
  });
}

/**
 * Lowers the capital the engine gives the word after a sentence's first word when it passed that
 * word through unknown (a name or a kept span's placeholder): "Milei celebrated" came back as
 * "Milei Celebrado". Only where the source has both words as the output starts them, the second in
 * lower case there.
 */
export function lowerAfterLeadingName(output: string, source: string): string {
  return output.replace(
    /(^|[.!?]\s+)(["“‘«¿¡(]*)([\p{L}\p{N}][\p{L}\p{N}'’-]*)(\s+)(\p{Lu})(?=\p{Ll})/gu,
    (whole, before: string, open: string, first: string, blank: string, capital: string, offset: number) => {
      const at = offset + whole.length - capital.length;
      const next = /^[\p{L}\p{N}]+/u.exec(output.slice(at))?.[0] ?? "";
      // The first word stands in the source before a word in lower case, and the capital one is no word of the source.
      const passed = new RegExp(`(?:^|[.!?]\\s+)["“‘«¿¡(]*${escapeRegExp(first)}\\s+\\p{Ll}`, "u").test(
        source,
      );
      if (
        !passed ||
        new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(next)}(?![\\p{L}\\p{N}])`, "u").test(source)
      )
        return whole;
      return `${before}${open}${first}${blank}${capital.toLowerCase()}`;
    },
  );
}

interface Pending {
  resolve: (text: string) => void;
  reject: (error: Error) => void;
}

/**
 * One long-lived pipeline. Each segment goes in as `[#n#]segment[]` + NUL: the leading superblank
 * comes back first and says whose answer follows (some stages emit stray NULs, so order alone is not
 * trusted), the trailing one keeps a final full stop from being held back until the next segment.
 */
class Pipeline {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #buffer = "";
  #dead = false;

  constructor(
    script: string,
    private readonly provider: string,
  ) {
    this.#child = spawn("bash", ["-c", script], { stdio: "pipe" });
    this.#child.stdout.setEncoding("utf8");
    this.#child.stdout.on("data", (chunk: string) => this.#read(chunk));
    this.#child.stderr.resume();
    this.#child.stdin.on("error", () => this.#fail());
    this.#child.on("error", () => this.#fail());
    this.#child.on("exit", () => this.#fail());
  }

  get dead(): boolean {
    return this.#dead;
  }

  get load(): number {
    return this.#pending.size;
  }

  send(stream: string): Promise<string> {
    if (this.#dead) return Promise.reject(new MachineTranslationError(this.provider, "unavailable"));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.stdin.write(`[#${id}#]${stream}[]\0`);
    });
  }

  kill(): void {
    this.#fail();
  }

  #read(chunk: string): void {
    this.#buffer += chunk;
    for (let at = this.#buffer.indexOf("\0"); at >= 0; at = this.#buffer.indexOf("\0")) {
      const answer = this.#buffer.slice(0, at);
      this.#buffer = this.#buffer.slice(at + 1);
      const marker = /^\[#(\d+)#\]/.exec(answer);
      if (!marker) continue;
      const id = Number(marker[1]);
      this.#pending.get(id)?.resolve(answer.slice(marker[0].length));
      this.#pending.delete(id);
    }
  }

  #fail(): void {
    if (!this.#dead) {
      this.#dead = true;
      this.#child.kill("SIGKILL");
    }
    for (const pending of this.#pending.values())
      pending.reject(new MachineTranslationError(this.provider, "unavailable", "the engine stopped"));
    this.#pending.clear();
  }
}

/**
 * The pipeline `apertium -z` would run for a mode (apertium-wblank-mode writes it), with generation
 * marking unknown words; or, for `analyseOnly`, just its first stage, the source analyser.
 */
async function pipelineScript(dataDir: string, mode: string, analyseOnly: boolean): Promise<string> {
  const file = path.join(dataDir, "modes", `${mode}.mode`);
  if (analyseOnly) {
    const first = (await readFile(file, "utf8")).trim().split(/\s*\|\s*/)[0] ?? "";
    return first.replace(/^lt-proc\b/, "lt-proc -z");
  }
  const { stdout } = await run("apertium-wblank-mode", ["-z", file], { timeout: 5000 });
  return stdout.trim().replace(/\$1/g, "-g").replace(/\$2/g, "");
}

class Pool {
  readonly #pipelines: Pipeline[] = [];

  constructor(
    private readonly script: string,
    private readonly size: number,
    private readonly provider: string,
  ) {}

  /** The least busy live pipeline, started when there is room. */
  pick(): Pipeline {
    for (let i = this.#pipelines.length - 1; i >= 0; i--)
      if (this.#pipelines[i]?.dead) this.#pipelines.splice(i, 1);
    const idle = this.#pipelines.find((p) => p.load === 0);
    if (idle) return idle;
    if (this.#pipelines.length < this.size) {
      const pipeline = new Pipeline(this.script, this.provider);
      this.#pipelines.push(pipeline);
      return pipeline;
    }
    return this.#pipelines.reduce((a, b) => (b.load < a.load ? b : a));
  }

  close(): void {
    for (const p of this.#pipelines.splice(0)) p.kill();
  }

  /** Pipelines alive now. */
  get alive(): number {
    return this.#pipelines.filter((p) => !p.dead).length;
  }
}

/** The longest a warm-up waits for a pipeline's first answer. */
const WARM_MS = 30_000;

export class ApertiumTranslator implements MachineTranslator {
  readonly name = "apertium";
  readonly placeholders = "token" as const;
  #modes?: Promise<ApertiumMode[]>;
  readonly #pools = new Map<string, Promise<Pool>>();

  constructor(private readonly options: ApertiumOptions = DEFAULT_APERTIUM) {}

  pairs(): Promise<LanguagePair[]> {
    this.#modes ??= installedModes();
    return this.#modes;
  }

  async translate(
    segments: readonly string[],
    pair: LanguagePair,
    options: TranslateOptions,
  ): Promise<string[]> {
    const pool = await this.#pool(pair, false);
    return this.#send(pool, segments.map(deformat), options.signal, (out, i) =>
      // Words the engine drops (a possessive 's) leave two spaces behind.
      lowerAfterLeadingName(
        stripUnknownMarks(reformat(out).trim(), segments[i] ?? "").replace(/(\S) {2,}(?=\S)/g, "$1 "),
        segments[i] ?? "",
      ),
    );
  }

  /**
   * Names the dictionaries do not hold as names: a run of capitalised words from a known first name
   * or an unknown word on ("Donald Trump", "Javier Milei"); its last word alone is then a name
   * wherever it is capitalised ("Trump tells Milei").
   */
  async names(texts: readonly string[], pair: LanguagePair, signal: AbortSignal): Promise<string[]> {
    const pool = await this.#pool(pair, true);
    const analyses = await this.#send(pool, texts.map(deformat), signal, (out) => out);
    const names = new Set<string>();
    for (const analysis of analyses) for (const name of namesIn(analysis)) names.add(name);
    for (const name of [...names]) {
      const last = name.split(" ").at(-1);
      if (last && last !== name) names.add(last);
    }
    return [...names];
  }

  close(): void {
    for (const pool of this.#pools.values())
      void pool.then(
        (p) => p.close(),
        () => {},
      );
    this.#pools.clear();
  }

  async #send(
    pool: Pool,
    streams: string[],
    signal: AbortSignal,
    finish: (out: string, i: number) => string,
  ): Promise<string[]> {
    if (signal.aborted) throw new MachineTranslationError(this.name, "timeout");
    const used = new Set<Pipeline>();
    const answers = streams.map((stream) => {
      const pipeline = pool.pick();
      used.add(pipeline);
      return pipeline.send(stream);
    });
    // An abandoned request would leave its answers to the next one: its pipelines are ended instead.
    const abort = () => {
      for (const p of used) p.kill();
    };
    signal.addEventListener("abort", abort, { once: true });
    try {
      return (await Promise.all(answers)).map(finish);
    } catch (error) {
      if (signal.aborted) throw new MachineTranslationError(this.name, "timeout");
      throw error;
    } finally {
      signal.removeEventListener("abort", abort);
    }
  }

  /**
   * Starts the pipelines of the pair's mode now (translation and name analysis), so that the first
   * suggestion does not pay for loading the dictionaries (1–3 s under load).
   */
  async warm(pair: LanguagePair): Promise<void> {
    const pools = await Promise.all([this.#pool(pair, false), this.#pool(pair, true)]);
    // A pool starts its pipelines on first use: one is started in each and a word sent through it,
    // which is what loads the dictionaries. Making the pools alone left that to the first paragraph
    // (2-5 s on a busy machine, past the suggestions' deadline). Bounded: a stuck stage is left to
    // the first real request, as any failure here is.
    await Promise.all(
      pools.map((pool) =>
        Promise.race([
          pool
            .pick()
            .send("ok")
            .catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, WARM_MS).unref()),
        ]),
      ),
    );
  }

  /** Live pipelines of every pool (tests: what runs). */
  async running(): Promise<number> {
    let count = 0;
    for (const pool of this.#pools.values()) count += (await pool.catch(() => undefined))?.alive ?? 0;
    return count;
  }

  /** The pools started, as `mode>analyse` (tests; what runs). */
  get started(): string[] {
    return [...this.#pools.keys()];
  }

  /** The pipelines of the pair's mode: one pool per mode, shared by es, es-AR, es-MX and the rest. */
  async #pool(pair: LanguagePair, analyse: boolean): Promise<Pool> {
    const mode = await this.#mode(pair);
    const key = `${mode}>${analyse}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = pipelineScript(this.options.dataDir, mode, analyse).then(
        (script) => new Pool(script, this.options.processes, this.name),
      );
      pool.catch(() => this.#pools.delete(key));
      this.#pools.set(key, pool);
    }
    return pool;
  }

  async #mode(pair: LanguagePair): Promise<string> {
    const modes = await this.pairs();
    const source = primary(pair.source);
    const candidates = (modes as ApertiumMode[]).filter((m) => m.source === source);
    const mode =
      candidates.find((m) => m.target === pair.target) ??
      candidates.find((m) => m.target === primary(pair.target)) ??
      candidates.find((m) => primary(m.target) === primary(pair.target));
    if (!mode)
      throw new MachineTranslationError(this.name, "unsupported_pair", `${pair.source}-${pair.target}`);
    return mode.mode;
  }
}

/** Lexical units of an `lt-proc` analysis: `^surface/analysis/...$`, with the blanks between. */
function units(analysis: string): { surface: string; readings: string[]; blank: string }[] {
  const out: { surface: string; readings: string[]; blank: string }[] = [];
  const re = /([^^]*)\^((?:\\.|[^$\\])*)\$/g;
  for (let m = re.exec(analysis); m; m = re.exec(analysis)) {
    const [surface = "", ...readings] = (m[2] ?? "").split("/");
    out.push({ surface: surface.replace(/\\(.)/g, "$1"), readings, blank: m[1] ?? "" });
  }
  return out;
}

const CAPITALISED = /^\p{Lu}\p{Ll}/u;

function hyphenatedNames(analysis: string): string[] {
  const names: string[] = [];
  const list = units(analysis);
  for (let i = 0; i < list.length; i++) {
    const first = list[i];
    if (!first || !CAPITALISED.test(first.surface)) continue;
    // word (- word)+ with no blank anywhere between
    let end = i;
    while (list[end + 1]?.surface === "-" && list[end + 1]?.blank === "" && list[end + 2]?.blank === "")
      end += 2;
    const parts = list.slice(i, end + 1);
    if (end > i && parts.some((u) => u.readings.some((r) => r.startsWith("*"))))
      names.push(parts.map((u) => u.surface).join(""));
    i = end;
  }
  return names;
}

/**
 * Names in an analysis: runs of capitalised words from a known first name or an unknown word on
 * ("Javier Milei"), and capitalised hyphenated compounds with an unknown part ("Mar-a-Lago", which
 * the engine would give back as "Mar-un-Lago"). Runs of known words ("Palm Beach", "White House") are
 * left to the engine and the glossary: the first is a place, the second has a Spanish name.
 */
export function namesIn(analysis: string): string[] {
  const names = hyphenatedNames(analysis);
  let run: { surface: string; readings: string[] }[] = [];
  const flush = () => {
    const start = run.findIndex((u) => u.readings.some((r) => r.startsWith("*") || r.includes("<np><ant>")));
    const name = run.slice(start);
    if (start >= 0 && name.length >= 2) names.push(name.map((u) => u.surface).join(" "));
    run = [];
  };
  for (const unit of units(analysis)) {
    if (run.length > 0 && unit.blank.trim() !== "") flush();
    if (CAPITALISED.test(unit.surface) && !unit.surface.includes(" ")) run.push(unit);
    else flush();
  }
  flush();
  return names;
}
