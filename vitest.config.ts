import { defineConfig } from "vitest/config";

// Tests touch real DuckDB files and real processes: keep them in forks, two at a time (CI has 2 cores).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "**/*.test.ts"],
    exclude: ["node_modules/**", "out/**", "tmp/**"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: "Asia/Ho_Chi_Minh" },
    // the run's own temporary folder, removed at its end (test/global-setup.ts)
    globalSetup: ["test/global-setup.ts"],
  },
});
