import { Router } from "express";
import { z } from "zod";
import { ROLES } from "../../accounts/model.ts";
import { authorize } from "../../auth.ts";
import type { Services } from "../../context.ts";
import { parseBody } from "./validate.ts";

const userSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().max(1024),
  role: z.enum(ROLES),
});

export function userApi({ accounts }: Services): Router {
  const router = Router();
  router.get("/users", async (req, res) => {
    authorize(req, "users.manage");
    const users = await accounts.list();
    res.json({ users: users.map((u) => ({ username: u.username, role: u.role })) });
  });
  router.post("/users", async (req, res) => {
    const admin = authorize(req, "users.manage");
    const user = await accounts.create(parseBody(userSchema, req.body), admin.username);
    res.status(201).json({ username: user.username, role: user.role });
  });
  return router;
}
