/**
 * The translation memory over HTTP (api-v1.md, "Translation memory and suggestions"): a paragraph's
 * suggestions (memory first, then every other suggestion source with a deadline), concordance
 * search, and TMX import and export.
 */

import express, { Router } from "express";
import { z } from "zod";
import type { Assembly, MemoryMatch, MemoryUnit } from "../../../memory/index.ts";
import { diffTexts } from "../../../translations/diff.ts";
import { authorize } from "../../auth.ts";
import type { Config } from "../../config.ts";
import type { Services } from "../../context.ts";
import { UnsupportedMediaTypeError } from "../../errors.ts";
import { ProviderPausedError } from "../../mt/provider.ts";
import { charsetOf, rawText } from "../../parse-pool.ts";
import { languagePair } from "../../services/memory.ts";
import type { Suggestion, SuggestionRequest, SuggestionSource } from "../../suggestions.ts";
import { sendDownloadChunks } from "../download.ts";
import { apiFindings } from "./documents.ts";
import { parseBody } from "./validate.ts";

/** How long the route waits for the other sources beyond one provider call's own deadline (GLOSA_MT_TIMEOUT_MS). */
const SOURCES_MARGIN_MS = 250;

export const TMX_TYPES = ["application/x-tmx+xml", "application/tmx+xml", "application/xml", "text/xml"];

