import type { Request } from "express";
import { Router } from "express";
import { z } from "zod";
import { type AnyFinding, isQualityFinding, openFindings } from "../../../quality/run.ts";
import { diffTexts } from "../../../translations/diff.ts";
import { type Document, MAX_LANGUAGES, MAX_TITLE_LENGTH } from "../../../translations/document.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../../translations/errors.ts";
import { currentText, latestRevision } from "../../../translations/translation.ts";
import { authorize, checkedWrite } from "../../auth.ts";
import type { Services } from "../../context.ts";
import type {
  Progress,
  SaveResult,
  TranslationSummary,
  TranslationView,
} from "../../services/translations.ts";
import { MAX_PAGE } from "../../storage/store.ts";
import { FINDING_CODES, findingMessage, isQualityCode } from "../findings.ts";
import { parseBody } from "./validate.ts";

const createSchema = z.object({
  sourceLang: z.string().min(1).max(35),
  format: z.enum(["text", "markdown"]),
  content: z.string().min(1).max(5_000_000),
  title: z.string().max(MAX_TITLE_LENGTH).optional(),
  languages: z.array(z.string().max(35)).max(MAX_LANGUAGES).optional(),
});
const saveSchema = z.object({
  text: z.string(),
  baseRevision: z.number().int().min(0),
  status: z.enum(["draft", "translated"]).optional(),
  origin: z.enum(["human", "memory", "mt"]).optional(),
  // The suggestion the text was made from, to record how much of it was edited (docs/api.md).
  suggestion: z.string().max(100_000).optional(),
  // The document's source version the text was written against (docs/api.md).
  sourceVersion: z.number().int().min(1).optional(),
});
const reviewSchema = z.object({
  action: z.enum(["approve", "reject"]),
  revision: z.number().int().min(1),
  comment: z.string().max(5000).optional(),
  sourceVersion: z.number().int().min(1).optional(),
});
const revertSchema = z.object({ revision: z.number().int().min(1) });
const clearSchema = z.object({ baseRevision: z.number().int().min(0) });
const compareSchema = z.object({ text: z.string().max(100_000) });
/**
 * A glossary finding is named by its term, another check's by its key (as the finding gives them):
 * the one field its code calls for, and not the other (docs/api.md).
 */
function namedOnce(
  b: { code: string; termId?: string | undefined; key?: string | undefined },
  context: z.RefinementCtx,
): void {
  const [wanted, other] = isQualityCode(b.code) ? (["key", "termId"] as const) : (["termId", "key"] as const);
  const message = "A glossary finding is named by termId, another check's by key.";
  if (b[wanted] === undefined) context.addIssue({ code: "custom", message, path: [wanted] });
  if (b[other] !== undefined) context.addIssue({ code: "custom", message, path: [other] });
}
const waiverSchema = z
  .object({
    termId: z.string().min(1).max(64).optional(),
    key: z.string().min(1).max(300).optional(),
    code: z.enum(FINDING_CODES),
    reason: z.string().max(1000),
  })
  .superRefine(namedOnce);
// The waiver to lift, named as when it was made.
const liftSchema = z
  .object({
    termId: z.string().min(1).max(64).optional(),
    key: z.string().min(1).max(300).optional(),
    code: z.enum(FINDING_CODES),
  })
  .superRefine(namedOnce);
const listQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "not an integer")
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE))
    .optional(),
  cursor: z.string().min(1).max(400).optional(),
});
const languageSchema = z.object({ lang: z.string().min(1).max(35) });

/** Findings as the API shows them, messages in English (or the request's `?lng`). */
export function apiFindings(req: Request, findings: readonly AnyFinding[]) {
  return findings.map((f) =>
    isQualityFinding(f)
      ? {
          code: f.code,
          severity: f.severity,
          key: f.key,
          message: findingMessage(req, f),
          ...(f.start !== undefined ? { start: f.start, end: f.end } : {}),
        }
      : { code: f.code, severity: f.severity, termId: f.termId, message: findingMessage(req, f) },
  );
}

/** Most paragraphs one range read answers. */
const MAX_RANGE = 500;

const MARKDOWN_FIELDS = ["marker", "ordered", "start", "depth", "quote"] as const;

