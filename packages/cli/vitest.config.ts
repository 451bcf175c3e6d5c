import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    // Tests start real child processes; a loaded CI machine needs more than the 5 s default.
    testTimeout: 30_000,
  },
});
