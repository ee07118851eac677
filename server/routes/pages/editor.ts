import type { Request, Response } from "express";
import { Router } from "express";
import { z } from "zod";
import { targetFor } from "../../../glossary/term.ts";
import { type AnyFinding, isQualityFinding } from "../../../quality/run.ts";
import { diffTexts } from "../../../translations/diff.ts";
import { displayTitle } from "../../../translations/document.ts";
import { ConflictError, GlosaError } from "../../../translations/errors.ts";
import { originStats } from "../../../translations/origin-stats.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import type { ParagraphView, TranslationView } from "../../services/translations.ts";
import { templatedTranslator } from "../../templated-messages.ts";
import { escapeHtml, findingItems } from "../../views.ts";
import { findingMessage, findingRef } from "../findings.ts";
import type { PageContext } from "./index.ts";

const saveSchema = z.object({
  text: z.string(),
  baseRevision: z.coerce.number().int().min(0),
  status: z.enum(["draft", "translated"]).optional(),
  intent: z.enum(["save", "draft", "clear"]).optional(),
  sourceVersion: z.coerce.number().int().min(1).optional(),
});

const FILTERS = ["all", "untranslated", "needs-work", "findings", "comments"] as const;
type Filter = (typeof FILTERS)[number];

function matchesFilter(p: ParagraphView, filter: Filter): boolean {
  switch (filter) {
    case "untranslated":
      return p.status === "untranslated";
    case "needs-work":
      return needsWork(p);
    case "findings":
      return p.qa.length > 0;
    default:
      return true;
  }
}

/**
 * The plural forms of the progress line, unfilled, for the scripts that redraw it after a change
 * (public/lib/progress.js picks the form with Intl.PluralRules, as i18next does).
 */
export function progressStrings(req: Request) {
  const forms = (key: string) => ({
    one: req.t(`${key}_one`),
    many: req.t(`${key}_many`),
    other: req.t(`${key}_other`),
  });
  return {
    translated: forms("progress.translated"),
    approved: forms("progress.approved"),
    words: forms("progress.words"),
    outdated: forms("source.outdated_count"),
    // The bar's label, its numbers left for the script to fill.
    aria: req.t("progress.aria", {
      lang: "{{lang}}",
      approved: "{{approved}}",
      translated: "{{translated}}",
      total: "{{total}}",
    }),
  };
}

/**
 * Needs work: untranslated, a draft, rejected, outdated by a source update, or with an open error (a
 * forbidden term, a do-not-translate term changed). A warning alone is advice: such a paragraph is
 * under "With findings", not here, or a translated article listed nearly every paragraph (trial).
 * The editor's script uses the same rule.
 */
export function needsWork(p: ParagraphView): boolean {
  return (
    p.status === "untranslated" ||
    p.status === "draft" ||
    p.status === "rejected" ||
    p.status === "outdated" ||
    p.qa.some((f) => f.severity === "error")
  );
}

/**
 * Findings with their message in the reader's language. A page repeats the same few findings
 * many times, so messages are remembered per request.
 */
export function translateFindings(req: Request, findings: readonly AnyFinding[]) {
  const holder = req as Request & { findingMessages?: Map<string, string> };
  holder.findingMessages ??= new Map();
  const cache = holder.findingMessages;
  return findings.map((f) => {
    const key = isQualityFinding(f)
      ? `${f.key}\u0000${f.variant}\u0000${JSON.stringify(f.params)}`
      : `${f.code}\u0000${f.params.term}\u0000${f.params.target}\u0000${f.params.forms ?? ""}`;
    let message = cache.get(key);
    if (message === undefined) {
      message = findingMessage(req, f);
      cache.set(key, message);
    }
    return {
      code: f.code,
      severity: f.severity,
      // What the page's waiver form names after the code: the term, or another check's key.
      termId: findingRef(f),
      term: isQualityFinding(f) ? "" : f.params.term,
      message,
      ...(isQualityFinding(f) && f.start !== undefined ? { start: f.start, end: f.end } : {}),
    };
  });
}