/** A whole number from `min` to `max` in a query string; a number outside says so, not "not a number". */
const integer = (min: number, max: number) =>
  z
    .string()
    .max(12, `not a whole number from ${min} to ${max}`)
    .regex(/^-?\d+$/, `not a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `at least ${min}`).max(max, `at most ${max}`));

// Under 50 the candidates are most of the memory: a lookup would scan, which the index is there to avoid.
/** `only`: the memory's matches alone, or the other sources' (machine translation) alone (docs/api.md). */
const suggestionsQuery = z.object({
  min: integer(50, 100).default(70),
  only: z.enum(["memory", "mt"]).optional(),
});
const pairQuery = z.object({ sourceLang: z.string().min(1).max(35), targetLang: z.string().min(1).max(35) });
const concordanceQuery = pairQuery.extend({
  q: z.string().trim().min(1).max(200),
  limit: integer(1, 50).default(20),
});

/** A memory match as the suggestions route answers it. */
export function memorySuggestion(match: MemoryMatch, source: string): Suggestion {
  const { unit } = match;
  return {
    origin: "memory",
    score: match.score,
    source: unit.source,
    text: match.text,
    sourceDiff: [...diffTexts(unit.source, source).changes],
    approved: unit.approved,
    ...(unit.document ? { document: unit.document } : {}),
    ...(unit.paragraphId ? { paragraphId: unit.paragraphId } : {}),
    updatedAt: unit.updatedAt,
    ...(match.numbers.length ? { numbers: match.numbers } : {}),
    ...codeCounts(unit),
  };
}

/**
 * A paragraph put together from sentences found separately, each sentence saying where its
 * translation came from; the whole says it too when one unit gave every sentence found (a corrected
 * paragraph), and is approved only when every one was.
 */
function assembledSuggestion(assembly: Assembly, source: string): Suggestion {
  const found = assembly.units.filter((u): u is MemoryUnit => u !== null);
  const known = assembly.sentences.filter((s) => s.text !== null).map((s) => s.source);
  const one = found.every((u) => u.key === found[0]?.key) ? found[0] : undefined;
  const latest = found
    .map((u) => u.updatedAt)
    .sort()
    .at(-1);
  return {
    origin: "memory",
    score: assembly.score,
    source: known.join(" "),
    text: assembly.text,
    sourceDiff: [...diffTexts(known.join(" "), source).changes],
    approved: found.length > 0 && found.every((u) => u.approved),
    ...(one?.document ? { document: one.document } : {}),
    ...(one?.paragraphId ? { paragraphId: one.paragraphId } : {}),
    ...(latest ? { updatedAt: latest } : {}),
    assembled: assembly.sentences.map((sentence, i) => {
      const unit = assembly.units[i];
      if (!unit || sentence.text === null) return sentence;
      return {
        ...sentence,
        approved: unit.approved,
        updatedAt: unit.updatedAt,
        ...(unit.document ? { document: unit.document } : {}),
      };
    }),
  };
}

/**
 * How many inline codes each side of a unit has, for a client to tell a code's placeholder from text
 * shaped like one: only the sides that have codes are named.
 */
function codeCounts(unit: MemoryUnit): { sourceCodes?: number; textCodes?: number } {
  return {
    ...(unit.sourceCodes?.length ? { sourceCodes: unit.sourceCodes.length } : {}),
    ...(unit.targetCodes?.length ? { textCodes: unit.targetCodes.length } : {}),
  };
}

/** A source that did not answer: `paused` by its circuit breaker until `retryAfter` seconds from now. */
export type UnavailableSource =
  | { source: string; reason: "timeout" | "failed" }
  | { source: string; reason: "paused"; retryAfter: number };

/** Asks every source at once; the ones that fail or miss the deadline are left out. */
export async function askSources(
  sources: readonly SuggestionSource[],
  request: SuggestionRequest,
  deadlineMs: number,
): Promise<{ suggestions: Suggestion[]; unavailable: UnavailableSource[] }> {
  if (sources.length === 0) return { suggestions: [], unavailable: [] };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error("deadline"));
    }, deadlineMs);
  });
  const settled = await Promise.allSettled(
    sources.map((source) => Promise.race([source.suggest(request, controller.signal), deadline])),
  );
  clearTimeout(timer);
  controller.abort();
  // A source that did not answer is named, so that a client says so instead of "no matches".
  const unavailable = settled.flatMap((r, i): UnavailableSource[] => {
    if (r.status === "fulfilled") return [];
    const source = sources[i]?.name ?? "";
    if (r.reason instanceof ProviderPausedError)
      return [{ source, reason: "paused", retryAfter: r.reason.retryAfter() }];
    const timedOut =
      (r.reason as Error)?.message === "deadline" ||
      (r.reason as { failure?: string })?.failure === "timeout";
    return [{ source, reason: timedOut ? "timeout" : "failed" }];
  });
  return { suggestions: settled.flatMap((r) => (r.status === "fulfilled" ? r.value : [])), unavailable };
}

export function memoryApi({ translations, memory, suggestionSources }: Services, config: Config): Router {
  const router = Router();

  router.get("/documents/:docId/translations/:lang/paragraphs/:pid/suggestions", async (req, res) => {
    authorize(req, "document.read");
    const { min, only } = parseBody(suggestionsQuery, req.query);
    const { doc, lang, paragraph } = await translations.paragraph(
      req.params.docId,
      req.params.lang,
      req.params.pid,
    );
    const { matches, assembly } =
      only === "mt"
        ? { matches: [], assembly: undefined }
        : await memory.suggest(doc, lang, paragraph.id, paragraph.source, min);
    const suggestions: (Omit<Suggestion, "findings"> & { qa?: ReturnType<typeof apiFindings> })[] =
      matches.map((m) => memorySuggestion(m, paragraph.source));
    if (assembly) suggestions.unshift(assembledSuggestion(assembly, paragraph.source));
    const { suggestions: others, unavailable } =
      only === "memory"
        ? { suggestions: [], unavailable: [] }
        : await askSources(
            suggestionSources,
            { document: doc, lang, paragraph },
            config.mt.timeoutMs + SOURCES_MARGIN_MS,
          );
    // Machine translation's findings are shown as a save's are (docs/api.md, "Machine translation").
    for (const { findings, ...suggestion } of others)
      suggestions.push(findings ? { ...suggestion, qa: apiFindings(req, findings) } : suggestion);
    // A paused provider says when it is tried again, in the body and as Retry-After (docs/api.md).
    const waits = unavailable.flatMap((u) => (u.reason === "paused" ? [u.retryAfter] : []));
    if (waits.length > 0) res.set("Retry-After", String(Math.min(...waits)));
    res.json({ suggestions, ...(unavailable.length > 0 ? { unavailable } : {}) });
  });

  router.get("/memory", async (req, res) => {
    authorize(req, "document.read");
    const query = parseBody(concordanceQuery, req.query);
    const [sourceLang, targetLang] = memoryPair(query);
    const hits = await memory.concordance(sourceLang, targetLang, query.q, query.limit);
    res.json({
      hits: hits.map(({ unit, sourceHits, targetHits }) => ({
        source: unit.source,
        text: unit.target,
        approved: unit.approved,
        ...(unit.document ? { document: unit.document } : {}),
        ...(unit.paragraphId ? { paragraphId: unit.paragraphId } : {}),
        updatedAt: unit.updatedAt,
        ...codeCounts(unit),
        sourceHits,
        targetHits,
      })),
    });
  });

  router.post(
    "/memory/import",
    // Bytes, not text: the file is decoded on a parser thread, not on the event loop.
    express.raw({ type: TMX_TYPES, limit: config.importLimit }),
    async (req, res) => {
      const user = authorize(req, "memory.manage");
      const pair = memoryPair(parseBody(pairQuery, req.query));
      if (!req.is(TMX_TYPES) || !Buffer.isBuffer(req.body))
        throw new UnsupportedMediaTypeError("Send a TMX 1.4b file as application/x-tmx+xml.");
      const file = rawText(req.body, charsetOf(req.get("Content-Type")));
      res.json(await memory.importTmx(file, pair[0], pair[1], user.username));
    },
  );

  router.get("/memory/export", async (req, res) => {
    authorize(req, "memory.manage");
    const [sourceLang, targetLang] = memoryPair(parseBody(pairQuery, req.query));
    await sendDownloadChunks(res, {
      chunks: await memory.exportTmx(sourceLang, targetLang),
      contentType: "application/x-tmx+xml; charset=utf-8",
      filename: `memory-${sourceLang}-${targetLang}.tmx`,
    });
  });

  return router;
}

const memoryPair = (query: { sourceLang: string; targetLang: string }) =>
  languagePair(query.sourceLang, query.targetLang);
