/**
 * Pre-translation of a document's empty paragraphs as machine drafts, in the background: the job
 * translates a few paragraphs at a time (progress), can be cancelled (nothing is written), and saves
 * every draft in one append with one audit entry when it is done. The job runs in the process that
 * started it; on a store shared by processes (PostgreSQL, `putJob`) its status is written there after
 * every batch and its cancel flag read, so that any process can show or cancel it.
 */

import { canonicalLang } from "../../glossary/language.ts";
import { ConflictError, GlosaError, NotFoundError } from "../../translations/errors.ts";
import { newId } from "../ids.ts";
import type { TranslationService } from "../services/translations.ts";
import type { Store, StoredJob } from "../storage/store.ts";
import { MachineTranslationError, ProviderPausedError } from "./provider.ts";
import type { MachineTranslation } from "./service.ts";

export type JobState = "running" | "done" | "failed" | "cancelled";

/** A pre-translation job as `GET .../pretranslate/:jobId` shows it. */
export interface PretranslateJob {
  id: string;
  documentId: string;
  lang: string;
  state: JobState;
  /** Empty paragraphs found when the job started. */
  total: number;
  /** Of those, how many the engines have answered (translated or failed). */
  done: number;
  /** Drafts saved (when done). */
  filled: number;
  /** Paragraphs left empty: no provider could translate them, or someone filled them meanwhile. */
  skipped: number;
  /** Provider that translated each batch, by name: how many paragraphs. */
  providers: Record<string, number>;
  startedBy: string;
  startedAt: string;
  finishedAt?: string;
  /** Why the job failed (a provider failure, never its request). */
  error?: string;
}

/** Paragraphs per call to an engine: large enough to batch, small enough for the deadline and the progress bar. */
const BATCH = 6;
/** Finished jobs remembered for their status. */
const KEEP = 200;
/** How long a cancel from another process waits for the running process to stop the job. */
const CANCEL_WAIT_MS = 10_000;
/**
 * A running job's process writes its status at least this often, between batches or not; a job
 * not written for STALE_MS is taken for one whose process died (failed), by any process.
 */
const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;
const DIED = "the process running it stopped";

/** What a client is told while a provider is paused by its circuit breaker. */
export function pausedMessage(provider: string, retryAfter: number): string {
  return `${provider} is paused after repeated failures; trying again in ${retryAfter} s.`;
}

/**
 * A job whose every provider is paused would only fail: `503 mt_paused` instead, naming the provider
 * tried again first and when (`details.retryAfter`, also sent as Retry-After).
 */
export function refuseIfPaused(
  providers: readonly { name: string; retryAt: number | undefined }[],
  now: number,
) {
  let first: { name: string; retryAt: number } | undefined;
  for (const { name, retryAt } of providers) {
    if (retryAt === undefined) return;
    if (!first || retryAt < first.retryAt) first = { name, retryAt };
  }
  if (!first) return;
  const retryAfter = new ProviderPausedError(first.name, first.retryAt).retryAfter(now);
  throw new GlosaError("unavailable", "mt_paused", pausedMessage(first.name, retryAfter), {
    provider: first.name,
    retryAfter,
  });
}

export class PretranslateJobs {
  readonly #jobs = new Map<
    string,
    { job: PretranslateJob; abort: AbortController; finished: Promise<void> }
  >();

  constructor(
    private readonly mt: MachineTranslation,
    private readonly translations: TranslationService,
    private readonly now: () => Date = () => new Date(),
    private readonly store?: Pick<Store, "putJob" | "getJob" | "requestJobCancel" | "claimJob">,
  ) {}

