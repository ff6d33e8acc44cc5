import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'designer/**', 'test/e2e/**', 'data/**'],
    // Budgets, not speed checks: many tests start a server (PGlite, migrations) in their hooks or
    // body, which takes seconds on a quiet machine and much longer on a busy one.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
