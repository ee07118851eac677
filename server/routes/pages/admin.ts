import { Router } from "express";
import { z } from "zod";
import { displayTitle } from "../../../translations/document.ts";
import { GlosaError } from "../../../translations/errors.ts";
import { ROLES } from "../../accounts/model.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
import { providerLabel } from "../../mt/provider-names.ts";
import type { PageContext } from "./index.ts";
import { pageCursors, pagerLinks } from "./pager.ts";

const createSchema = z.object({
  username: z.string().max(64),
  password: z.string().max(1024),
  role: z.enum(ROLES),
});

const updateSchema = z.object({
  action: z.enum(["role", "disable", "enable", "password"]),
  role: z.enum(ROLES).optional(),
  password: z.string().max(1024).optional(),
  confirm: z.literal("yes").optional(),
});

/** Entries on one page of the audit log. */
const AUDIT_PAGE_SIZE = 50;

/**
 * Details whose stored values are codes, with where their words are: the value is shown in the reader's
 * language (a status "translated" as "traducido"), or as stored when no word for it exists.
 */
const VALUE_WORDS: Record<string, string> = {
  status: "status",
  role: "roles",
  origin: "audit.origin",
  scope: "audit.scope",
};

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** An entry's details as label and text pairs, for people: lists joined, nested records as `key: value`. */
export function detailPairs(
  details: Record<string, unknown> | undefined,
  t: Translate,
  language: (tag: string) => string = (tag) => tag,
  title: (documentId: string) => string = (id) => id,
): { key: string; label: string; value: string }[] {
  const text = (value: unknown): string => {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(text).join(", ");
    if (typeof value === "object")
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${text(v)}`)
        .join("; ");
    return String(value);
  };
  const word = (key: string, value: unknown): string => {
    if (key === "lang" && typeof value === "string") return language(value);
    // A pre-translation's paragraphs per provider: "Apertium: 4".
    if (key === "providers" && value !== null && typeof value === "object" && !Array.isArray(value))
      return Object.entries(value as Record<string, unknown>)
        .map(([name, count]) => `${providerLabel(name)}: ${text(count)}`)
        .join("; ");
    // A batch's documents by their titles, not their ids.
    if (key === "documents" && Array.isArray(value))
      return value.map((id) => (typeof id === "string" ? title(id) : text(id))).join(", ");
    const words = VALUE_WORDS[key];
    if (!words || typeof value !== "string") return text(value);
    return t(`${words}.${value}`, { defaultValue: value });
  };
  return Object.entries(details ?? {})
    .filter(([key]) => !NOT_SHOWN.has(key))
    .map(([key, value]) => ({
      key,
      label: t(`audit.detail.${key}`, { defaultValue: key }),
      value: word(key, value),
    }));
}

/**
 * Details left out of the details column: ids the object or the action already names (a comment's, a
 * term's, the batch an undo undoes), and a pre-translation's job id: the job's page tells no more than
 * the entry once it is done, and is gone once the job is forgotten.
 */
const NOT_SHOWN = new Set(["comment", "termId", "undoes", "job"]);

/** What an entry was done to, for people: words, and the page that shows it where there is one. */
export interface AuditObject {
  text: string;
  href?: string;
}

/**
 * An entry's object (`document:<id>/<lang>/<pid>`, `term:<id>`, `user:<name>`, `en>es`...) as people
 * read it: the document's title, the language's name, the paragraph's number, the term's source. An
 * object this version does not know is shown as stored.
 */
export function describeObject(
  object: string,
  details: Record<string, unknown> | undefined,
  t: Translate,
  language: (tag: string) => string,
  document: (id: string) => { title: string; paragraphs: readonly { id: string }[] } | undefined,
): AuditObject {
  const colon = object.indexOf(":");
  const kind = colon < 0 ? object : object.slice(0, colon);
  const rest = colon < 0 ? "" : object.slice(colon + 1);
  const named = (key: string) => (typeof details?.[key] === "string" ? (details[key] as string) : undefined);
  switch (kind) {
    case "document": {
      const [id = "", lang, pid] = rest.split("/");
      const doc = document(id);
      const title = shortened(doc?.title ?? id);
      if (!lang) return { text: t("audit.object.document", { title }), href: `/documents/${enc(id)}` };
      const base = `/documents/${enc(id)}/${enc(lang)}`;
      if (!pid) return { text: t("audit.object.translation", { title, lang: language(lang) }), href: base };
      const index = doc?.paragraphs.findIndex((p) => p.id === pid) ?? -1;
      const where = { title, lang: language(lang) };
      return {
        text:
          index >= 0
            ? t("audit.object.paragraph", { ...where, n: index + 1 })
            : t("audit.object.paragraph_id", { ...where, id: pid }),
        href: `${base}/paragraphs/${enc(pid)}`,
      };
    }
    case "term": {
      const source = named("source");
      return source
        ? { text: t("audit.object.term", { source }), href: `/glossary/terms/${enc(rest)}` }
        : { text: t("audit.object.term_unnamed"), href: `/glossary/terms/${enc(rest)}` };
    }
    case "user":
      return { text: t("audit.object.user", { username: rest }) };
    case "token": {
      const name = named("name");
      return { text: name ? t("audit.object.token", { name }) : t("audit.object.token_unnamed") };
    }
    case "batch":
      return { text: t("audit.object.batch") };
    case "glossary":
      return { text: t("audit.object.glossary") };
    case "quality":
      return { text: t("audit.object.quality", { lang: language(rest) }), href: "/quality" };
    default: {
      const pair = /^([A-Za-z0-9-]+)>([A-Za-z0-9-]+)$/.exec(object);
      if (pair)
        return {
          text: t("audit.object.memory", {
            source: language(pair[1] as string),
            target: language(pair[2] as string),
          }),
          href: "/memory",
        };
      return { text: object };
    }
  }
}

const enc = encodeURIComponent;

/** Longest title shown in a row of the log, in characters as people count them. */
const TITLE_SHOWN = 60;

function shortened(title: string): string {
  const chars = Array.from(title);
  return chars.length <= TITLE_SHOWN
    ? title
    : `${chars
        .slice(0, TITLE_SHOWN - 1)
        .join("")
        .trimEnd()}…`;
}

/** An audit action for people: its label, or the stored code for an action this version does not know. */
export function actionLabel(action: string, t: Translate): string {
  return t(`audit_actions.${action.replaceAll(".", "_")}`, { defaultValue: action });
}

export function adminRoutes({ services }: PageContext): Router {
  const router = Router();
  const { accounts } = services;

  const renderUsers = async (
    res: import("express").Response,
    error: string | null,
    values = { username: "", role: "translator" },
  ) => res.render("admin/users", { users: await accounts.list(), roles: ROLES, error, values });

  router.get("/admin/users", async (req, res) => {
    authorize(req, "users.manage");
    await renderUsers(res, null);
  });

  router.post("/admin/users", async (req, res) => {
    const admin = authorize(req, "users.manage");
    const body = createSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400);
      return renderUsers(res, req.t("admin.invalid_user"));
    }
    try {
      await accounts.create(body.data, admin.username);
    } catch (e) {
      if (!(e instanceof GlosaError) || (e.kind !== "validation" && e.kind !== "conflict")) throw e;
      res.status(e.kind === "conflict" ? 409 : 400);
      return renderUsers(res, messageFor(req, e), { username: body.data.username, role: body.data.role });
    }
    req.session.flash = [
      { kind: "ok", message: req.t("admin.user_created", { username: body.data.username }) },
    ];
    res.redirect(303, "/admin/users");
  });

  router.post("/admin/users/:username", async (req, res) => {
    const admin = authorize(req, "users.manage");
    const body = updateSchema.safeParse(req.body);
    const { username } = req.params;
    try {
      if (!body.success) throw new GlosaError("validation", "invalid_request", req.t("admin.invalid_user"));
      const { action } = body.data;
      // Disabling ends the user's sessions and tokens: asked first, without JavaScript on a page of its own.
      if (action === "disable" && body.data.confirm !== "yes") {
        res.render("admin/disable", { username });
        return;
      }
      if (action === "role") await accounts.setRole(username, body.data.role ?? "translator", admin.username);
      if (action === "disable" || action === "enable")
        await accounts.setDisabled(username, action === "disable", admin.username);
      if (action === "password")
        await accounts.setPassword(username, body.data.password ?? "", admin.username);
    } catch (e) {
      if (!(e instanceof GlosaError) || (e.kind !== "validation" && e.kind !== "conflict")) throw e;
      res.status(e.kind === "conflict" ? 409 : 400);
      return renderUsers(res, messageFor(req, e));
    }
    const done = {
      role: req.t("admin.user_role_changed", {
        username,
        role: req.t(`roles.${body.data?.role ?? "translator"}`),
      }),
      disable: req.t("admin.user_disabled", { username }),
      enable: req.t("admin.user_enabled", { username }),
      password: req.t("admin.user_password_reset", { username }),
    };
    req.session.flash = [
      {
        kind: "ok",
        message: body.success ? done[body.data.action] : req.t("admin.user_updated", { username }),
      },
    ];
    res.redirect(303, "/admin/users");
  });

  // A page of the log at a time, newest first; `?after=` / `?before=` are the pager's cursors.
  router.get("/admin/audit", async (req, res) => {
    authorize(req, "audit.read");
    const { after, before } = pageCursors(req);
    const page = await services.audit.page(AUDIT_PAGE_SIZE, after, before);
    // The page's documents, read once each; one deleted since is named by its id.
    const ids = new Set(
      page.entries.flatMap((e) => [
        ...(e.object.startsWith("document:") ? [e.object.slice(9).split("/")[0] ?? ""] : []),
        // A find and replace names its documents in its details.
        ...(Array.isArray(e.details?.documents)
          ? (e.details.documents as unknown[]).filter((id): id is string => typeof id === "string")
          : []),
      ]),
    );
    const documents = new Map(
      await Promise.all(
        [...ids].map(
          async (id) => [id, await services.translations.getDocument(id).catch(() => undefined)] as const,
        ),
      ),
    );
    const language = res.locals.languageName as (tag: string) => string;
    const document = (id: string) => {
      const doc = documents.get(id);
      return doc && { title: displayTitle(doc), paragraphs: doc.paragraphs };
    };
    res.render("admin/audit", {
      entries: page.entries.map((entry) => ({
        ...entry,
        label: actionLabel(entry.action, req.t),
        target: describeObject(entry.object, entry.details, req.t, language, document),
        pairs: detailPairs(entry.details, req.t, language, (id) => document(id)?.title ?? id),
      })),
      pager: pagerLinks("/admin/audit", AUDIT_PAGE_SIZE, page),
    });
  });

  return router;
}
