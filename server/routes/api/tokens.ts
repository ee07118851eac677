import { type RequestHandler, Router } from "express";
import { z } from "zod";
import { accountDisabled } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { UnauthorizedError } from "../../errors.ts";
import type { Limits } from "../../rate-limits.ts";
import { parseBody } from "./validate.ts";

const tokenSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  name: z.string().max(100).optional(),
});

export function tokenApi(
  { accounts }: Services,
  { requests, signIn: throttle }: Limits,
  /** Reads the JSON body (and refuses what no store can hold, server/well-formed.ts). */
  json: RequestHandler[],
): Router {
  const router = Router();
  // Anonymous, so counted per address (before its body is read); the sign-in throttle, which keys on
  // the username in the body, is the one the sign-in page uses.
  router.post("/tokens", requests.count, ...json, throttle.middleware, async (req, res) => {
    const body = parseBody(tokenSchema, req.body);
    const user = await accounts.authenticate(body.username, body.password);
    if (user === "disabled") throw accountDisabled();
    if (!user) throw new UnauthorizedError("Wrong username or password.");
    throttle.reset(req);
    const { token } = await accounts.issueToken(user, body.name ?? "API");
    res.status(201).json({ token, user: { username: user.username, role: user.role } });
  });
  return router;
}
