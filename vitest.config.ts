import { defineConfig } from "vitest/config";

// Three suites: `unit` (npm test: no network, no ../shared), `formats` (reads ../shared/formats),
// `e2e` (drives Debian's Chromium through playwright-core).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/e2e/**", "tests/formats/**"],
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
    ],
  },
});
