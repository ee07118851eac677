import { Router } from "express";
import { z } from "zod";
import { GlosaError } from "../../../translations/errors.ts";
import { ROLES } from "../../accounts/model.ts";
import { authorize } from "../../auth.ts";
import { messageFor } from "../../messages.ts";
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
    const words = VALUE_WORDS[key];
    if (!words || typeof value !== "string") return text(value);
    return t(`${words}.${value}`, { defaultValue: value });
  };
  return Object.entries(details ?? {}).map(([key, value]) => ({
    key,
    label: t(`audit.detail.${key}`, { defaultValue: key }),
    value: word(key, value),
  }));
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
    req.session.flash = [{ kind: "ok", message: req.t("admin.user_updated", { username }) }];
    res.redirect(303, "/admin/users");
  });

  // A page of the log at a time, newest first; `?after=` / `?before=` are the pager's cursors.
  router.get("/admin/audit", async (req, res) => {
    authorize(req, "audit.read");
    const { after, before } = pageCursors(req);
    const page = await services.audit.page(AUDIT_PAGE_SIZE, after, before);
    res.render("admin/audit", {
      entries: page.entries.map((entry) => ({
        ...entry,
        label: actionLabel(entry.action, req.t),
        pairs: detailPairs(entry.details, req.t),
      })),
      pager: pagerLinks("/admin/audit", AUDIT_PAGE_SIZE, page),
    });
  });

  return router;
}
