import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../server/config.ts";

describe("configuration from the environment", () => {
  it("has safe defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      rateLimit: true,
      env: "development",
      adminPassword: undefined,
      trustProxy: false,
      maxTextLength: 20_000,
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it("reads every variable of the spec's table", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      GLOSA_DATA_DIR: "/srv/glosa",
      GLOSA_ADMIN_PASSWORD: "long-enough",
      GLOSA_RATE_LIMIT: "off",
      NODE_ENV: "production",
    });
    expect(config).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      dataDir: "/srv/glosa",
      adminPassword: "long-enough",
      rateLimit: false,
      env: "production",
    });
  });

  it("names the variable of a bad value", () => {
    const bad: Record<string, string>[] = [
      { PORT: "eighty" },
      { PORT: "70000" },
      { GLOSA_RATE_LIMIT: "maybe" },
      { NODE_ENV: "staging" },
      { GLOSA_ADMIN_PASSWORD: "short" },
      { GLOSA_LOG_LEVEL: "loud" },
      { GLOSA_BODY_LIMIT: "-1" },
    ];
    for (const env of bad) {
      const name = Object.keys(env)[0] as string;
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid ${name}:`));
    }
  });
});
