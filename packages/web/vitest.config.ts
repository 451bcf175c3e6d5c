import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    // Bun, Deno and workerd start as real processes: give their first start time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