/** Each status's label, as the rows show it and the scripts redraw it. */
function statusLabels(t: Request["t"]) {
  return {
    untranslated: t("status.untranslated"),
    draft: t("status.draft"),
    translated: t("status.translated"),
    approved: t("status.approved"),
    rejected: t("status.rejected"),
    outdated: t("status.outdated"),
  };
}

/**
 * The strings the editor's scripts read from data attributes, as escaped JSON: the same for every
 * page in one UI language, so built once per language (and glossary right) rather than with some
 * sixty lookups on every page view.
 */
const scriptStrings = new Map<string, { editor: string; presence: string; concordance: string }>();

function pageStrings(req: Request, res: Response) {
  const canAddToGlossary = (res.locals.can as (action: string) => boolean)("glossary.edit");
  const key = `${res.locals.lng as string}\u0000${canAddToGlossary}`;
  let strings = scriptStrings.get(key);
  if (strings) return strings;
  const t = req.t;
  const attribute = (value: object) => escapeHtml(JSON.stringify(value));
  strings = {
    editor: attribute({
      saved: t("editor.saved"),
      saving: t("editor.saving"),
      unchanged: t("editor.unchanged"),
      unchangedRejected: t("editor.unchanged_rejected"),
      unsaved: t("editor.unsaved"),
      discard: t("editor.discard"),
      discarded: t("editor.discarded"),
      undoDiscard: t("editor.undo_discard"),
      clearConfirm: t("editor.clear_confirm"),
      insertTerm: t("editor.insert_term"),
      insertTermLabel: t("editor.insert_term_label", { target: "{{target}}" }),
      conflictHow: t("editor.conflict_how"),
      failed: t("editor.save_failed"),
      network: t("editor.network_error"),
      leave: t("editor.leave_warning"),
      notSaved: t("editor.not_saved_conflict"),
      conflictTitle: t("editor.conflict_title"),
      conflictExplain: t("editor.conflict_explain"),
      // One's own save, in another tab or before going back a page: not "someone else".
      conflictTitleSelf: t("editor.conflict_title_self"),
      conflictExplainSelf: t("editor.conflict_explain_self"),
      theirsSelf: t("editor.theirs_self"),
      mineSelf: t("editor.mine_self"),
      diffSelf: t("editor.diff_self"),
      takeSaved: t("editor.take_saved"),
      keepPage: t("editor.keep_page"),
      notSavedSelf: t("editor.not_saved_conflict_self"),
      statuses: statusLabels(t),
      revision: t("editor.revision_short"),
      takeTheirs: t("editor.take_theirs"),
      keepMine: t("editor.keep_mine"),
      editMerge: t("editor.edit_merge"),
      theirs: t("editor.theirs"),
      mine: t("editor.mine"),
      diff: t("editor.diff"),
      error: `✖ ${t("qa.error")}`,
      warning: `⚠ ${t("qa.warning")}`,
      waive: t("editor.waive"),
      waived: t("qa.waived"),
      waivedBy: t("qa.waived_by"),
      // The waive form in the row (public/editor/waive.js), as the waive page words it.
      waiveWhich: t("waive.which"),
      waiveReason: t("editor.waive_reason"),
      waiveReasonRequired: t("editor.waive_reason_required"),
      waiveSubmit: t("editor.waive_submit"),
      waiveCancel: t("editor.waive_cancel"),
      waiveDone: t("waive.done"),
      waiveFailed: t("editor.waive_failed"),
      waiveUndo: t("waive.undo"),
      waiveLifted: t("waive.lifted"),
      close: t("ux.close"),
      history: t("editor.history"),
      clearLabel: t("editor.clear"),
      approve: t("review.approve"),
      doNotTranslate: t("glossary.do_not_translate"),
      forbidden: t("glossary.forbidden"),
      noTarget: t("glossary.no_target"),
      addWord: t("quality.add_word"),
      showSpan: t("quality.show_span"),
      wordAdded: t("quality.word_added"),
      sourceChanged: t("editor.source_changed_row"),
      signInAgain: t("editor.sign_in_again"),
      sessionEnded: t("editor.session_ended"),
      accountDisabled: t("editor.account_disabled"),
      waiveSessionEnded: t("editor.waive_session_ended"),
      // A finding only the typed text has: the server waives the saved translation's (review.ts).
      waiveSaveFirst: t("editor.waive_save_first"),
      waiveOthersUnsaved: t("editor.waive_others_unsaved"),
      otherUser: t("editor.other_user", { user: "{{user}}", me: "{{me}}" }),
      draftRestored: t("editor.draft_restored", { time: "{{time}}" }),
      draftsRestored: t("editor.drafts_restored"),
      draftParagraph: t("editor.draft_paragraph", { n: "{{n}}" }),
      sourceUpdated: t("editor.source_updated", { version: "{version}" }),
      reload: t("editor.reload"),
      progress: progressStrings(req),
    }),
    presence: attribute({
      here: { one: t("presence.here_one"), many: t("presence.here_many"), other: t("presence.here_other") },
      editing: t("presence.editing"),
      youElsewhere: t("presence.you_elsewhere"),
      editingElsewhere: t("presence.editing_elsewhere"),
      updated: t("presence.updated"),
      approvedBy: t("presence.approved_by"),
      rejection: t("editor.rejected_by"),
      rejectedBy: t("presence.rejected_by"),
      keptLocal: t("presence.kept_local"),
      offline: t("presence.offline"),
      newComment: t("comments.new_by"),
      badge: {
        one: t("comments.badge_one"),
        many: t("comments.badge_many"),
        other: t("comments.badge_other"),
      },
      link: t("comments.link"),
    }),
    concordance: attribute({
      noMatches: t("memory.no_matches"),
      loading: t("memory.loading"),
      loadingMt: t("memory.loading_mt"),
      timeout: t("memory.source_timeout"),
      failed: t("memory.source_failed"),
      paused: t("mt.paused", { provider: "{{provider}}", seconds: "{{seconds}}" }),
      retry: t("memory.retry"),
      assembled: t("memory.assembled"),
      assembledOne: t("memory.assembled_sentence"),
      missing: t("memory.missing_sentence"),
      keptSource: t("memory.kept_source"),
      codesLeftOut: t("memory.codes_left_out"),
      score: t("memory.score", { score: "{{score}}" }),
      mt: t("memory.mt_short"),
      insertLabel: t("memory.insert_label", { n: "{{n}}", score: "{{score}}" }),
      hitsFirst: t("memory.hits_first_other", { count: "{{count}}" }),
      numbers: t("memory.numbers"),
      approved: t("memory.approved"),
      imported: t("memory.imported_unit"),
      insert: t("memory.insert"),
      machine: t("memory.machine"),
      suggestionFindings: t("memory.suggestion_findings"),
      error: t("qa.error"),
      warning: t("qa.warning"),
      title: t("memory.matches"),
      addToGlossary: canAddToGlossary ? t("memory.add_to_glossary") : "",
      inGlossary: t("memory.in_glossary"),
      hits: t("memory.hits_other", { count: "{{count}}" }),
      hitsOne: t("memory.hits_one", { count: "{{count}}" }),
      codeStart: t("memory.code_start", { n: "{{n}}" }),
      codeEnd: t("memory.code_end", { n: "{{n}}" }),
      code: t("memory.code", { n: "{{n}}" }),
    }),
  };
  scriptStrings.set(key, strings);
  return strings;
}

