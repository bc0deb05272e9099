import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The addon's thread pool is process-wide; forks keep each file in its own process.
    pool: 'forks',
  },
});
