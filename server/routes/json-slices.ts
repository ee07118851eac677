/** A large JSON answer sent in slices (server/json-slices.ts), waiting for a slow reader. */

import type { Response } from "express";
import { writeJsonInSlices } from "../json-slices.ts";
import { drainOrClose } from "./download.ts";

/** Sends `value` as JSON, serialized and written in slices (server/json-slices.ts), waiting for a slow reader. */
export async function sendJsonInSlices(res: Response, value: unknown): Promise<void> {
  res.type("application/json");
  await writeJsonInSlices(value, async (chunk) => {
    if (!res.write(chunk) && !res.destroyed) await drainOrClose(res);
  });
  res.end();
}