interface EditorState {
  /** Paragraph whose save failed, with the text the translator typed, kept. */
  pid: string;
  mine: string;
  error?: string;
  conflict?: {
    revision: number;
    text: string;
    author: string;
    createdAt: string;
    diff: ReturnType<typeof diffTexts>;
  };
}

/** Where the rows go in the rendered page; never in user text (a NUL cannot be stored). */
const ROWS_SLOT = "\u0000rows\u0000";
/**
 * Rows per written piece: small enough that each piece is a cheap string to encode (~60 KB), few
 * enough that the cost of each render call (Express and EJS copy every local) stays small.
 */
const ROWS_PER_CHUNK = 50;
/**
 * Rows rendered in full (glossary terms marked, findings listed) from the top of the page, or from
 * `?from=`: five screens or more at 1280 px (a row with findings is a third of a screen), many more
 * on a phone. The others are light (the source as plain text, the text area and its
 * form, a link to their findings): on a 1,000-row page terms and findings were 850 KB of 2 MB. The
 * editor's script fills light rows in through /api/v1 as they come near the screen.
 */
export const FULL_ROWS = 20;

const fromSchema = z.coerce.number().int().min(1).optional();

/**
 * Labels looked up, and fixed pieces of a row escaped, once per page rather than once per paragraph;
 * pieces in H are HTML built from escaped text only.
 */