export function documentJson(doc: Awaited<ReturnType<Services["translations"]["getDocument"]>>) {
  return {
    id: doc.id,
    title: doc.title,
    sourceLang: doc.sourceLang,
    createdAt: doc.createdAt,
    version: doc.version ?? 1,
    languages: doc.languages,
    paragraphs: doc.paragraphs.map((p) => ({
      id: p.id,
      index: p.index,
      kind: p.kind,
      ...(p.level !== undefined ? { level: p.level } : {}),
      // Markdown block structure (docs/api.md): marker, ordered, start, depth, quote where present.
      ...Object.fromEntries(MARKDOWN_FIELDS.flatMap((k) => (p[k] !== undefined ? [[k, p[k]]] : []))),
      source: p.source,
    })),
    format: doc.format ?? "text",
  };
}

/** A range of paragraphs by index (docs/api.md): what the editor reads for rows it renders light. */
const rangeSchema = z.object({
  from: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RANGE).optional(),
});

function translationJson(req: Request, view: TranslationView, range: z.output<typeof rangeSchema> = {}) {
  const from = range.from ?? 0;
  const paragraphs =
    range.from === undefined && range.limit === undefined
      ? view.paragraphs
      : view.paragraphs.slice(from, from + (range.limit ?? MAX_RANGE));
  return {
    lang: view.lang,
    progress: progressJson(view.progress),
    paragraphs: paragraphs.map((p) => ({
      id: p.paragraph.id,
      index: p.paragraph.index,
      kind: p.paragraph.kind,
      source: p.paragraph.source,
      text: p.text,
      revision: p.revision,
      status: p.status,
      glossary: p.glossary.map((m) => ({
        termId: m.termId,
        start: m.start,
        end: m.end,
        text: m.text,
        target: m.target,
      })),
      qa: apiFindings(req, p.qa),
      waived: p.waived.map((w) => ({
        ...(apiFindings(req, [w.finding])[0] as object),
        waiver: { author: w.waiver.author, reason: w.waiver.reason, createdAt: w.waiver.createdAt },
      })),
      ...(p.sourceChange
        ? {
            sourceChange: {
              fromVersion: p.sourceChange.fromVersion,
              changes: p.sourceChange.changes,
              terms: p.sourceChange.terms,
            },
          }
        : {}),
    })),
  };
}

/** Progress beyond the spec's three counts: words too, which the editor's header shows. */
function progressJson(p: Progress) {
  return {
    total: p.total,
    translated: p.translated,
    approved: p.approved,
    outdated: p.outdated,
    words: p.words,
  };
}

/**
 * A 409 of a save, with what the conflict view needs in one answer: `current.changes` is the word diff
 * from their text to the text that was refused.
 */
function withChanges(error: unknown, mine: string): unknown {
  if (!(error instanceof ConflictError)) return error;
  const current = error.extra?.current as { text?: unknown } | undefined;
  if (current && typeof current.text === "string")
    error.extra = { ...error.extra, current: { ...current, changes: diffTexts(current.text, mine).changes } };
  return error;
}

function intParam(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new ValidationError(
      `${name} must be a revision number.`,
      { [name]: "not an integer" },
      "invalid_fields",
    );
  return n;
}

/** A paragraph of a translation: PUT saves it. */
export const PARAGRAPH_PATH = "/documents/:docId/translations/:lang/paragraphs/:pid";

/** The waiver a request names: a glossary finding's by its term, another check's by its key. */
function namedWaiver(named: { code: string; termId?: string | undefined; key?: string | undefined }): {
  termId: string;
  key?: string;
} {
  return isQualityCode(named.code)
    ? { termId: "", key: named.key as string }
    : { termId: named.termId as string };
}

