import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

const env = (extra: Record<string, string>) => ({ GLOSA_DATA_DIR: "/tmp/x", ...extra });

describe("GLOSA_MT configuration", () => {
  it("is off by default, with a 5 s deadline", () => {
    expect(loadConfig(env({})).mt).toMatchObject({ providers: [], timeoutMs: 5000 });
  });

  it("reads providers in order, with their settings", () => {
    const config = loadConfig(
      env({
        GLOSA_MT: "deepl, apertium,libretranslate",
        GLOSA_MT_TIMEOUT_MS: "1500",
        GLOSA_LIBRETRANSLATE_URL: "http://127.0.0.1:5000",
        GLOSA_DEEPL_KEY: "abc:fx",
      }),
    );
    expect(config.mt.providers).toEqual(["deepl", "apertium", "libretranslate"]);
    expect(config.mt.timeoutMs).toBe(1500);
  });

  it.each([
    [{ GLOSA_MT: "apertium,google" }, "GLOSA_MT"],
    [{ GLOSA_MT: "apertium,apertium" }, "GLOSA_MT"],
    [{ GLOSA_MT: "libretranslate" }, "GLOSA_LIBRETRANSLATE_URL"],
    [{ GLOSA_MT: "libretranslate", GLOSA_LIBRETRANSLATE_URL: "ftp://x" }, "GLOSA_LIBRETRANSLATE_URL"],
    [{ GLOSA_MT: "deepl" }, "GLOSA_DEEPL_KEY"],
    [{ GLOSA_MT_TIMEOUT_MS: "soon" }, "GLOSA_MT_TIMEOUT_MS"],
  ])("refuses %j naming %s", (extra, variable) => {
    expect(() => loadConfig(env(extra))).toThrow(ConfigError);
    expect(() => loadConfig(env(extra))).toThrow(variable);
  });

  it("never repeats a key in its error", () => {
    expect(() => loadConfig(env({ GLOSA_DEEPL_KEY: "k".repeat(2000) }))).toThrow(
      /GLOSA_DEEPL_KEY: the value/,
    );
  });
});