function rowKit(
  req: Request,
  res: Response,
  sourceLang: string,
  lang: string,
  base: string,
  filter: Filter,
  sourceVersion: number,
) {
  const t = req.t;
  const can = res.locals.can as (action: string) => boolean;
  const csrfToken = res.locals.csrfToken as () => string;
  const formatDate = res.locals.formatDate as (iso: string) => string;
  const L = {
    status: statusLabels(t),
    kind: {
      title: t("kind.title"),
      heading: t("kind.heading"),
      paragraph: t("kind.paragraph"),
      "list-item": t("kind.list-item"),
      quote: t("kind.quote"),
    },
    rev: t("editor.revision_short"),
    noTarget: t("glossary.no_target"),
    translationOf: t("editor.translation_of", { n: "#" }),
    canEdit: can("translation.edit"),
    canReview: can("translation.review"),
    canWaive: can("finding.waive"),
    waive: t("editor.waive"),
    waived: t("qa.waived"),
    comments: t("comments.link"),
  };
  // A light row's link to its findings: the page again, rendered in full from that row.
  const findingsLinks = new Map<number, string>();
  const findingsLink = (open: number) => {
    let link = findingsLinks.get(open);
    if (link === undefined) {
      link = escapeHtml(open ? t("editor.findings_link", { count: open }) : t("editor.findings_link_waived"));
      findingsLinks.set(open, link);
    }
    return link;
  };
  // A button in a form submits it: `type="submit"` on four buttons a row was 50 KB of a 1,000-row page.
  const H = {
    status: Object.fromEntries(Object.entries(L.status).map(([k, v]) => [k, escapeHtml(v)])),
    sourceLang: escapeHtml(sourceLang),
    lang: escapeHtml(lang),
    base: escapeHtml(base),
    csrf: `<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken())}">`,
    // The source version the row shows: a save or approve after an update to it is told so.
    seen: `<input type="hidden" name="sourceVersion" value="${Number(sourceVersion)}">`,
    history: escapeHtml(t("editor.history")),
    rev: escapeHtml(L.rev),
    // Before and after the paragraph's number.
    translationOf: L.translationOf.split("#").map(escapeHtml) as [string, string],
    edit: L.canEdit
      ? `<button name="intent" value="save" class="primary">${escapeHtml(t("editor.save"))}</button><button name="intent" value="draft">${escapeHtml(t("editor.save_draft"))}</button>`
      : "",
    clear: L.canEdit
      ? `<button name="intent" value="clear" class="link clear" formnovalidate>${escapeHtml(t("editor.clear"))}</button>`
      : "",
    approve: escapeHtml(t("review.approve")),
    from: escapeHtml(`${base}?${filter === "all" ? "" : `filter=${filter}&`}from=`),
  };
  // Dates show minutes: one formatting per minute, not per row.
  const dates = new Map<string, string>();
  const dateOf = (iso: string) => {
    const key = iso.slice(0, 16);
    let d = dates.get(key);
    if (d === undefined) {
      d = escapeHtml(formatDate(iso));
      dates.set(key, d);
    }
    return d;
  };
  return { L, H, dateOf, findingsLink };
}

