/** Configuration from the environment, as the table in the API spec lists it. */

import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { MT_VARIABLES, type MtConfig, mtConfig, SECRET_MT_VARIABLES } from "./mt/config.ts";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Password of the `admin` user created on first start; random when unset. */
  adminPassword: string | undefined;
  /** False lifts request rate limits and login throttling (benchmarks, load tests). */
  rateLimit: boolean;
  env: "development" | "production" | "test";
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Session signing secret; generated once and kept in the data dir when unset. */
  sessionSecret: string | undefined;
  /** Largest accepted JSON or form body, in bytes. */
  bodyLimit: number;
  /** Largest accepted import file, in bytes. */
  importLimit: number;
  /** Longest accepted translation, in characters. */
  maxTextLength: number;
  /** Requests per minute from one signed-in user, or from one address before sign-in, before 429. */
  requestsPerMinute: number;
  /**
   * The reverse proxies whose X-Forwarded-* headers count (Secure cookies, client addresses), as
   * Express's `trust proxy` takes them; false trusts none. A request from any other address has its
   * X-Forwarded-For ignored, so it cannot pick the address it is throttled under.
   */
  trustProxy: false | string[];
  /** Most terms in the glossary. */
  maxTerms: number;
  /** Most terms in one imported glossary file. */
  maxImportTerms: number;
  /** Most comments on one paragraph, all its threads together. */
  commentsPerParagraph: number;
  /** Most characters one paragraph's comments hold, their earlier texts included. */
  commentThreadChars: number;
  /** PostgreSQL instead of the data directory, when set (a postgres:// or postgresql:// URL). */
  databaseUrl: string | undefined;
  /** Most connections one process opens to PostgreSQL. */
  databasePoolMax: number;
  /** Machine translation providers and their settings (server/mt/config.ts). */
  mt: MtConfig;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid ${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** proxy-addr's names for address ranges, beside literal addresses and CIDRs. */
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** `off`, `on` (the loopback addresses) or a comma-separated list of proxy addresses, CIDRs or range names. */
const trustProxySchema = z.string().transform((raw, context): false | string[] => {
  if (raw === "off") return false;
  if (raw === "on") return ["loopback"];
  const entries = raw.split(",").map((entry) => entry.trim());
  if (entries.length > 0 && entries.every(isProxyAddress)) return entries;
  context.addIssue({
    code: "custom",
    message: "must be off, on, or a comma-separated list of proxy addresses or CIDRs (10.0.0.2, 10.1.0.0/16)",
  });
  return z.NEVER;
});

const VARIABLES = {
  PORT: { schema: integer(0, 65535), fallback: "3000" },
  HOST: { schema: z.string().min(1, "must not be empty"), fallback: "127.0.0.1" },
  GLOSA_DATA_DIR: { schema: z.string().min(1, "must not be empty"), fallback: "./data" },
  GLOSA_ADMIN_PASSWORD: {
    schema: z.string().min(8, "must be at least 8 characters").max(1024, "must be at most 1024 characters"),
    fallback: undefined,
  },
  GLOSA_RATE_LIMIT: { schema: z.enum(["on", "off"], "must be on or off"), fallback: "on" },
  NODE_ENV: {
    schema: z.enum(["development", "production", "test"], "must be development, production or test"),
    fallback: "development",
  },
  GLOSA_LOG_LEVEL: {
    schema: z.enum(
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
      "must be a pino level (info, debug, ...)",
    ),
    fallback: "info",
  },
  GLOSA_SESSION_SECRET: { schema: z.string().min(32, "must be at least 32 characters"), fallback: undefined },
  GLOSA_BODY_LIMIT: { schema: integer(1024, 1024 ** 3), fallback: String(1024 * 1024) },
  GLOSA_IMPORT_LIMIT: { schema: integer(1024, 1024 ** 3), fallback: String(10 * 1024 * 1024) },
  GLOSA_MAX_TEXT_LENGTH: { schema: integer(1, 1_000_000), fallback: "20000" },
  GLOSA_REQUESTS_PER_MINUTE: { schema: integer(1, 1_000_000), fallback: "600" },
  GLOSA_TRUST_PROXY: { schema: trustProxySchema, fallback: "off" },
  GLOSA_MAX_TERMS: { schema: integer(1, 10_000_000), fallback: "50000" },
  GLOSA_MAX_IMPORT_TERMS: { schema: integer(1, 10_000_000), fallback: "20000" },
  GLOSA_MAX_COMMENTS: { schema: integer(1, 100_000), fallback: "200" },
  GLOSA_MAX_THREAD_CHARS: { schema: integer(4000, 100_000_000), fallback: "400000" },
  GLOSA_DATABASE_URL: {
    schema: z.string().refine(isPostgresUrl, "must be a postgres:// or postgresql:// URL"),
    fallback: undefined,
  },
  // Two at least: seeding holds one connection for its lock while it writes through another.
  GLOSA_DATABASE_POOL_MAX: { schema: integer(2, 1000), fallback: "10" },
  ...MT_VARIABLES,
} as const;

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "postgres:" || url.protocol === "postgresql:";
  } catch {
    return false;
  }
}

type Values = { [K in keyof typeof VARIABLES]: z.output<(typeof VARIABLES)[K]["schema"]> | undefined };

/** Reads the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const values = {} as Record<string, unknown>;
  for (const [name, { schema, fallback }] of Object.entries(VARIABLES)) {
    const raw = env[name] === undefined || env[name] === "" ? fallback : env[name];
    if (raw === undefined) {
      values[name] = undefined;
      continue;
    }
    const result = (schema as z.ZodType).safeParse(raw);
    if (!result.success)
      throw new ConfigError(
        name,
        // A database URL can hold a password: it is not repeated.
        `${name === "GLOSA_DATABASE_URL" || SECRET_MT_VARIABLES.has(name) ? "the value" : JSON.stringify(raw)} ${result.error.issues[0]?.message ?? "is not valid"}`,
      );
    values[name] = result.data;
  }
  const v = values as Values;
  return {
    port: v.PORT as number,
    host: v.HOST as string,
    dataDir: path.resolve(v.GLOSA_DATA_DIR as string),
    adminPassword: v.GLOSA_ADMIN_PASSWORD,
    rateLimit: v.GLOSA_RATE_LIMIT === "on",
    env: v.NODE_ENV as Config["env"],
    logLevel: v.GLOSA_LOG_LEVEL as Config["logLevel"],
    sessionSecret: v.GLOSA_SESSION_SECRET,
    bodyLimit: v.GLOSA_BODY_LIMIT as number,
    importLimit: v.GLOSA_IMPORT_LIMIT as number,
    maxTextLength: v.GLOSA_MAX_TEXT_LENGTH as number,
    trustProxy: v.GLOSA_TRUST_PROXY as Config["trustProxy"],
    requestsPerMinute: v.GLOSA_REQUESTS_PER_MINUTE as number,
    maxTerms: v.GLOSA_MAX_TERMS as number,
    maxImportTerms: v.GLOSA_MAX_IMPORT_TERMS as number,
    commentsPerParagraph: v.GLOSA_MAX_COMMENTS as number,
    commentThreadChars: v.GLOSA_MAX_THREAD_CHARS as number,
    databaseUrl: v.GLOSA_DATABASE_URL,
    databasePoolMax: v.GLOSA_DATABASE_POOL_MAX as number,
    mt: mtConfig(values),
  };
}
