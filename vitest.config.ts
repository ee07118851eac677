import { defineConfig } from "vitest/config";

// Four suites: `unit` (npm test: no network, no ../shared), `formats` (reads ../shared/formats),
// `e2e` (drives Debian's Chromium through playwright-core), `postgres` (needs PostgreSQL on
// 127.0.0.1:5432; each file creates its own databases and drops them).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/e2e/**", "tests/formats/**", "tests/postgres/**"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      { test: { name: "formats", include: ["tests/formats/**/*.test.ts"], testTimeout: 30_000 } },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: { poll: { timeout: 8_000, interval: 50 } },
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "postgres",
          include: ["tests/postgres/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