export function editorRoutes({ services }: PageContext): Router {
  const router = Router();
  const { translations } = services;

  async function renderEditor(req: Request, res: Response, view: TranslationView, state?: EditorState) {
    const filter = (FILTERS as readonly string[]).includes(String(req.query.filter))
      ? (req.query.filter as Filter)
      : "all";
    const from = fromSchema.safeParse(req.query.from);
    if (!from.success) throw new GlosaError("validation", "invalid_request", req.t("editor.invalid_from"));
    const open = await services.comments.openCounts(view.document.id, view.lang);
    // The paragraphs' own views, not a copy of each: the template reads comment counts and waived
    // findings through the kit (copying 1,000 rows was 3 ms of a 25 ms page).
    const shown = view.paragraphs.filter((p) =>
      // "With open comments" counts the paragraph's thread in this language and its source queries.
      filter === "comments" ? open.has(p.paragraph.id) : matchesFilter(p, filter),
    );
    const doc = view.document;
    const lang = view.lang;
    const base = `/documents/${doc.id}/${lang}`;
    const termCardsOnPage = termCards(view);
    const first = Math.max(
      0,
      shown.findIndex((r) => r.paragraph.index + 1 >= (from.data ?? 1)),
    );
    const full = new Set(shown.slice(first, first + FULL_ROWS));
    const render = (name: string, data: object) =>
      new Promise<string>((resolve, reject) =>
        res.render(name, data, (error: Error | null, html?: string) =>
          error ? reject(error) : resolve(html ?? ""),
        ),
      );
    // The heading and the page's title read as people read them (a Markdown title without its
    // marks of emphasis); the title row's source keeps its Markdown.
    const titled = { ...doc, title: displayTitle(doc) };
    const page = await render("editor/index", {
      view: { ...view, document: titled },
      doc: titled,
      lang,
      base,
      filter,
      filters: FILTERS,
      state,
      termCards: termCardsOnPage,
      pageStrings: pageStrings(req, res),
      rowsSlot: ROWS_SLOT,
      shownCount: shown.length,
      mtEnabled: services.mt.enabled,
      mtStats: services.mt.enabled ? originStats(view.paragraphs.map((p) => p.translation)) : undefined,
    });
    const [before, after] = page.split(ROWS_SLOT) as [string, string];
    // The page goes out in pieces: a 1,000-row page as one string cost more to flatten and encode
    // (Buffer.from in res.send, then an ETag over 2 MB) than to render. Rows are rendered and
    // written ROWS_PER_CHUNK at a time, each piece a small string.
    res.type("html");
    res.write(before);
    const kit = {
      ...rowKit(req, res, doc.sourceLang, lang, base, filter, doc.version ?? 1),
      full,
      commentsOf: (p: ParagraphView) => open.get(p.paragraph.id) ?? 0,
      waivedOf: (p: ParagraphView) =>
        p.waived.map((w) => ({ ...(translateFindings(req, [w.finding])[0] as object), waiver: w.waiver })),
    };
    // Findings of a first view differ mostly in their values (a number, a word): each message is
    // looked up once and filled in per finding.
    const t = templatedTranslator((key, params) => req.t(key, params as Record<string, string>));
    const items = new Map<string, string>();
    const lng = res.locals.lng as string;
    const rowFindings = (findings: readonly AnyFinding[]) => findingItems(findings, lng, t, items);
    try {
      for (let i = 0; i < shown.length; i += ROWS_PER_CHUNK)
        res.write(
          await render("editor/rows", {
            rows: shown.slice(i, i + ROWS_PER_CHUNK),
            state,
            kit,
            findingItems: rowFindings,
          }),
        );
    } catch (error) {
      // The page has begun: no error page can follow it. Cut the connection so that the browser
      // stops waiting for the rest (it waited forever), and let the error go on to be logged.
      res.destroy();
      throw error;
    }
    res.end(after);
  }

  router.get("/documents/:id/:lang", async (req, res) => {
    authorize(req, "document.read");
    const view = await translations.view(req.params.id, req.params.lang);
    if (view.lang !== req.params.lang)
      return res.redirect(301, `/documents/${view.document.id}/${view.lang}`);
    await renderEditor(req, res, view);
  });

  /**
   * One paragraph saved by the no-script form: a redirect to the next paragraph that needs work, or the
   * page again with the problem and the typed text kept. Scripts save through /api/v1 instead.
   */
  router.post("/documents/:id/:lang/paragraphs/:pid", async (req, res) => {
    const user = authorize(req, "translation.edit");
    const { id, lang, pid } = req.params;
    const parsed = saveSchema.safeParse(req.body);
    const typed = typeof req.body?.text === "string" ? req.body.text : "";
    try {
      if (!parsed.success)
        throw new GlosaError(
          "validation",
          "invalid_request",
          req.t("editor.invalid_form"),
          z.flattenError(parsed.error).fieldErrors,
        );
      const { text, baseRevision, intent, sourceVersion } = parsed.data;
      const status = parsed.data.status ?? (intent === "draft" ? "draft" : "translated");
      const seen = sourceVersion !== undefined ? { sourceVersion } : {};
      const result =
        intent === "clear"
          ? await translations.clear(id, lang, pid, baseRevision, user.username)
          : await translations.save(id, lang, pid, { text, baseRevision, status, ...seen }, user.username);
      // Without the script nothing on the next paragraph says the save landed: the page does.
      const view = await translations.view(id, lang);
      const index = view.paragraphs.findIndex((p) => p.paragraph.id === pid);
      // Saved as it was: nothing written, which a rejected paragraph's translator must hear (it is not
      // sent back for review).
      const unchanged = intent !== "clear" && !result.created;
      const said = unchanged
        ? result.status === "rejected"
          ? "editor.unchanged_paragraph_rejected"
          : "editor.unchanged_paragraph"
        : intent === "clear"
          ? "editor.cleared_paragraph"
          : "editor.saved_paragraph";
      req.session.flash = [
        {
          kind: "ok",
          message: req.t(said, { n: index + 1, revision: result.revision }),
          // The page opens at the next paragraph, far below the top: the notice floats in view.
          float: true,
        },
      ];
      // Past the first rows, the next paragraph's findings are shown in full from it.
      // A rejected paragraph saved as it was still needs work: the page stays on it.
      const next = unchanged && result.status === "rejected" ? pid : nextPid(view, pid);
      const at = view.paragraphs.findIndex((p) => p.paragraph.id === next);
      res.redirect(303, `/documents/${id}/${lang}${at >= FULL_ROWS ? `?from=${at + 1}` : ""}#p-${next}`);
    } catch (error) {
      if (!(error instanceof GlosaError) || (error.kind !== "conflict" && error.kind !== "validation"))
        throw error;
      // A source changed since the page was read is said in the row, which now shows the new source.
      const current =
        error instanceof ConflictError && error.code !== "source_changed"
          ? (error.extra?.current as EditorState["conflict"])
          : undefined;
      const conflict = current && { ...current, diff: diffTexts(current.text, typed) };
      res.status(error.kind === "conflict" ? 409 : 400);
      await renderEditor(req, res, await translations.view(id, lang), {
        pid,
        mine: typed,
        ...(conflict ? { conflict } : { error: messageFor(req, error) }),
      });
    }
  });

  return router;
}

/**
 * What the hover card of each glossary term on the page shows, once per term rather than once per
 * occurrence: a long article mentions the same terms hundreds of times.
 */
function termCards(view: TranslationView) {
  const cards: Record<
    string,
    { target: string | null; forbidden: string[]; note: string; doNotTranslate: boolean }
  > = {};
  for (const p of view.paragraphs)
    for (const m of p.glossary)
      cards[m.termId] ??= {
        target: m.target,
        forbidden: targetFor(m.term, view.lang)?.forbidden ?? [],
        note: m.term.description,
        doNotTranslate: !m.term.translatable,
      };
  return cards;
}

/**
 * Where a no-script save goes next: the first paragraph after `pid` that needs work; when none after
 * does, the first one that does from the top; `pid` itself when nothing needs work.
 */
export function nextPid(view: TranslationView, pid: string): string {
  const list = view.paragraphs;
  const at = list.findIndex((p) => p.paragraph.id === pid);
  const after = list.slice(at + 1).find(needsWork) ?? list.slice(0, at + 1).find(needsWork);
  return after?.paragraph.id ?? pid;
}
