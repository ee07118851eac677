/** The machine translation variables of the environment (api-v1.md, Configuration; docs/api.md). */

import { z } from "zod";
// A cycle with ../config.ts, used only when loadConfig runs, after both modules are evaluated.
import { ConfigError } from "../config.ts";

export const PROVIDERS = ["apertium", "libretranslate", "deepl"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface MtConfig {
  /** Providers in the order their suggestions are shown; empty when `GLOSA_MT=off`. */
  providers: ProviderName[];
  /** Deadline of one call to a provider, in milliseconds. */
  timeoutMs: number;
  libretranslate: { url: string | undefined; key: string | undefined };
  deepl: { url: string | undefined; key: string | undefined };
}

const providerList = z.string().transform((raw, context): ProviderName[] => {
  if (raw.trim() === "off") return [];
  const names = raw.split(",").map((name) => name.trim());
  const bad = names.find((name) => !(PROVIDERS as readonly string[]).includes(name));
  if (bad !== undefined || new Set(names).size !== names.length) {
    context.addIssue({
      code: "custom",
      message: `must be off or a comma-separated list of ${PROVIDERS.join(", ")}, each once`,
    });
    return z.NEVER;
  }
  return names as ProviderName[];
});

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
  } catch {
    return false;
  }
}, "must be an http:// or https:// URL without credentials");

export const MT_VARIABLES = {
  GLOSA_MT: { schema: providerList, fallback: "off" },
  GLOSA_MT_TIMEOUT_MS: {
    schema: z
      .string()
      .regex(/^\d+$/, "must be a whole number")
      .transform(Number)
      .pipe(z.number().int().min(50).max(120_000)),
    fallback: "5000",
  },
  GLOSA_LIBRETRANSLATE_URL: { schema: httpUrl, fallback: undefined },
  GLOSA_LIBRETRANSLATE_KEY: {
    schema: z.string().max(1000, "must be at most 1000 characters"),
    fallback: undefined,
  },
  GLOSA_DEEPL_URL: { schema: httpUrl, fallback: undefined },
  GLOSA_DEEPL_KEY: { schema: z.string().max(1000, "must be at most 1000 characters"), fallback: undefined },
} as const;

/** Variables whose value is never repeated in an error message. */
export const SECRET_MT_VARIABLES = new Set(["GLOSA_LIBRETRANSLATE_KEY", "GLOSA_DEEPL_KEY"]);

/** The MT settings from validated values; a provider named without what it needs stops start-up. */
export function mtConfig(values: Record<string, unknown>): MtConfig {
  const config: MtConfig = {
    providers: (values.GLOSA_MT as ProviderName[] | undefined) ?? [],
    timeoutMs: (values.GLOSA_MT_TIMEOUT_MS as number | undefined) ?? 5000,
    libretranslate: {
      url: values.GLOSA_LIBRETRANSLATE_URL as string | undefined,
      key: values.GLOSA_LIBRETRANSLATE_KEY as string | undefined,
    },
    deepl: {
      url: values.GLOSA_DEEPL_URL as string | undefined,
      key: values.GLOSA_DEEPL_KEY as string | undefined,
    },
  };
  if (config.providers.includes("libretranslate") && !config.libretranslate.url)
    throw new ConfigError("GLOSA_LIBRETRANSLATE_URL", "is required when GLOSA_MT names libretranslate");
  if (config.providers.includes("deepl") && !config.deepl.key)
    throw new ConfigError("GLOSA_DEEPL_KEY", "is required when GLOSA_MT names deepl");
  return config;
}
