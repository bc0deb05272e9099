import { defineConfig } from 'vitest/config';

// vitest 5's reporter prints failures with Map.groupBy (Node >= 21). On Node 20.19 it would
// throw instead of showing why a test failed, so supply the standard behaviour here.
if (typeof (Map as unknown as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The addon's thread pool is process-wide; forks keep each file in its own process.
    pool: 'forks',
  },
});
