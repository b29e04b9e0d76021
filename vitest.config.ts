import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // gpg, Redis and HTTP servers are shared machine resources; two workers keep the 2-core box responsive.
    maxWorkers: 2,
  },
});