  /** Starts a job; one at a time per document and language (409 while one runs). */
  async start(docId: string, tag: string, actor: string, providerName?: string): Promise<PretranslateJob> {
    const { doc, lang } = await this.translations.resolve(docId, tag);
    const running = [...this.#jobs.values()].find(
      (j) => j.job.documentId === doc.id && j.job.lang === lang && j.job.state === "running",
    );
    if (running)
      throw new ConflictError(
        "A pre-translation of this language is already running.",
        { job: running.job.id },
        "job_running",
      );
    const providers = providerName
      ? this.mt.providers.filter((p) => p.name === providerName)
      : this.mt.providers;
    if (providers.length === 0) throw new NotFoundError("Machine translation provider", "provider_not_found");
    refuseIfPaused(
      providers.map((p) => ({ name: p.name, retryAt: p.retryAt })),
      this.now().getTime(),
    );
    const view = await this.translations.view(doc.id, lang);
    const empty = view.paragraphs.filter((p) => p.text === null || !p.text.trim()).map((p) => p.paragraph);
    const job: PretranslateJob = {
      id: newId(),
      documentId: doc.id,
      lang,
      state: "running",
      total: empty.length,
      done: 0,
      filled: 0,
      skipped: 0,
      providers: {},
      startedBy: actor,
      startedAt: this.now().toISOString(),
    };
    // The store decides, across processes, that this is the one running job of the language, and
    // holds its status before the 202: any process asked next knows the job.
    if (this.store?.claimJob) {
      const { running: other } = await this.store.claimJob(stored(job), STALE_MS);
      if (other !== undefined)
        throw new ConflictError(
          "A pre-translation of this language is already running.",
          { job: other },
          "job_running",
        );
    }
    const abort = new AbortController();
    const context = doc.paragraphs.map((p) => p.source);
    const pair = { source: doc.sourceLang, target: lang };
    const heartbeat = this.store?.putJob
      ? setInterval(() => void this.#publish(job).catch(() => undefined), HEARTBEAT_MS)
      : undefined;
    heartbeat?.unref();
    const run = async () => {
      if (!this.store?.claimJob) await this.#publish(job);
      const drafts: { pid: string; text: string }[] = [];
      for (let at = 0; at < empty.length && !abort.signal.aborted; at += BATCH) {
        const batch = empty.slice(at, at + BATCH);
        for (const provider of providers) {
          if (abort.signal.aborted) break;
          try {
            const results = await this.mt.translate(provider, pair, batch, abort.signal, context, doc.format);
            for (const r of results) if (r.text.trim()) drafts.push({ pid: r.pid, text: r.text });
            job.providers[provider.name] = (job.providers[provider.name] ?? 0) + results.length;
            break;
          } catch (error) {
            // The next provider tries the same batch; the error names only the provider and the failure.
            job.error =
              error instanceof ProviderPausedError
                ? pausedMessage(error.provider, error.retryAfter(this.now().getTime()))
                : error instanceof MachineTranslationError
                  ? error.message
                  : "machine translation failed";
          }
        }
        job.done = Math.min(empty.length, at + batch.length);
        // Progress for other processes, and a cancel asked there; a store that fails here stops nothing.
        try {
          // Cancelled, or given up for dead by another process after a long stall: stop, write nothing.
          const seen = await this.store?.getJob?.(job.id);
          if (seen && (seen.cancelRequested || seen.state !== "running")) abort.abort();
          else await this.#publish(job);
        } catch {}
      }
      if (abort.signal.aborted) return;
      if (drafts.length === 0 && empty.length > 0 && job.error) {
        job.state = "failed";
        return;
      }
      const { filled } = await this.translations.saveDrafts(doc.id, lang, drafts, "mt", actor, {
        job: job.id,
        providers: job.providers,
      });
      job.filled = filled.length;
      job.skipped = empty.length - filled.length;
      job.state = "done";
      delete job.error;
    };
    const finished = run()
      .catch((error: unknown) => {
        job.state = "failed";
        job.error =
          error instanceof MachineTranslationError ? error.message : "the drafts could not be saved";
      })
      .finally(() => {
        clearInterval(heartbeat);
        if (abort.signal.aborted && job.state === "running") job.state = "cancelled";
        job.finishedAt = this.now().toISOString();
      })
      .then(() => this.#publish(job))
      .catch(() => undefined);
    this.#forgetOld();
    this.#jobs.set(job.id, { job, abort, finished });
    return job;
  }

  /** A job of this process, or as another process last wrote it to the store. */
  async get(docId: string, tag: string, jobId: string): Promise<PretranslateJob> {
    const job = this.#jobs.get(jobId)?.job ?? (await this.#stored(jobId));
    if (!job || job.documentId !== docId || !sameLang(job.lang, tag))
      throw new NotFoundError("Pre-translation job", "job_not_found");
    return job;
  }

  /**
   * Cancels a running job (nothing is written); a finished one stays as it was. A job running in
   * another process is flagged in the store and waited for (it stops after its current batch).
   */
  async cancel(docId: string, tag: string, jobId: string): Promise<PretranslateJob> {
    const job = await this.get(docId, tag, jobId);
    if (job.state !== "running") return job;
    const entry = this.#jobs.get(jobId);
    if (entry) {
      entry.abort.abort();
      await entry.finished;
      return job;
    }
    await this.store?.requestJobCancel?.(jobId);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    let seen = job;
    while (seen.state === "running" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = (await this.#stored(jobId)) ?? seen;
    }
    return seen;
  }

  async #publish(job: PretranslateJob): Promise<void> {
    await this.store?.putJob?.(stored(job));
  }

  /** A job as the store last saw it; one still running whose heartbeat stopped is shown failed. */
  async #stored(jobId: string): Promise<PretranslateJob | undefined> {
    const row = await this.store?.getJob?.(jobId);
    if (!row) return undefined;
    const job = row.body as PretranslateJob;
    if (job.state === "running" && Date.now() - row.updatedAt.getTime() > STALE_MS)
      return { ...job, state: "failed", error: DIED };
    return row.state === "failed" && job.state === "running" ? { ...job, state: "failed", error: DIED } : job;
  }

  /** Waits for every job (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.#jobs.values()].map((j) => j.finished));
  }

  /** Cancels running jobs and waits for them, at shutdown. */
  async close(): Promise<void> {
    for (const entry of this.#jobs.values()) if (entry.job.state === "running") entry.abort.abort();
    await this.idle();
  }

  #forgetOld(): void {
    if (this.#jobs.size < KEEP) return;
    for (const [id, entry] of this.#jobs)
      if (entry.job.state !== "running" && this.#jobs.size >= KEEP) this.#jobs.delete(id);
  }
}

function stored(job: PretranslateJob): StoredJob {
  const { id, documentId, lang, state, done, total } = job;
  return { id, documentId, lang, state, done, total, body: job };
}

function sameLang(lang: string, tag: string): boolean {
  return canonicalLang(tag) === lang;
}
