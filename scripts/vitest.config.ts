import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // The repository itself: package metadata, READMEs, the test plumbing.
    name: 'repo',
    include: ['test/**/*.test.ts'],
  },
});