export function documentApi({ translations }: Services): Router {
  const router = Router();
  const base = PARAGRAPH_PATH;
  /** The paragraph's waivers and the findings of its current text that none of them waives. */
  const findingsNow = async (docId: string, tag: string, pid: string) => {
    const { doc, lang, paragraph, translation } = await translations.paragraph(docId, tag, pid);
    const waivers = translation?.waivers ?? [];
    const text = currentText(translation);
    const findings = text ? (await translations.quality.checker(doc, lang))(paragraph, text) : [];
    return { waivers, open: openFindings(findings, waivers) };
  };

  // Without `limit` every document, as the spec shows; with it a page and `next` (docs/api.md).
  router.get("/documents", async (req, res) => {
    authorize(req, "document.read");
    const query = listQuerySchema.safeParse(req.query);
    if (!query.success)
      throw new ValidationError(
        "limit must be an integer from 1 to 200, and cursor a `next` from an earlier page.",
        Object.fromEntries(query.error.issues.map((i) => [String(i.path[0]), i.message])),
        "invalid_fields",
      );
    const { limit, cursor } = query.data;
    let docs: Document[];
    let next: string | undefined;
    if (limit === undefined && cursor === undefined) docs = await translations.listDocuments();
    else ({ documents: docs, next } = await translations.listDocumentsPage(limit ?? MAX_PAGE, cursor));
    const summaries = await translations.summaries(
      docs.flatMap((doc) => doc.languages.map((lang) => ({ doc, lang }))),
    );
    let at = 0;
    const documents = docs.map((doc) => {
      const languages: Record<string, { translated: number; approved: number }> = {};
      for (const lang of doc.languages) {
        const { progress: p } = summaries[at++] as TranslationSummary;
        languages[lang] = { translated: p.translated, approved: p.approved };
      }
      return {
        id: doc.id,
        title: doc.title,
        sourceLang: doc.sourceLang,
        paragraphCount: doc.paragraphs.length,
        languages,
      };
    });
    res.json(next ? { documents, next } : { documents });
  });

  router.post("/documents", async (req, res) => {
    const user = authorize(req, "document.create");
    const body = parseBody(createSchema, req.body);
    const doc = await translations.create(body, user.username);
    res.status(201).json(documentJson(doc));
  });

  router.get("/documents/:docId", async (req, res) => {
    authorize(req, "document.read");
    res.json(documentJson(await translations.getDocument(req.params.docId)));
  });

  router.post("/documents/:docId/languages", async (req, res) => {
    const user = authorize(req, "document.add_language");
    const { lang } = parseBody(languageSchema, req.body);
    res.status(201).json(documentJson(await translations.addLanguage(req.params.docId, lang, user.username)));
  });

  router.delete("/documents/:docId/languages/:lang", async (req, res) => {
    const user = authorize(req, "document.remove_language");
    res.json(
      documentJson(await translations.removeLanguage(req.params.docId, req.params.lang, user.username)),
    );
  });

  router.get("/documents/:docId/translations/:lang", async (req, res) => {
    authorize(req, "document.read");
    const range = parseBody(rangeSchema, req.query);
    res.json(translationJson(req, await translations.view(req.params.docId, req.params.lang), range));
  });

  /** The revision a save or clear left, with who made it, when, and the language's progress. */
  /** What a save or clear answers besides the revision: from the command's result, no store read. */
  async function savedJson(result: SaveResult) {
    return {
      author: result.revision > 0 ? result.author : null,
      createdAt: result.revision > 0 ? result.createdAt : null,
      progress: progressJson(await translations.progressAfter(result)),
    };
  }

  // One round trip on PostgreSQL with a known API token: its append checks the token (checkedWrite).
  router.put(base, async (req, res) => {
    const { docId, lang, pid } = req.params;
    const result = await checkedWrite(req, "translation.edit", async (user, credential) => {
      const body = parseBody(saveSchema, req.body);
      const saved = await translations
        .save(docId, lang, pid, body, user.username, credential)
        .catch((error: unknown) => Promise.reject(withChanges(error, body.text)));
      return { value: saved, checked: saved.created };
    });
    res.status(200).json({
      revision: result.revision,
      status: result.status,
      text: result.text,
      qa: apiFindings(req, result.qa),
      ...(await savedJson(result)),
    });
  });

  /** Clears a translation: a new, empty revision (history keeps the old text). */
  router.post(`${base}/clear`, async (req, res) => {
    const { docId, lang, pid } = req.params;
    const result = await checkedWrite(req, "translation.edit", async (user, credential) => {
      const { baseRevision } = parseBody(clearSchema, req.body);
      const cleared = await translations.clear(docId, lang, pid, baseRevision, user.username, credential);
      return { value: cleared, checked: cleared.created };
    });
    res.status(200).json({
      revision: result.revision,
      status: result.status,
      text: result.text,
      qa: [],
      ...(await savedJson(result)),
    });
  });

  /** Waives one finding of the paragraph's current text, with a reason; answers the findings still open. */
  router.post(`${base}/waivers`, async (req, res) => {
    const user = authorize(req, "finding.waive");
    const body = parseBody(waiverSchema, req.body);
    const target = namedWaiver(body);
    const { docId, lang, pid } = req.params;
    await translations.waive(
      docId,
      lang,
      pid,
      { ...target, code: body.code, reason: body.reason },
      user.username,
    );
    const { waivers, open } = await findingsNow(docId, lang, pid);
    const waiver = waivers.find(
      (w) => w.code === body.code && w.termId === target.termId && w.key === target.key,
    );
    res.status(201).json({
      ...(target.key ? { key: target.key } : { termId: target.termId }),
      code: body.code,
      reason: waiver?.reason ?? body.reason,
      author: user.username,
      createdAt: waiver?.createdAt ?? null,
      qa: apiFindings(req, open),
    });
  });

  /** Takes a waiver back (the editor's Undo): the finding named by the query is open again. */
  router.delete(`${base}/waivers`, async (req, res) => {
    const user = authorize(req, "finding.waive");
    const query = parseBody(liftSchema, req.query);
    const target = namedWaiver(query);
    const { docId, lang, pid } = req.params;
    await translations.liftWaiver(docId, lang, pid, { ...target, code: query.code }, user.username);
    res.json({ qa: apiFindings(req, (await findingsNow(docId, lang, pid)).open) });
  });

  router.get(`${base}/revisions`, async (req, res) => {
    authorize(req, "document.read");
    const { translation } = await translations.paragraph(req.params.docId, req.params.lang, req.params.pid);
    res.json({
      revisions: (translation?.revisions ?? []).map((r) => ({
        revision: r.revision,
        text: r.text,
        author: r.author,
        createdAt: r.createdAt,
        status: r.status,
        origin: r.origin ?? "human",
        sourceVersion: r.sourceVersion ?? 1,
        ...(r.originEdit ? { originEdit: r.originEdit } : {}),
        ...(r.comment ? { comment: r.comment } : {}),
        // The find-and-replace batch that wrote it (findstats).
        ...(r.batch ? { batch: r.batch } : {}),
      })),
    });
  });

  /**
   * A text kept unsaved somewhere (the editor's copy in the browser) against the paragraph's latest
   * revision: what the conflict view shows, as in a save's 409, and nothing written.
   */
  router.post(`${base}/compare`, async (req, res) => {
    authorize(req, "document.read");
    const { text } = parseBody(compareSchema, req.body);
    const { translation } = await translations.paragraph(req.params.docId, req.params.lang, req.params.pid);
    const latest = latestRevision(translation);
    const theirs = latest?.text ?? "";
    res.json({
      current: {
        revision: latest?.revision ?? 0,
        text: theirs,
        author: latest?.author ?? "",
        createdAt: latest?.createdAt ?? "",
        status: latest?.status ?? "untranslated",
        changes: diffTexts(theirs, text).changes,
      },
    });
  });

  router.get(`${base}/diff`, async (req, res) => {
    authorize(req, "document.read");
    const to = intParam(req.query.to, "to");
    const from = intParam(req.query.from, "from");
    const { diff, events, ...compared } = await translations.compareRevisions(
      req.params.docId,
      req.params.lang,
      req.params.pid,
      { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) },
    );
    // An explicit target of a paragraph with no revision at all names a revision that does not exist.
    if (to === 0 && !compared.translation?.revisions.length)
      throw new NotFoundError("Revision", "revision_not_found");
    res.json({
      from: compared.from,
      to: compared.to,
      changes: diff.changes,
      glossary: events,
      ...(diff.tooDifferent ? { tooDifferent: true } : {}),
    });
  });

  router.post(`${base}/review`, async (req, res) => {
    const { docId, lang, pid } = req.params;
    const result = await checkedWrite(req, "translation.review", async (user, credential) => {
      const body = parseBody(reviewSchema, req.body);
      const reviewed = await translations.review(docId, lang, pid, body, user.username, credential);
      // A repeated decision writes nothing, so no append checked the token: checkedWrite checks it.
      return { value: reviewed, checked: reviewed.created };
    });
    res.json({
      revision: result.revision,
      status: result.status,
      progress: progressJson(await translations.progressAfter(result)),
    });
  });

  router.post(`${base}/revert`, async (req, res) => {
    const { docId, lang, pid } = req.params;
    const event = await checkedWrite(req, "translation.revert", async (user, credential) => {
      const { revision } = parseBody(revertSchema, req.body);
      return {
        value: await translations.revert(docId, lang, pid, revision, user.username, credential),
        checked: true,
      };
    });
    res.status(201).json({ revision: event.revision, status: event.status, text: event.text });
  });

  return router;
}
