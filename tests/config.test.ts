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
      { GLOSA_TRUST_PROXY: "yes" },
      { GLOSA_TRUST_PROXY: "10.0.0.300" },
      { GLOSA_TRUST_PROXY: "10.0.0.0/33" },
      { GLOSA_TRUST_PROXY: "10.0.0.1,,10.0.0.2" },
      { GLOSA_TRUST_PROXY: "proxy.example" },
    ];
    for (const env of bad) {
      const name = Object.keys(env)[0] as string;
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid ${name}:`));
    }
  });

  it("trusts forwarded headers from none, from loopback, or from the listed proxies only", () => {
    expect(loadConfig({ GLOSA_TRUST_PROXY: "off" }).trustProxy).toBe(false);
    expect(loadConfig({ GLOSA_TRUST_PROXY: "on" }).trustProxy).toEqual(["loopback"]);
    expect(loadConfig({ GLOSA_TRUST_PROXY: "10.0.0.2, 10.1.0.0/16,::1,fd00::/8" }).trustProxy).toEqual([
      "10.0.0.2",
      "10.1.0.0/16",
      "::1",
      "fd00::/8",
    ]);
  });
});
