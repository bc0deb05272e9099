import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against hangs, not a speed limit: generous, so a loaded 2-core machine cannot trip it.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The addon's thread pool is process-wide; forks keep each file in its own process.
    pool: 'forks',
  },
});
