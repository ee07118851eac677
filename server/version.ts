import { readFileSync } from "node:fs";

/** The version in package.json, for exported files' headers. */
export const GLOSA_VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;
