import { Router } from "express";
import { z } from "zod";
import { GlosaError } from "../../../translations/errors.ts";
import { authorize } from "../../auth.ts";
import type { PageContext } from "./index.ts";

export function accountRoutes({ services }: PageContext): Router {
  const router = Router();
  const { accounts } = services;

  router.get("/account", async (req, res) => {
    const user = authorize(req, "document.read");
    res.render("account", { tokens: await accounts.listTokens(user.username), newToken: null, error: null });
  });

  router.post("/account/password", async (req, res) => {
    const user = authorize(req, "document.read");
    const body = z
      .object({
        current: z.string().max(1024),
        password: z.string().max(1024),
        confirm: z.string().max(1024),
      })
      .safeParse(req.body);
    let error: string | null = null;
    if (!body.success) error = req.t("account.password_invalid");
    else if (body.data.password !== body.data.confirm) error = req.t("account.password_mismatch");
    else {
      try {
        await accounts.changeOwnPassword(user.username, body.data.current, body.data.password);
      } catch (e) {
        if (!(e instanceof GlosaError) || e.kind !== "validation") throw e;
        error =
          e.code === "wrong_password" ? req.t("account.password_wrong") : req.t("account.password_invalid");
      }
    }
    if (error) {
      res
        .status(400)
        .render("account", { tokens: await accounts.listTokens(user.username), newToken: null, error });
      return;
    }
    // The password change ended every session, this one included: sign in again.
    req.session.regenerate(() => {
      req.session.flash = [{ kind: "ok", message: req.t("account.password_changed") }];
      res.redirect(303, "/login");
    });
  });

  router.post("/account/tokens", async (req, res) => {
    const user = authorize(req, "document.read");
    const name = z.object({ name: z.string().max(100) }).safeParse(req.body);
    const { token } = await accounts.issueToken(user, name.success ? name.data.name.trim() : "");
    res.render("account", { tokens: await accounts.listTokens(user.username), newToken: token, error: null });
  });

  router.post("/account/tokens/:tokenId/revoke", async (req, res) => {
    const user = authorize(req, "document.read");
    await accounts.revokeToken(req.params.tokenId, user);
    req.session.flash = [{ kind: "ok", message: req.t("account.token_revoked") }];
    res.redirect(303, "/account");
  });

  return router;
}
